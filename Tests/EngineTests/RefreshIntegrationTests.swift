import Engine
import FeedParsing
import Fetching
import Foundation
import Synchronization
import Processing
import Storage
import TestSupport
import TidingsModel
import Testing

/// The engine against a loopback HTTP server: each test checks the store and the
/// output folder afterwards.
@Suite("Refresh over loopback HTTP")
struct RefreshIntegrationTests {
    static let twoItems = rss(items: [
        ("a-1", "First story", "http://site.test/first", "Mon, 02 Nov 2026 08:00:00 +0000"),
        ("a-2", "Second story", "http://site.test/second", "Mon, 02 Nov 2026 09:00:00 +0000"),
    ])

    @Test("304: validators are sent back, nothing is rewritten")
    func notModified() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
            return .init(
                headers: [("ETag", "\"v1\""), ("Last-Modified", "Mon, 02 Nov 2026 09:00:00 GMT")], body: Self.twoItems)
        }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        #expect(try await harness.refresh(url).status == .updated)
        let record = try await harness.record(url)
        #expect(record.state.etag == "\"v1\"")
        #expect(record.state.lastModified == "Mon, 02 Nov 2026 09:00:00 GMT")
        let before = harness.files()
        #expect(before.count == 2)
        harness.clock.advance(3600)
        let second = try await harness.refresh(url)
        #expect(second.status == .notModified)
        #expect(second.filesWritten == 0)
        #expect(server.requests.last?.headers["if-modified-since"] == "Mon, 02 Nov 2026 09:00:00 GMT")
        #expect(harness.files() == before)
        #expect(try await harness.record(url).state.lastStatus == 304)
        await harness.cleanUp()
    }

    @Test("a server without validators: the document processed last time, sent again, is handled like a 304")
    func sameDocumentAgain() async throws {
        let body = Mutex(Self.twoItems)
        let server = try LoopbackHTTPServer { _ in .init(body: body.withLock { $0 }) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        func refresh() async throws -> FeedRefreshReport {
            harness.clock.advance(3600)
            return try await harness.refresh(url)
        }

        // The first document is processed; so is the second, which records its digest.
        #expect(try await refresh().status == .updated)
        #expect(try await harness.record(url).state.documentDigest == nil, "a first fetch spends nothing on it")
        let files = harness.files()
        #expect(files.count == 2)
        let second = try await refresh()
        #expect(second.status == .updated && second.inserted == 0 && second.changed == 0)
        let digest = try #require(try await harness.record(url).state.documentDigest)

        // The same bytes again: not parsed, stored or published; scheduled as after a 304.
        let third = try await refresh()
        #expect(third.status == .notModified && third.filesWritten == 0)
        let record = try await harness.record(url)
        #expect(record.state.lastStatus == 200 && record.state.lastSuccess == harness.clock.now)
        #expect(record.state.nextCheck.map { $0 > harness.clock.now } == true)
        #expect(record.state.documentDigest == digest)
        #expect(harness.files() == files)

        // A changed document is processed, and its digest kept.
        body.withLock {
            $0 = rss(items: [
                ("a-1", "First story", "http://site.test/first", "Mon, 02 Nov 2026 08:00:00 +0000"),
                ("a-2", "Second story", "http://site.test/second", "Mon, 02 Nov 2026 09:00:00 +0000"),
                ("a-3", "Third story", "http://site.test/third", "Mon, 02 Nov 2026 10:00:00 +0000"),
            ])
        }
        let changed = try await refresh()
        #expect(changed.status == .updated && changed.inserted == 1 && changed.filesWritten == 1)
        #expect(try await harness.record(url).state.documentDigest.map { $0 != digest } == true)
        #expect(try await refresh().status == .notModified)

        // The same bytes under other filters would give other entries: processed again.
        _ = try await harness.configure([.init(url: url, filters: [.init(action: .block, field: .title, pattern: "x")])]
        )
        #expect(try await refresh().status == .updated)
        #expect(try await refresh().status == .notModified)
        await harness.cleanUp()
    }

    @Test("a private feed: its password is sent, and never published, stored in an error, or printed")
    func privateFeed() async throws {
        let body = Array(
            """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Private</title><link>/</link>
            <item><guid>p-1</guid><title>Members only</title><link>/members/1</link>
            <description>&lt;p&gt;See &lt;a href="/members/2"&gt;the next one&lt;/a&gt;.&lt;/p&gt;</description></item>
            </channel></rss>
            """.utf8)
        let server = try LoopbackHTTPServer { request in
            request.headers["authorization"] == "Basic YWxpY2U6czNjcmV0" ? .init(body: body) : .init(status: 401)
        }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL.replacingOccurrences(of: "://", with: "://alice:s3cret@") + "/feed"
        let wrong = server.baseURL.replacingOccurrences(of: "://", with: "://alice:nope@") + "/feed"
        _ = try await harness.configure([.init(url: url), .init(url: wrong)])
        #expect(try await harness.refresh(url).status == .updated)
        let files = harness.files()
        #expect(files.count == 1)
        let page = try #require(files.values.first)
        #expect(page.contains("source: \"\(server.baseURL)/feed\"\n"), "\(page)")
        #expect(page.contains("href=\"\(server.baseURL)/members/2\""), "\(page)")
        #expect(!page.contains("s3cret") && !page.contains("alice"), "\(page)")

        let failed = try await harness.refresh(wrong)
        #expect(failed.status == .failed)
        let expected =
            server.baseURL.replacingOccurrences(of: "://", with: "://alice:***@") + "/feed: HTTP 401 Unauthorized"
        #expect(failed.error == expected)
        #expect(try await harness.record(wrong).state.lastError == expected)
        await harness.cleanUp()
    }

    @Test("304 after a run that died between storing and writing: the stored entries are published")
    func notModifiedPublishesWhatARunLeftPending() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
            return .init(headers: [("ETag", "\"v1\"")], body: Self.twoItems)
        }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        let feed = try #require(try await harness.configure([.init(url: url)]).first)
        // What a killed run leaves: the entries and the validators stored together,
        // no file written, nothing recorded as published.
        let parsed = try FeedParser.parse(Self.twoItems)
        let processed = EntryProcessor().process(
            parsed.feed, feedURL: url, filters: .none, fetchedAt: harness.clock.now)
        var state = feed.state
        state.etag = "\"v1\""
        state.lastSuccess = harness.clock.now
        _ = try await harness.store.upsert(
            entries: processed.entries, feedID: feed.id, at: harness.clock.now, proposedPaths: [:], state: state,
            listingPending: false)
        #expect(harness.files().isEmpty)
        harness.clock.advance(3600)
        let report = try await harness.refresh(url)
        #expect(report.status == .notModified)
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
        #expect(report.filesWritten == 2)
        #expect(harness.files().count == 2)
        #expect(try await harness.store.pendingPublications(feedID: feed.id).isEmpty)
        await harness.cleanUp()
    }

    @Test("a gzip-encoded feed is decoded")
    func gzipped() async throws {
        let body = try gzip(Self.twoItems)
        let server = try LoopbackHTTPServer(routes: [
            "/feed": .init(headers: [("Content-Encoding", "gzip")], body: body)
        ])
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        let report = try await harness.refresh(url)
        #expect(report.status == .updated)
        #expect(report.inserted == 2)
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("gzip") == true)
        await harness.cleanUp()
    }

    @Test("a permanent redirect moves the feed only after three fetches confirm it")
    func permanentRedirectConfirmation() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/old"
                ? .init(status: 301, headers: [("Location", "/new")]) : .init(body: Self.twoItems)
        }
        defer { server.stop() }
        let harness = try Harness()
        let old = server.baseURL + "/old"
        _ = try await harness.configure([.init(url: old)])
        for fetch in 1...3 {
            // The third brings the document processed by the second: handled like a 304,
            // and its redirect counted all the same.
            #expect(try await harness.refresh(old).status == (fetch < 3 ? .updated : .notModified))
            let state = try await harness.record(old).state
            if fetch < 3 {
                #expect(state.fetchURL == old)
                #expect(state.redirectConfirmations == fetch)
            } else {
                #expect(state.fetchURL == server.baseURL + "/new")
            }
            harness.clock.advance(3600)
        }
        try await harness.refresh(old)
        #expect(server.requests.last?.path == "/new")
        #expect(server.requests.filter { $0.path == "/old" }.count == 3)
        // Entries were stored once, under the configured feed.
        #expect(harness.files().count == 2)
        await harness.cleanUp()
    }

    @Test("a temporary redirect never moves the feed")
    func temporaryRedirect() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/old" ? .init(status: 302, headers: [("Location", "/new")]) : .init(body: Self.twoItems)
        }
        defer { server.stop() }
        let harness = try Harness()
        let old = server.baseURL + "/old"
        _ = try await harness.configure([.init(url: old)])
        for _ in 1...4 { try await harness.refresh(old) }
        #expect(try await harness.record(old).state.fetchURL == old)
        await harness.cleanUp()
    }

    @Test("a redirect loop is an error kept with the feed; stored entries stay")
    func redirectLoop() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.twoItems) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/a"
        _ = try await harness.configure([.init(url: url)])
        try await harness.refresh(url)
        let before = harness.files()
        server.answer { request in
            .init(status: 301, headers: [("Location", request.path == "/a" ? "/b" : "/a")])
        }
        let report = try await harness.refresh(url)
        #expect(report.status == .failed)
        #expect(report.errorKind == "redirect")
        let state = try await harness.record(url).state
        #expect(state.consecutiveFailures == 1)
        #expect(state.lastErrorKind == "redirect")
        #expect(state.nextCheck! > harness.clock.now)
        #expect(harness.files() == before)
        await harness.cleanUp()
    }

    @Test("410 retires the feed: never due again")
    func gone() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 410) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        #expect(try await harness.refresh(url).status == .gone)
        #expect(try await harness.record(url).state.retired)
        harness.clock.advance(365 * 86400)
        #expect(try await harness.store.dueFeeds(at: harness.clock.now).isEmpty)
        await harness.cleanUp()
    }

    @Test("429 with Retry-After delays the next check at least that long; failures back off")
    func rateLimited() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 429, headers: [("Retry-After", "7200")]) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        let report = try await harness.refresh(url)
        #expect(report.status == .failed)
        #expect(report.errorKind == "rate-limited")
        let state = try await harness.record(url).state
        #expect(state.nextCheck! >= harness.clock.now.addingTimeInterval(7200))
        #expect(state.lastStatus == 429)
        // 503 without Retry-After: exponential backoff grows with each failure.
        server.answer { _ in .init(status: 503) }
        var delays: [TimeInterval] = []
        for _ in 0..<4 {
            try await harness.refresh(url)
            delays.append(try await harness.record(url).state.nextCheck!.timeIntervalSince(harness.clock.now))
        }
        #expect(delays == delays.sorted())
        #expect(delays.last! > delays.first!)
        #expect(try await harness.record(url).state.consecutiveFailures == 5)
        await harness.cleanUp()
    }

    @Test("an endless body is cut by the cap, a dropped connection is an error; nothing stored is lost")
    func endlessAndDropped() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.twoItems) }
        defer { server.stop() }
        let harness = try Harness(fetch: FetchConfiguration(requestTimeout: 5, maxBodyBytes: 64 * 1024))
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        try await harness.refresh(url)
        let before = harness.files()
        server.answer { _ in .init(body: [UInt8](repeating: 0x20, count: 1 << 20)) }
        let large = try await harness.refresh(url)
        #expect(large.errorKind == "too-large")
        server.answer { _ in .init(body: Self.twoItems, cutAfter: 100) }
        let dropped = try await harness.refresh(url)
        #expect(dropped.status == .failed)
        #expect(harness.files() == before)
        #expect(try await harness.store.entries(feedID: try await harness.record(url).id).count == 2)
        await harness.cleanUp()
    }

    @Test("a stalled response is cut by the request timeout; the feed backs off, nothing is lost")
    func stalled() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.twoItems) }
        defer { server.stop() }
        let harness = try Harness(fetch: FetchConfiguration(requestTimeout: 1))
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        try await harness.refresh(url)
        let before = harness.files()
        server.answer { _ in .init(body: Self.twoItems, stall: 3) }
        let report = try await harness.refresh(url)
        #expect(report.errorKind == "timeout")
        #expect(harness.files() == before)
        #expect(try await harness.record(url).state.consecutiveFailures == 1)
        await harness.cleanUp()
    }

    @Test("a document that is not a feed is an error naming the feed")
    func notAFeed() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Array("<html><body>Moved!</body></html>".utf8)) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        let report = try await harness.refresh(url)
        #expect(report.errorKind == "not-a-feed")
        #expect(report.error?.contains(url) == true)
        #expect(report.error?.hasSuffix(": not a feed: the root element is <html>, not rss, RDF or feed") == true)
        #expect(report.error?.contains("not a feed: not a feed") == false, "\(report.error ?? "")")

        // The home page configured in place of its feed: the error names the feed.
        server.answer { _ in
            .init(
                body: Array(
                    "<html><head><link rel=alternate type=application/rss+xml href=/rss.xml></head></html>".utf8))
        }
        harness.clock.advance(3600)
        let page = try await harness.refresh(url)
        #expect(
            page.error?.hasSuffix("; the page names its feed: \(server.baseURL)/rss.xml") == true, "\(page.error ?? "")"
        )
        await harness.cleanUp()
    }

    @Test("guids that change on every fetch do not duplicate entries")
    func changingGuids() async throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { _ in
            let n = counter.next()
            return .init(
                body: rss(items: [
                    (
                        "run-\(n)-a", "Alpha", "http://site.test/alpha?utm_source=feed&utm_campaign=c\(n)",
                        "Mon, 02 Nov 2026 08:00:00 +0000"
                    ),
                    ("run-\(n)-b", "Beta", "http://site.test/beta", "Mon, 02 Nov 2026 09:00:00 +0000"),
                ]))
        }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        for _ in 0..<3 { try await harness.refresh(url) }
        let files = harness.files()
        #expect(files.count == 2, "\(files.keys.sorted())")
        #expect(try await harness.store.entries(feedID: try await harness.record(url).id).count == 2)
        await harness.cleanUp()
    }

    @Test("guids repeated inside one document keep distinct entries apart")
    func repeatedGuids() async throws {
        let body = rss(items: [
            ("same", "One", "http://site.test/one", "Mon, 02 Nov 2026 08:00:00 +0000"),
            ("same", "Two", "http://site.test/two", "Mon, 02 Nov 2026 09:00:00 +0000"),
            ("same", "Three", "http://site.test/three", "Mon, 02 Nov 2026 10:00:00 +0000"),
        ])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: body)])
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        try await harness.refresh(url)
        try await harness.refresh(url)
        #expect(harness.files().count == 3)
        await harness.cleanUp()
    }

    @Test("a changed entry rewrites its own file, never a second one")
    func changedEntry() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.twoItems) }
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/feed"
        _ = try await harness.configure([.init(url: url)])
        try await harness.refresh(url)
        let before = harness.files()
        server.answer { _ in
            .init(
                body: rss(items: [
                    (
                        "a-1", "First story, updated: now with \"quotes\"", "http://site.test/first",
                        "Mon, 02 Nov 2026 08:00:00 +0000"
                    ),
                    ("a-2", "Second story", "http://site.test/second", "Mon, 02 Nov 2026 09:00:00 +0000"),
                ]))
        }
        let report = try await harness.refresh(url)
        #expect(report.changed == 1)
        #expect(report.filesWritten == 1)
        let after = harness.files()
        #expect(Set(after.keys) == Set(before.keys))
        #expect(after.values.contains { $0.contains(#"title: "First story, updated: now with \"quotes\"""#) })
        await harness.cleanUp()
    }

    @Test("the same article in two feeds is published once")
    func crossFeedDuplicate() async throws {
        let first = rss(items: [
            ("x-1", "Shared story", "http://site.test/shared?utm_medium=rss", "Mon, 02 Nov 2026 08:00:00 +0000")
        ])
        let second = rss(items: [
            ("y-9", "Shared story (wire)", "http://site.test/shared", "Mon, 02 Nov 2026 08:05:00 +0000"),
            ("y-10", "Only here", "http://site.test/only", "Mon, 02 Nov 2026 08:10:00 +0000"),
        ])
        let server = try LoopbackHTTPServer(routes: ["/one": .init(body: first), "/two": .init(body: second)])
        defer { server.stop() }
        let harness = try Harness()
        _ = try await harness.configure([.init(url: server.baseURL + "/one"), .init(url: server.baseURL + "/two")])
        try await harness.refresh(server.baseURL + "/one")
        let report = try await harness.refresh(server.baseURL + "/two")
        #expect(report.duplicates == 1)
        #expect(harness.files().count == 2)
        await harness.cleanUp()
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.withLock {
            value += 1; return value
        }
    }
}
