import Foundation
import TestSupport
import Testing
import TidingsModel

@testable import Storage

/// New entries stored holding their path are recorded as published at once and stay
/// pending until their feed's publications are confirmed (see `FeedStore`).
@Suite("SQLiteFeedStore: publications recorded before their files")
struct UnconfirmedPublicationTests {
    /// The feed's `unconfirmed_from`, read directly.
    static func mark(_ store: SQLiteFeedStore, feedID: Int64) throws -> Int64? {
        try store.unconfirmedRange(feedID: feedID)?.lowerBound
    }

    static func byKey(_ store: SQLiteFeedStore, feedID: Int64) async throws -> [String: StoredEntry] {
        Dictionary(uniqueKeysWithValues: try await store.entries(feedID: feedID).map { ($0.entry.key, $0) })
    }

    @Test("a confirmation that leaves only retired entries under the mark drops it; one that leaves others keeps it")
    func confirmationPastRetiredEntries() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let keys = ["a", "b", "c", "d"]
        _ = try await store.upsert(
            entries: keys.map { makeEntry($0) }, feedID: feed, at: day(4),
            proposedPaths: Dictionary(uniqueKeysWithValues: keys.map { ($0, "posts/\($0).md") }))
        let stored = try await Self.byKey(store, feedID: feed)
        let ids = try keys.map { try #require(stored[$0]).id }
        // d is retired unwritten; the publisher listed a and b only (c is another worker's).
        _ = try await store.retirePending(entryIDs: [ids[3]])
        try await store.markPublished([], confirming: [(feedID: feed, through: ids[1])])
        #expect(try Self.mark(store, feedID: feed) == ids[2])
        _ = try await store.retirePending(entryIDs: [ids[2]])
        try await store.markPublished([], confirming: [(feedID: feed, through: ids[1])])
        #expect(try Self.mark(store, feedID: feed) == nil)
    }

    @Test("entries stored holding their path count as pending until their feed is confirmed")
    func pendingUntilConfirmed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(
            directory, feeds: ["https://a.example/feed", "https://b.example/feed"])
        let feed = feeds[0].id
        let result = try await store.upsert(
            entries: [
                makeEntry("a", published: day(2)), makeEntry("b", published: day(1)), makeEntry("c", published: day(3)),
            ],
            feedID: feed, at: day(4), proposedPaths: ["a": "posts/a.md", "b": "posts/b.md"], state: nil,
            listingPending: true)
        let stored = try await Self.byKey(store, feedID: feed)
        let a = try #require(stored["a"])
        let b = try #require(stored["b"])
        let c = try #require(stored["c"])
        #expect(result.reserved == [a.id, b.id])
        #expect(a.publishedHash == a.entry.contentHash && a.path == "posts/a.md")
        #expect(b.publishedHash == b.entry.contentHash && b.path == "posts/b.md")
        #expect(c.publishedHash == nil && c.path == nil)
        #expect(try Self.mark(store, feedID: feed) == min(a.id, b.id))

        // Oldest first, the unconfirmed and the unpublished together, as every listing gives them.
        #expect(result.pending?.map(\.key) == ["b", "a", "c"])
        #expect(result.pending == (try await store.pendingPublicationStubs(feedID: feed)))
        #expect(try await store.pendingPublicationStubs(feedID: nil) == result.pending)
        #expect(try await store.pendingPublications(feedID: feed).map(\.entry.key) == ["b", "a", "c"])
        #expect(try await store.pendingPublications(feedID: nil).map(\.entry.key) == ["b", "a", "c"])

        // Another feed's confirmation confirms nothing here.
        try await store.markPublished([], confirming: [(feedID: feeds[1].id, through: c.id)])
        #expect(try await store.pendingPublicationStubs(feedID: feed).count == 3)

        #expect(try await store.reservePath("posts/c.md", entryID: c.id))
        try await store.markPublished(
            [(entryID: c.id, contentHash: c.entry.contentHash)], confirming: [(feedID: feed, through: c.id)])
        #expect(try await store.pendingPublicationStubs(feedID: nil).isEmpty)
        #expect(try await store.pendingPublications(feedID: nil).isEmpty)
        #expect(try Self.mark(store, feedID: feed) == nil)
        let after = try await Self.byKey(store, feedID: feed)
        #expect(after.mapValues(\.publishedHash) == after.mapValues(\.entry.contentHash))
    }

    @Test("a run that dies before confirming leaves its entries pending for the next one, old and new together")
    func deadRunLeavesEntriesPending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let (store, feeds) = try await makeStore(directory)
            _ = try await store.upsert(
                entries: [makeEntry("a", published: day(1)), makeEntry("b", published: day(2))], feedID: feeds[0].id,
                at: day(3), proposedPaths: ["a": "posts/a.md", "b": "posts/b.md"])
        }
        // The next run opens the file again.
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let feed = try #require(try await store.feeds().first).id
        #expect(try await store.pendingPublications(feedID: nil).map(\.path) == ["posts/a.md", "posts/b.md"])
        // A 304: the dead run's entries are listed with the state.
        let notModified = try await store.upsert(
            entries: [], feedID: feed, at: day(4), proposedPaths: [:], state: nil, listingPending: true)
        #expect(notModified.pending?.map(\.key) == ["a", "b"])
        let mark = try Self.mark(store, feedID: feed)
        #expect(mark != nil)

        // A new document: its new entry joins them; the older mark stays.
        let next = try await store.upsert(
            entries: [
                makeEntry("a", published: day(1)), makeEntry("b", published: day(2)), makeEntry("n", published: day(5)),
            ],
            feedID: feed, at: day(6), proposedPaths: ["n": "posts/n.md"], state: nil, listingPending: true)
        #expect(next.inserted == 1 && next.unchanged == 2)
        #expect(next.pending?.map(\.key) == ["a", "b", "n"])
        #expect(next.pending == (try await store.pendingPublicationStubs(feedID: feed)))
        #expect(try Self.mark(store, feedID: feed) == mark)

        let last = try #require(next.pending?.map(\.id).max())
        try await store.markPublished([], confirming: [(feedID: feed, through: last)])
        #expect(try await store.pendingPublicationStubs(feedID: nil).isEmpty)
    }

    @Test("two workers on one feed: the first one's confirmation leaves the second one's new entries pending")
    func overlappingWorkers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        // Worker A stores and lists a and b; worker B then stores c, before A confirms.
        let first = try await store.upsert(
            entries: [makeEntry("a"), makeEntry("b")], feedID: feed, at: day(1),
            proposedPaths: ["a": "posts/a.md", "b": "posts/b.md"], state: nil, listingPending: true)
        let listedByA = try #require(first.pending)
        let second = try await store.upsert(
            entries: [makeEntry("a"), makeEntry("b"), makeEntry("c")], feedID: feed, at: day(2),
            proposedPaths: ["c": "posts/c.md"], state: nil, listingPending: true)
        #expect(second.pending?.map(\.key) == ["a", "b", "c"])
        let c = try #require(second.pending?.first { $0.key == "c" })

        // A wrote a and b and confirms what it listed: c is B's, still unwritten.
        try await store.markPublished(
            [], confirming: [(feedID: feed, through: try #require(listedByA.map(\.id).max()))])
        #expect(try await store.pendingPublicationStubs(feedID: feed).map(\.key) == ["c"])
        #expect(try Self.mark(store, feedID: feed) == c.id)
        // B dies here; the next run lists c again, and confirms it once written.
        let next = try await store.upsert(
            entries: [], feedID: feed, at: day(3), proposedPaths: [:], state: nil, listingPending: true)
        #expect(next.pending?.map(\.key) == ["c"])
        try await store.markPublished([], confirming: [(feedID: feed, through: c.id)])
        #expect(try await store.pendingPublicationStubs(feedID: nil).isEmpty)
        #expect(try Self.mark(store, feedID: feed) == nil)
    }

    @Test("a mark that covers no entry any more is dropped by the next upsert")
    func markCoveringNothingIsDropped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(directory)
        let feed = feeds[0].id
        let result = try await store.upsert(
            entries: [makeEntry("a")], feedID: feed, at: day(1), proposedPaths: ["a": "posts/a.md"])
        let id = try #require(result.reserved.first)
        try await store.retire(entryID: id)
        #expect(try Self.mark(store, feedID: feed) == id)
        let listed = try await store.upsert(
            entries: [], feedID: feed, at: day(2), proposedPaths: [:], state: nil, listingPending: true)
        #expect(listed.pending == [])
        #expect(try Self.mark(store, feedID: feed) == nil)
    }

    @Test("releasing an unconfirmed entry's path makes it unpublished; a confirmed entry keeps its path")
    func releaseUnconfirmed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, feeds) = try await makeStore(
            directory, feeds: ["https://a.example/feed", "https://b.example/feed"])
        _ = try await store.upsert(
            entries: [makeEntry("a")], feedID: feeds[0].id, at: day(1), proposedPaths: ["a": "posts/a.md"])
        _ = try await store.upsert(
            entries: [makeEntry("b")], feedID: feeds[1].id, at: day(1), proposedPaths: ["b": "posts/b.md"])
        let a = try #require(try await Self.byKey(store, feedID: feeds[0].id)["a"])
        let b = try #require(try await Self.byKey(store, feedID: feeds[1].id)["b"])
        try await store.markPublished([], confirming: [(feedID: feeds[1].id, through: b.id)])

        try await store.releasePaths(entryIDs: [a.id, b.id])
        let releasedA = try #require(try await Self.byKey(store, feedID: feeds[0].id)["a"])
        #expect(releasedA.path == nil && releasedA.publishedHash == nil)
        let keptB = try #require(try await Self.byKey(store, feedID: feeds[1].id)["b"])
        #expect(keptB.path == "posts/b.md" && keptB.publishedHash == b.entry.contentHash)
        #expect(try await store.pendingPublicationStubs(feedID: nil).map(\.id) == [a.id])
        // The path is free again.
        #expect(try await store.reservePath("posts/a.md", entryID: a.id))
    }

    @Test(
        "random upserts, publications, deaths, releases and retirements: every listing equals the written-files model",
        arguments: Array(UInt64(1)...6))
    func listingsMatchAModel(seed: UInt64) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let urls = ["https://a.example/feed", "https://b.example/feed", "https://c.example/feed"]
        let (store, feeds) = try await makeStore(directory, feeds: urls)
        var random = SplitMix(seed: seed)
        // The model: the content hash whose file was written (and confirmed) per entry id.
        var written: [Int64: String] = [:]
        var nextPath = 0

        func modelPending(_ feedID: Int64?) async throws -> Set<Int64> {
            var pending: Set<Int64> = []
            for feed in feeds where feedID == nil || feed.id == feedID {
                for stored in try await store.entries(feedID: feed.id)
                where !stored.retired && stored.duplicateOf == nil && written[stored.id] != stored.entry.contentHash {
                    pending.insert(stored.id)
                }
            }
            return pending
        }

        // What the store and the model say of entries they disagree on.
        func describe(_ ids: Set<Int64>) async throws -> String {
            var lines: [String] = []
            for stored in try await store.entries(ids: Array(ids)) {
                lines.append(
                    "\(stored.id): hash \(stored.entry.contentHash), published \(stored.publishedHash ?? "-"), "
                        + "path \(stored.path ?? "-"), retired \(stored.retired), written \(written[stored.id] ?? "-"), "
                        + "mark \(try Self.mark(store, feedID: stored.feedID).map(String.init) ?? "-")")
            }
            return lines.joined(separator: "; ")
        }

        for step in 0..<120 {
            let feed = feeds[random.below(feeds.count)].id
            switch random.below(6) {
            case 0, 1, 2:
                // A fetch: keys from a small pool, two versions each, links shared across feeds.
                var entries: [ProcessedEntry] = []
                var proposals: [String: String] = [:]
                for _ in 0..<(1 + random.below(5)) {
                    let key = "k\(random.below(8))"
                    entries.append(
                        makeEntry(
                            key, hash: "\(key)-v\(random.below(2))",
                            canonical: random.below(3) == 0 ? "https://x.example/\(random.below(4))" : nil,
                            published: day(random.below(5))))
                    if random.below(3) > 0 {
                        // Sometimes a path already held: the entry is then stored without one.
                        proposals[key] = "p/\(random.below(4) == 0 ? 0 : nextPath).md"
                        nextPath += 1
                    }
                }
                let result = try await store.upsert(
                    entries: entries, feedID: feed, at: day(6 + step), proposedPaths: proposals, state: nil,
                    listingPending: true)
                let listed = try #require(result.pending)
                let expected = try await modelPending(feed)
                let listedIDs = Set(listed.map(\.id))
                let detail = listedIDs == expected ? "" : try await describe(listedIDs.symmetricDifference(expected))
                #expect(listedIDs == expected, "step \(step): \(detail)")
                #expect(listed == (try await store.pendingPublicationStubs(feedID: feed)), "step \(step)")
                for id in result.reserved {
                    let stored = try #require(try await store.entries(ids: [id]).first)
                    #expect(stored.publishedHash == stored.entry.contentHash, "step \(step)")
                }
            case 3:
                // The publisher's pass: paths for those with none, records for those not
                // recorded yet, then the feed confirmed up to the last entry it listed.
                // Sometimes another worker stores a fetch of the same feed meanwhile.
                let pending = try await store.pendingPublications(feedID: feed)
                if random.below(2) == 0 {
                    let key = "k\(random.below(10))"
                    _ = try await store.upsert(
                        entries: [makeEntry(key, hash: "\(key)-v\(random.below(2))", published: day(random.below(5)))],
                        feedID: feed, at: day(6 + step), proposedPaths: [key: "w/\(nextPath).md"], state: nil,
                        listingPending: true)
                    nextPath += 1
                }
                var versions: [(entryID: Int64, contentHash: String)] = []
                for stored in pending {
                    if stored.path == nil {
                        #expect(try await store.reservePath("q/\(nextPath).md", entryID: stored.id), "step \(step)")
                        nextPath += 1
                    }
                    if stored.publishedHash != stored.entry.contentHash || random.below(2) == 0 {
                        versions.append((entryID: stored.id, contentHash: stored.entry.contentHash))
                    }
                    written[stored.id] = stored.entry.contentHash
                }
                let through = pending.map(\.id).max().map { [(feedID: feed, through: $0)] } ?? []
                try await store.markPublished(versions, confirming: through)
            case 4:
                // A found file at an entry's new path: released, so pending as never published.
                let unconfirmed = try await store.pendingPublications(feedID: feed).filter {
                    $0.path != nil && $0.publishedHash == $0.entry.contentHash
                }
                if let stored = unconfirmed.first {
                    try await store.releasePaths(entryIDs: [stored.id])
                    let released = try #require(try await store.entries(ids: [stored.id]).first)
                    #expect(released.path == nil && released.publishedHash == nil, "step \(step)")
                }
            default:
                // Retention removes a file.
                let held = try await store.entries(feedID: feed).filter { $0.path != nil && !$0.retired }
                if !held.isEmpty { try await store.retire(entryID: held[random.below(held.count)].id) }
            }
            // A run that dies here leaves the same listing for the next one.
            let all = try await store.pendingPublicationStubs(feedID: nil)
            let expected = try await modelPending(nil)
            let allIDs = Set(all.map(\.id))
            let detail = allIDs == expected ? "" : try await describe(allIDs.symmetricDifference(expected))
            #expect(allIDs == expected, "step \(step): \(detail)")
            #expect(all.map(\.id) == (try await store.pendingPublications(feedID: nil)).map(\.id), "step \(step)")
            #expect(all == all.sorted(by: SQLiteFeedStore.inPendingOrder), "step \(step)")
        }
    }
}
