import Engine
import FeedParsing
import Foundation
import Logging
import Processing
import Storage
import TestSupport
import Testing

@Suite("Sync run")
struct SyncRunTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// A server whose `/f/N` is a feed of one undated entry, "Story N".
    private static func numberedFeeds() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let number = request.path.split(separator: "/").last.map(String.init) ?? "?"
            return .init(body: rss(items: [("g-\(number)", "Story \(number)", "http://site.test/\(number)", nil)]))
        }
    }

    @Test(
        "feeds are read a page at a time: each is refreshed once, in the order given; retired and unknown ones are left out"
    )
    func pagedRun() async throws {
        let server = try Self.numberedFeeds()
        defer { server.stop() }
        let harness = try Harness()
        // More than two pages, so that the run reads three.
        let count = 2 * SyncRun.pageSize + 7
        let feeds = try await harness.configure((0..<count).map { .init(url: server.baseURL + "/f/\($0)") })
        // Retired after the run was planned (as by an overlapping run that met a 410).
        let retired = [feeds[3], feeds[SyncRun.pageSize + 1]]
        for feed in retired {
            var state = feed.state
            state.retired = true
            try await harness.store.updateState(feedID: feed.id, state)
        }
        let unknown: Int64 = 9_999_999
        let planned = Array(feeds.map(\.id).reversed()) + [unknown]

        let summary = await SyncRun(refresher: harness.refresher, concurrency: 1).run(feedIDs: planned, logger: logger)

        let refreshed = feeds.reversed().filter { feed in !retired.contains { $0.id == feed.id } }
        #expect(summary.runErrors.isEmpty)
        #expect(summary.progress.total == count - 2)
        #expect(summary.progress.done == count - 2)
        #expect(summary.progress.updated == count - 2)
        #expect(summary.progress.inserted == count - 2)
        #expect(server.requests.map { server.baseURL + $0.path } == refreshed.map(\.subscription.url))
        #expect(harness.files().count == count - 2)
        await harness.cleanUp()
    }

    @Test("an output folder that fails every feed gives the first run errors as lines and counts the rest")
    func runErrorsAreBounded() async throws {
        let server = try Self.numberedFeeds()
        defer { server.stop() }
        let harness = try Harness()
        // Entries without a date are dated at the harness's clock (2026-10); a file where
        // that year's folder should be makes every feed's publishing fail.
        try FileManager.default.createDirectory(atPath: harness.output, withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: harness.output + "/2026"))
        let count = SyncSummary.maxRunErrors + 7
        let feeds = try await harness.configure((0..<count).map { .init(url: server.baseURL + "/f/\($0)") })

        let summary = await SyncRun(refresher: harness.refresher, concurrency: 4).run(
            feedIDs: feeds.map(\.id), logger: logger)

        #expect(summary.failed)
        #expect(summary.progress.done == count && summary.progress.failed == count)
        #expect(summary.runErrors.count == SyncSummary.maxRunErrors)
        #expect(summary.moreRunErrors == 7)
        #expect(summary.runErrors.allSatisfy { $0.hasPrefix(server.baseURL + "/f/") })
        await harness.cleanUp()
    }

    @Test("the recovery pass publishes what a dead run left pending, for the feeds it is given only")
    func recoveryIsLimitedToTheGivenFeeds() async throws {
        let harness = try Harness()
        let feeds = try await harness.configure([
            .init(url: "http://127.0.0.1:9/kept"), .init(url: "http://127.0.0.1:9/other"),
        ])
        for (index, feed) in feeds.enumerated() {
            let body = rss(items: [
                (
                    "p-\(index)-1", "Pending \(index) one", "http://site.test/\(index)/1",
                    "Sun, 18 Oct 2026 09:00:00 +0000"
                ),
                (
                    "p-\(index)-2", "Pending \(index) two", "http://site.test/\(index)/2",
                    "Sun, 18 Oct 2026 10:00:00 +0000"
                ),
            ])
            let processed = EntryProcessor().process(
                try FeedParser.parse(body).feed, feedURL: feed.subscription.url, filters: .none,
                fetchedAt: harness.clock.now)
            // Stored, no file written: what a run killed before publishing leaves.
            _ = try await harness.store.upsert(entries: processed.entries, feedID: feed.id, at: harness.clock.now)
        }
        #expect(try await harness.store.pendingPublications(feedID: nil).count == 4)

        let run = SyncRun(refresher: harness.refresher)
        let summary = await run.run(feedIDs: [], recovering: [feeds[0].id], logger: logger)

        #expect(summary.runErrors.isEmpty)
        #expect(summary.recovered == 2)
        #expect(harness.files().keys.sorted() == ["2026/10/pending-0-one.md", "2026/10/pending-0-two.md"])
        #expect(try await harness.store.pendingPublications(feedID: feeds[0].id).isEmpty)
        #expect(try await harness.store.pendingPublications(feedID: feeds[1].id).count == 2)
        await harness.cleanUp()
    }
}
