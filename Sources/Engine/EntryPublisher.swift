import Foundation
import Publishing
import Storage
import TidingsModel

/// Writes the store's pending entries as Hugo content files and applies retention.
///
/// Crash safety comes from the order of steps: the store holds an entry before any
/// file is written; a path is reserved in the store before the file is written; the
/// file is written atomically; the published version is recorded last. Whatever
/// step a run dies in, the next run finds the entry still pending and redoes the
/// rest, writing the same bytes to the same path.
public struct EntryPublisher: Sendable {
    /// Where feeds and entries are kept.
    public let store: any FeedStore
    /// The output folder.
    public let folder: OutputFolder
    /// Date style, time zone, draft flag and retention.
    public let options: OutputOptions
    /// The output path template.
    public let template: ContentPathTemplate

    /// Attempts at a free path before giving up on an entry.
    static let maxPathAttempts = 1000

    /// Creates a publisher; the folder is created if needed.
    public init(store: any FeedStore, options: OutputOptions) throws {
        self.store = store
        self.options = options
        self.folder = try OutputFolder(directory: options.directory)
        self.template = try ContentPathTemplate(options.pathTemplate)
    }

    /// What one publishing pass did.
    public struct Result: Sendable, Hashable {
        /// Files written (new content or changed content).
        public var filesWritten = 0
        /// Entries whose file already held the current bytes.
        public var unchanged = 0
    }

    /// Publishes pending entries of one feed (`feedID`), or of every feed in `feeds`
    /// when `feedID` is nil.
    public func publishPending(feeds: [FeedRecord], feedID: Int64?) async throws -> Result {
        let byID = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result = Result()
        for stored in try await store.pendingPublications(feedID: feedID) {
            guard let feed = byID[stored.feedID] else { continue }
            if try await publish(stored, of: feed) {
                result.filesWritten += 1
            } else {
                result.unchanged += 1
            }
        }
        return result
    }

    /// Writes one entry's file (reserving its path first if it has none) and records it.
    /// Returns whether the file's bytes changed.
    func publish(_ stored: StoredEntry, of feed: FeedRecord) async throws -> Bool {
        let path: String
        if let reserved = stored.path {
            // Reserved but pending: changed since, or a run died while writing it.
            path = reserved
            try folder.removeStaleTemporaryFiles(near: path)
        } else {
            path = try await reservePath(for: stored, of: feed)
        }
        let written = try folder.write(Array(render(stored, of: feed).utf8), to: path)
        try await store.markPublished(entryID: stored.id, contentHash: stored.entry.contentHash)
        return written
    }

    /// The file's text for an entry.
    public func render(_ stored: StoredEntry, of feed: FeedRecord) -> String {
        HugoRenderer.render(
            Self.page(for: stored.entry, date: stored.date, source: feed.subscription.url, draft: options.draft),
            dateStyle: options.dateStyle, timeZone: options.timeZone)
    }

    /// The front matter and body of an entry's content file.
    public static func page(for entry: ProcessedEntry, date: Date, source: String, draft: Bool) -> HugoPage {
        HugoPage(
            title: entry.title, date: date, description: entry.description, image: entry.image ?? "",
            link: entry.link ?? "", source: source, draft: draft, body: entry.body)
    }

    private func reservePath(for stored: StoredEntry, of feed: FeedRecord) async throws -> String {
        let id = Self.entryToken(feedURL: feed.subscription.url, key: stored.entry.key)
        let feedName = Self.feedName(feed.subscription)
        for attempt in 0..<Self.maxPathAttempts {
            let candidate = template.path(
                title: stored.entry.title, date: stored.date, id: id, feed: feedName, timeZone: options.timeZone,
                attempt: attempt)
            // A file Tidings did not reserve is never overwritten.
            if folder.exists(candidate) { continue }
            if try await store.reservePath(candidate, entryID: stored.id) { return candidate }
        }
        throw EngineError.noFreePath(title: stored.entry.title, feed: feed.subscription.url)
    }

    /// Removes the files of entries outside the retention limits and retires them.
    /// Returns how many files were removed.
    public func applyRetention(to feed: FeedRecord, now: Date) async throws -> Int {
        guard options.maxAge != nil || options.maxItemsPerFeed != nil else { return 0 }
        var removed = 0
        let candidates = try await store.retentionCandidates(
            feedID: feed.id, maxAge: options.maxAge, maxItems: options.maxItemsPerFeed, now: now)
        for stored in candidates {
            guard let path = stored.path else { continue }
            try folder.remove(path)
            try await store.retire(entryID: stored.id)
            removed += 1
        }
        return removed
    }

    /// `{id}` in path templates: a short digest of the feed URL and entry key, the same
    /// on every machine and every run.
    public static func entryToken(feedURL: String, key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in feedURL.utf8 + [0x0A] + key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `{feed}` in path templates: the subscription's name, else its host and path.
    public static func feedName(_ subscription: FeedSubscription) -> String {
        if let name = subscription.name, !name.isEmpty { return name }
        guard let url = URL(string: subscription.url), let host = url.host else { return "feed" }
        let path = url.path.split(separator: "/").joined(separator: "-")
        return path.isEmpty ? host : host + "-" + path
    }
}
