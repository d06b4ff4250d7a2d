import Foundation
import Testing
import TidingsModel

@testable import Storage

@Suite("SQLiteFeedStore: entries")
struct EntryTests {
    @Test func upsertCountsInsertedUnchangedAndChanged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let batch = ["a", "b", "c"].map { makeEntry($0, published: day(1)) }

        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(2)) == UpsertResult(inserted: 3))
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(3)) == UpsertResult(unchanged: 3))
        var edited = batch
        edited[1] = makeEntry("b", hash: "hash-b2", published: day(1), title: "B, corrected")
        #expect(
            try await store.upsert(entries: edited, feedID: feed, at: day(4)) == UpsertResult(changed: 1, unchanged: 2))

        let stored = Dictionary(uniqueKeysWithValues: try await store.entries(feedID: feed).map { ($0.entry.key, $0) })
        #expect(stored["a"]?.firstSeen == day(2))
        #expect(stored["a"]?.lastChanged == day(2))
        #expect(stored["b"]?.firstSeen == day(2))
        #expect(stored["b"]?.lastChanged == day(4))
        #expect(stored["b"]?.entry == edited[1])
        #expect(stored["b"]?.date == day(1))
    }

    @Test func anEntryWithoutADateKeepsItsFirstSeenDate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        _ = try await store.upsert(entries: [makeEntry("a")], feedID: feed, at: day(1))
        _ = try await store.upsert(entries: [makeEntry("a")], feedID: feed, at: day(2))
        _ = try await store.upsert(entries: [makeEntry("a", hash: "new")], feedID: feed, at: day(3))
        let stored = try #require(try await store.entries(feedID: feed).first)
        #expect(stored.date == day(1))
        #expect(stored.firstSeen == day(1))
        #expect(stored.lastChanged == day(3))
        #expect(stored.entry.published == nil)

        // A dated entry that loses its date on a later fetch keeps the stored one.
        _ = try await store.upsert(entries: [makeEntry("b", published: day(0))], feedID: feed, at: day(1))
        _ = try await store.upsert(entries: [makeEntry("b", hash: "changed")], feedID: feed, at: day(5))
        let b = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "b" })
        #expect(b.entry.published == day(0))
        #expect(b.date == day(0))
        #expect(b.entry.contentHash == "changed")
    }

    @Test func aChangingGuidWithTheSameCanonicalLinkIsOneEntry() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let link = "https://a.example/story"
        _ = try await store.upsert(entries: [makeEntry("guid-1", hash: "h", canonical: link)], feedID: feed, at: day(1))
        let second = try await store.upsert(
            entries: [makeEntry("guid-2", hash: "h", canonical: link)], feedID: feed, at: day(2))
        #expect(second == UpsertResult(unchanged: 1))
        let third = try await store.upsert(
            entries: [makeEntry("guid-3", hash: "h2", canonical: link)], feedID: feed, at: day(3))
        #expect(third == UpsertResult(changed: 1))
        let stored = try await store.entries(feedID: feed)
        #expect(stored.map(\.entry.key) == ["guid-1"])
        #expect(stored.first?.entry.contentHash == "h2")
        #expect(stored.first?.firstSeen == day(1))
    }

    @Test func twoEntriesOfOneFetchSharingALinkStayTwoEntries() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let home = "https://a.example/"
        let batch = [makeEntry("1", canonical: home), makeEntry("2", canonical: home)]
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(1)) == UpsertResult(inserted: 2))
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(2)) == UpsertResult(unchanged: 2))
        #expect(try await store.entries(feedID: feed).count == 2)
    }

    @Test func repeatedKeysInOneBatchKeepTheLast() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let batch = [makeEntry("a", hash: "1"), makeEntry("b"), makeEntry("a", hash: "2", title: "last")]
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(1)) == UpsertResult(inserted: 2))
        let a = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "a" })
        #expect(a.entry.contentHash == "2")
        #expect(a.entry.title == "last")
    }

    @Test func aCrossFeedDuplicateIsRecordedAndNotPending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(
            directory, feeds: ["https://a.example/feed", "https://b.example/feed"])
        let link = "https://news.example/story"
        let first = try await store.upsert(entries: [makeEntry("x", canonical: link)], feedID: feeds[0].id, at: day(1))
        #expect(first == UpsertResult(inserted: 1))
        let second = try await store.upsert(
            entries: [makeEntry("y", canonical: link), makeEntry("z", canonical: "https://b.example/own")],
            feedID: feeds[1].id, at: day(2))
        #expect(second == UpsertResult(inserted: 2, duplicates: 1))

        let original = try #require(try await store.entries(feedID: feeds[0].id).first)
        let duplicate = try #require(try await store.entries(feedID: feeds[1].id).first { $0.entry.key == "y" })
        #expect(duplicate.duplicateOf == original.id)
        #expect(original.duplicateOf == nil)
        #expect(try await store.pendingPublications(feedID: feeds[1].id).map(\.entry.key) == ["z"])
        #expect(try await store.pendingPublications(feedID: nil).map(\.entry.key).sorted() == ["x", "z"])
    }

    @Test("Proposed paths are reserved as new entries are stored, never for known entries or duplicates")
    func proposedPathsAreReservedOnInsert() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(
            directory, feeds: ["https://a.example/feed", "https://b.example/feed"])
        let link = "https://news.example/story"
        _ = try await store.upsert(entries: [makeEntry("held", canonical: link)], feedID: feeds[0].id, at: day(1))
        let holder = try #require(try await store.entries(feedID: feeds[0].id).first)
        #expect(try await store.reservePath("taken.md", entryID: holder.id))

        let result = try await store.upsert(
            entries: [
                makeEntry("new"), makeEntry("clash"), makeEntry("copy", canonical: link), makeEntry("plain"),
            ],
            feedID: feeds[1].id, at: day(2),
            proposedPaths: ["new": "2026/new.md", "clash": "taken.md", "copy": "copy.md", "absent": "absent.md"])
        let stored = Dictionary(
            uniqueKeysWithValues: try await store.entries(feedID: feeds[1].id).map { ($0.entry.key, $0) })
        #expect(result.inserted == 4 && result.duplicates == 1)
        #expect(result.reserved == [try #require(stored["new"]).id])
        #expect(stored["new"]?.path == "2026/new.md")
        // Taken by another entry: stored without a path, for the publisher's next candidate.
        #expect(stored["clash"]?.path == nil)
        // A duplicate is never published, so it holds no path.
        #expect(stored["copy"]?.path == nil && stored["copy"]?.duplicateOf == holder.id)
        #expect(stored["plain"]?.path == nil)
        #expect(try await store.reservePath("taken.md", entryID: try #require(stored["clash"]).id) == false)

        // A known entry keeps what it holds, whatever is proposed.
        let again = try await store.upsert(
            entries: [makeEntry("new"), makeEntry("plain")], feedID: feeds[1].id, at: day(3),
            proposedPaths: ["new": "elsewhere.md", "plain": "plain.md"])
        #expect(again == UpsertResult(unchanged: 2))
        let after = try await store.entries(feedID: feeds[1].id)
        #expect(after.first { $0.entry.key == "new" }?.path == "2026/new.md")
        #expect(after.first { $0.entry.key == "plain" }?.path == nil)
    }

    @Test func pendingEmptiesOnPublicationAndReturnsOnChange() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(
            directory, feeds: ["https://a.example/feed", "https://b.example/feed"])
        let feed = feeds[0].id
        _ = try await store.upsert(
            entries: [makeEntry("new", published: day(3)), makeEntry("old", published: day(1)), makeEntry("undated")],
            feedID: feed, at: day(2))
        _ = try await store.upsert(entries: [makeEntry("other")], feedID: feeds[1].id, at: day(0))
        let pending = try await store.pendingPublications(feedID: feed)
        #expect(pending.map(\.entry.key) == ["old", "undated", "new"])
        #expect(
            try await store.pendingPublications(feedID: nil).map(\.entry.key) == ["other", "old", "undated", "new"])

        for entry in pending {
            #expect(try await store.reservePath("posts/\(entry.entry.key).md", entryID: entry.id))
            try await store.markPublished(entryID: entry.id, contentHash: entry.entry.contentHash)
        }
        #expect(try await store.pendingPublications(feedID: feed).isEmpty)
        _ = try await store.upsert(
            entries: [makeEntry("old", hash: "edited", published: day(1))], feedID: feed, at: day(4))
        let again = try await store.pendingPublications(feedID: feed)
        #expect(again.map(\.entry.key) == ["old"])
        #expect(again.first?.path == "posts/old.md")
        #expect(again.first?.publishedHash == "hash-old")
    }

    @Test func releasePathsFreesOnlyPathsNeverPublished() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        _ = try await store.upsert(entries: [makeEntry("a"), makeEntry("b")], feedID: feeds[0].id, at: day(1))
        let stored = Dictionary(
            uniqueKeysWithValues: try await store.entries(feedID: feeds[0].id).map { ($0.entry.key, $0) })
        let a = try #require(stored["a"])
        let b = try #require(stored["b"])
        #expect(try await store.reservePath("a.md", entryID: a.id))
        #expect(try await store.reservePath("b.md", entryID: b.id))
        try await store.markPublished(entryID: b.id, contentHash: b.entry.contentHash)

        try await store.releasePaths(entryIDs: [a.id, b.id])
        let after = Dictionary(
            uniqueKeysWithValues: try await store.entries(feedID: feeds[0].id).map { ($0.entry.key, $0.path) })
        #expect(after["a"] == .some(nil))
        #expect(after["b"] == "b.md")
        // The released path is free again, for any entry.
        #expect(try await store.reservePath("a.md", entryID: a.id))
    }

    @Test func reservePathRefusesAPathAnotherEntryHolds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        _ = try await store.upsert(entries: [makeEntry("a"), makeEntry("b")], feedID: feeds[0].id, at: day(1))
        let ids = Dictionary(
            uniqueKeysWithValues: try await store.entries(feedID: feeds[0].id).map { ($0.entry.key, $0.id) })
        let a = try #require(ids["a"])
        let b = try #require(ids["b"])

        #expect(try await store.reservePath("2025/06/story.md", entryID: a))
        #expect(try await store.reservePath("2025/06/story.md", entryID: b) == false)
        #expect(try await store.reservePath("2025/06/story.md", entryID: a))
        #expect(try await store.reservePath("2025/06/story-2.md", entryID: b))
        let error = await #expect(throws: StorageError.self) {
            try await store.reservePath("2025/06/elsewhere.md", entryID: a)
        }
        #expect(error?.shortDescription == "path_already_reserved")
        await #expect(throws: StorageError.self) { try await store.reservePath("x.md", entryID: 12_345) }
        let paths = try await store.entries(feedID: feeds[0].id).map(\.path)
        #expect(Set(paths) == ["2025/06/story.md", "2025/06/story-2.md"])
    }

    @Test func retentionSelectsByAgeAndByCountWithoutRepeats() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        // Entries published on days 1...6; "unpublished" holds no path, "gone" is retired.
        let keys = (1...6).map { "d\($0)" }
        _ = try await store.upsert(
            entries: keys.enumerated().map { makeEntry($1, published: day($0 + 1)) }
                + [makeEntry("unpublished", published: day(0)), makeEntry("gone", published: day(0))],
            feedID: feed, at: day(7))
        for entry in try await store.entries(feedID: feed) where entry.entry.key != "unpublished" {
            #expect(try await store.reservePath("\(entry.entry.key).md", entryID: entry.id))
            try await store.markPublished(entryID: entry.id, contentHash: entry.entry.contentHash)
        }
        let gone = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "gone" })
        try await store.retire(entryID: gone.id)

        let now = day(7)
        func candidates(_ maxAge: TimeInterval?, _ maxItems: Int?) async throws -> [String] {
            try await store.retentionCandidates(feedID: feed, maxAge: maxAge, maxItems: maxItems, now: now)
                .map(\.entry.key)
        }
        #expect(try await candidates(nil, nil) == [])
        // Older than 4.5 days: days 1 and 2.
        #expect(try await candidates(4.5 * 86_400, nil) == ["d1", "d2"])
        // Beyond the newest 3: days 1, 2, 3.
        #expect(try await candidates(nil, 3) == ["d1", "d2", "d3"])
        // Union, each once.
        #expect(try await candidates(4.5 * 86_400, 3) == ["d1", "d2", "d3"])
        #expect(try await candidates(1.5 * 86_400, 5) == ["d1", "d2", "d3", "d4", "d5"])
        #expect(try await candidates(nil, 0) == keys)
        #expect(try await candidates(nil, 10) == [])
    }

    @Test func retentionBreaksDateTiesByID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        _ = try await store.upsert(
            entries: ["p", "q", "r"].map { makeEntry($0, published: day(1)) }, feedID: feed, at: day(2))
        for entry in try await store.entries(feedID: feed) {
            _ = try await store.reservePath("\(entry.entry.key).md", entryID: entry.id)
        }
        let kept = try await store.retentionCandidates(feedID: feed, maxAge: nil, maxItems: 1, now: day(2))
        #expect(kept.map(\.entry.key) == ["p", "q"])
        #expect(try await store.entries(feedID: feed).map(\.entry.key) == ["r", "q", "p"])
    }

    @Test("retiring an entry drops its content and keeps it known: listed, not stored or published again")
    func retiringDropsTheContent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let listed = [makeEntry("a", canonical: "https://a.example/a"), makeEntry("b")]
        _ = try await store.upsert(entries: listed, feedID: feed, at: day(1))
        let a = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "a" })
        _ = try await store.reservePath("a.md", entryID: a.id)
        try await store.markPublished(entryID: a.id, contentHash: a.entry.contentHash)
        try await store.retire(entryID: a.id)

        #expect(try store.entryIDsWithContent() == [a.id + 1])
        let retired = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "a" })
        #expect(retired.retired && retired.path == "a.md")
        #expect(retired.entry.contentHash == a.entry.contentHash)
        #expect(retired.entry.canonicalLink == "https://a.example/a")
        #expect(
            [retired.entry.title, retired.entry.description, retired.entry.body] == ["", "", ""]
                && retired.entry.authors.isEmpty && retired.entry.categories.isEmpty)

        // The feed lists it again: known, unchanged, not pending; it still counts as the
        // original of another feed's copy.
        let again = try await store.upsert(entries: listed, feedID: feed, at: day(2))
        #expect(again == UpsertResult(unchanged: 2))
        #expect(try await store.pendingPublications(feedID: feed).map(\.entry.key) == ["b"])
        let other = try await store.synchronize(subscriptions: [
            subscription("https://a.example/feed"), subscription("https://b.example/feed"),
        ])[1].id
        let copy = try await store.upsert(
            entries: [makeEntry("x", canonical: "https://a.example/a")], feedID: other, at: day(2))
        #expect(copy.duplicates == 1)
    }

    @Test("a version 4 database drops the content of its retired entries")
    func aVersion4DatabaseDropsRetiredContent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SQLiteFeedStore.makeDatabase(
            path: directory.databasePath, migratedUpTo: "v4 document digest",
            then: oneFeedSQL + """
                INSERT INTO entries (id, feed_id, key, content_hash, retired, entry_date, first_seen, last_changed)
                VALUES (1, 1, 'old', 'h1', TRUE, 1000, 900, 900), (2, 1, 'new', 'h2', FALSE, 2000, 1900, 1900);
                INSERT INTO entry_contents (entry_id, title, description, authors, categories, enclosures, body)
                VALUES (1, 'Old', 'About', '[]', '[]', '[]', '<p>Old</p>'),
                    (2, 'New', 'About', '[]', '[]', '[]', '<p>New</p>');
                """)
        let store = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try store.entryIDsWithContent() == [2])
        let entries = try await store.entries(feedID: 1)
        #expect(entries.map(\.entry.key) == ["new", "old"])
        #expect(entries.map(\.entry.body) == ["<p>New</p>", ""])
    }

    @Test("a version 5 database: entries retired before keep no mark of a file")
    func aVersion5DatabaseHasNoRetiredFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SQLiteFeedStore.makeDatabase(
            path: directory.databasePath, migratedUpTo: "v5 retired entries without content",
            then: oneFeedSQL + """
                INSERT INTO entries (id, feed_id, key, content_hash, published_hash, path, retired, entry_date,
                    first_seen, last_changed)
                VALUES (1, 1, 'old', 'h1', 'h1', 'old.md', TRUE, 1000, 900, 900),
                    (2, 1, 'new', 'h2', 'h2', 'new.md', FALSE, 2000, 1900, 1900);
                """)
        let store = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try await store.retiredFiles().isEmpty)
        #expect(try await store.pendingPublications(feedID: nil).isEmpty)
    }

    @Test("retired while its file was written: reported when the file is recorded, listed until forgotten")
    func retiredWhileWritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        _ = try await store.upsert(
            entries: [makeEntry("a"), makeEntry("b"), makeEntry("c")], feedID: feed, at: day(1),
            proposedPaths: ["a": "a.md", "b": "b.md"])
        let byKey = Dictionary(uniqueKeysWithValues: try await store.entries(feedID: feed).map { ($0.entry.key, $0) })
        let (a, b, c) = (try #require(byKey["a"]), try #require(byKey["b"]), try #require(byKey["c"]))
        #expect(try await store.reservePath("c.md", entryID: c.id))

        // Another worker retires b (unwritten, unconfirmed) and c (never published).
        #expect(try await store.retirePending(entryIDs: [b.id, c.id, 9_999]) == [b.id, c.id])
        #expect(try await store.retiredFiles().isEmpty)
        // This one wrote all three files meanwhile: b as stored, c as a new version.
        let found = try await store.markPublished(
            [(entryID: c.id, contentHash: c.entry.contentHash)], confirming: [(feedID: feed, through: b.id)],
            written: [a.id, b.id])
        let expected = [
            RetiredFile(entryID: b.id, feedID: feed, path: "b.md"),
            RetiredFile(entryID: c.id, feedID: feed, path: "c.md"),
        ]
        #expect(found.sorted { $0.entryID < $1.entryID } == expected)
        #expect(try await store.retiredFiles() == expected)
        #expect(try await store.entries(feedID: feed).filter { !$0.retired }.map(\.entry.key) == ["a"])
        #expect(try await store.pendingPublications(feedID: feed).isEmpty)
        try await store.forgetRetiredFiles(entryIDs: [b.id])
        #expect(try await store.retiredFiles() == [expected[1]])
        try await store.forgetRetiredFiles(entryIDs: [c.id, a.id])
        #expect(try await store.retiredFiles().isEmpty)

        // Retired before removing a's file: listed until the removal is recorded.
        try await store.retireBeforeRemoving(entryIDs: [a.id])
        #expect(try await store.retiredFiles() == [RetiredFile(entryID: a.id, feedID: feed, path: "a.md")])
        #expect(try store.entryIDsWithContent().isEmpty)
        try await store.forgetRetiredFiles(entryIDs: [a.id])
        #expect(try await store.retiredFiles().isEmpty)
    }

    @Test("the pending entries beyond retention: unconfirmed, never published or changed, ranked with the rest")
    func pendingBeyondRetention() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let entries = ["a", "b", "c", "d"].enumerated().map { makeEntry($1, published: day($0 + 1)) }
        _ = try await store.upsert(
            entries: entries, feedID: feed, at: day(5), proposedPaths: ["a": "a.md", "b": "b.md", "c": "c.md"])
        // Stored published but unconfirmed (a, b, c) or with no path (d): all pending.
        func beyond(maxAge: TimeInterval? = nil, maxItems: Int?) async throws -> [String] {
            try await store.pendingBeyondRetention(feedID: feed, maxAge: maxAge, maxItems: maxItems, now: day(5))
                .map(\.key)
        }
        #expect(try await beyond(maxItems: 1) == ["a", "b", "c"])
        #expect(try await beyond(maxAge: 2.5 * 86_400, maxItems: nil) == ["a", "b"])
        #expect(try await beyond(maxAge: 1.5 * 86_400, maxItems: 3) == ["a", "b", "c"])
        #expect(try await beyond(maxItems: nil) == [])

        // Confirmed: nothing is pending. A changed entry is pending again.
        let stored = try await store.entries(feedID: feed)
        let byKey = Dictionary(uniqueKeysWithValues: stored.map { ($0.entry.key, $0) })
        let last = try #require(byKey["c"]).id
        try await store.markPublished(
            [(entryID: try #require(byKey["d"]).id, contentHash: "hash-d")], confirming: [(feedID: feed, through: last)]
        )
        #expect(try await beyond(maxItems: 1) == [])
        _ = try await store.upsert(
            entries: [makeEntry("b", hash: "changed", published: day(2))], feedID: feed, at: day(6))
        #expect(try await beyond(maxItems: 1) == ["b"])
        #expect(try await beyond(maxItems: 3) == [])

        // Retired in one go (an unknown id is left out): neither ranked nor listed again.
        _ = try await store.retirePending(entryIDs: [try #require(byKey["b"]).id, 9_999])
        #expect(try await beyond(maxItems: 1) == [])
        #expect(try await store.entries(feedID: feed).filter(\.retired).map(\.entry.key) == ["b"])
        #expect(try store.entryIDsWithContent().count == 3)
    }

    @Test func aRetiredEntryIsNeverPendingAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        _ = try await store.upsert(entries: [makeEntry("a"), makeEntry("b")], feedID: feed, at: day(1))
        let a = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "a" })
        try await store.retire(entryID: a.id)
        #expect(try await store.pendingPublications(feedID: feed).map(\.entry.key) == ["b"])

        let result = try await store.upsert(
            entries: [makeEntry("a", hash: "changed"), makeEntry("b")], feedID: feed, at: day(2))
        #expect(result == UpsertResult(changed: 1, unchanged: 1))
        let stored = try #require(try await store.entries(feedID: feed).first { $0.entry.key == "a" })
        #expect(stored.retired)
        #expect(stored.entry.contentHash == "changed")
        #expect(try await store.pendingPublications(feedID: feed).map(\.entry.key) == ["b"])
        await #expect(throws: StorageError.self) { try await store.retire(entryID: 9_999) }
        await #expect(throws: StorageError.self) { try await store.markPublished(entryID: 9_999, contentHash: "x") }
    }

    @Test func everyEntryFieldRoundTripsUnicodeAndQuotes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let tricky = "L'été \"chaud\" — 東京 🌶️ <b>&amp;</b> \\n '; DROP TABLE entries; --"
        let entry = ProcessedEntry(
            key: "urn:guid:\(tricky)",
            title: tricky,
            link: "https://ü.example/a?b='c'&d=\"e\"",
            canonicalLink: "https://ü.example/a?b='c'",
            published: Date(timeIntervalSince1970: 1_700_000_000.5),
            updated: Date(timeIntervalSince1970: 1_700_000_123.25),
            description: tricky,
            image: "https://ü.example/🖼.jpg",
            body: "<p>\(tricky)</p>\n<pre>a&#10;b</pre>",
            authors: [Author(name: tricky, email: "o'neil@example.com", uri: "https://x.example/\"q\""), Author()],
            categories: [tricky, "", "niño"],
            enclosures: [Enclosure(url: "https://ü.example/ep 1.mp3", type: "audio/mpeg", length: 12_345_678_901)],
            contentHash: "sha256:\(tricky)"
        )
        _ = try await store.upsert(entries: [entry], feedID: feeds[0].id, at: day(1))
        let reopened = try SQLiteFeedStore(path: directory.databasePath)
        let stored = try #require(try await reopened.entries(feedID: feeds[0].id).first)
        #expect(stored.entry == entry)
        #expect(stored.feedID == feeds[0].id)
        #expect(stored.date == entry.published)
        #expect(try await reopened.reservePath("posts/\(tricky).md", entryID: stored.id))
        #expect(try await reopened.entries(feedID: feeds[0].id).first?.path == "posts/\(tricky).md")
    }

    @Test func aNULInTextNeitherTruncatesNorMergesKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let batch = [makeEntry("a\u{0}1", title: "x\u{0}y"), makeEntry("a\u{0}2"), makeEntry("a")]
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(1)) == UpsertResult(inserted: 3))
        #expect(try await store.upsert(entries: batch, feedID: feed, at: day(2)) == UpsertResult(unchanged: 3))
        let stored = try await store.entries(feedID: feed)
        #expect(Set(stored.map(\.entry.key)) == ["a\u{FFFD}1", "a\u{FFFD}2", "a"])
        #expect(stored.contains { $0.entry.title == "x\u{FFFD}y" })
    }
}
