import Foundation
import TidingsModel

/// What the store knows about fetching one feed: validators, schedule and health.
public struct FetchState: Sendable, Hashable, Codable {
    /// The URL to fetch; starts as the configured URL and follows confirmed
    /// permanent redirects.
    public var fetchURL: String
    /// The last `ETag` the server sent.
    public var etag: String?
    /// The last `Last-Modified` the server sent.
    public var lastModified: String?
    /// When the feed was last attempted.
    public var lastAttempt: Date?
    /// When the feed was last fetched without error (200 or 304).
    public var lastSuccess: Date?
    /// When the feed is due next.
    public var nextCheck: Date?
    /// Failures since the last success.
    public var consecutiveFailures: Int
    /// The last error's metric-safe kind (`dns`, `tls`, `timeout`, `http`, `too-large`, `not-a-feed`, …).
    public var lastErrorKind: String?
    /// The last error, as a message a user can act on.
    public var lastError: String?
    /// The last HTTP status seen.
    public var lastStatus: Int?
    /// A permanent-redirect target seen on consecutive fetches, not yet adopted.
    public var redirectCandidate: String?
    /// On how many consecutive fetches `redirectCandidate` was seen.
    public var redirectConfirmations: Int
    /// Set when the server answered 410 Gone: the feed is never fetched again.
    public var retired: Bool
    /// The feed's title as last parsed.
    public var title: String?
    /// A digest of the last document processed and of what its processing depended on
    /// (see `DocumentDigest`): a 200 whose digest is the same is handled like a 304.
    /// `nil` until a second document arrives: a feed's first fetch does not spend time
    /// on it.
    public var documentDigest: String?

    /// Creates a fetch state for a feed never fetched.
    public init(
        fetchURL: String,
        etag: String? = nil,
        lastModified: String? = nil,
        lastAttempt: Date? = nil,
        lastSuccess: Date? = nil,
        nextCheck: Date? = nil,
        consecutiveFailures: Int = 0,
        lastErrorKind: String? = nil,
        lastError: String? = nil,
        lastStatus: Int? = nil,
        redirectCandidate: String? = nil,
        redirectConfirmations: Int = 0,
        retired: Bool = false,
        title: String? = nil,
        documentDigest: String? = nil
    ) {
        self.fetchURL = fetchURL
        self.etag = etag
        self.lastModified = lastModified
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.nextCheck = nextCheck
        self.consecutiveFailures = consecutiveFailures
        self.lastErrorKind = lastErrorKind
        self.lastError = lastError
        self.lastStatus = lastStatus
        self.redirectCandidate = redirectCandidate
        self.redirectConfirmations = redirectConfirmations
        self.retired = retired
        self.title = title
        self.documentDigest = documentDigest
    }
}

/// A feed as stored: the subscription it came from plus its fetch state.
public struct FeedRecord: Sendable, Hashable {
    /// The store's identifier.
    public var id: Int64
    /// The subscription, as last synchronized from the configuration.
    public var subscription: FeedSubscription
    /// Validators, schedule and health.
    public var state: FetchState

    /// Creates a record.
    public init(id: Int64, subscription: FeedSubscription, state: FetchState) {
        self.id = id
        self.subscription = subscription
        self.state = state
    }
}

/// An entry as stored.
public struct StoredEntry: Sendable, Hashable {
    /// The store's identifier.
    public var id: Int64
    /// The feed it belongs to.
    public var feedID: Int64
    /// The entry as last processed.
    public var entry: ProcessedEntry
    /// When the store first saw it.
    public var firstSeen: Date
    /// When its content hash last changed.
    public var lastChanged: Date
    /// `entry.published`, else `firstSeen`: the date written in front matter.
    public var date: Date
    /// The output path (relative to the output folder) reserved for it, once published.
    public var path: String?
    /// The content hash of the version last written to `path`.
    public var publishedHash: String?
    /// Another stored entry with the same canonical link, published instead of this one.
    public var duplicateOf: Int64?
    /// Set when retention removed its file; it is never published again.
    public var retired: Bool

    /// Creates a stored entry.
    public init(
        id: Int64,
        feedID: Int64,
        entry: ProcessedEntry,
        firstSeen: Date,
        lastChanged: Date,
        date: Date,
        path: String? = nil,
        publishedHash: String? = nil,
        duplicateOf: Int64? = nil,
        retired: Bool = false
    ) {
        self.id = id
        self.feedID = feedID
        self.entry = entry
        self.firstSeen = firstSeen
        self.lastChanged = lastChanged
        self.date = date
        self.path = path
        self.publishedHash = publishedHash
        self.duplicateOf = duplicateOf
        self.retired = retired
    }
}

/// A retired entry that may still have a file in the output folder: one another
/// worker's retention retired while its file was being written, or one whose file a
/// run was removing when it died. The file goes, and the store is told so.
public struct RetiredFile: Sendable, Hashable {
    /// The entry.
    public var entryID: Int64
    /// Its feed.
    public var feedID: Int64
    /// The file's path, relative to the output folder.
    public var path: String

    /// Creates a record.
    public init(entryID: Int64, feedID: Int64, path: String) {
        self.entryID = entryID
        self.feedID = feedID
        self.path = path
    }
}

/// A pending entry's bookkeeping, without its content.
public struct PendingPublication: Sendable, Hashable {
    /// The store's identifier.
    public var id: Int64
    /// The feed it belongs to.
    public var feedID: Int64
    /// The entry's key within its feed.
    public var key: String
    /// The content hash of the stored version.
    public var contentHash: String
    /// The reserved output path, if any.
    public var path: String?
    /// The date written in front matter.
    public var date: Date

    /// Creates a stub.
    public init(id: Int64, feedID: Int64, key: String, contentHash: String, path: String?, date: Date) {
        self.id = id
        self.feedID = feedID
        self.key = key
        self.contentHash = contentHash
        self.path = path
        self.date = date
    }
}

/// What an upsert of one fetch's entries changed.
public struct UpsertResult: Sendable, Hashable {
    /// Entries seen for the first time (duplicates of another feed's entry included).
    public var inserted: Int
    /// Entries whose content hash changed.
    public var changed: Int
    /// Entries already stored with the same hash.
    public var unchanged: Int
    /// New entries recorded as duplicates of an entry of another feed (by canonical link).
    public var duplicates: Int
    /// New entries that now hold the path proposed for them (see
    /// ``FeedStore/upsert(entries:feedID:at:proposedPaths:state:listingPending:)``), by
    /// id. Each is recorded as published, unconfirmed until its file is written.
    public var reserved: Set<Int64>
    /// When asked for: the feed's pending publications once the entries are stored,
    /// as ``FeedStore/pendingPublicationStubs(feedID:)`` would list them.
    public var pending: [PendingPublication]?

    /// Creates a result.
    public init(
        inserted: Int = 0, changed: Int = 0, unchanged: Int = 0, duplicates: Int = 0, reserved: Set<Int64> = [],
        pending: [PendingPublication]? = nil
    ) {
        self.inserted = inserted
        self.changed = changed
        self.unchanged = unchanged
        self.duplicates = duplicates
        self.reserved = reserved
        self.pending = pending
    }
}

/// What synchronizing the configuration did (see
/// ``FeedStore/synchronizeReturningIDs(subscriptions:)``).
public struct FeedSynchronization: Sendable, Hashable {
    /// The configured feeds' identifiers, in configuration order.
    public var ids: [Int64]
    /// The stored feeds that took a new URL from the configuration, in configuration order.
    public var continued: [FeedContinuation]

    /// Creates a result.
    public init(ids: [Int64], continued: [FeedContinuation] = []) {
        self.ids = ids
        self.continued = continued
    }
}

/// A stored feed that a configured URL continues: the user edited the feed's URL in
/// the configuration, and the feed keeps its history (entries, published files, and
/// the record of which files it owns) instead of starting again as a new feed, which
/// would publish its current entries a second time.
///
/// Only a stored feed that no configured URL names can be continued, each by one URL.
public struct FeedContinuation: Sendable, Hashable {
    /// Why the new URL is taken for the same feed, from the surest reason to the least.
    /// Every new URL is matched by the surest reason before any is by the next.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Another spelling of the same request (``FeedURL/identity(_:)``): case of the
        /// scheme and host, the default port, a fragment. The fetch state is kept:
        /// validators, schedule and health all still apply.
        case sameRequest
        /// The same address over the other of `http` and `https`
        /// (``FeedURL/identityAcrossSchemes(_:)``): the site moved to https.
        case otherScheme
        /// The same `name` as a feed configured until now: the user changed the URL of
        /// a named feed.
        case sameName
    }

    /// The stored feed, which keeps its identifier.
    public var feedID: Int64
    /// The URL it had.
    public var previousURL: String
    /// The URL it has now, as configured.
    public var url: String
    /// Why the new URL is the same feed.
    public var reason: Reason

    /// Creates a continuation.
    public init(feedID: Int64, previousURL: String, url: String, reason: Reason) {
        self.feedID = feedID
        self.previousURL = previousURL
        self.url = url
        self.reason = reason
    }
}

/// Where Tidings keeps feeds, their fetch state and their entries.
///
/// The SQLite implementation (`SQLiteFeedStore`) is the default; a PostgreSQL one
/// will implement the same protocol, so nothing here assumes SQLite. Every method is
/// one transaction: a crash between two calls loses nothing that a re-run does not
/// redo. Entries are upserted before they are published. Publication is recorded
/// after the file is written, with one exception that a crash cannot lose either: a
/// new entry stored holding its path is recorded as published in the upsert itself,
/// and its feed as holding unconfirmed publications; such entries count as pending
/// until ``markPublished(_:confirming:written:)`` confirms them, after their files are on
/// disk. (This spares a second write of every new entry's row and indexes.) Two
/// workers may refresh one feed at once (overlapping runs): each confirms only the
/// entries it listed, so one's confirmation never covers the other's unwritten files.
public protocol FeedStore: Sendable {
    /// Makes the store's feed list match the configuration: adds new subscriptions,
    /// updates changed ones, disables (never deletes) those no longer configured.
    /// Returns the configured feeds' identifiers, in configuration order (a list of
    /// 100,000 feeds' records would be 65 MB; see ``synchronize(subscriptions:)``).
    ///
    /// A URL no stored feed has continues a stored feed that no configured URL names,
    /// when it is the same feed under another address (see ``FeedContinuation``): the
    /// stored feed takes the new URL and keeps its entries and published files.
    func synchronizeReturningIDs(subscriptions: [FeedSubscription]) async throws -> FeedSynchronization

    /// Every feed the store knows, configured or not.
    func feeds() async throws -> [FeedRecord]

    /// The feeds with these identifiers, in the order given; unknown ones are left
    /// out. A long run reads its feeds a page at a time with this, rather than
    /// holding every record from its start.
    func feeds(ids: [Int64]) async throws -> [FeedRecord]

    /// The enabled, non-retired feeds whose `nextCheck` is unset or not after `now`.
    func dueFeeds(at now: Date) async throws -> [FeedRecord]

    /// The identifiers of the enabled, non-retired feeds, or, given `dueAt`, of those
    /// ``dueFeeds(at:)`` would list, in its order.
    func feedIDs(dueAt: Date?) async throws -> [Int64]

    /// The earliest `nextCheck` of the enabled, non-retired feeds (nil when none has one).
    func earliestNextCheck() async throws -> Date?

    /// Replaces a feed's fetch state.
    func updateState(feedID: Int64, _ state: FetchState) async throws

    /// Stores one fetch's entries for a feed, matching them to stored ones by key
    /// (and, for a feed whose keys are unstable, by canonical link within the feed),
    /// and records cross-feed duplicates by canonical link. Entries already stored
    /// keep their `firstSeen`; an entry with no date keeps the first-seen date.
    ///
    /// `proposedPaths` (entry key to output path) lets a new entry reserve its path in
    /// the same transaction, as ``reservePaths(_:)`` would: an entry that is not new,
    /// is a duplicate, or whose path another entry holds gets no path (the publisher
    /// then reserves one). The result lists the entries that got theirs
    /// (``UpsertResult/reserved``). Each of those is recorded as published with its
    /// content hash at once, unconfirmed: it stays pending until
    /// ``markPublished(_:confirming:written:)`` confirms it.
    ///
    /// `state`, when given, replaces the feed's fetch state in the same transaction
    /// (as ``updateState(feedID:_:)`` would), so new validators are never stored
    /// without the entries of the document they describe.
    ///
    /// With `listingPending`, the result also lists the feed's pending publications
    /// as the transaction leaves them, sparing the publisher a read.
    func upsert(
        entries: [ProcessedEntry], feedID: Int64, at now: Date, proposedPaths: [String: String], state: FetchState?,
        listingPending: Bool
    ) async throws -> UpsertResult

    /// Entries to write: not retired, not duplicates, and never published, published
    /// with another content hash, or published unconfirmed (see
    /// ``upsert(entries:feedID:at:proposedPaths:state:listingPending:)``). Oldest first
    /// (by `date`, then id). `feedID` limits to one feed.
    func pendingPublications(feedID: Int64?) async throws -> [StoredEntry]

    /// The same entries as ``pendingPublications(feedID:)`` without their content:
    /// enough for a publisher that holds the entries it just stored to skip reading
    /// them back.
    func pendingPublicationStubs(feedID: Int64?) async throws -> [PendingPublication]

    /// Entries by identifier (unknown ones are left out), in no particular order.
    func entries(ids: [Int64]) async throws -> [StoredEntry]

    /// Reserves, in one transaction, a path for each entry that has none (an entry
    /// already holding exactly that path counts as reserved). Returns the entries
    /// whose reservation holds; the others' paths are taken by another entry (or by
    /// an earlier reservation of the same batch), and the caller tries their next
    /// candidates.
    func reservePaths(_ reservations: [(entryID: Int64, path: String)]) async throws -> Set<Int64>

    /// Gives up, in one transaction, the paths of entries never published or
    /// published unconfirmed: a file Tidings did not write was found at each, so they
    /// are reserved again (see ``reservePaths(_:)``) and are pending as never
    /// published. Entries whose publication is confirmed keep theirs.
    func releasePaths(entryIDs: [Int64]) async throws

    /// Records, in one transaction, that each entry's file now holds the version
    /// with `contentHash`, and confirms the unconfirmed publications of each feed in
    /// `confirmations` up to its entry id `through`: the caller listed the feed's
    /// pending entries, up to that id, and their files are on disk. Entries stored
    /// since (by another worker) stay unconfirmed.
    ///
    /// `written` names the other entries whose files the caller wrote or found in
    /// place (those the store recorded as published when it stored them). Returned:
    /// the entries among those and `versions` that another worker retired while the
    /// files were being written (its retention removed their files, or decided never
    /// to write them), so that the file just written is nobody's. Each is recorded as
    /// retired with a file (see ``retiredFiles()``): the caller removes the files, then
    /// calls ``forgetRetiredFiles(entryIDs:)``.
    @discardableResult
    func markPublished(
        _ versions: [(entryID: Int64, contentHash: String)],
        confirming confirmations: [(feedID: Int64, through: Int64)],
        written: [Int64]
    ) async throws -> [RetiredFile]

    /// Published, non-retired entries of a feed that fall outside retention: older
    /// than `maxAge` (by `date`) or beyond the newest `maxItems`.
    func retentionCandidates(feedID: Int64, maxAge: TimeInterval?, maxItems: Int?, now: Date) async throws
        -> [StoredEntry]

    /// The pending publications of a feed (never published, changed since, or
    /// unconfirmed) that retention would remove as soon as they were published: ranked
    /// by date with every entry of the feed that is neither retired nor a duplicate,
    /// older than `maxAge` or beyond the newest `maxItems`. Oldest first; `nil` limits
    /// select nothing.
    func pendingBeyondRetention(feedID: Int64, maxAge: TimeInterval?, maxItems: Int?, now: Date) async throws
        -> [PendingPublication]

    /// Retires, in one transaction, those of `entryIDs` that are still pending (never
    /// published, changed since, or unconfirmed), as ``retire(entryID:)`` does, and
    /// returns their ids. Retention uses it for entries it decided never to write: one
    /// that another worker published meanwhile is left out (and unknown or retired ids
    /// are), so that its file is removed by retention later, not left behind.
    func retirePending(entryIDs: [Int64]) async throws -> Set<Int64>

    /// Retires, in one transaction, entries whose files the caller is about to remove,
    /// recording that each may still have a file: until
    /// ``forgetRetiredFiles(entryIDs:)`` they are listed by ``retiredFiles()``, so a run
    /// that dies between the two steps leaves no file behind for good. Unknown or
    /// retired ids are left out.
    func retireBeforeRemoving(entryIDs: [Int64]) async throws

    /// The retired entries that may still have a file (see
    /// ``retireBeforeRemoving(entryIDs:)`` and
    /// ``markPublished(_:confirming:written:)``), by entry id.
    func retiredFiles() async throws -> [RetiredFile]

    /// Records, in one transaction, that the files of these retired entries are gone.
    func forgetRetiredFiles(entryIDs: [Int64]) async throws

    /// Marks an entry retired after its file was removed, and drops its content (title,
    /// description, body, lists): retention bounds the store as it bounds the output
    /// folder. The entry stays known by its key, and listed with empty content. Its
    /// path stays reserved: no other entry is published at an address that served
    /// this one (a permalink is never reused for another story).
    func retire(entryID: Int64) async throws

    /// All entries of a feed, newest first (for the API, output feeds and tests).
    func entries(feedID: Int64) async throws -> [StoredEntry]

    /// Ends this process's use of the store, once every call to it has returned: no
    /// call may follow. For SQLite, what the write-ahead log holds is copied into the
    /// database file and the log emptied (unless another process is reading or writing
    /// the file then), so that the file alone holds everything (a backup that copies
    /// only it misses nothing) and the next process has no log to read back first. A
    /// process that ends without it loses nothing either.
    func close() async throws
}

extension FeedStore {
    /// Synchronizes the configuration (see ``synchronizeReturningIDs(subscriptions:)``)
    /// and returns the configured feeds' records, in configuration order.
    public func synchronize(subscriptions: [FeedSubscription]) async throws -> [FeedRecord] {
        try await feeds(ids: synchronizeReturningIDs(subscriptions: subscriptions).ids)
    }

    /// Stores one fetch's entries with no paths proposed, leaving the fetch state as it is.
    public func upsert(entries: [ProcessedEntry], feedID: Int64, at now: Date) async throws -> UpsertResult {
        try await upsert(
            entries: entries, feedID: feedID, at: now, proposedPaths: [:], state: nil, listingPending: false)
    }

    /// Stores one fetch's entries, leaving the fetch state as it is.
    public func upsert(entries: [ProcessedEntry], feedID: Int64, at now: Date, proposedPaths: [String: String])
        async throws -> UpsertResult
    {
        try await upsert(
            entries: entries, feedID: feedID, at: now, proposedPaths: proposedPaths, state: nil, listingPending: false)
    }

    /// Reserves `path` for an entry that has none. Returns false when another entry
    /// holds it.
    public func reservePath(_ path: String, entryID: Int64) async throws -> Bool {
        try await reservePaths([(entryID: entryID, path: path)]).contains(entryID)
    }

    /// ``markPublished(_:confirming:written:)`` with no other entries written.
    @discardableResult
    public func markPublished(
        _ versions: [(entryID: Int64, contentHash: String)], confirming confirmations: [(feedID: Int64, through: Int64)]
    ) async throws -> [RetiredFile] {
        try await markPublished(versions, confirming: confirmations, written: [])
    }

    /// Records, in one transaction, that each entry's file now holds the version with
    /// `contentHash`, confirming no feed's publications (see
    /// ``markPublished(_:confirming:written:)``).
    @discardableResult
    public func markPublished(_ versions: [(entryID: Int64, contentHash: String)]) async throws -> [RetiredFile] {
        try await markPublished(versions, confirming: [], written: [])
    }

    /// Records that one entry's file now holds the version with `contentHash` (see
    /// ``markPublished(_:confirming:written:)``).
    @discardableResult
    public func markPublished(entryID: Int64, contentHash: String) async throws -> [RetiredFile] {
        try await markPublished([(entryID: entryID, contentHash: contentHash)], confirming: [], written: [])
    }
}
