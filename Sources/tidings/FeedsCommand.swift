import ArgumentParser
import Foundation
import Storage
import TidingsConfig
import TidingsModel

/// `tidings feeds add|list|remove`: edit the configured feeds.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Add, list or remove configured feeds (the config file is rewritten; its comments are not kept).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a feed to the config file (created if missing).")

        @OptionGroup var configFlags: ConfigFlags
        @Argument(help: "The feed's URL (http or https).") var url: String
        @Option(help: "A category for the feed.") var category: String?
        @Option(help: "A short name for {feed} in output paths.") var name: String?
        @Option(help: "A title.") var title: String?
        @Flag(
            help: """
                Fetch the URL first: a web page is replaced by the first feed it names \
                (<link rel="alternate">) that can be read; nothing is added unless a feed is found.
                """)
        var discover = false

        func run() async throws {
            var config = try configFlags.loadOrDefault()
            guard var url = FeedURL.checked(subscribing: url) else {
                throw ValidationError("'\(url)' is not an http(s) URL with a host")
            }
            var found = ""
            if discover {
                let discovery = await FeedFinder(fetch: config.fetch).find(url)
                guard case .success(let feed) = discovery else {
                    if case .failure(let problem) = discovery { printError("tidings: error: \(problem.message)") }
                    throw ExitCode(1)
                }
                url = feed.url
                found = feed.description
            }
            let identity = FeedURL.identity(url)
            if let known = config.feeds.first(where: { FeedURL.identity($0.url) == identity }) {
                let spelled = known.url == url ? "" : " as \(known.url)"
                throw ValidationError(
                    "\(url.redactingURLPasswords) is already configured in \(configFlags.config)"
                        + spelled.redactingURLPasswords)
            }
            config.feeds.append(FeedSubscription(url: url, name: name, title: title, category: category))
            try configFlags.save(config)
            print("added \(url.redactingURLPasswords)\(found) (\(SyncCommand.counted(config.feeds.count, "feed")))")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a feed from the config file (its stored entries and files stay).")

        @OptionGroup var configFlags: ConfigFlags
        @Argument(help: "The feed's URL, as configured.") var url: String

        func run() async throws {
            var config = try configFlags.load()
            // The URL as configured, else another spelling of it (`HTTP://`, `:80`, `#…`).
            let identity = FeedURL.identity(url.trimmingWhiteSpaceAndZeroWidthSpace)
            guard
                let index = config.feeds.firstIndex(where: { $0.url == url })
                    ?? config.feeds.firstIndex(where: { FeedURL.identity($0.url) == identity })
            else {
                throw ValidationError("\(url.redactingURLPasswords) is not configured in \(configFlags.config)")
            }
            let removed = config.feeds.remove(at: index)
            try configFlags.save(config)
            print("removed \(removed.url.redactingURLPasswords) (\(SyncCommand.counted(config.feeds.count, "feed")))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List configured feeds with their health from the store.")

        @OptionGroup var configFlags: ConfigFlags

        func run() async throws {
            let config = try configFlags.load()
            var states: [String: FetchState] = [:]
            let database = configFlags.resolve(config.database)
            if FileManager.default.fileExists(atPath: database) {
                let store = try Installation.openStore(config.database, flags: configFlags)
                for record in try await store.feeds() { states[record.subscription.url] = record.state }
                try await store.close()
            }
            for feed in config.feeds {
                var columns = [feed.url, feed.category ?? "-"]
                columns.append(Self.health(feed, states[feed.url]))
                // Printed without the passwords of private feeds' URLs.
                print(columns.joined(separator: "\t").redactingURLPasswords)
            }
        }

        static func health(_ feed: FeedSubscription, _ state: FetchState?) -> String {
            if !feed.enabled { return "disabled" }
            guard let state else { return "never fetched" }
            if state.retired { return "gone (410)" }
            var parts: [String] = []
            if state.consecutiveFailures > 0 {
                let error = state.lastError.map { feedError($0, of: feed.url.redactingURLPasswords) } ?? "?"
                parts.append("failing ×\(state.consecutiveFailures): \(error)")
            } else if let success = state.lastSuccess {
                parts.append("ok \(success.formatted(.iso8601))")
            }
            if state.fetchURL != feed.url { parts.append("moved to \(state.fetchURL)") }
            if let next = state.nextCheck { parts.append("next \(next.formatted(.iso8601))") }
            return parts.joined(separator: "; ")
        }
    }
}

extension ConfigFlags {
    /// The configuration, or the defaults when the file does not exist yet.
    func loadOrDefault() throws -> TidingsConfiguration {
        FileManager.default.fileExists(atPath: config) ? try load() : TidingsConfiguration()
    }

    /// Rewrites the config file atomically, once the new text has been read back to
    /// the same configuration: a file Tidings writes is always one it can read.
    func save(_ configuration: TidingsConfiguration) throws {
        let yaml = configuration.yaml()
        let readBack: TidingsConfiguration
        do {
            readBack = try TidingsConfiguration.parse(yaml: yaml, file: config)
        } catch {
            printError("tidings: error: \(config) is left as it was: the new text would not read back: \(error)")
            throw ExitCode(1)
        }
        guard readBack == configuration else {
            printError("tidings: error: \(config) is left as it was: the new text would read back differently")
            throw ExitCode(1)
        }
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: config), options: .atomic)
    }
}
