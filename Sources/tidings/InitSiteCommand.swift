import ArgumentParser
import Publishing

/// `tidings init-site DIR`: a minimal Hugo site that renders Tidings' HTML bodies.
struct InitSiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-site",
        abstract: "Scaffold a minimal Hugo site (goldmark unsafe on, so the sanitized HTML bodies render)."
    )

    @Argument(help: "The site folder (created; existing files are not overwritten).")
    var directory: String

    @Option(help: "The site's title.")
    var title = "Tidings"

    func run() throws {
        do {
            try HugoSite.scaffold(at: directory, title: title)
        } catch {
            printError("tidings: error: \(directory): \(error)")
            throw ExitCode(1)
        }
        print("Hugo site in \(directory); point output.dir at \(directory)/content/posts and run `hugo` there.")
    }
}
