import Foundation
import TestSupport
import Testing
import TidingsModel

@testable import Storage

@Suite("SQLiteFeedStore: file, schema and feeds")
struct SchemaAndFeedTests {
    @Test func migrationsRunOnceAndReopeningIsIdempotent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(
            SQLiteFeedStore.migrationNames == [
                "v1 feeds and entries", "v2 entry contents in their own table", "v3 unconfirmed publications",
                "v4 document digest", "v5 retired entries without content", "v6 files of retired entries",
            ])
        do {
            let (store, feeds) = try await makeStore(directory)
            #expect(try store.appliedMigrations() == SQLiteFeedStore.migrationNames)
            _ = try await store.upsert(entries: [makeEntry("a")], feedID: feeds[0].id, at: day(0))
        }
        for _ in 0..<2 {
            let reopened = try SQLiteFeedStore(path: directory.databasePath)
            #expect(try reopened.appliedMigrations() == SQLiteFeedStore.migrationNames)
            let feeds = try await reopened.feeds()
            try #require(feeds.count == 1)
            #expect(try await reopened.entries(feedID: feeds[0].id).map(\.entry.key) == ["a"])
        }
    }

    @Test func aVersion1DatabaseKeepsItsEntriesThroughTheContentSplit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SQLiteFeedStore.makeDatabase(
            path: directory.databasePath, migratedUpTo: "v1 feeds and entries",
            then: oneFeedSQL + """
                INSERT INTO entries (id, feed_id, key, content_hash, published_hash, path, retired, entry_date,
                    first_seen, last_changed, published, updated, canonical_link, link, title, image, description,
                    authors, categories, enclosures, body)
                VALUES (7, 1, 'k', 'h2', 'h1', '2026/11/a-title.md', FALSE, 1000, 900, 950, 1000, 1100,
                    'https://a.example/a', 'https://a.example/a?utm_source=x', 'A "title": here', 'https://a.example/i.png',
                    'About it', '[{"name":"Ann"}]', '["World"]', '[]', '<p>Body</p>');
                """)
        let store = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try store.appliedMigrations() == SQLiteFeedStore.migrationNames)
        let stored = try #require(try await store.entries(feedID: 1).first)
        #expect(stored.id == 7)
        #expect(stored.entry.key == "k")
        #expect(stored.entry.title == "A \"title\": here")
        #expect(stored.entry.link == "https://a.example/a?utm_source=x")
        #expect(stored.entry.canonicalLink == "https://a.example/a")
        #expect(stored.entry.image == "https://a.example/i.png")
        #expect(stored.entry.description == "About it")
        #expect(stored.entry.body == "<p>Body</p>")
        #expect(stored.entry.authors.map(\.name) == ["Ann"])
        #expect(stored.entry.categories == ["World"])
        #expect(stored.entry.updated == Date(timeIntervalSince1970: 1.1))
        #expect(stored.entry.contentHash == "h2")
        #expect(stored.publishedHash == "h1")
        #expect(stored.path == "2026/11/a-title.md")
        #expect(stored.firstSeen == Date(timeIntervalSince1970: 0.9))
        // Published with another hash: still pending after the migration.
        #expect(try await store.pendingPublicationStubs(feedID: 1).map(\.id) == [7])
    }

    @Test func opensInWALMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try store.journalMode() == "wal")
    }

    @Test func openingAFileThatIsNotADatabaseFailsWithTheFileName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("this is not a database, just some text long enough".utf8)
            .write(to: URL(fileURLWithPath: directory.databasePath))
        let error = try #require(throws: StorageError.self) { try SQLiteFeedStore(path: directory.databasePath) }
        #expect(error.description.contains(directory.databasePath))
    }

    @Test func openingInAMissingFolderFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("missing/tidings.sqlite").path
        let error = try #require(throws: StorageError.self) { try SQLiteFeedStore(path: path) }
        #expect(error.shortDescription == "open_failed")
        #expect(error.description.contains(path))
    }

    @Test func synchronizeAddsUpdatesAndDisablesWithoutTouchingFetchState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let first = try await store.synchronize(subscriptions: [
            FeedSubscription(url: "https://a.example/feed", name: "a", category: "world"),
            FeedSubscription(url: "https://b.example/feed"),
        ])
        #expect(first.map(\.subscription.url) == ["https://a.example/feed", "https://b.example/feed"])
        #expect(first.map(\.state.fetchURL) == ["https://a.example/feed", "https://b.example/feed"])
        #expect(first.allSatisfy { $0.subscription.enabled && $0.state == FetchState(fetchURL: $0.subscription.url) })

        var state = first[0].state
        state.fetchURL = "https://a.example/moved"
        state.etag = "\"v1\""
        state.nextCheck = day(3)
        state.consecutiveFailures = 2
        try await store.updateState(feedID: first[0].id, state)

        let rule = FilterRule(action: .block, field: .title, pattern: "sponsored")
        let changed = FeedSubscription(
            url: "https://a.example/feed", name: "a2", title: "A", category: "europe", interval: 900,
            userAgent: "Bot/1", enabled: true, filters: [rule])
        let second = try await store.synchronize(subscriptions: [
            FeedSubscription(url: "https://c.example/feed"), changed,
        ])
        #expect(second.map(\.subscription.url) == ["https://c.example/feed", "https://a.example/feed"])
        #expect(second[1].id == first[0].id)
        #expect(second[1].subscription == changed)
        #expect(second[1].state == state)
        #expect(second[0].state.fetchURL == "https://c.example/feed")

        let all = try await store.feeds()
        #expect(
            all.map(\.subscription.url) == [
                "https://a.example/feed", "https://b.example/feed", "https://c.example/feed",
            ])
        #expect(all.map(\.subscription.enabled) == [true, false, true])

        // Configured again: enabled again, fetch state still untouched.
        let third = try await store.synchronize(subscriptions: [
            FeedSubscription(url: "https://b.example/feed", enabled: false), changed,
        ])
        #expect(third.map(\.subscription.enabled) == [false, true])
        #expect(try await store.feeds().map(\.subscription.enabled) == [true, false, false])
        #expect(third[1].state == state)
    }

    @Test("a change to any one field of a subscription reaches the store; the same one again changes nothing")
    func synchronizeNoticesEachField() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let url = "https://a.example/feed"
        let base = FeedSubscription(
            url: url, name: "a", title: "A", category: "world", interval: 600, userAgent: "Bot/1", enabled: true,
            filters: [FilterRule(action: .block, field: .title, pattern: "ad")])
        let id = try await store.synchronize(subscriptions: [base])[0].id
        var variants: [FeedSubscription] = []
        var changed = base
        changed.name = nil
        variants.append(changed)
        changed = base
        changed.title = "B"
        variants.append(changed)
        changed = base
        changed.category = "europe"
        variants.append(changed)
        changed = base
        changed.interval = 601
        variants.append(changed)
        changed = base
        changed.userAgent = nil
        variants.append(changed)
        changed = base
        changed.enabled = false
        variants.append(changed)
        changed = base
        changed.filters = [FilterRule(action: .keep, field: .title, pattern: "ad")]
        variants.append(changed)
        // Each variant differs from the stored base in its one field only.
        for variant in variants + [base] {
            for subscription in [base, variant] {
                let record = try await store.synchronize(subscriptions: [subscription])[0]
                #expect(record.id == id)
                #expect(record.subscription == subscription)
                #expect(try await store.feeds().map(\.subscription) == [subscription])
            }
        }
    }

    @Test func synchronizeStoresARepeatedURLOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let records = try await store.synchronize(subscriptions: [
            FeedSubscription(url: "https://a.example/feed", name: "first"),
            FeedSubscription(url: "https://b.example/feed"),
            FeedSubscription(url: "https://a.example/feed", name: "last"),
        ])
        #expect(records.map(\.subscription.url) == ["https://a.example/feed", "https://b.example/feed"])
        #expect(records[0].subscription.name == "last")
        #expect(try await store.feeds().count == 2)
    }

    @Test("feeds(ids:) keeps the order given, leaves unknown ids out, and reads more ids than one statement takes")
    func feedsByID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let urls = (0..<1_203).map { "https://\($0).example/feed" }
        let (store, feeds) = try await makeStore(directory, feeds: urls)
        var random = SplitMix(seed: 7)
        var ids = feeds.map(\.id)
        for index in ids.indices.reversed() { ids.swapAt(index, random.below(index + 1)) }
        let asked = Array(ids.prefix(600)) + [-1, 9_999_999] + Array(ids.dropFirst(600))
        let read = try await store.feeds(ids: asked)
        #expect(read.map(\.id) == ids)
        let byID = Dictionary(uniqueKeysWithValues: feeds.map { ($0.id, $0) })
        #expect(read.allSatisfy { byID[$0.id] == $0 })
        #expect(try await store.feeds(ids: []).isEmpty)
        #expect(try await store.feeds(ids: [ids[5], ids[5]]).map(\.id) == [ids[5], ids[5]])
    }

    @Test func dueFeedsAreEnabledNotRetiredAndNotScheduledLater() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let urls = (0..<6).map { "https://\($0).example/feed" }
        let (store, feeds) = try await makeStore(directory, feeds: urls)
        let now = day(10)
        let schedule: [(Date?, Bool)] = [
            (day(11), false),  // later
            (day(9), false),  // overdue
            (nil, false),  // never checked
            (now, false),  // due exactly now
            (day(1), true),  // retired
            (day(8), false),  // overdue, but disabled below
        ]
        for (record, (next, retired)) in zip(feeds, schedule) {
            var state = record.state
            state.nextCheck = next
            state.retired = retired
            try await store.updateState(feedID: record.id, state)
        }
        _ = try await store.synchronize(subscriptions: urls.dropLast().map { subscription($0) })
        let due = try await store.dueFeeds(at: now)
        #expect(due.map(\.subscription.url) == [urls[2], urls[1], urls[3]])
        #expect(try await store.dueFeeds(at: day(20)).map(\.subscription.url) == [urls[2], urls[1], urls[3], urls[0]])
    }

    @Test func updateStateRoundTripsEveryField() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let state = FetchState(
            fetchURL: "https://ä.example/flux?q=\"x\"&y='z'",
            etag: "W/\"é-123\"",
            lastModified: "Wed, 21 Oct 2015 07:28:00 GMT",
            lastAttempt: day(1, hour: 1),
            lastSuccess: day(1),
            nextCheck: Date(timeIntervalSince1970: 1_750_000_000.125),
            consecutiveFailures: 7,
            lastErrorKind: "http",
            lastError: "the server answered 503 — «réessayez» 🙃",
            lastStatus: 503,
            redirectCandidate: "https://new.example/feed",
            redirectConfirmations: 2,
            retired: true,
            title: "Le Monde ‘quoted’ \"title\""
        )
        try await store.updateState(feedID: feeds[0].id, state)
        #expect(try await store.feeds()[0].state == state)

        let cleared = FetchState(fetchURL: "https://a.example/feed")
        try await store.updateState(feedID: feeds[0].id, cleared)
        #expect(try await store.feeds()[0].state == cleared)
    }

    @Test("An upsert given a fetch state stores it with the entries; without one, the state is left alone")
    func upsertStoresTheStateWithTheEntries() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        var state = FetchState(fetchURL: feeds[0].subscription.url)
        state.etag = "\"v2\""
        state.lastSuccess = day(1)
        state.nextCheck = day(2)
        let result = try await store.upsert(
            entries: [makeEntry("a")], feedID: feeds[0].id, at: day(1), proposedPaths: [:], state: state,
            listingPending: false)
        #expect(result == UpsertResult(inserted: 1))
        #expect(try await store.feeds()[0].state == state)
        #expect(try await store.entries(feedID: feeds[0].id).count == 1)

        _ = try await store.upsert(entries: [makeEntry("b")], feedID: feeds[0].id, at: day(3))
        #expect(try await store.feeds()[0].state == state)

        // Listing the pending publications gives what the read would give, in the same transaction.
        let listed = try await store.upsert(
            entries: [makeEntry("c"), makeEntry("a", hash: "a2")], feedID: feeds[0].id, at: day(4),
            proposedPaths: [:], state: nil, listingPending: true)
        #expect(listed.pending?.map(\.key).sorted() == ["a", "b", "c"])
        #expect(listed.pending == (try await store.pendingPublicationStubs(feedID: feeds[0].id)))
        // Every field as the full read gives it.
        _ = try await store.reservePath("posts/b.md", entryID: try #require(listed.pending?.first { $0.key == "b" }).id)
        let stubs = try await store.pendingPublicationStubs(feedID: feeds[0].id)
        let full = try await store.pendingPublications(feedID: feeds[0].id)
        #expect(stubs.map(\.id) == full.map(\.id))
        #expect(stubs.map(\.key) == full.map(\.entry.key))
        #expect(stubs.map(\.contentHash) == full.map(\.entry.contentHash))
        #expect(stubs.map(\.path) == full.map(\.path))
        #expect(stubs.map(\.date) == full.map(\.date))
        #expect(stubs.map(\.feedID) == full.map(\.feedID))
        #expect(stubs.contains { $0.path == "posts/b.md" })
    }

    @Test func updatingAnUnknownFeedThrows() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, _) = try await makeStore(directory)
        let error = await #expect(throws: StorageError.self) {
            try await store.updateState(feedID: 999, FetchState(fetchURL: "x"))
        }
        #expect(error?.shortDescription == "unknown_feed")
        await #expect(throws: StorageError.self) {
            try await store.upsert(entries: [makeEntry("a")], feedID: 999, at: day(0))
        }
    }

    @Test func subscriptionTextRoundTripsUnicodeAndQuotes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let tricky = "O'Brien \"quoted\" \\ back; DROP TABLE feeds; -- 日本語 🎉 \t\r\n"
        let original = FeedSubscription(
            url: "https://例え.jp/フィード?a='1'&b=\"2\"",
            name: tricky,
            title: tricky,
            category: tricky,
            interval: 1.5,
            userAgent: tricky,
            enabled: true,
            filters: [FilterRule(action: .keep, field: .content, pattern: #"(?i)caf[eé]\s+"ü""#)]
        )
        let records = try await store.synchronize(subscriptions: [original])
        #expect(records[0].subscription == original)
        let reopened = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try await reopened.feeds()[0].subscription == original)
    }
}

@Suite("SQLite process settings")
struct SQLiteProcessSettingsTests {
    @Test("Memory statistics can no longer be turned off once SQLite is in use; stores work either way")
    func memoryStatisticsAfterFirstUse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        // SQLite is initialized now (the store opened connections): too late.
        #expect(SQLiteFeedStore.disableMemoryStatistics() == false)
        #expect(try await store.feeds().isEmpty)
    }
}
