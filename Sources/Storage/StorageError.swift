import Foundation
import GRDB

/// Why the store could not do what was asked.
///
/// `shortDescription` is stable and safe for a metric label; `description` says
/// which database file, what operation, and what to do.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        /// The file could not be opened or configured.
        case open(path: String, reason: String)
        /// A migration failed; the database is left at the last applied one.
        case migration(path: String, reason: String)
        /// An SQL operation failed.
        case database(path: String, operation: String, code: Int32, reason: String)
        /// The database holds something this version cannot read.
        case corruptValue(path: String, what: String, reason: String)
        /// A feed id that the store does not hold.
        case unknownFeed(path: String, id: Int64)
        /// An entry id that the store does not hold.
        case unknownEntry(path: String, id: Int64)
        /// `reservePath` for an entry that already holds another path.
        case pathAlreadyReserved(path: String, entryID: Int64, held: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func open(path: String, _ error: any Error) -> StorageError {
        StorageError(.open(path: path, reason: Self.reason(error)))
    }

    static func migration(path: String, _ error: any Error) -> StorageError {
        StorageError(.migration(path: path, reason: Self.reason(error)))
    }

    /// Wraps any error thrown during `operation`; a `StorageError` passes through.
    static func wrapping(_ error: any Error, path: String, operation: String) -> any Error {
        if error is StorageError || error is CancellationError {
            return error
        }
        let code = (error as? DatabaseError)?.resultCode.primaryResultCode.rawValue ?? -1
        return StorageError(.database(path: path, operation: operation, code: code, reason: Self.reason(error)))
    }

    static func corruptValue(path: String, what: String, _ error: any Error) -> StorageError {
        StorageError(.corruptValue(path: path, what: what, reason: String(describing: error)))
    }

    static func unknownFeed(path: String, id: Int64) -> StorageError {
        StorageError(.unknownFeed(path: path, id: id))
    }

    static func unknownEntry(path: String, id: Int64) -> StorageError {
        StorageError(.unknownEntry(path: path, id: id))
    }

    static func pathAlreadyReserved(path: String, entryID: Int64, held: String) -> StorageError {
        StorageError(.pathAlreadyReserved(path: path, entryID: entryID, held: held))
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        }
        return String(describing: error)
    }

    /// A short, stable form safe for a metric label.
    public var shortDescription: String {
        switch kind {
        case .open: return "open_failed"
        case .migration: return "migration_failed"
        case .database(_, _, let code, _):
            switch code {
            case ResultCode.SQLITE_BUSY.rawValue, ResultCode.SQLITE_LOCKED.rawValue: return "busy"
            case ResultCode.SQLITE_FULL.rawValue: return "disk_full"
            case ResultCode.SQLITE_CORRUPT.rawValue, ResultCode.SQLITE_NOTADB.rawValue: return "corrupt"
            case ResultCode.SQLITE_READONLY.rawValue, ResultCode.SQLITE_PERM.rawValue,
                ResultCode.SQLITE_CANTOPEN.rawValue:
                return "read_only"
            case ResultCode.SQLITE_CONSTRAINT.rawValue: return "constraint"
            case ResultCode.SQLITE_IOERR.rawValue: return "io_error"
            default: return "database_error"
            }
        case .corruptValue: return "corrupt_value"
        case .unknownFeed: return "unknown_feed"
        case .unknownEntry: return "unknown_entry"
        case .pathAlreadyReserved: return "path_already_reserved"
        }
    }

    /// One line a user can act on.
    public var description: String {
        switch kind {
        case .open(let path, let reason):
            return "cannot open the database \(path): \(reason) (check that its folder exists and is writable)"
        case .migration(let path, let reason):
            return "cannot update the schema of the database \(path): \(reason) "
                + "(restore a backup, or check that no older tidings version is writing to it)"
        case .database(let path, let operation, let code, let reason):
            let hint: String
            switch code {
            case ResultCode.SQLITE_BUSY.rawValue, ResultCode.SQLITE_LOCKED.rawValue:
                hint = "another process held the database too long; retry, or run fewer writers"
            case ResultCode.SQLITE_FULL.rawValue: hint = "free disk space"
            case ResultCode.SQLITE_CORRUPT.rawValue, ResultCode.SQLITE_NOTADB.rawValue:
                hint = "the file is damaged; restore a backup"
            case ResultCode.SQLITE_READONLY.rawValue, ResultCode.SQLITE_PERM.rawValue,
                ResultCode.SQLITE_CANTOPEN.rawValue:
                hint = "check the permissions of the file, its -wal and -shm files and their folder"
            default: hint = "retry; report it if it persists"
            }
            return "database \(path): \(operation) failed: \(reason) (\(hint))"
        case .corruptValue(let path, let what, let reason):
            return "database \(path): cannot read \(what): \(reason) (was it written by a newer tidings version?)"
        case .unknownFeed(let path, let id):
            return "database \(path): no feed with id \(id)"
        case .unknownEntry(let path, let id):
            return "database \(path): no entry with id \(id)"
        case .pathAlreadyReserved(let path, let entryID, let held):
            return "database \(path): entry \(entryID) already holds the path \(held); publish it there"
        }
    }
}
