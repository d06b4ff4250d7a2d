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

        func run() async throws {
            var config = try configFlags.loadOrDefault()
            guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw ValidationError("'\(url)' is not an http(s) URL")
            }
            if config.feeds.contains(where: { $0.url == url }) {
                throw ValidationError("\(url) is already configured in \(configFlags.config)")
            }
            config.feeds.append(FeedSubscription(url: url, name: name, title: title, category: category))
            try configFlags.save(config)
            print("added \(url) (\(config.feeds.count) feeds)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a feed from the config file (its stored entries and files stay).")

        @OptionGroup var configFlags: ConfigFlags
        @Argument(help: "The feed's URL, as configured.") var url: String

        func run() async throws {
            var config = try configFlags.load()
            guard let index = config.feeds.firstIndex(where: { $0.url == url }) else {
                throw ValidationError("\(url) is not configured in \(configFlags.config)")
            }
            config.feeds.remove(at: index)
            try configFlags.save(config)
            print("removed \(url) (\(config.feeds.count) feeds)")
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
            }
            for feed in config.feeds {
                var columns = [feed.url, feed.category ?? "-"]
                columns.append(Self.health(feed, states[feed.url]))
                print(columns.joined(separator: "\t"))
            }
        }

        static func health(_ feed: FeedSubscription, _ state: FetchState?) -> String {
            if !feed.enabled { return "disabled" }
            guard let state else { return "never fetched" }
            if state.retired { return "gone (410)" }
            var parts: [String] = []
            if state.consecutiveFailures > 0 {
                let error = state.lastError.map { feedError($0, of: feed.url) } ?? "?"
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

    /// Rewrites the config file atomically.
    func save(_ configuration: TidingsConfiguration) throws {
        try Data(configuration.yaml().utf8).write(to: URL(fileURLWithPath: config), options: .atomic)
    }
}
