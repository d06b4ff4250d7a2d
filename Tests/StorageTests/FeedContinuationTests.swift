import Foundation
import Testing
import TidingsModel

@testable import Storage

/// A feed whose URL the user edits in the configuration keeps its history.
@Suite("Feeds continued under a new URL")
struct FeedContinuationTests {
    /// A store with one feed at `url` that was fetched: two entries, validators, a
    /// schedule, a failure and a confirmed redirect candidate on record.
    func storedFeed(_ directory: TemporaryDirectory, url: String, name: String? = nil) async throws -> (
        SQLiteFeedStore, FeedRecord
    ) {
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let record = try await store.synchronize(subscriptions: [FeedSubscription(url: url, name: name)])[0]
        _ = try await store.upsert(entries: [makeEntry("a"), makeEntry("b")], feedID: record.id, at: day(1))
        var state = record.state
        state.etag = "\"v1\""
        state.lastModified = "Sun, 18 Oct 2026 09:00:00 GMT"
        state.documentDigest = "0123456789abcdef"
        state.nextCheck = day(2)
        state.consecutiveFailures = 1
        state.lastError = "timed out"
        state.redirectCandidate = "https://elsewhere.example/feed"
        state.redirectConfirmations = 2
        state.title = "Stored title"
        try await store.updateState(feedID: record.id, state)
        return (store, try await store.feeds(ids: [record.id])[0])
    }

    @Test("another spelling of the same URL takes over the feed, its entries and its fetch state")
    func sameRequest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, stored) = try await storedFeed(directory, url: "https://a.example/feed")
        let respelled = "HTTPS://A.example:443/feed#latest"
        let result = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: respelled, category: "world")
        ])
        #expect(result.ids == [stored.id])
        #expect(
            result.continued == [
                FeedContinuation(
                    feedID: stored.id, previousURL: "https://a.example/feed", url: respelled, reason: .sameRequest)
            ])
        let feeds = try await store.feeds()
        #expect(feeds.count == 1)
        #expect(feeds[0].subscription == FeedSubscription(url: respelled, category: "world"))
        var expected = stored.state
        expected.fetchURL = respelled
        #expect(feeds[0].state == expected, "the request is the same: what was learned about it still holds")
        #expect(try await store.entries(feedID: stored.id).map(\.entry.key).sorted() == ["a", "b"])

        // The next synchronization finds the feed by its new URL: nothing to continue.
        let again = try await store.synchronizeReturningIDs(subscriptions: [FeedSubscription(url: respelled)])
        #expect(again == FeedSynchronization(ids: [stored.id]))
    }

    @Test("a confirmed redirect target is kept when the feed is respelled")
    func sameRequestKeepsARedirectedFetchURL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, stored) = try await storedFeed(directory, url: "https://a.example/feed")
        var state = stored.state
        state.fetchURL = "https://new.example/feed"
        try await store.updateState(feedID: stored.id, state)
        _ = try await store.synchronizeReturningIDs(subscriptions: [FeedSubscription(url: "https://A.EXAMPLE/feed")])
        #expect(try await store.feeds()[0].state.fetchURL == "https://new.example/feed")
    }

    @Test("the same address over https continues the feed, starting its fetch state afresh")
    func otherScheme() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, stored) = try await storedFeed(directory, url: "http://b.example:80/feed")
        var state = stored.state
        state.retired = true
        try await store.updateState(feedID: stored.id, state)
        let result = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://b.example/feed")
        ])
        #expect(result.ids == [stored.id])
        #expect(result.continued.map(\.reason) == [.otherScheme])
        let feed = try await store.feeds()[0]
        var expected = FetchState(fetchURL: "https://b.example/feed")
        // What happened, and the title the feed gave itself, stay on record.
        expected.lastAttempt = stored.state.lastAttempt
        expected.lastSuccess = stored.state.lastSuccess
        expected.title = "Stored title"
        #expect(feed.state == expected)
        #expect(try await store.entries(feedID: stored.id).count == 2)
    }

    @Test("a named feed continues under a new URL; a name used again long after its feed was dropped does not")
    func sameName() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, stored) = try await storedFeed(directory, url: "https://old.example/rss", name: "desk")
        let moved = FeedSubscription(url: "https://new.example/atom.xml", name: "desk")
        let result = try await store.synchronizeReturningIDs(subscriptions: [moved])
        #expect(
            result.continued == [
                FeedContinuation(
                    feedID: stored.id, previousURL: "https://old.example/rss", url: moved.url, reason: .sameName)
            ])
        #expect(try await store.feeds().map(\.subscription) == [moved])
        #expect(try await store.feeds()[0].state.etag == nil)

        // Dropped from the configuration, then the name comes back on another feed.
        let other = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://c.example/feed")
        ])
        #expect(other.continued.isEmpty)
        let reused = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://d.example/feed", name: "desk")
        ])
        #expect(reused.continued.isEmpty)
        #expect(!reused.ids.contains(stored.id))
        #expect(try await store.feeds().count == 3)
    }

    @Test("a feed still configured is never taken, and each stored feed is continued once")
    func onlyUnconfiguredFeedsOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, stored) = try await storedFeed(directory, url: "https://a.example/feed")
        let both = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://a.example/feed"), FeedSubscription(url: "https://A.example/feed"),
        ])
        #expect(both.continued.isEmpty)
        #expect(both.ids.count == 2 && both.ids[0] == stored.id)

        let other = try TemporaryDirectory()
        defer { other.remove() }
        let (second, _) = try await storedFeed(other, url: "http://b.example/feed")
        let two = try await second.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://b.example/feed"), FeedSubscription(url: "http://B.example/feed"),
        ])
        // The surer reason wins the stored feed, whatever the order.
        #expect(two.continued.map(\.url) == ["http://B.example/feed"])
        #expect(two.continued.map(\.reason) == [.sameRequest])
        #expect(try await second.feeds().count == 2)
    }

    @Test("a new URL prefers the stored feed it is surest to continue")
    func surestReasonFirst() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteFeedStore(path: directory.databasePath)
        let stored = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://named.example/feed", name: "desk"),
            FeedSubscription(url: "http://c.example/feed"),
        ])
        let result = try await store.synchronizeReturningIDs(subscriptions: [
            FeedSubscription(url: "https://c.example/feed", name: "desk")
        ])
        #expect(result.ids == [stored.ids[1]])
        #expect(result.continued.map(\.reason) == [.otherScheme])
        let feeds = try await store.feeds()
        #expect(feeds.map(\.subscription.enabled) == [false, true])
    }
}
