import Engine
import Fetching
import Foundation
import Logging
import Processing
import Publishing
import Storage
import TestSupport
import TidingsModel

/// A time the test sets.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_793_000_000)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// An engine over a real SQLite file and a real output folder in a temporary directory.
struct Harness {
    let directory: URL
    let store: SQLiteFeedStore
    let fetcher: FeedFetcher
    let refresher: FeedRefresher
    let clock: TestClock
    var output: String { directory.appendingPathComponent("out").path }

    init(
        fetch: FetchConfiguration = FetchConfiguration(requestTimeout: 5),
        output: OutputOptions? = nil,
        filters: [FilterRule] = []
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-engine-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteFeedStore(path: directory.appendingPathComponent("tidings.sqlite").path)
        fetcher = FeedFetcher(configuration: fetch)
        let clock = TestClock()
        self.clock = clock
        var options = output ?? OutputOptions(directory: "")
        options.directory = directory.appendingPathComponent("out").path
        let publisher = try EntryPublisher(store: store, options: options)
        refresher = FeedRefresher(
            store: store, fetcher: fetcher, processor: EntryProcessor(), publisher: publisher,
            globalFilters: filters, now: { clock.now }, random: { 0.5 })
    }

    /// Configures `subscriptions` and returns their records.
    func configure(_ subscriptions: [FeedSubscription]) async throws -> [FeedRecord] {
        try await store.synchronize(subscriptions: subscriptions)
    }

    /// Refreshes the feed configured at `url` with its current stored state.
    @discardableResult
    func refresh(_ url: String) async throws -> FeedRefreshReport {
        let record = try await record(url)
        return try await refresher.refresh(record, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func record(_ url: String) async throws -> FeedRecord {
        guard let record = try await store.feeds().first(where: { $0.subscription.url == url }) else {
            throw HarnessError.unknownFeed(url)
        }
        return record
    }

    /// Every file under the output folder: relative path → contents.
    func files() -> [String: String] {
        Harness.files(in: output)
    }

    static func files(in folder: String) -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return result }
        while let relative = walker.nextObject() as? String {
            let path = folder + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
            }
        }
        return result
    }

    func cleanUp() async {
        try? await fetcher.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

enum HarnessError: Error {
    case unknownFeed(String)
}

/// The shared folder beside the repository (`../shared`), where the golden files live.
func sharedDirectory() -> URL {
    repositoryRoot().deletingLastPathComponent().appendingPathComponent("shared")
}

/// The repository's root: the nearest folder above this file holding Package.swift.
func repositoryRoot() -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}

/// A small RSS 2.0 document.
func rss(title: String = "Test feed", items: [(guid: String?, title: String, link: String, date: String?)]) -> [UInt8] {
    var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>\(title)</title><link>http://site.test/</link>
        """
    for item in items {
        xml += "<item><title>\(item.title)</title><link>\(item.link)</link>"
        if let guid = item.guid { xml += "<guid isPermaLink=\"false\">\(guid)</guid>" }
        if let date = item.date { xml += "<pubDate>\(date)</pubDate>" }
        xml += "<description>About \(item.title)</description></item>"
    }
    xml += "</channel></rss>"
    return Array(xml.utf8)
}

/// Gzips bytes with the system's gzip.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}
