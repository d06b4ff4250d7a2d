import Engine
import FeedParsing
import Foundation
import Logging
import Processing
import Publishing
import Storage
import TestSupport
import TidingsModel
import Testing

@Suite("Retention, filters and the feed commands")
struct RetentionAndFilterTests {
    static let threeItems = rss(items: [
        ("r-1", "Oldest story", "http://site.test/1", "Sat, 31 Oct 2026 08:00:00 +0000"),
        ("r-2", "Sponsored: buy now", "http://site.test/2", "Sun, 01 Nov 2026 08:00:00 +0000"),
        ("r-3", "Newest story", "http://site.test/3", "Mon, 02 Nov 2026 08:00:00 +0000"),
    ])

    @Test("max items removes only the files Tidings wrote, and retired entries stay unpublished")
    func retentionByCount() async throws {
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: Self.threeItems)])
        defer { server.stop() }
        let harness = try Harness(output: OutputOptions(maxItemsPerFeed: 2))
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        // A file of the user's own in the output folder.
        try FileManager.default.createDirectory(atPath: harness.output + "/notes", withIntermediateDirectories: true)
        try "mine".write(toFile: harness.output + "/notes/mine.md", atomically: true, encoding: .utf8)

        // The first fetch lists one entry more than the limit keeps: it is never written.
        let report = try await harness.refresh(url)
        #expect(report.inserted == 3)
        #expect(report.filesWritten == 2)
        #expect(report.filesRemoved == 0)
        var files = harness.files()
        #expect(files.count == 3)
        #expect(files["notes/mine.md"] == "mine")
        #expect(!files.values.contains { $0.contains("Oldest story") })
        // The store keeps the retired entry's bookkeeping, not its content.
        let feedID = try await harness.store.feeds()[0].id
        let stored = try await harness.store.entries(feedID: feedID)
        #expect(stored.filter(\.retired).map(\.entry.key) == ["r-1"])
        #expect(stored.filter(\.retired).map(\.entry.title) == [""])
        #expect(stored.filter { !$0.retired }.allSatisfy { !$0.entry.body.isEmpty && !$0.entry.title.isEmpty })

        harness.clock.advance(86400)
        let again = try await harness.refresh(url)
        #expect(again.changed == 0)
        #expect(again.filesWritten == 0)
        #expect(again.filesRemoved == 0)
        files = harness.files()
        #expect(!files.values.contains { $0.contains("Oldest story") })

        // A newer entry pushes the oldest written one out: its file goes, the user's stays.
        server.answer { _ in
            .init(
                body: rss(items: [
                    ("r-1", "Oldest story", "http://site.test/1", "Sat, 31 Oct 2026 08:00:00 +0000"),
                    ("r-2", "Sponsored: buy now", "http://site.test/2", "Sun, 01 Nov 2026 08:00:00 +0000"),
                    ("r-3", "Newest story", "http://site.test/3", "Mon, 02 Nov 2026 08:00:00 +0000"),
                    ("r-4", "Latest story", "http://site.test/4", "Tue, 03 Nov 2026 08:00:00 +0000"),
                ]))
        }
        harness.clock.advance(86400)
        let newer = try await harness.refresh(url)
        #expect(newer.inserted == 1)
        #expect(newer.filesWritten == 1)
        #expect(newer.filesRemoved == 1)
        files = harness.files()
        #expect(files.count == 3)
        #expect(files["notes/mine.md"] == "mine")
        #expect(files.values.contains { $0.contains("Latest story") })
        #expect(!files.values.contains { $0.contains("Sponsored") || $0.contains("Oldest story") })
        await harness.cleanUp()
    }

    @Test("a first fetch reserves paths as it stores: a user's file and a repeated title get the next candidates")
    func firstFetchReservesPathsOnInsert() async throws {
        let feed = rss(items: [
            ("p-1", "Same title", "http://site.test/1", "Mon, 19 Oct 2026 08:00:00 +0000"),
            ("p-2", "Same title", "http://site.test/2", "Sun, 18 Oct 2026 08:00:00 +0000"),
            ("p-3", "Occupied", "http://site.test/3", "Sun, 18 Oct 2026 09:00:00 +0000"),
        ])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: feed)])
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        try FileManager.default.createDirectory(atPath: harness.output + "/2026/10", withIntermediateDirectories: true)
        try "mine".write(toFile: harness.output + "/2026/10/occupied.md", atomically: true, encoding: .utf8)

        let report = try await harness.refresh(url)
        #expect(report.filesWritten == 3)
        let files = harness.files()
        #expect(files.count == 4)
        #expect(files["2026/10/occupied.md"] == "mine")
        #expect(files["2026/10/occupied-2.md"]?.contains("title: \"Occupied\"") == true)
        // The older entry of the two with one title takes the plain name, as before.
        #expect(files["2026/10/same-title.md"]?.contains("http://site.test/2") == true)
        #expect(files["2026/10/same-title-2.md"]?.contains("http://site.test/1") == true)
        await harness.cleanUp()
    }

    @Test("a run killed after storing a first fetch never overwrites a user's file at an entry's first candidate")
    func killedFirstFetchLeavesAUsersFileAlone() async throws {
        let body = rss(items: [("u-1", "Occupied", "http://site.test/1", "Sun, 18 Oct 2026 09:00:00 +0000")])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: body)])
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        let feed = try #require(try await harness.configure([.init(url: url)]).first)
        try FileManager.default.createDirectory(atPath: harness.output + "/2026/10", withIntermediateDirectories: true)
        try "mine".write(toFile: harness.output + "/2026/10/occupied.md", atomically: true, encoding: .utf8)
        // What a run leaves when killed between storing a first fetch and writing it.
        let processed = EntryProcessor().process(
            try FeedParser.parse(body).feed, feedURL: url, filters: .none, fetchedAt: harness.clock.now)
        let proposals = harness.refresher.publisher.proposedPaths(
            for: processed.entries, of: feed, at: harness.clock.now)
        _ = try await harness.store.upsert(
            entries: processed.entries, feedID: feed.id, at: harness.clock.now, proposedPaths: proposals)
        #expect(harness.files() == ["2026/10/occupied.md": "mine"])

        #expect(try await harness.refresh(url).filesWritten == 1)
        let files = harness.files()
        #expect(files["2026/10/occupied.md"] == "mine")
        #expect(files["2026/10/occupied-2.md"]?.contains("title: \"Occupied\"") == true)
        await harness.cleanUp()
    }

    @Test("a run killed after storing a first fetch as published, one file written: the next run writes the rest once")
    func killedBeforeConfirmingIsRecovered() async throws {
        let body = rss(items: [
            ("r-1", "Written story", "http://site.test/1", "Sun, 18 Oct 2026 09:00:00 +0000"),
            ("r-2", "Unwritten story", "http://site.test/2", "Sun, 18 Oct 2026 10:00:00 +0000"),
        ])
        let harness = try Harness()
        let url = "http://127.0.0.1:9/feed"
        let feed = try #require(try await harness.configure([.init(url: url)]).first)
        // What a run leaves when killed after storing a first fetch (recorded as
        // published, unconfirmed) and writing one of its two files.
        let processed = EntryProcessor().process(
            try FeedParser.parse(body).feed, feedURL: url, filters: .none, fetchedAt: harness.clock.now)
        let publisher = harness.refresher.publisher
        let proposals = publisher.proposedPaths(for: processed.entries, of: feed, at: harness.clock.now)
        let stored = try await harness.store.upsert(
            entries: processed.entries, feedID: feed.id, at: harness.clock.now, proposedPaths: proposals)
        #expect(stored.reserved.count == 2)
        let written = try #require(
            try await harness.store.entries(feedID: feed.id).first { $0.entry.key.hasSuffix("r-1") })
        try FileManager.default.createDirectory(atPath: harness.output + "/2026/10", withIntermediateDirectories: true)
        try publisher.render(written, of: feed).write(
            toFile: harness.output + "/" + (written.path ?? ""), atomically: true, encoding: .utf8)
        #expect(try await harness.store.pendingPublications(feedID: nil).count == 2)

        // The next run's recovery pass, before any fetch.
        let recovered = try await publisher.publishPending(feeds: [feed], feedID: nil)
        #expect(recovered.filesWritten == 1 && recovered.unchanged == 1)
        let files = harness.files()
        #expect(files.keys.sorted() == ["2026/10/unwritten-story.md", "2026/10/written-story.md"])
        #expect(files["2026/10/unwritten-story.md"]?.contains("title: \"Unwritten story\"") == true)
        #expect(try await harness.store.pendingPublications(feedID: nil).isEmpty)
        let again = try await publisher.publishPending(feeds: [feed], feedID: nil)
        #expect(again.filesWritten == 0 && again.unchanged == 0)
        await harness.cleanUp()
    }

    /// A first fetch of three entries stored as a run stores it (paths reserved,
    /// recorded as published, unconfirmed), and the pending stubs that run listed.
    private static func storedFirstFetch(_ harness: Harness, url: String) async throws -> (
        feed: FeedRecord, stubs: [PendingPublication], reserved: Set<Int64>
    ) {
        let feed = try #require(try await harness.configure([.init(url: url)]).first)
        let processed = EntryProcessor().process(
            try FeedParser.parse(Self.threeItems).feed, feedURL: url, filters: .none, fetchedAt: harness.clock.now)
        let proposals = harness.refresher.publisher.proposedPaths(
            for: processed.entries, of: feed, at: harness.clock.now)
        let stored = try await harness.store.upsert(
            entries: processed.entries, feedID: feed.id, at: harness.clock.now, proposedPaths: proposals, state: nil,
            listingPending: true)
        return (feed, try #require(stored.pending), stored.reserved)
    }

    @Test("overlapping runs: a file written for an entry another run's retention retired meanwhile is removed")
    func fileOfAnEntryRetiredMeanwhile() async throws {
        let harness = try Harness()
        let url = "http://127.0.0.1:9/feed"
        // Run B listed the three entries as pending, then run A (keeping one item per
        // feed) retired the two older ones unwritten, before B wrote any file.
        let (feed, stubs, reserved) = try await Self.storedFirstFetch(harness, url: url)
        #expect(stubs.count == 3 && reserved.count == 3)
        var options = OutputOptions(maxItemsPerFeed: 1)
        options.directory = harness.output
        let retention = try EntryPublisher(store: harness.store, options: options)
        let retired = try await retention.retireUnpublishedBeyondRetention(of: feed, now: harness.clock.now)
        #expect(retired.count == 2)

        let result = try await harness.refresher.publisher.publishPending(
            feeds: [feed], feedID: feed.id, reservedNow: reserved, stubs: stubs)
        #expect(result.filesWritten == 3)
        // B found the two entries retired as it recorded their files, and removed them.
        #expect(harness.files().keys.map { $0.hasSuffix("/newest-story.md") } == [true])
        #expect(try await harness.store.retiredFiles().isEmpty)
        #expect(try await harness.store.pendingPublications(feedID: nil).isEmpty)
        await harness.cleanUp()
    }

    @Test("overlapping runs: retention does not retire unwritten an entry another run published meanwhile")
    func entryPublishedMeanwhileIsNotRetiredUnwritten() async throws {
        let harness = try Harness()
        let (feed, stubs, reserved) = try await Self.storedFirstFetch(harness, url: "http://127.0.0.1:9/feed")
        // Retention listed the two older entries as beyond its limit, found no files,
        // and another run wrote and recorded all three before it retired them.
        let beyond = try await harness.store.pendingBeyondRetention(
            feedID: feed.id, maxAge: nil, maxItems: 1, now: harness.clock.now)
        #expect(beyond.count == 2)
        _ = try await harness.refresher.publisher.publishPending(
            feeds: [feed], feedID: feed.id, reservedNow: reserved, stubs: stubs)
        #expect(try await harness.store.retirePending(entryIDs: beyond.map(\.id)).isEmpty)
        #expect(try await harness.store.entries(feedID: feed.id).allSatisfy { !$0.retired })

        // So retention removes their files later, as for any published entry.
        var options = OutputOptions(maxItemsPerFeed: 1)
        options.directory = harness.output
        let retention = try EntryPublisher(store: harness.store, options: options)
        #expect(try await retention.applyRetention(to: feed, now: harness.clock.now) == 2)
        #expect(harness.files().keys.map { $0.hasSuffix("/newest-story.md") } == [true])
        await harness.cleanUp()
    }

    @Test("a run killed between retiring entries and removing their files: the next run removes them")
    func killedWhileRemovingRetiredFiles() async throws {
        let harness = try Harness()
        let (feed, stubs, reserved) = try await Self.storedFirstFetch(harness, url: "http://127.0.0.1:9/feed")
        let publisher = harness.refresher.publisher
        _ = try await publisher.publishPending(feeds: [feed], feedID: feed.id, reservedNow: reserved, stubs: stubs)
        #expect(harness.files().count == 3)
        // Retention's first step only: the two older entries retired, their files kept.
        let older = try await harness.store.retentionCandidates(
            feedID: feed.id, maxAge: nil, maxItems: 1, now: harness.clock.now)
        try await harness.store.retireBeforeRemoving(entryIDs: older.map(\.id))
        #expect(Set(try await harness.store.retiredFiles().map(\.entryID)) == Set(older.map(\.id)))

        // Another configuration's feeds are not this folder's business.
        #expect(try await publisher.removeRetiredFiles(feeds: [feed.id + 1]) == 0)
        #expect(harness.files().count == 3)
        // The next sync's recovery pass.
        let summary = await SyncRun(refresher: harness.refresher).run(
            feedIDs: [], recovering: [feed.id], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        #expect(!summary.failed)
        #expect(harness.files().keys.map { $0.hasSuffix("/newest-story.md") } == [true])
        #expect(try await harness.store.retiredFiles().isEmpty)
        await harness.cleanUp()
    }

    @Test("a lost database: the first fetch again finds its own files, writes no second copy, and moves past others")
    func firstFetchAfterALostDatabase() async throws {
        let feed = rss(items: [
            ("q-1", "Kept story", "http://site.test/1", "Mon, 19 Oct 2026 08:00:00 +0000"),
            ("q-2", "Changed story", "http://site.test/2", "Sun, 18 Oct 2026 08:00:00 +0000"),
        ])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: feed)])
        defer { server.stop() }
        let url = server.baseURL + "/feed"
        let first = try Harness()
        _ = try await first.configure([.init(url: url)])
        #expect(try await first.refresh(url).filesWritten == 2)
        let written = first.files()
        await first.cleanUp()

        // Same output, new database; one file was edited by hand meanwhile.
        let second = try Harness()
        _ = try await second.configure([.init(url: url)])
        for (path, text) in written {
            let full = second.output + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (path.contains("changed") ? "edited by hand" : text).write(
                toFile: full, atomically: true, encoding: .utf8)
        }
        let report = try await second.refresh(url)
        #expect(report.filesWritten == 1)
        let files = second.files()
        #expect(files.count == 3)
        #expect(files["2026/10/kept-story.md"] == written["2026/10/kept-story.md"])
        #expect(files["2026/10/changed-story.md"] == "edited by hand")
        #expect(files["2026/10/changed-story-2.md"] == written["2026/10/changed-story.md"])
        let stored = try await second.store.entries(feedID: try await second.record(url).id)
        #expect(Set(stored.compactMap(\.path)) == ["2026/10/kept-story.md", "2026/10/changed-story-2.md"])
        #expect(try await second.store.pendingPublications(feedID: nil).isEmpty)
        await second.cleanUp()
    }

    @Test("max age removes entries older than the limit")
    func retentionByAge() async throws {
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: Self.threeItems)])
        defer { server.stop() }
        // The harness clock starts at 2026-10-27; move it to 2026-11-02 12:00 UTC.
        let harness = try Harness(output: OutputOptions(maxAge: 36 * 3600))
        harness.clock.advance(Date(timeIntervalSince1970: 1_793_620_800).timeIntervalSince(harness.clock.now))
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        let report = try await harness.refresh(url)
        // The entry older than the limit is never written.
        #expect(report.filesWritten == 2)
        #expect(report.filesRemoved == 0)
        #expect(harness.files().count == 2)
        #expect(!harness.files().values.contains { $0.contains("Oldest story") })

        // A day later the next oldest is past the limit: its file goes.
        harness.clock.advance(86400)
        let later = try await harness.refresh(url)
        #expect(later.filesRemoved == 1)
        #expect(harness.files().count == 1)
        #expect(harness.files().values.contains { $0.contains("Newest story") })
        await harness.cleanUp()
    }

    @Test("global and per-feed filters drop entries before they are stored")
    func filters() async throws {
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: Self.threeItems)])
        defer { server.stop() }
        let harness = try Harness(filters: [FilterRule(action: .block, field: .title, pattern: "^sponsored")])
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([
            .init(url: url, filters: [FilterRule(action: .block, field: .link, pattern: "/1$")])
        ])
        let report = try await harness.refresh(url)
        #expect(report.filteredOut == 2)
        #expect(report.inserted == 1)
        #expect(harness.files().values.allSatisfy { $0.contains("Newest story") })
        await harness.cleanUp()
    }

    @Test("feeds add/list/remove and opml import/export edit the config file")
    func feedCommands() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("tidings.yml").path
        func tidings(_ arguments: String...) throws -> ChildProcess {
            try ChildProcess.run(TidingsBinary.path, arguments + ["--config", config])
        }
        #expect(try tidings("feeds", "add", "https://one.test/feed", "--category", "world").status == 0)
        #expect(try tidings("feeds", "add", "https://one.test/feed").status != 0)
        #expect(try tidings("feeds", "add", "ftp://two.test/feed").status != 0)
        // Another spelling of a configured URL is the same feed; a URL the config could
        // not read back (no host) is refused before anything is written.
        let respelled = try tidings("feeds", "add", "HTTPS://One.test:443/feed#top")
        #expect(respelled.status != 0)
        #expect(respelled.stderr.contains("already configured in \(config) as https://one.test/feed"))
        #expect(try tidings("feeds", "add", "http://").status != 0)
        #expect(try tidings("feeds", "add", "http:///feed").status != 0)
        let added = try tidings("feeds", "add", "feed://three.test/rss")
        #expect(added.stdout == "added http://three.test/rss (2 feeds)\n", "\(added.stderr)")
        #expect(
            try tidings("feeds", "remove", "HTTP://THREE.test/rss").stdout.hasPrefix("removed http://three.test/rss"))
        // Whatever the config file could not read back is refused, and the file kept as it was.
        let before = try String(contentsOfFile: config, encoding: .utf8)
        let badName = try tidings("feeds", "add", "https://four.test/feed", "--name", "../x")
        #expect(badName.status != 0)
        #expect(badName.stderr.contains("is left as it was"), "\(badName.stderr)")
        #expect(badName.stderr.contains(".name: expected a name of letters"), "\(badName.stderr)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == before)
        let opml = folder.appendingPathComponent("in.opml").path
        try """
        <?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline text="News"><outline text="Europe"><outline text="Two" type="rss" xmlUrl="https://two.test/rss"/></outline></outline>
        <outline text="One again" type="rss" xmlUrl="https://one.test/feed"/>
        <outline text="One, spelled otherwise" type="rss" xmlUrl="https://ONE.test/feed#x"/>
        <outline text="No host" type="rss" xmlUrl="http:///rss"/>
        </body></opml>
        """.write(toFile: opml, atomically: true, encoding: .utf8)
        let imported = try tidings("opml", "import", opml)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 1 of 2"), "\(imported.stdout)")
        #expect(imported.stderr.contains("warning: \(opml): left out \"http:///rss\""), "\(imported.stderr)")
        let list = try tidings("feeds", "list")
        #expect(list.stdout.contains("https://one.test/feed\tworld\tnever fetched"))
        #expect(list.stdout.contains("https://two.test/rss\tNews/Europe"))
        let exported = try tidings("opml", "export")
        #expect(exported.stdout.contains("xmlUrl=\"https://two.test/rss\""))
        #expect(try tidings("feeds", "remove", "https://one.test/feed").status == 0)
        #expect(!(try tidings("feeds", "list").stdout.contains("one.test")))
        // A broken config names the file, line and key.
        try "feeds:\n  - url: https://x.test/\n    interval: soon\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let broken = try tidings("feeds", "list")
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("tidings.yml:3:"))
        #expect(broken.stderr.contains("feeds[0].interval"))
    }
}
