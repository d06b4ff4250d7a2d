import ArgumentParser
import Engine
import Fetching
import Foundation
import Processing
import Publishing
import Storage
import TidingsConfig

/// `--config FILE`, shared by the commands that work on a configured installation.
struct ConfigFlags: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "tidings.yml"

    /// Loads the configuration, or exits with the file's own error message.
    func load() throws -> TidingsConfiguration {
        do {
            return try TidingsConfiguration.load(path: config)
        } catch {
            printError("tidings: error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Paths in the configuration are relative to the file's folder.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent()
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }
}

/// The parts of a configured installation, built in one place.
struct Installation {
    let configuration: TidingsConfiguration
    let store: any FeedStore
    let fetcher: FeedFetcher
    let refresher: FeedRefresher

    init(configuration: TidingsConfiguration, flags: ConfigFlags) throws {
        self.configuration = configuration
        self.store = try Self.openStore(configuration.database, flags: flags)
        let fetch = configuration.fetch
        fetcher = FeedFetcher(configuration: fetch.fetchConfiguration)
        let output = configuration.output
        guard let zone = TimeZone(identifier: output.timezone) else {
            throw ValidationError("\(flags.config): output.timezone: unknown time zone '\(output.timezone)'")
        }
        let options = OutputOptions(
            directory: flags.resolve(output.dir), dateStyle: output.date == .datetime ? .datetime : .date,
            pathTemplate: output.path, timeZone: zone, draft: output.draft, maxAge: output.maxAge,
            maxItemsPerFeed: output.maxItems)
        let publisher = try EntryPublisher(store: store, options: options)
        refresher = FeedRefresher(
            store: store, fetcher: fetcher, processor: EntryProcessor(), publisher: publisher,
            schedule: RefreshSchedule(minInterval: fetch.minInterval, maxInterval: fetch.maxInterval),
            globalFilters: configuration.filters)
    }

    static func openStore(_ database: String, flags: ConfigFlags) throws -> any FeedStore {
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            throw ValidationError("\(flags.config): database: PostgreSQL is not supported yet; use a SQLite file path")
        }
        return try SQLiteFeedStore(path: flags.resolve(database))
    }
}
