import Dispatch
import GRDB
import Synchronization

/// Runs the store's write operations in shared transactions (group commit).
///
/// During a sync many feeds write at once and the single SQLite writer is the busy
/// part. Each operation used to be its own transaction, so a page rewritten by every
/// feed's operation (the leaves of the canonical-link and path indexes, whose keys
/// are random) went through the WAL once per operation. Here the operations that queue
/// up while a transaction runs are run together in the next one, each inside its own
/// savepoint: an operation that throws is rolled back alone and gets its error, the
/// others commit. An operation's caller resumes only after the transaction holding it
/// has committed, so what it was told is stored is stored.
///
/// Savepoints are not free: inside one SQLite copies every page the operation touches
/// first into a statement journal, in case it has to roll back (2% of a first sync's
/// CPU). Operations almost never fail, so a batch first runs without them: when every
/// operation succeeds the transaction commits as it is; when one throws or ends the
/// transaction, the whole transaction is rolled back and the batch runs again, each
/// operation in its own savepoint. Operations touch nothing but the database (they are
/// `@Sendable`), so running one twice is running it once.
///
/// The batches are run from a dispatch queue of their own, not from a task: a task
/// that runs the next batch waits for a thread of Swift's cooperative pool, which the
/// parsing and sanitizing tasks keep busy, so the writer sat idle until they yielded
/// and then they sat idle waiting for it (both cores were 83% busy on a first sync).
final class WriteCombiner: Sendable {
    /// At most this many operations share a transaction, so one commit's work (and the
    /// wait of the first operation in it) stays bounded.
    static let batchLimit = 64

    private let pool: DatabasePool
    private let queue = DispatchQueue(label: "tidings.store.write-combiner")

    private struct Operation: Sendable {
        let run: @Sendable (Database) throws -> any Sendable
        let resume: @Sendable (Result<any Sendable, any Error>) -> Void
    }

    private struct State {
        var queue: [Operation] = []
        var running = false
    }

    private let state = Mutex(State())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a transaction shared with other operations; when another of them
    /// fails, `body` may run a second time, after the first run was rolled back.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: any Sendable = try await withCheckedThrowingContinuation { continuation in
            let operation = Operation(
                run: { db in try body(db) },
                resume: { continuation.resume(with: $0) })
            let start = state.withLock { state in
                state.queue.append(operation)
                if state.running { return false }
                state.running = true
                return true
            }
            if start {
                queue.async { self.drain() }
            }
        }
        // `run` returned a T for this operation.
        return result as! T
    }

    /// Runs batches until the queue is empty.
    private func drain() {
        while let batch = nextBatch() {
            if batch.count == 1 {
                // Its transaction is its savepoint.
                batch[0].resume(runAlone(batch[0]))
            } else if let values = runTogether(batch) {
                for (operation, value) in zip(batch, values) { operation.resume(.success(value)) }
            } else {
                runEachInSavepoint(batch)
            }
        }
    }

    /// Thrown when an operation ended the shared transaction itself (a `ROLLBACK`, or
    /// SQLite rolling back after an error such as a full disk).
    private struct TransactionEnded: Error {}

    private static var transactionRolledBack: DatabaseError {
        DatabaseError(resultCode: .SQLITE_ABORT, message: "the transaction was rolled back")
    }

    /// Runs a lone operation in a transaction of its own.
    private func runAlone(_ operation: Operation) -> Result<any Sendable, any Error> {
        do {
            return .success(try pool.write { db in try Self.runWithoutSavepoint(operation, db) })
        } catch is TransactionEnded {
            return .failure(Self.transactionRolledBack)
        } catch {
            return .failure(error)
        }
    }

    /// Runs the batch in one transaction without savepoints: the operations' values once
    /// it has committed, or nil (and nothing stored) when an operation threw, ended the
    /// transaction, or the commit failed.
    private func runTogether(_ batch: [Operation]) -> [any Sendable]? {
        try? pool.write { db in try batch.map { operation in try Self.runWithoutSavepoint(operation, db) } }
    }

    /// Runs `operation` in the open transaction; throws `TransactionEnded` when the
    /// operation ended it.
    private static func runWithoutSavepoint(_ operation: Operation, _ db: Database) throws -> any Sendable {
        let value = try operation.run(db)
        guard db.isInsideTransaction else { throw TransactionEnded() }
        return value
    }

    /// Runs the batch in one transaction, each operation in its own savepoint.
    private func runEachInSavepoint(_ batch: [Operation]) {
        do {
            let outcomes = try pool.write { db in
                batch.map { operation in Self.runInSavepoint(operation, db) }
            }
            for (operation, outcome) in zip(batch, outcomes) { operation.resume(outcome) }
        } catch {
            // The transaction itself failed (begin, commit, the disk): nothing of it was stored.
            for operation in batch { operation.resume(.failure(error)) }
        }
    }

    /// Runs `operation` in a savepoint of the open transaction: released when it
    /// returns, rolled back when it throws.
    ///
    /// The three statements are prepared once per connection (GRDB's `inSavepoint`
    /// prepared two of them again for every operation: 0.6% of a first sync's CPU).
    /// An operation finding the transaction already ended fails with `SQLITE_ABORT`
    /// and does not run: after an error that made SQLite roll back the whole
    /// transaction (a full disk, say) a `SAVEPOINT` would begin a new one of its own.
    private static func runInSavepoint(_ operation: Operation, _ db: Database) -> Result<any Sendable, any Error> {
        guard db.isInsideTransaction else { return .failure(transactionRolledBack) }
        do {
            try db.cachedStatement(sql: "SAVEPOINT operation").execute()
        } catch {
            return .failure(error)
        }
        do {
            let value = try operation.run(db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT operation").execute()
            return .success(value)
        } catch {
            if db.isInsideTransaction {
                try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT operation").execute()
                try? db.cachedStatement(sql: "RELEASE SAVEPOINT operation").execute()
            }
            return .failure(error)
        }
    }

    /// Takes up to `batchLimit` queued operations; nil (and no longer running) when none.
    private func nextBatch() -> [Operation]? {
        state.withLock { state in
            if state.queue.isEmpty {
                state.running = false
                return nil
            }
            let count = min(Self.batchLimit, state.queue.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }
}
