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
}
