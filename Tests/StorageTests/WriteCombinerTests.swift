import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("WriteCombiner: shared transactions, failures rolled back alone")
struct WriteCombinerTests {
    struct Refused: Error {}

    func makePool(_ directory: TemporaryDirectory) throws -> DatabasePool {
        let pool = try DatabasePool(path: directory.databasePath)
        try pool.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        return pool
    }

    @Test func aFailingOperationIsRolledBackAloneAndTheOthersCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try makePool(directory)
        let combiner = WriteCombiner(pool: pool)
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    do {
                        try await combiner.write { db in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                            // Every seventh operation fails after its insert.
                            if n % 7 == 0 { throw Refused() }
                        }
                        return (n, true)
                    } catch {
                        #expect(error is Refused)
                        return (n, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (n, ok) in group { outcomes[n] = ok }
            return outcomes
        }
        let stored = try await pool.read { try Int.fetchSet($0, sql: "SELECT n FROM t") }
        #expect(stored == Set((0..<200).filter { $0 % 7 != 0 }))
        #expect(outcomes.filter(\.value).count == stored.count)
    }

    @Test func anOperationThatEndsTheTransactionTakesNoOtherOperationsSuccessWithIt() async throws {
        // One operation rolls back the whole transaction, as SQLite does itself on a
        // full disk. Whatever shared that transaction must not be reported stored.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try makePool(directory)
        let combiner = WriteCombiner(pool: pool)
        for round in 0..<20 {
            let reported = await withTaskGroup(of: Int?.self) { group in
                for n in 0..<16 {
                    group.addTask {
                        let value = round * 100 + n
                        do {
                            try await combiner.write { db in
                                try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [value])
                                if n == 5 { try db.execute(sql: "ROLLBACK") }
                            }
                            return value
                        } catch {
                            return nil
                        }
                    }
                }
                var stored: Set<Int> = []
                for await value in group { if let value { stored.insert(value) } }
                return stored
            }
            let stored = try await pool.read {
                try Int.fetchSet($0, sql: "SELECT n FROM t WHERE n / 100 = ?", arguments: [round])
            }
            #expect(!reported.contains(round * 100 + 5))
            #expect(reported.isSubset(of: stored), "reported stored but missing: \(reported.subtracting(stored))")
        }
        // The combiner still works afterwards.
        try await combiner.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (99999)") }
        #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT n FROM t WHERE n = 99999") } == 99999)
    }

    @Test func aLoneOperationThatEndsTheTransactionFailsAndStoresNothing() async throws {
        // One operation at a time: each batch holds one, which runs without a savepoint.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try makePool(directory)
        let combiner = WriteCombiner(pool: pool)
        try await combiner.write { try $0.execute(sql: "INSERT INTO t (n) VALUES (1)") }
        await #expect(throws: DatabaseError.self) {
            try await combiner.write { db in
                try db.execute(sql: "INSERT INTO t (n) VALUES (2)")
                try db.execute(sql: "ROLLBACK")
            }
        }
        await #expect(throws: Refused.self) {
            try await combiner.write { db in
                try db.execute(sql: "INSERT INTO t (n) VALUES (4)")
                throw Refused()
            }
        }
        try await combiner.write { try $0.execute(sql: "INSERT INTO t (n) VALUES (5)") }
        let stored = try await pool.read { try Int.fetchSet($0, sql: "SELECT n FROM t") }
        #expect(stored == [1, 5])
    }

    @Test func resultsReachTheirOwnCallers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let combiner = WriteCombiner(pool: try makePool(directory))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<100 {
                group.addTask {
                    let id = try await combiner.write { db -> Int64 in
                        try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n * 10])
                        return db.lastInsertedRowID
                    }
                    #expect(id == Int64(n * 10))
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func aCallerResumesOnlyAfterItsWriteIsVisibleToReaders() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try makePool(directory)
        let combiner = WriteCombiner(pool: pool)
        for n in 0..<20 {
            try await combiner.write { try $0.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n]) }
            // Committed: a reader on another connection sees it at once.
            #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == n + 1)
        }
    }
}
