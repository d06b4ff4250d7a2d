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

        func run() async throws {
            var config = try configFlags.loadOrDefault()
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw ValidationError("\(file): cannot read: \(error.localizedDescription)")
            }
            let imported: [TidingsModel.FeedSubscription]
            do {
                imported = try OPML.parse(bytes, file: file)
            } catch {
                printError("tidings: error: \(error)")
                throw ExitCode(1)
            }
            var known = Set(config.feeds.map(\.url))
            var added = 0
            for feed in imported where !known.contains(feed.url) {
                config.feeds.append(feed)
                known.insert(feed.url)
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
