import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("Background checkpoints")
struct BackgroundCheckpointerTests {
    func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test("Past the threshold, the log is copied into the database beside the writer; below it, nothing is")
    func checkpointsPastTheThreshold() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("store.sqlite").path
        let checkpointer = BackgroundCheckpointer(path: path, threshold: 64)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            if !db.configuration.readonly { checkpointer.install(on: db.sqliteConnection) }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (body TEXT NOT NULL)") }
        checkpointer.waitUntilIdle()
        let before = size(path)
        let body = String(repeating: "x", count: 3000)
        // Under 64 pages: no checkpoint, the rows stay in the log.
        try pool.write { db in
            for _ in 0..<20 { try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: [body]) }
        }
        checkpointer.waitUntilIdle()
        #expect(size(path) == before)
        // Past it: the next commit starts a checkpoint, and the rows reach the database file.
        for _ in 0..<10 {
            try pool.write { db in
                for _ in 0..<20 { try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: [body]) }
            }
        }
        checkpointer.waitUntilIdle()
        #expect(size(path) > before + 32 * 4096)
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 220)
    }

    @Test("Closing copies the log into the database file and empties it")
    func closeEmptiesTheLog() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, _) = try await makeStore(directory)
        #expect(size(directory.databasePath + "-wal") > 0)
        try await store.close()
        #expect(size(directory.databasePath + "-wal") == 0)
        // The file alone, copied, holds the feed.
        let copy = directory.url.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: directory.databasePath, toPath: copy)
        let reopened = try SQLiteFeedStore(path: copy)
        #expect(try await reopened.feeds().map(\.subscription.url) == ["https://a.example/feed"])
        try await reopened.close()
    }

    @Test("Closing while another process reads leaves the log for later, and is no error")
    func closeBesideAReader() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, _) = try await makeStore(directory)
        // Another connection holds a read transaction on the log's last frames (as a
        // server answering a request would): the log cannot be emptied past it.
        let other = try DatabaseQueue(path: directory.databasePath)
        let (started, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let reader = Thread {
            try? other.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM feeds")
                started.signal()
                release.wait()
            }
        }
        reader.start()
        started.wait()
        try await store.close()
        release.signal()
        try other.close()
        let reopened = try SQLiteFeedStore(path: directory.databasePath)
        #expect(try await reopened.feeds().map(\.subscription.url) == ["https://a.example/feed"])
        try await reopened.close()
    }
}
