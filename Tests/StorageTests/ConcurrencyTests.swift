import Foundation
import Testing
import TidingsModel

@testable import Storage

@Suite("SQLiteFeedStore: concurrent use")
struct ConcurrencyTests {
    @Test func concurrentUpsertsFromManyTasksAllLand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let urls = (0..<20).map { "https://feed\($0).example/rss" }
        let (store, feeds) = try await makeStore(directory, feeds: urls)
        let results = try await withThrowingTaskGroup(of: UpsertResult.self) { group in
            for feed in feeds {
                group.addTask {
                    let entries = (0..<50).map {
                        makeEntry("\(feed.id)-\($0)", canonical: "https://feed\(feed.id).example/\($0)")
                    }
                    return try await store.upsert(entries: entries, feedID: feed.id, at: day(1))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 20)
        #expect(results.allSatisfy { $0 == UpsertResult(inserted: 50) })
        for feed in feeds {
            #expect(try await store.entries(feedID: feed.id).count == 50)
        }
        #expect(try await store.pendingPublications(feedID: nil).count == 1_000)
    }

    @Test func twoStoresOnOneFileSeeEachOthersWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteFeedStore(path: directory.databasePath)
        let second = try SQLiteFeedStore(path: directory.databasePath)
        let feeds = try await first.synchronize(subscriptions: [
            subscription("https://a.example/feed"), subscription("https://b.example/feed"),
        ])
        #expect(try await second.feeds().map(\.id) == feeds.map(\.id))

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (store, feed) in [(first, feeds[0]), (second, feeds[1])] {
                group.addTask {
                    for round in 0..<20 {
                        _ = try await store.upsert(
                            entries: [makeEntry("\(feed.id)-\(round)")], feedID: feed.id, at: day(round))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.entries(feedID: feeds[1].id).count == 20)
        #expect(try await second.entries(feedID: feeds[0].id).count == 20)
        let entry = try #require(try await first.entries(feedID: feeds[0].id).first)
        #expect(try await first.reservePath("shared.md", entryID: entry.id))
        let other = try #require(try await second.entries(feedID: feeds[1].id).first)
        #expect(try await second.reservePath("shared.md", entryID: other.id) == false)
    }

    @Test func storesOpenedAtOnceOnANewFileMigrateOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let stores = try await withThrowingTaskGroup(of: SQLiteFeedStore.self) { group in
            for _ in 0..<4 {
                group.addTask { try SQLiteFeedStore(path: path) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores {
            #expect(try store.appliedMigrations() == SQLiteFeedStore.migrationNames)
        }
        _ = try await stores[0].synchronize(subscriptions: [subscription("https://a.example/feed")])
        #expect(try await stores[3].feeds().count == 1)
    }
}
