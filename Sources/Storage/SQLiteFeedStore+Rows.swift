import Foundation
import GRDB
import TidingsModel

/// Dates as stored: whole milliseconds since 1970-01-01 UTC (see the schema).
enum Timestamp {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func milliseconds(_ date: Date?) -> Int64? {
        date.map { milliseconds($0) }
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func date(_ milliseconds: Int64?) -> Date? {
        milliseconds.map { date($0) }
    }
}

extension SQLiteFeedStore {
    static let feedColumns = """
        id, url, name, title, category, interval_ms, user_agent, enabled, filters, fetch_url, etag, \
        last_modified, last_attempt, last_success, next_check, consecutive_failures, last_error_kind, \
        last_error, last_status, redirect_candidate, redirect_confirmations, retired, parsed_title, document_digest
        """

    /// The columns of `entries` (bookkeeping) and of `entry_contents` (content) that
    /// make a `StoredEntry`; no name is in both tables.
    static let entryColumns = """
        id, feed_id, key, canonical_link, published, content_hash, first_seen, last_changed, entry_date, path, \
        published_hash, duplicate_of, retired
        """
    static let contentColumns = "title, link, updated, description, image, authors, categories, enclosures, body"

    /// `entries` with each row's content beside it (NULLs for a retired entry, whose
    /// content was dropped).
    static let entriesWithContents = "entries LEFT JOIN entry_contents ON entry_contents.entry_id = entries.id"

    func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        // Most entries have no authors or enclosures; JSONEncoder is slow to set up.
        if let array = value as? [any Encodable], array.isEmpty { return "[]" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder output is always valid UTF-8.
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        if text == "[]", let empty = [Never]() as? T { return empty }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.corruptValue(path: path, what: what, error)
        }
    }

    func feedRecord(_ row: Row) throws -> FeedRecord {
        let id: Int64 = row["id"]
        let intervalMilliseconds: Int64? = row["interval_ms"]
        let subscription = FeedSubscription(
            url: row["url"],
            name: row["name"],
            title: row["title"],
            category: row["category"],
            interval: intervalMilliseconds.map { Double($0) / 1000 },
            userAgent: row["user_agent"],
            enabled: row["enabled"],
            filters: try decodeJSON([FilterRule].self, row["filters"], what: "the filters of feed \(id)")
        )
        let lastStatus: Int64? = row["last_status"]
        let consecutiveFailures: Int64 = row["consecutive_failures"]
        let redirectConfirmations: Int64 = row["redirect_confirmations"]
        let state = FetchState(
            fetchURL: row["fetch_url"],
            etag: row["etag"],
            lastModified: row["last_modified"],
            lastAttempt: Timestamp.date(row["last_attempt"] as Int64?),
            lastSuccess: Timestamp.date(row["last_success"] as Int64?),
            nextCheck: Timestamp.date(row["next_check"] as Int64?),
            consecutiveFailures: Int(consecutiveFailures),
            lastErrorKind: row["last_error_kind"],
            lastError: row["last_error"],
            lastStatus: lastStatus.map { Int($0) },
            redirectCandidate: row["redirect_candidate"],
            redirectConfirmations: Int(redirectConfirmations),
            retired: row["retired"],
            title: row["parsed_title"],
            documentDigest: row["document_digest"]
        )
        return FeedRecord(id: id, subscription: subscription, state: state)
    }

    func storedEntry(_ row: Row) throws -> StoredEntry {
        let id: Int64 = row["id"]
        // A retired entry has no content row: its columns read NULL, and empty here.
        let entry = ProcessedEntry(
            key: row["key"],
            title: row["title"] as String? ?? "",
            link: row["link"],
            canonicalLink: row["canonical_link"],
            published: Timestamp.date(row["published"] as Int64?),
            updated: Timestamp.date(row["updated"] as Int64?),
            description: row["description"] as String? ?? "",
            image: row["image"],
            body: row["body"] as String? ?? "",
            authors: try decodeJSON(
                [Author].self, row["authors"] as String? ?? "[]", what: "the authors of entry \(id)"),
            categories: try decodeJSON(
                [String].self, row["categories"] as String? ?? "[]", what: "the categories of entry \(id)"),
            enclosures: try decodeJSON(
                [Enclosure].self, row["enclosures"] as String? ?? "[]", what: "the enclosures of entry \(id)"),
            contentHash: row["content_hash"]
        )
        return StoredEntry(
            id: id,
            feedID: row["feed_id"],
            entry: entry,
            firstSeen: Timestamp.date(row["first_seen"] as Int64),
            lastChanged: Timestamp.date(row["last_changed"] as Int64),
            date: Timestamp.date(row["entry_date"] as Int64),
            path: row["path"],
            publishedHash: row["published_hash"],
            duplicateOf: row["duplicate_of"],
            retired: row["retired"]
        )
    }

    func fetchEntries(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> [StoredEntry]
    {
        // A cursor maps each row as it is stepped, without a [Row] of the whole result.
        try Array(
            Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT \(Self.entryColumns), \(Self.contentColumns) FROM \(Self.entriesWithContents)
                        WHERE \(condition)
                        """),
                arguments: arguments
            ).map(storedEntry))
    }

    func fetchFeeds(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> [FeedRecord]
    {
        try Array(
            Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(Self.feedColumns) FROM feeds WHERE \(condition)"),
                arguments: arguments
            ).map(feedRecord))
    }
}

// SQLite's C API reads bound text up to the first NUL, and PostgreSQL refuses NUL in
// TEXT; hostile feeds can still carry one (JSON's "\u0000"). The store writes U+FFFD
// instead, so a key never silently loses its tail and collides with another.
extension String {
    var storable: String {
        hasNUL ? replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : self
    }

    /// Whether the text holds U+0000, found with memchr (not StringProtocol.contains,
    /// which goes through NSString, nor a byte-by-byte loop over every body).
    fileprivate var hasNUL: Bool {
        // Read in place (a native string's bytes are contiguous); a copy for the others.
        if let found = utf8.withContiguousStorageIfAvailable({
            $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil
        }) {
            return found
        }
        var copy = self
        return copy.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }
    }
}

extension Optional where Wrapped == String {
    var storable: String? { map(\.storable) }
}

extension Optional where Wrapped == String {
    fileprivate var hasNUL: Bool { self?.hasNUL ?? false }
}

extension ProcessedEntry {
    var storable: ProcessedEntry {
        // The usual case, checked first: nothing to replace, so no field is reassigned
        // (each reassignment releases one string and retains another).
        guard
            key.hasNUL || title.hasNUL || link.hasNUL || canonicalLink.hasNUL || description.hasNUL
                || image.hasNUL || body.hasNUL || contentHash.hasNUL
        else { return self }
        var entry = self
        entry.key = key.storable
        entry.title = title.storable
        entry.link = link.storable
        entry.canonicalLink = canonicalLink.storable
        entry.description = description.storable
        entry.image = image.storable
        entry.body = body.storable
        entry.contentHash = contentHash.storable
        return entry
    }
}

extension FeedSubscription {
    var storable: FeedSubscription {
        var subscription = self
        subscription.url = url.storable
        subscription.name = name.storable
        subscription.title = title.storable
        subscription.category = category.storable
        subscription.userAgent = userAgent.storable
        return subscription
    }
}

extension FetchState {
    var storable: FetchState {
        var state = self
        state.fetchURL = fetchURL.storable
        state.etag = etag.storable
        state.lastModified = lastModified.storable
        state.lastErrorKind = lastErrorKind.storable
        state.lastError = lastError.storable
        state.redirectCandidate = redirectCandidate.storable
        state.title = title.storable
        state.documentDigest = documentDigest.storable
        return state
    }
}
