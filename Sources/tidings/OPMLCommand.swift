import ArgumentParser
import Foundation
import TidingsConfig
import TidingsModel

/// `tidings opml import|export`: move subscriptions in and out as OPML 2.0.
struct OPMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opml",
        abstract: "Import feeds from an OPML file, or export the configured feeds as OPML 2.0.",
        subcommands: [Import.self, Export.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the OPML file's feeds to the config (nested outlines become categories).")

        @OptionGroup var configFlags: ConfigFlags
        @Argument(help: "The OPML file.") var file: String

        /// How many unusable outlines get a line of their own.
        static let unusableShown = 20

        func run() async throws {
            var config = try configFlags.loadOrDefault()
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw ValidationError("\(file): cannot read: \(error.localizedDescription)")
            }
            let found: OPML.Subscriptions
            do {
                found = try OPML.read(bytes, file: file)
            } catch {
                printError("tidings: error: \(error)")
                throw ExitCode(1)
            }
            let imported = found.feeds
            for url in found.unusable.prefix(Self.unusableShown) {
                printError("tidings: warning: \(file): left out \"\(url)\": not an http(s) URL with a host")
            }
            if found.unusable.count > Self.unusableShown {
                printError(
                    "tidings: warning: \(file): and \(found.unusable.count - Self.unusableShown) more outlines left out"
                )
            }
            var known = Set(config.feeds.map { FeedURL.identity($0.url) })
            var added = 0
            for feed in imported where known.insert(FeedURL.identity(feed.url)).inserted {
                config.feeds.append(feed)
                added += 1
            }
            try configFlags.save(config)
            print("imported \(added) of \(imported.count) feeds (\(imported.count - added) already configured)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configured feeds as OPML 2.0.")

        @OptionGroup var configFlags: ConfigFlags
        @Option(help: "The OPML document's title.") var title = "Tidings subscriptions"

        func run() async throws {
            let config = try configFlags.load()
            print(OPML.export(config.feeds, title: title), terminator: "")
        }
    }
}
