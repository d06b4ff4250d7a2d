import CSQLiteTuning
import Foundation
import GRDB
import GRDBSQLite
import TidingsModel

/// The SQLite implementation of `FeedStore`: one database file, shared safely by
/// several processes.
///
/// The file is opened in WAL mode (readers never block the writer), with foreign keys
/// on and a busy timeout, so a `tidings serve` and a `tidings sync` can use it at
/// once. Writes are serialized; each protocol method is atomic (its own savepoint in
/// a transaction it may share with other callers' writes, see `WriteCombiner`).
///
/// Dates are stored as whole milliseconds since 1970 UTC, so a `Date` round-trips to
/// the millisecond.
public final class SQLiteFeedStore: FeedStore {
    /// How long a write waits for another process's write before failing.
    static let busyTimeout: TimeInterval = 5

    let path: String
    private let pool: DatabasePool
    /// Every write goes through it: operations that queue up share a transaction.
    private let writer: WriteCombiner
    /// Copies the log into the database beside the writer.
    private let checkpointer: BackgroundCheckpointer

    /// Turns off SQLite's memory statistics for the process: they take one process-wide
    /// mutex around every allocation and free SQLite makes, which Debian's SQLite (built
    /// without lookaside memory) sends to malloc: about 50 per stored entry, the mutex
    /// 0.8% of a first sync's CPU. Nothing in Tidings reads those statistics.
    ///
    /// Takes effect only when called before SQLite is first used in the process (call it
    /// at start-up, while one thread runs); returns whether it did.
    @discardableResult
    public static func disableMemoryStatistics() -> Bool {
        tidings_sqlite3_disable_memstatus() == SQLITE_OK
    }

    /// Opens (creating if needed) the database at `path` in WAL mode and runs pending migrations.
    ///
    /// Throws a `StorageError` when the file cannot be opened, its schema cannot be
    /// migrated, or it was migrated by a newer version of Tidings.
    public init(path: String) throws {
        self.path = path
        // Held by the store, for close(), and by the connection setup below, which the
        // pool keeps as long as its connections.
        let checkpointer = BackgroundCheckpointer(path: path)
        self.checkpointer = checkpointer
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "tidings.store"
        // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed
        // process loses nothing committed; only a power cut may lose the last
        // transactions, never the database's consistency.
        // Two readers are plenty for a sync (the writer is the busy one); each keeps
        // a small page cache, so memory does not grow with the database.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Statement journals (a statement that may fail halfway, e.g. on a UNIQUE
            // constraint) stay in memory instead of temporary files on the system disk.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -512")
            } else {
                // Index pages keyed by random strings (canonical links, paths) are
                // rewritten by transaction after transaction: checkpointing every 10,000
                // pages (not 1,000) copies such a page into the database once instead of
                // many times (pwrite calls -10% on the 1,000-feed bench). A larger writer
                // cache halves the reads, but each commit then walks the whole cache:
                // SQLite 3.40's b-tree balancing parks a page at the number after the
                // pending-byte page (262,145), and the commit's truncation to the
                // database's size scans every page up to the largest number it saw.
                // With that scan removed (a wrapping page cache, tried), 16 MB still
                // gained nothing that held over ten interleaved runs, for 18 MB more
                // memory; so the default stays.
                // Checkpoints run beside the writer, not in its commits (this replaces
                // SQLite's own).
                checkpointer.install(on: db.sqliteConnection)
            }
        }
        pool = try Self.openPool(path: path, configuration: configuration)
        writer = WriteCombiner(pool: pool)
        try migrate()
    }

    /// Opens the pool. Processes (or stores) opening a new file at the same moment
    /// race to switch it to WAL mode, and SQLite answers the loser "database is
    /// locked" at once rather than after the busy timeout: such an open is tried
    /// again, a few times, after a short pause.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 8 {
                attempt += 1
                usleep(UInt32(20_000 * attempt))
            } catch {
                throw StorageError.open(path: path, error)
            }
        }
    }

    private func migrate() throws {
        let migrator = Self.makeMigrator()
        // Two processes opening a new file can both see a migration as pending; the
        // second then fails on the tables the first created. Reading the applied
        // migrations again settles it.
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(pool)
                break
            } catch {
                if attempt < 3 { continue }
                throw StorageError.migration(path: path, error)
            }
        }
        let applied: Set<String>
        do {
            applied = try pool.read { try migrator.appliedIdentifiers($0) }
        } catch {
            throw StorageError.migration(path: path, error)
        }
        let unknown = applied.subtracting(Self.migrationNames)
        if !unknown.isEmpty {
            let names = unknown.sorted().joined(separator: ", ")
            throw StorageError.migration(
                path: path, NewerSchema(message: "it has migrations this version does not know (\(names))"))
        }
    }

    private struct NewerSchema: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    // MARK: - Diagnostics

    /// The migrations applied to the file, in order.
    func appliedMigrations() throws -> [String] {
        try pool.read { try Self.makeMigrator().appliedMigrations($0) }
    }

    /// The first and last entry ids of the feed whose publication is unconfirmed, if
    /// any (for tests).
    func unconfirmedRange(feedID: Int64) throws -> ClosedRange<Int64>? {
        try pool.read { db in try Self.unconfirmedRange(db, feedID: feedID) }
    }

    private static func unconfirmedRange(_ db: Database, feedID: Int64) throws -> ClosedRange<Int64>? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT unconfirmed_from, unconfirmed_through FROM feeds WHERE id = ?"),
            arguments: [feedID])
        return row.flatMap { unconfirmedRange(from: $0[0], through: $0[1]) }
    }

    /// The ids a feed's `unconfirmed_from` and `unconfirmed_through` cover; nil when unset.
    private static func unconfirmedRange(from: Int64?, through: Int64?) -> ClosedRange<Int64>? {
        guard let from, let through, from <= through else { return nil }
        return from...through
    }

    public func close() async throws {
        // A checkpoint started by the last commits finishes first. SQLite's own copy
        // when the last connection closes does not happen here (the last to close is
        // a reader, which may not write), so the writer copies the whole log and
        // empties it.
        checkpointer.waitUntilIdle()
        do {
            do {
                _ = try await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            {
                // Another process is reading (or writing): the log stays for it, or for
                // the next process, to copy. Nothing is lost.
            }
            try pool.close()
        } catch {
            throw StorageError.wrapping(error, path: path, operation: "close the database")
        }
    }

    /// The ids of the entries whose content is stored (for tests).
    func entryIDsWithContent() throws -> [Int64] {
        try pool.read { try Int64.fetchAll($0, sql: "SELECT entry_id FROM entry_contents ORDER BY entry_id") }
    }

    /// The file's journal mode (`wal`).
    func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: - Transactions

    private func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await writer.write(body)
        } catch {
            throw StorageError.wrapping(error, path: path, operation: operation)
        }
    }

    private func read<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StorageError.wrapping(error, path: path, operation: operation)
        }
    }

    // MARK: - Feeds

    /// Adds new subscriptions, updates the subscription fields of known ones (never
    /// their fetch state) and disables stored feeds not in `subscriptions`.
    ///
    /// A URL listed twice is stored once, with its last subscription's fields; the
    /// result has one identifier per distinct URL, in the order of first appearance.
    public func synchronizeReturningIDs(subscriptions: [FeedSubscription]) async throws -> FeedSynchronization {
        let rows: [(FeedSubscription, filters: String)] = try subscriptions.map(\.storable).lastPerKey { $0.url }.map {
            subscription in (subscription, try encodeJSON(subscription.filters))
        }
        return try await write("synchronize feeds") { [self] db in
            // Identifiers only grow (AUTOINCREMENT): a row above this one is new.
            let newestBefore = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM feeds")) ?? 0
            // Each configured URL looked up by the unique index, and written only when new
            // or changed (a configuration read again unchanged, as on every run, runs no
            // UPDATE). An upsert per feed ran its `RETURNING` through a temporary table,
            // and GRDB's rows look each column up by its lowercased name: bound and read
            // by position (`BoundStatement`), a run with nothing due over 100,000 feeds
            // takes a third less time.
            let select = try db.cachedStatement(
                sql: """
                    SELECT id, name, title, category, interval_ms, user_agent, enabled, filters
                    FROM feeds WHERE url = ?
                    """)
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO feeds (url, name, title, category, interval_ms, user_agent, enabled, filters,
                        fetch_url, consecutive_failures, redirect_confirmations, retired)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1, 0, 0, ?9)
                    """)
            var ids: [Int64] = []
            ids.reserveCapacity(rows.count)
            for (subscription, filters) in rows {
                let interval = subscription.interval.map { Int64(($0 * 1000).rounded()) }
                let lookup = BoundStatement(db, statement: select)
                lookup.bind(subscription.url, at: 1)
                var stored: (id: Int64, unchanged: Bool)?
                try lookup.forEachRow { row in
                    let sameText: Bool =
                        row.string(1) == subscription.name && row.string(2) == subscription.title
                        && row.string(3) == subscription.category && row.string(5) == subscription.userAgent
                    let sameRest: Bool =
                        row.optionalInt64(4) == interval && (row.int64(6) != 0) == subscription.enabled
                        && row.string(7) == filters
                    stored = (row.int64(0), sameText && sameRest)
                }
                if let stored {
                    if !stored.unchanged {
                        try db.cachedStatement(
                            sql: """
                                UPDATE feeds SET name = ?, title = ?, category = ?, interval_ms = ?, user_agent = ?,
                                    enabled = ?, filters = ?
                                WHERE id = ?
                                """
                        ).execute(arguments: [
                            subscription.name, subscription.title, subscription.category, interval,
                            subscription.userAgent, subscription.enabled, filters, stored.id,
                        ])
                    }
                    ids.append(stored.id)
                } else {
                    let row = BoundStatement(db, statement: insert)
                    row.bind(subscription.url, at: 1)
                    row.bind(subscription.name, at: 2)
                    row.bind(subscription.title, at: 3)
                    row.bind(subscription.category, at: 4)
                    row.bind(interval, at: 5)
                    row.bind(subscription.userAgent, at: 6)
                    row.bind(subscription.enabled, at: 7)
                    row.bind(filters, at: 8)
                    row.bind(false, at: 9)
                    try row.execute()
                    ids.append(db.lastInsertedRowID)
                }
            }
            var configured = Set(ids)
            var continued: [FeedContinuation] = []
            if ids.contains(where: { $0 > newestBefore }) {
                // New URLs: each may continue a stored feed no configured URL names.
                let unconfigured = try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT id FROM feeds WHERE id <= ?"), arguments: [newestBefore]
                ).filter { !configured.contains($0) }
                if !unconfigured.isEmpty {
                    continued = try continueMovedFeeds(
                        db, subscriptions: rows.map(\.0), ids: &ids, newestBefore: newestBefore,
                        candidates: unconfigured)
                    configured = Set(ids)
                }
            }
            let enabled = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM feeds WHERE enabled"))
            for id in enabled where !configured.contains(id) {
                try db.cachedStatement(sql: "UPDATE feeds SET enabled = ? WHERE id = ?").execute(arguments: [false, id])
            }
            return FeedSynchronization(ids: ids, continued: continued)
        }
    }

    /// Gives each feed just added for `subscriptions` (its identifier above
    /// `newestBefore` in `ids`) to the stored feed among `candidates` (feeds no
    /// configured URL names) that it continues, if any (see ``FeedContinuation``): the
    /// new row goes, the stored one takes its URL and subscription fields.
    private func continueMovedFeeds(
        _ db: Database, subscriptions: [FeedSubscription], ids: inout [Int64], newestBefore: Int64,
        candidates: [Int64]
    ) throws -> [FeedContinuation] {
        struct Candidate {
            var id: Int64
            var url: String
            var name: String?
            var enabled: Bool
        }
        let stored = try Self.byID(candidates) { _, condition, arguments in
            try Row.fetchAll(
                db, sql: "SELECT id, url, name, enabled FROM feeds WHERE \(condition)", arguments: arguments
            ).map { Candidate(id: $0["id"], url: $0["url"], name: $0["name"], enabled: $0["enabled"]) }
        }
        var byKey: [FeedContinuation.Reason: [String: Candidate]] = [:]
        // The oldest feed wins a key that several share.
        for candidate in stored.sorted(by: { $0.id > $1.id }) {
            byKey[.sameRequest, default: [:]][FeedURL.identity(candidate.url)] = candidate
            byKey[.otherScheme, default: [:]][FeedURL.identityAcrossSchemes(candidate.url)] = candidate
            // A name continues only a feed configured (and enabled) until now, never one
            // dropped long ago whose name is being used again.
            if let name = candidate.name, candidate.enabled { byKey[.sameName, default: [:]][name] = candidate }
        }
        var taken: Set<Int64> = []
        var continued: [(index: Int, FeedContinuation)] = []
        var waiting = ids.indices.filter { ids[$0] > newestBefore }
        // The surest reason first, for every new URL, then the next.
        for reason in FeedContinuation.Reason.allCases {
            waiting = try waiting.filter { index in
                let subscription = subscriptions[index]
                let key: String? =
                    switch reason {
                    case .sameRequest: FeedURL.identity(subscription.url)
                    case .otherScheme: FeedURL.identityAcrossSchemes(subscription.url)
                    case .sameName: subscription.name
                    }
                guard let key, let stored = byKey[reason]?[key], taken.insert(stored.id).inserted else { return true }
                try continueFeed(db, stored.id, as: subscription, replacing: ids[index], reason: reason)
                ids[index] = stored.id
                continued.append(
                    (
                        index,
                        FeedContinuation(
                            feedID: stored.id, previousURL: stored.url, url: subscription.url, reason: reason)
                    ))
                return false
            }
        }
        return continued.sorted { $0.index < $1.index }.map(\.1)
    }

    /// Gives the stored feed `id` the URL and fields of `subscription`, whose row
    /// `added` (just inserted, holding nothing yet) goes.
    private func continueFeed(
        _ db: Database, _ id: Int64, as subscription: FeedSubscription, replacing added: Int64,
        reason: FeedContinuation.Reason
    ) throws {
        try db.cachedStatement(sql: "DELETE FROM feeds WHERE id = ?").execute(arguments: [added])
        try db.cachedStatement(
            sql: """
                UPDATE feeds SET url = ?, name = ?, title = ?, category = ?, interval_ms = ?, user_agent = ?,
                    enabled = ?, filters = ?, fetch_url = CASE WHEN fetch_url = url THEN ? ELSE fetch_url END
                WHERE id = ?
                """
        ).execute(arguments: [
            subscription.url, subscription.name, subscription.title, subscription.category,
            subscription.interval.map { Int64(($0 * 1000).rounded()) }, subscription.userAgent,
            subscription.enabled, try encodeJSON(subscription.filters), subscription.url, id,
        ])
        if reason != .sameRequest {
            // Another address: what was learned about the old one (validators, the last
            // document, redirects, failures, a 410) does not apply to it.
            try db.cachedStatement(
                sql: """
                    UPDATE feeds SET fetch_url = url, etag = NULL, last_modified = NULL, document_digest = NULL,
                        next_check = NULL, consecutive_failures = 0, last_error_kind = NULL, last_error = NULL,
                        last_status = NULL, redirect_candidate = NULL, redirect_confirmations = 0, retired = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [false, id])
        }
    }

    /// Every feed the store knows, configured or not, by id.
    public func feeds() async throws -> [FeedRecord] {
        try await read("list feeds") { db in
            try fetchFeeds(db, where: "1 = 1 ORDER BY id", [])
        }
    }

    /// The feeds with these identifiers, in the order given; unknown ones are left out.
    public func feeds(ids: [Int64]) async throws -> [FeedRecord] {
        if ids.isEmpty { return [] }
        return try await read("read \(ids.count) feeds") { db in
            // Put in order chunk by chunk: a dictionary of every record would double a
            // long list's memory (100,000 records are 65 MB).
            try Self.byID(ids) { chunk, condition, arguments in
                let rows = try fetchFeeds(db, where: condition, arguments)
                let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                return chunk.compactMap { byID[$0] }
            }
        }
    }

    /// The enabled, non-retired feeds' identifiers (only those due at `dueAt`, when
    /// given), in the order of ``dueFeeds(at:)``.
    public func feedIDs(dueAt: Date?) async throws -> [Int64] {
        try await read("list due feeds") { db in
            if let dueAt {
                return try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT id FROM feeds WHERE \(Self.dueCondition) \(Self.dueOrder)"),
                    arguments: [Timestamp.milliseconds(dueAt)])
            }
            return try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM feeds WHERE enabled AND NOT retired \(Self.dueOrder)"))
        }
    }

    /// The earliest `nextCheck` of the enabled, non-retired feeds.
    public func earliestNextCheck() async throws -> Date? {
        try await read("find the next due feed") { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MIN(next_check) FROM feeds WHERE enabled AND NOT retired")
            ).map { Timestamp.date($0) }
        }
    }

    /// The enabled, non-retired feeds whose `nextCheck` is unset or not after `now`:
    /// never-checked feeds first, then by `nextCheck`, then by id.
    public func dueFeeds(at now: Date) async throws -> [FeedRecord] {
        try await read("list due feeds") { db in
            try fetchFeeds(db, where: "\(Self.dueCondition) \(Self.dueOrder)", [Timestamp.milliseconds(now)])
        }
    }

    /// Enabled, not retired, and never checked or scheduled at or before the argument.
    private static let dueCondition = "enabled AND NOT retired AND (next_check IS NULL OR next_check <= ?)"
    /// Never-checked feeds first, then by `nextCheck`, then by id.
    private static let dueOrder = "ORDER BY CASE WHEN next_check IS NULL THEN 0 ELSE 1 END, next_check, id"

    /// Replaces a feed's fetch state. Throws when the feed is unknown.
    public func updateState(feedID: Int64, _ state: FetchState) async throws {
        let state = state.storable
        try await write("update the fetch state of feed \(feedID)") { [self] db in
            try writeState(db, feedID: feedID, state)
        }
    }

    private static func hasEntries(_ db: Database, feedID: Int64) throws -> Bool {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM entries WHERE feed_id = ? LIMIT 1"), arguments: [feedID]) != nil
    }

    private func writeState(_ db: Database, feedID: Int64, _ state: FetchState) throws {
        // Bound directly: every feed of every sync writes its state, a 304 included.
        let update = try BoundStatement(
            db,
            sql: """
                UPDATE feeds SET fetch_url = ?, etag = ?, last_modified = ?, last_attempt = ?,
                    last_success = ?, next_check = ?, consecutive_failures = ?, last_error_kind = ?,
                    last_error = ?, last_status = ?, redirect_candidate = ?, redirect_confirmations = ?,
                    retired = ?, parsed_title = ?, document_digest = ?
                WHERE id = ?
                """)
        update.bind(state.fetchURL, at: 1)
        update.bind(state.etag, at: 2)
        update.bind(state.lastModified, at: 3)
        update.bind(Timestamp.milliseconds(state.lastAttempt), at: 4)
        update.bind(Timestamp.milliseconds(state.lastSuccess), at: 5)
        update.bind(Timestamp.milliseconds(state.nextCheck), at: 6)
        update.bind(Int64(state.consecutiveFailures), at: 7)
        update.bind(state.lastErrorKind, at: 8)
        update.bind(state.lastError, at: 9)
        update.bind(state.lastStatus.map(Int64.init), at: 10)
        update.bind(state.redirectCandidate, at: 11)
        update.bind(Int64(state.redirectConfirmations), at: 12)
        update.bind(state.retired, at: 13)
        update.bind(state.title, at: 14)
        update.bind(state.documentDigest, at: 15)
        update.bind(feedID, at: 16)
        try update.execute()
        if db.changesCount == 0 {
            throw StorageError.unknownFeed(path: path, id: feedID)
        }
    }

    // MARK: - Entries

    /// An incoming entry with its JSON columns encoded (outside the transaction).
    private struct IncomingEntry: Sendable {
        var entry: ProcessedEntry
        var authors: String
        var categories: String
        var enclosures: String
        var proposedPath: String?
    }

    /// A stored entry's columns that matching needs.
    private struct MatchedEntry: Sendable {
        var id: Int64
        var contentHash: String
        var published: Int64?
        var firstSeen: Int64

        init(_ row: Row) {
            id = row["id"]
            contentHash = row["content_hash"]
            published = row["published"]
            firstSeen = row["first_seen"]
        }
    }

    private static let matchColumns = "id, content_hash, published, first_seen"

    /// Stores one fetch's entries in one transaction.
    ///
    /// Entries with the same key keep the last one. Each is matched to a stored entry
    /// of the feed by key; those that match none are then matched by canonical link
    /// to a stored entry of the feed that no other entry of this fetch matched (a feed
    /// whose keys change on every fetch), which keeps its stored key. Two entries of
    /// one fetch with different keys are always two entries, even with one link.
    /// A new entry whose canonical link belongs to a non-duplicate entry of another
    /// feed is recorded as its duplicate.
    ///
    /// A new, non-duplicate entry with a proposed path is inserted holding it, unless
    /// another entry holds it already, and recorded as published unconfirmed: its
    /// feed's `unconfirmed_from` is set to the first such id unless set already (by a
    /// run that died before confirming, or another worker), `unconfirmed_through` to
    /// the last.
    public func upsert(
        entries: [ProcessedEntry], feedID: Int64, at now: Date, proposedPaths: [String: String], state: FetchState?,
        listingPending: Bool
    ) async throws -> UpsertResult {
        let state = state?.storable
        // One copy of each entry, into its IncomingEntry (a map to storable entries
        // first made two, and destroyed one).
        let batch = entries.lastPerKey { $0.key.storable }.map { original in
            let entry = original.storable
            return IncomingEntry(
                entry: entry,
                authors: JSONColumns.text(entry.authors),
                categories: JSONColumns.text(entry.categories),
                enclosures: JSONColumns.text(entry.enclosures),
                proposedPath: proposedPaths[entry.key]?.storable
            )
        }
        let nowMilliseconds = Timestamp.milliseconds(now)
        return try await write("store the entries of feed \(feedID)") { [self] db in
            guard
                let feedRow = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT unconfirmed_from, unconfirmed_through FROM feeds WHERE id = ?"),
                    arguments: [feedID])
            else {
                throw StorageError.unknownFeed(path: path, id: feedID)
            }
            let unconfirmed = Self.unconfirmedRange(from: feedRow[0], through: feedRow[1])
            var result = UpsertResult()
            // New entries stored as published before their files exist, in insertion order.
            var stored: [PendingPublication] = []
            var claimed = Set<Int64>()
            var matches: [Int: MatchedEntry] = [:]
            let inserts = batch.isEmpty ? nil : try InsertStatements(db)
            // A feed with nothing stored yet (its first fetch) has nothing to match, nor
            // has an empty batch (a 304 storing the state).
            let hasEntries = try !batch.isEmpty && Self.hasEntries(db, feedID: feedID)
            for (index, incoming) in batch.enumerated() where hasEntries {
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT \(Self.matchColumns) FROM entries WHERE feed_id = ? AND key = ?"),
                    arguments: [feedID, incoming.entry.key]
                )
                if let row {
                    let match = MatchedEntry(row)
                    matches[index] = match
                    claimed.insert(match.id)
                }
            }
            for (index, incoming) in batch.enumerated() {
                var match = matches[index]
                if match == nil, hasEntries, let canonicalLink = incoming.entry.canonicalLink {
                    let candidates = try Row.fetchAll(
                        db.cachedStatement(
                            sql: """
                                SELECT \(Self.matchColumns) FROM entries
                                WHERE feed_id = ? AND canonical_link = ? ORDER BY id
                                """),
                        arguments: [feedID, canonicalLink]
                    )
                    match = candidates.lazy.map(MatchedEntry.init).first { !claimed.contains($0.id) }
                }
                if let match {
                    claimed.insert(match.id)
                    if match.contentHash == incoming.entry.contentHash {
                        result.unchanged += 1
                    } else {
                        try update(db, match, with: incoming, at: nowMilliseconds, unconfirmed: unconfirmed)
                        result.changed += 1
                    }
                } else {
                    let inserted = try insert(db, incoming, feedID: feedID, at: nowMilliseconds, using: inserts!)
                    claimed.insert(inserted.id)
                    result.inserted += 1
                    if inserted.isDuplicate {
                        result.duplicates += 1
                    }
                    if let path = inserted.path {
                        result.reserved.insert(inserted.id)
                        stored.append(
                            PendingPublication(
                                id: inserted.id, feedID: feedID, key: incoming.entry.key,
                                contentHash: incoming.entry.contentHash, path: path,
                                date: Timestamp.date(inserted.entryDate)))
                    }
                }
            }
            var range = unconfirmed
            if let first = stored.first, let last = stored.last {
                range = (unconfirmed?.lowerBound ?? first.id)...last.id
                try Self.setUnconfirmed(db, range, feedID: feedID)
            }
            if let state { try writeState(db, feedID: feedID, state) }
            if unconfirmed != nil, let range {
                // A run died before confirming this feed's files, or another worker has
                // not confirmed them yet: list them all from the store, and drop the
                // mark once it covers nothing.
                let covered = try Self.unconfirmedStubs(db, feedID: feedID, range: range)
                if covered.isEmpty { try Self.setUnconfirmed(db, nil, feedID: feedID) }
                if listingPending {
                    result.pending = try Self.pendingStubs(db, feedID: feedID, adding: covered)
                }
            } else if listingPending {
                // The entries just stored unconfirmed are known: only the others are read.
                result.pending = try Self.pendingStubs(db, feedID: feedID, adding: stored)
            }
            return result
        }
    }

    /// Stores a changed entry. One the feed's mark covers has no confirmed file: its
    /// record of publication goes, so that it stays pending once the mark is dropped
    /// (and if it changes back to the recorded version).
    private func update(
        _ db: Database, _ match: MatchedEntry, with incoming: IncomingEntry, at now: Int64,
        unconfirmed: ClosedRange<Int64>?
    ) throws {
        let entry = incoming.entry
        if let unconfirmed, unconfirmed.contains(match.id) {
            try db.cachedStatement(sql: "UPDATE entries SET published_hash = NULL WHERE id = ?").execute(arguments: [
                match.id
            ])
        }
        let published = Timestamp.milliseconds(entry.published) ?? match.published
        try db.cachedStatement(
            sql: """
                UPDATE entries SET canonical_link = ?, published = ?, content_hash = ?, last_changed = ?,
                    entry_date = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            entry.canonicalLink, published, entry.contentHash, now, published ?? match.firstSeen, match.id,
        ])
        try db.cachedStatement(
            sql: """
                UPDATE entry_contents SET title = ?, link = ?, updated = ?, description = ?, image = ?,
                    authors = ?, categories = ?, enclosures = ?, body = ?
                WHERE entry_id = ?
                """
        ).execute(arguments: [
            entry.title, entry.link, Timestamp.milliseconds(entry.updated), entry.description, entry.image,
            incoming.authors, incoming.categories, incoming.enclosures, entry.body, match.id,
        ])
    }

    private static func setUnconfirmed(_ db: Database, _ range: ClosedRange<Int64>?, feedID: Int64) throws {
        try db.cachedStatement(sql: "UPDATE feeds SET unconfirmed_from = ?, unconfirmed_through = ? WHERE id = ?")
            .execute(arguments: [range?.lowerBound, range?.upperBound, feedID])
    }

    /// The statements that store a new entry, taken from the connection's cache once
    /// per upsert: each lookup hashes the SQL text, three times per entry before.
    private struct InsertStatements {
        let duplicate: Statement
        let entry: Statement
        let content: Statement

        init(_ db: Database) throws {
            // min(id), not ORDER BY id LIMIT 1, which sorts in a temporary b-tree.
            duplicate = try db.cachedStatement(
                sql: """
                    SELECT min(id) FROM entries
                    WHERE canonical_link = ? AND feed_id <> ? AND duplicate_of IS NULL
                    """)
            entry = try db.cachedStatement(
                sql: """
                    INSERT INTO entries (feed_id, key, canonical_link, published, content_hash, first_seen,
                        last_changed, entry_date, retired, duplicate_of, path, published_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            content = try db.cachedStatement(
                sql: """
                    INSERT INTO entry_contents (entry_id, title, link, updated, description, image, authors,
                        categories, enclosures, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
        }
    }

    /// Inserts a new entry; a new, non-duplicate one holding its proposed path is
    /// recorded as published (unconfirmed) in the same row.
    private func insert(
        _ db: Database, _ incoming: IncomingEntry, feedID: Int64, at now: Int64, using statements: InsertStatements
    ) throws -> (id: Int64, isDuplicate: Bool, path: String?, entryDate: Int64) {
        let entry = incoming.entry
        // The entry of another feed it duplicates (same canonical link, itself no duplicate).
        var duplicateOf: Int64?
        if let canonicalLink = entry.canonicalLink {
            let select = BoundStatement(db, statement: statements.duplicate)
            select.bind(canonicalLink, at: 1)
            select.bind(feedID, at: 2)
            duplicateOf = try select.fetchInt64()
        }
        let published = Timestamp.milliseconds(entry.published)
        // The id comes from the connection, not from RETURNING: SQLite runs a RETURNING
        // statement through a temporary table, which cost as much as the insert itself
        // (60,000 inserts with five indexes: 0.56 s plain, 0.95 s with RETURNING id).
        // Reserving the path here spares a second write of the row (and of the path
        // index) in a transaction of its own. Duplicates are never published. An entry
        // holding its path is recorded as published here, which spares a second write
        // of the row and of the pending index once its file is written (the feed's
        // `unconfirmed_from` keeps it pending until then).
        var outputPath = duplicateOf == nil ? incoming.proposedPath : nil
        let entryDate = published ?? now
        let insertEntry = BoundStatement(db, statement: statements.entry)
        insertEntry.bind(feedID, at: 1)
        insertEntry.bind(published, at: 4)
        insertEntry.bind(now, at: 6)
        insertEntry.bind(now, at: 7)
        insertEntry.bind(entryDate, at: 8)
        insertEntry.bind(false, at: 9)
        insertEntry.bind(duplicateOf, at: 10)
        try insertEntry.withTexts([
            (2, entry.key), (3, entry.canonicalLink), (5, entry.contentHash), (11, outputPath),
            (12, outputPath == nil ? nil : entry.contentHash),
        ]) {
            do {
                try insertEntry.execute()
            } catch let error as DatabaseError
                where outputPath != nil && error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            {
                // Another entry holds the proposed path: store the entry without one,
                // never published.
                outputPath = nil
                insertEntry.bind(nil as String?, at: 11)
                insertEntry.bind(nil as String?, at: 12)
                try insertEntry.execute()
            }
        }
        guard db.changesCount == 1 else { throw StorageError.unknownFeed(path: path, id: feedID) }
        let id = db.lastInsertedRowID
        let insertContent = BoundStatement(db, statement: statements.content)
        insertContent.bind(id, at: 1)
        insertContent.bind(Timestamp.milliseconds(entry.updated), at: 4)
        try insertContent.withTexts([
            (2, entry.title), (3, entry.link), (5, entry.description), (6, entry.image), (7, incoming.authors),
            (8, incoming.categories), (9, incoming.enclosures),
        ]) {
            try insertContent.execute(binding: entry.body, at: 10)
        }
        return (id, duplicateOf != nil, outputPath, entryDate)
    }

    /// Entries to write by their own columns: not retired, not duplicates, never
    /// published or published with another content hash. The partial index
    /// `entries_pending` holds exactly these.
    static let unpublishedCondition =
        "NOT retired AND duplicate_of IS NULL AND (published_hash IS NULL OR published_hash <> content_hash)"

    /// The other entries to write: published unconfirmed, between the entry ids the
    /// feed's `unconfirmed_from` and `unconfirmed_through` name (bound: the feed id,
    /// those two ids).
    static let unconfirmedCondition = """
        feed_id = ? AND id BETWEEN ? AND ? AND path IS NOT NULL AND NOT retired AND duplicate_of IS NULL
            AND published_hash = content_hash
        """

    /// The order of pending publications: by `date`, then id.
    static func inPendingOrder(_ first: PendingPublication, _ second: PendingPublication) -> Bool {
        (first.date, first.id) < (second.date, second.id)
    }

    /// Feeds whose publications are not all confirmed, with the entry ids each mark
    /// covers; `feedID` limits to one feed.
    private static func unconfirmedFeeds(_ db: Database, feedID: Int64?) throws -> [(
        feedID: Int64, range: ClosedRange<Int64>
    )] {
        var sql = """
            SELECT id, unconfirmed_from, unconfirmed_through FROM feeds
            WHERE unconfirmed_from IS NOT NULL AND unconfirmed_through IS NOT NULL
            """
        var arguments: StatementArguments = []
        if let feedID {
            sql += " AND id = ?"
            arguments = [feedID]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            unconfirmedRange(from: row[1], through: row[2]).map { (feedID: row[0], range: $0) }
        }
    }

    public func pendingPublicationStubs(feedID: Int64?) async throws -> [PendingPublication] {
        try await read("list pending publications") { db in
            var covered: [PendingPublication] = []
            for (feed, range) in try Self.unconfirmedFeeds(db, feedID: feedID) {
                covered += try Self.unconfirmedStubs(db, feedID: feed, range: range)
            }
            return try Self.pendingStubs(db, feedID: feedID, adding: covered)
        }
    }

    /// The unpublished entries (one feed's, or all), with `others` merged in, oldest first.
    private static func pendingStubs(_ db: Database, feedID: Int64?, adding others: [PendingPublication]) throws
        -> [PendingPublication]
    {
        var stubs = try stubs(
            db, where: (feedID == nil ? "" : "feed_id = ? AND ") + unpublishedCondition,
            feedID.map { [$0] } ?? [])
        if others.isEmpty { return stubs }
        stubs += others
        stubs.sort(by: inPendingOrder)
        return stubs
    }

    /// A feed's entries published unconfirmed, with ids in `range`, oldest first.
    private static func unconfirmedStubs(_ db: Database, feedID: Int64, range: ClosedRange<Int64>) throws
        -> [PendingPublication]
    {
        try stubs(db, where: unconfirmedCondition, [feedID, range.lowerBound, range.upperBound])
    }

    private static let stubColumns = "id, feed_id, key, content_hash, path, entry_date"

    /// The stubs of the rows of `source` (`entries`, or a query over it with the same
    /// columns) that meet `condition`, oldest first; `values` fill its placeholders in order.
    private static func stubs(
        _ db: Database, from source: String = "entries", where condition: String, _ values: [Int64]
    ) throws -> [PendingPublication] {
        // Read column by column: the upsert runs this on the writer, once per feed.
        let select = try BoundStatement(
            db, sql: "SELECT \(stubColumns) FROM \(source) WHERE \(condition) ORDER BY entry_date, id")
        for (index, value) in values.enumerated() { select.bind(value, at: Int32(index + 1)) }
        var stubs: [PendingPublication] = []
        try select.forEachRow { row in
            stubs.append(
                PendingPublication(
                    id: row.int64(0), feedID: row.int64(1), key: row.string(2) ?? "",
                    contentHash: row.string(3) ?? "", path: row.string(4), date: Timestamp.date(row.int64(5))))
        }
        return stubs
    }

    public func entries(ids: [Int64]) async throws -> [StoredEntry] {
        if ids.isEmpty { return [] }
        return try await read("read \(ids.count) entries") { db in
            try Self.byID(ids) { _, condition, arguments in try fetchEntries(db, where: condition, arguments) }
        }
    }

    /// Runs `fetch` for each chunk of `ids` with the chunk's `id IN (…)` condition and
    /// arguments (chunks keep a statement's arguments well within SQLite's limit).
    private static func byID<Item>(
        _ ids: [Int64],
        _ fetch: (_ chunk: ArraySlice<Int64>, _ condition: String, _ arguments: StatementArguments) throws -> [Item]
    ) rethrows -> [Item] {
        var found: [Item] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            found += try fetch(chunk, "id IN (\(marks))", StatementArguments(Array(chunk)))
        }
        return found
    }

    public func pendingPublications(feedID: Int64?) async throws -> [StoredEntry] {
        let unpublished = Self.unpublishedCondition
        return try await read("list pending publications") { db in
            var entries: [StoredEntry]
            if let feedID {
                entries = try fetchEntries(
                    db, where: "feed_id = ? AND \(unpublished) ORDER BY entry_date, id", [feedID])
            } else {
                entries = try fetchEntries(db, where: "\(unpublished) ORDER BY entry_date, id", [])
            }
            let unconfirmed = try Self.unconfirmedFeeds(db, feedID: feedID)
            if unconfirmed.isEmpty { return entries }
            for (feed, range) in unconfirmed {
                entries += try fetchEntries(
                    db, where: Self.unconfirmedCondition, [feed, range.lowerBound, range.upperBound])
            }
            return entries.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        }
    }

    /// Reserves `path` for an entry that has none; true when the entry holds it now.
    ///
    /// Returns false when another entry holds `path`. Throws when the entry is
    /// unknown or already holds a different path (publish it there instead).
    public func reservePaths(_ reservations: [(entryID: Int64, path: String)]) async throws -> Set<Int64> {
        if reservations.isEmpty { return [] }
        let requests = reservations.map { (entryID: $0.entryID, path: $0.path.storable) }
        return try await write("reserve \(requests.count) output paths") { [self] db in
            var granted = Set<Int64>()
            for (entryID, path) in requests {
                // The common case in one statement: the entry holds no path and the path is free.
                do {
                    let update = try BoundStatement(
                        db, sql: "UPDATE entries SET path = ? WHERE id = ? AND path IS NULL")
                    update.bind(path, at: 1)
                    update.bind(entryID, at: 2)
                    try update.execute()
                    if db.changesCount == 1 {
                        granted.insert(entryID)
                        continue
                    }
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    // Another entry holds the path; the checks below tell which case this is.
                }
                guard
                    let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT path FROM entries WHERE id = ?"), arguments: [entryID])
                else {
                    throw StorageError.unknownEntry(path: self.path, id: entryID)
                }
                if let held: String = row["path"] {
                    if held == path {
                        granted.insert(entryID)
                        continue
                    }
                    throw StorageError.pathAlreadyReserved(path: self.path, entryID: entryID, held: held)
                }
                // No path held and the update failed: the path belongs to another entry.
            }
            return granted
        }
    }

    /// Clears the paths of entries never published or published unconfirmed, in one
    /// transaction.
    public func releasePaths(entryIDs: [Int64]) async throws {
        if entryIDs.isEmpty { return }
        try await write("release \(entryIDs.count) output paths") { db in
            let update = try BoundStatement(
                db,
                sql: """
                    UPDATE entries SET path = NULL, published_hash = NULL
                    WHERE id = ? AND (published_hash IS NULL
                        OR id BETWEEN (SELECT unconfirmed_from FROM feeds WHERE feeds.id = entries.feed_id)
                            AND (SELECT unconfirmed_through FROM feeds WHERE feeds.id = entries.feed_id))
                    """)
            for id in entryIDs {
                update.bind(id, at: 1)
                try update.execute()
            }
        }
    }

    /// Records, in one transaction, which version of each entry is now in its file,
    /// and confirms each feed's unconfirmed publications up to `through`: the mark
    /// goes, or, when another worker stored entries past `through` since, starts after
    /// it.
    @discardableResult
    public func markPublished(
        _ versions: [(entryID: Int64, contentHash: String)],
        confirming confirmations: [(feedID: Int64, through: Int64)],
        written: [Int64]
    ) async throws -> [RetiredFile] {
        if versions.isEmpty && confirmations.isEmpty && written.isEmpty { return [] }
        let versions = versions.map { (entryID: $0.entryID, contentHash: $0.contentHash.storable) }
        return try await write("record the publication of \(versions.count + written.count) entries") { [self] db in
            for (feedID, through) in confirmations {
                guard let range = try Self.unconfirmedRange(db, feedID: feedID) else { continue }
                let start = max(range.lowerBound, through + 1)
                var rest = start <= range.upperBound ? start...range.upperBound : nil
                // What is left may hold retired entries only (retention retires entries
                // beyond its limits before they are written): then nothing is unconfirmed.
                if let left = rest, try Self.unconfirmedStubs(db, feedID: feedID, range: left).isEmpty { rest = nil }
                try Self.setUnconfirmed(db, rest, feedID: feedID)
            }
            for (entryID, contentHash) in versions {
                let update = try BoundStatement(db, sql: "UPDATE entries SET published_hash = ? WHERE id = ?")
                update.bind(contentHash, at: 1)
                update.bind(entryID, at: 2)
                try update.execute()
                if db.changesCount == 0 {
                    throw StorageError.unknownEntry(path: path, id: entryID)
                }
            }
            return try Self.retiredMeanwhile(db, among: versions.map(\.entryID) + written)
        }
    }

    /// Those of `ids` that are retired, holding a path, recorded as retired with a
    /// file. The ids are read in runs of nearby ids (`BETWEEN`), not one lookup each:
    /// a feed's new entries have consecutive ids, so a first fetch reads one short
    /// range of rows per feed.
    private static func retiredMeanwhile(_ db: Database, among ids: [Int64]) throws -> [RetiredFile] {
        let sorted = Array(Set(ids)).sorted()
        guard let first = sorted.first else { return [] }
        var ranges: [ClosedRange<Int64>] = []
        var range = first...first
        for id in sorted.dropFirst() {
            if id - range.upperBound > 64 {
                ranges.append(range)
                range = id...id
            } else {
                range = range.lowerBound...id
            }
        }
        ranges.append(range)
        let wanted = Set(sorted)
        var found: [RetiredFile] = []
        let select = try db.cachedStatement(
            sql: "SELECT id, feed_id, path FROM entries WHERE id BETWEEN ? AND ? AND retired AND path IS NOT NULL")
        for range in ranges {
            for row in try Row.fetchAll(select, arguments: [range.lowerBound, range.upperBound]) {
                let id: Int64 = row["id"]
                if wanted.contains(id) {
                    found.append(RetiredFile(entryID: id, feedID: row["feed_id"], path: row["path"]))
                }
            }
        }
        if found.isEmpty { return [] }
        // A mark that the file may be there: kept until the caller has removed it.
        _ = try byID(found.map(\.entryID)) { _, condition, arguments in
            try db.execute(
                sql: "UPDATE entries SET published_hash = content_hash WHERE \(condition)", arguments: arguments)
            return [Int]()
        }
        return found
    }

    /// Entries of a feed holding a path and not retired that fall outside retention:
    /// `date` before `now - maxAge`, or beyond the newest `maxItems` (by date, then
    /// id). Oldest first; `nil` limits select nothing.
    public func retentionCandidates(feedID: Int64, maxAge: TimeInterval?, maxItems: Int?, now: Date) async throws
        -> [StoredEntry]
    {
        var conditions: [String] = []
        var arguments: StatementArguments = [feedID]
        if let maxAge {
            conditions.append("entry_date < ?")
            let cutoff: Int64 = Timestamp.milliseconds(now.addingTimeInterval(-maxAge))
            arguments += [cutoff]
        }
        if let maxItems {
            conditions.append("position > ?")
            arguments += [max(0, maxItems)]
        }
        if conditions.isEmpty {
            return []
        }
        let sql = """
            SELECT \(Self.entryColumns), \(Self.contentColumns) FROM (
                SELECT \(Self.entryColumns), ROW_NUMBER() OVER (ORDER BY entry_date DESC, id DESC) AS position
                FROM entries WHERE feed_id = ? AND path IS NOT NULL AND NOT retired
            ) ranked JOIN entry_contents ON entry_contents.entry_id = ranked.id
            WHERE \(conditions.joined(separator: " OR "))
            ORDER BY entry_date, id
            """
        let bound = arguments
        return try await read("list retention candidates of feed \(feedID)") { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: bound).map(storedEntry)
        }
    }

    public func pendingBeyondRetention(feedID: Int64, maxAge: TimeInterval?, maxItems: Int?, now: Date)
        async throws -> [PendingPublication]
    {
        var conditions: [String] = []
        var limits: [Int64] = []
        if let maxAge {
            conditions.append("entry_date < ?")
            limits.append(Timestamp.milliseconds(now.addingTimeInterval(-maxAge)))
        }
        if let maxItems {
            conditions.append("position > ?")
            limits.append(Int64(max(0, maxItems)))
        }
        if conditions.isEmpty { return [] }
        let ranked = """
            (SELECT \(Self.stubColumns), published_hash,
                ROW_NUMBER() OVER (ORDER BY entry_date DESC, id DESC) AS position
            FROM entries WHERE feed_id = ? AND NOT retired AND duplicate_of IS NULL) ranked
            """
        let condition = """
            (\(conditions.joined(separator: " OR ")))
                AND (published_hash IS NULL OR published_hash <> content_hash OR id BETWEEN ? AND ?)
            """
        let bound = [feedID] + limits
        return try await read("list pending entries of feed \(feedID) beyond retention") { db in
            // An unconfirmed publication is pending too (see `FeedStore`).
            let unconfirmed = try Self.unconfirmedRange(db, feedID: feedID).map { [$0.lowerBound, $0.upperBound] }
            return try Self.stubs(db, from: ranked, where: condition, bound + (unconfirmed ?? [1, 0]))
        }
    }

    public func retirePending(entryIDs: [Int64]) async throws -> Set<Int64> {
        if entryIDs.isEmpty { return [] }
        return try await write("retire \(entryIDs.count) entries") { db in
            let retired = try Self.byID(entryIDs) { _, condition, arguments -> [Int64] in
                // Pending by its own columns, or covered by its feed's unconfirmed mark.
                let ids = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM entries WHERE \(condition) AND NOT retired
                            AND (published_hash IS NULL OR published_hash <> content_hash OR EXISTS (
                                SELECT 1 FROM feeds WHERE feeds.id = entries.feed_id
                                    AND entries.id BETWEEN feeds.unconfirmed_from AND feeds.unconfirmed_through))
                        """, arguments: arguments)
                try Self.retire(db, ids, keepingFileMark: false)
                return ids
            }
            return Set(retired)
        }
    }

    public func retireBeforeRemoving(entryIDs: [Int64]) async throws {
        if entryIDs.isEmpty { return }
        try await write("retire \(entryIDs.count) entries") { db in
            try Self.retire(db, entryIDs, keepingFileMark: true)
        }
    }

    /// Retires entries (those of `ids` not retired yet) and drops their content. With
    /// `keepingFileMark`, each is recorded as perhaps still having a file
    /// (`published_hash` set: see ``retiredFiles()``); without, as having none.
    private static func retire(_ db: Database, _ ids: [Int64], keepingFileMark: Bool) throws {
        let mark = keepingFileMark ? "COALESCE(published_hash, content_hash)" : "NULL"
        _ = try byID(ids) { _, condition, arguments in
            try db.execute(
                sql: "UPDATE entries SET retired = ?, published_hash = \(mark) WHERE \(condition) AND NOT retired",
                arguments: [true] + arguments)
            // `condition` is `id IN (…)`: the same list names the content rows.
            let contents = "entry_" + condition
            try db.execute(sql: "DELETE FROM entry_contents WHERE \(contents)", arguments: arguments)
            return [Int]()
        }
    }

    public func retiredFiles() async throws -> [RetiredFile] {
        try await read("list the files of retired entries") { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, feed_id, path FROM entries
                        WHERE retired AND published_hash IS NOT NULL AND path IS NOT NULL ORDER BY id
                        """)
            ).map { RetiredFile(entryID: $0["id"], feedID: $0["feed_id"], path: $0["path"]) }
        }
    }

    public func forgetRetiredFiles(entryIDs: [Int64]) async throws {
        if entryIDs.isEmpty { return }
        try await write("record that \(entryIDs.count) files of retired entries are gone") { db in
            _ = try Self.byID(entryIDs) { _, condition, arguments in
                try db.execute(
                    sql: "UPDATE entries SET published_hash = NULL WHERE \(condition) AND retired", arguments: arguments
                )
                return [Int]()
            }
        }
    }

    /// Marks an entry retired after its file was removed.
    public func retire(entryID: Int64) async throws {
        try await write("retire entry \(entryID)") { [self] db in
            try db.cachedStatement(sql: "UPDATE entries SET retired = ?, published_hash = NULL WHERE id = ?").execute(
                arguments: [true, entryID])
            if db.changesCount == 0 {
                throw StorageError.unknownEntry(path: path, id: entryID)
            }
            // Its content (most of the bytes) goes; its bookkeeping row stays, so that
            // the feed listing it again neither stores nor publishes it again.
            try db.cachedStatement(sql: "DELETE FROM entry_contents WHERE entry_id = ?").execute(arguments: [entryID])
        }
    }

    /// All entries of a feed, newest first (by date, then id).
    public func entries(feedID: Int64) async throws -> [StoredEntry] {
        try await read("list the entries of feed \(feedID)") { db in
            try fetchEntries(db, where: "feed_id = ? ORDER BY entry_date DESC, id DESC", [feedID])
        }
    }
}
