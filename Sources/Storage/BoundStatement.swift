import GRDB
import GRDBSQLite

/// One run of a prepared statement whose values are bound straight to SQLite.
///
/// GRDB's `execute(arguments:)` boxes every value into an existential, copies them
/// into arrays and nests one closure per argument; for the statements a sync runs
/// once per entry (inserts, path reservations, publications) that cost as much as
/// SQLite's own work. This type binds Swift values with `sqlite3_bind_*` and steps
/// the statement itself. Only for plain `INSERT`/`UPDATE`/`SELECT` on data tables
/// inside a transaction GRDB opened: it skips GRDB's observation hooks, which such
/// statements do not need (nothing in Tidings observes the database).
struct BoundStatement: ~Copyable {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?

    /// Takes `sql` from the connection's statement cache, reset, with no values bound.
    init(_ db: Database, sql: String) throws {
        try self.init(db, statement: db.cachedStatement(sql: sql))
    }

    /// Takes `statement`, prepared on `db`'s connection, reset, with no values bound:
    /// for a statement run once per entry, looked up in the cache (which hashes its
    /// SQL text) once per batch instead.
    init(_ db: Database, statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `value` (NULL when nil) to the 1-based parameter `index`.
    func bind(_ value: String?, at index: Int32) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    /// Binds `value` (NULL when nil) to the 1-based parameter `index`.
    func bind(_ value: Int64?, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds `value` as 0 or 1 to the 1-based parameter `index`.
    func bind(_ value: Bool, at index: Int32) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Runs the statement to its end.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw error(code) }
        }
    }

    /// Binds each of `texts` (NULL when nil) to its 1-based parameter, runs `body` (which
    /// binds the rest and executes), and unbinds them.
    ///
    /// The texts are copied once into one buffer and bound in place: bound one by one,
    /// SQLite would copy each into an allocation of its own (and free the previous one),
    /// a dozen allocations per stored entry.
    func withTexts<T>(_ texts: [(index: Int32, value: String?)], _ body: () throws -> T) throws -> T {
        var total = 1  // never an empty buffer: a nil pointer would bind NULL, not ""
        for (_, value) in texts { total += value?.utf8.count ?? 0 }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { buffer in
            var offset = 0
            for (index, value) in texts {
                guard var value else {
                    sqlite3_bind_null(handle, index)
                    continue
                }
                let start = buffer.baseAddress! + offset
                let count = value.withUTF8 { bytes in
                    if let source = bytes.baseAddress { start.update(from: source, count: bytes.count) }
                    return bytes.count
                }
                offset += count
                // SQLITE_STATIC: the bytes stay valid until they are unbound below.
                _ = sqlite3_bind_text(handle, index, UnsafePointer(start), Int32(count), nil)
            }
            defer { for (index, _) in texts { sqlite3_bind_null(handle, index) } }
            return try body()
        }
    }

    /// Binds `text` to the 1-based parameter `index` without copying it, and runs the
    /// statement to its end: for a large value (an entry's body), which SQLite would
    /// otherwise copy once at the bind and again into the row.
    func execute(binding text: String, at index: Int32) throws {
        var text = text
        try text.withUTF8 { bytes in
            // SQLITE_STATIC: the bytes stay valid until the parameter is bound again,
            // which happens before this closure returns.
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), nil)
            defer { sqlite3_bind_null(handle, index) }
            try execute()
        }
    }

    /// The first column of the first row as an integer; nil when there is no row or
    /// the value is NULL.
    func fetchInt64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        if code != SQLITE_ROW { throw error(code) }
        if sqlite3_column_type(handle, 0) == SQLITE_NULL { return nil }
        return sqlite3_column_int64(handle, 0)
    }

    /// Runs the statement, calling `body` with each row; the statement is reset after.
    func forEachRow(_ body: (borrowing Columns) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw error(code) }
            try body(Columns(handle: handle))
        }
    }

    /// The current row's values, by 0-based column.
    struct Columns: ~Copyable {
        fileprivate let handle: SQLiteStatement

        /// The column as an integer (0 for NULL).
        func int64(_ index: Int32) -> Int64 {
            sqlite3_column_int64(handle, index)
        }

        /// The column as an integer; nil for NULL.
        func optionalInt64(_ index: Int32) -> Int64? {
            sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
        }

        /// The column as text; nil for NULL.
        func string(_ index: Int32) -> String? {
            guard sqlite3_column_type(handle, index) != SQLITE_NULL,
                let text = sqlite3_column_text(handle, index)
            else { return nil }
            let count = Int(sqlite3_column_bytes(handle, index))
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
