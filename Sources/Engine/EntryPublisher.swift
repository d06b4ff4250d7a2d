import Fetching
import Foundation
import Publishing
import Storage
import TidingsModel

/// Writes the store's pending entries as Hugo content files and applies retention.
///
/// Crash safety comes from the order of steps: the store holds an entry before any
/// file is written; a path is reserved in the store before the file is written; the
/// file is written atomically; the published version is recorded last, or, for a new
/// entry stored holding its path (and so recorded as published at once), its feed's
/// publications are confirmed last. Whatever step a run dies in, the next run finds
/// the entry still pending and redoes the rest, writing the same bytes to the same
/// path.
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
    ///
    /// Entries that hold a path are written first. Then the others reserve paths, in
    /// one store transaction for the batch, and are written. Last, one transaction
    /// records what was written.
    ///
    /// `reservedNow` are entries whose path was reserved as they were stored (see
    /// ``proposedPaths(for:of:at:)``): like entries reserved here, their files are new,
    /// and are created without replacing anything. The store recorded them as
    /// published already; confirming their feed's publications up to the last
    /// pending entry records them once their files are written. A file that appeared
    /// at such a path since it was found free is kept, and the entry gives the path up
    /// and reserves the next free one, in order with the entries that held none.
    ///
    /// `stubs` are the pending publications when the caller has them already (an
    /// upsert can list them); `filesWritten` runs once the files are on disk, before
    /// the store records them.
    public func publishPending(
        feeds: [FeedRecord], feedID: Int64?, fresh: [ProcessedEntry] = [], reservedNow: Set<Int64> = [],
        stubs: [PendingPublication]? = nil, filesWritten: () async -> Void = {}
    ) async throws -> Result {
        let byID = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let pending = try await pendingEntries(feedID: feedID, fresh: fresh, stubs: stubs).filter {
            byID[$0.feedID] != nil
        }
        if pending.isEmpty { return Result() }
        var result = Result()
        var published: [(entryID: Int64, contentHash: String)] = []
        var recordedWritten: [Int64] = []
        func count(_ creation: OutputFolder.Creation, of stored: StoredEntry, recorded: Bool = false) -> Bool {
            switch creation {
            case .created: result.filesWritten += 1
            case .identical: result.unchanged += 1
            case .occupied: return false
            }
            if recorded {
                recordedWritten.append(stored.id)
            } else {
                published.append((entryID: stored.id, contentHash: stored.entry.contentHash))
            }
            return true
        }
        // In pending order: entries with no path, and those whose new path was taken.
        var unplaced: [StoredEntry] = []
        for stored in pending {
            guard let feed = byID[stored.feedID] else { continue }
            guard let path = stored.path else {
                unplaced.append(stored)
                continue
            }
            let bytes = renderBytes(stored, of: feed)
            if reservedNow.contains(stored.id) {
                if !count(try folder.create(bytes, at: path, durably: false), of: stored, recorded: true) {
                    unplaced.append(stored)
                }
                continue
            }
            // Reserved but pending: changed since, or a run died while writing it.
            try folder.removeStaleTemporaryFiles(near: path)
            _ = count(try folder.write(bytes, to: path, durably: false) ? .created : .identical, of: stored)
        }
        var rounds = 0
        while !unplaced.isEmpty {
            try await store.releasePaths(entryIDs: unplaced.filter { $0.path != nil }.map(\.id))
            let waiting = unplaced.map { stored in
                var stored = stored
                stored.path = nil
                return stored
            }
            let paths = try await reservePaths(for: waiting, feeds: byID)
            unplaced = []
            for stored in waiting {
                guard let feed = byID[stored.feedID], let path = paths[stored.id] else { continue }
                var placed = stored
                placed.path = path
                if !count(try folder.create(renderBytes(stored, of: feed), at: path, durably: false), of: stored) {
                    unplaced.append(placed)
                }
            }
            // Each round finds a file at the paths it gives up, and the next skips them.
            rounds += 1
            if rounds >= Self.maxPathAttempts, let stored = unplaced.first {
                throw EngineError.noFreePath(
                    title: stored.entry.title, feed: byID[stored.feedID]?.subscription.url ?? "")
            }
        }
        // The files reach the disk before the store says they are there. Every pending
        // entry listed is in its file now, those recorded as they were stored
        // included: each feed's publications are confirmed up to its last one listed.
        if result.filesWritten > 0 { try folder.synchronize() }
        await filesWritten()
        var through: [Int64: Int64] = [:]
        for stored in pending { through[stored.feedID] = max(through[stored.feedID] ?? stored.id, stored.id) }
        let confirmations = through.sorted { $0.key < $1.key }.map { (feedID: $0.key, through: $0.value) }
        // Another worker's retention may have retired some of these entries while their
        // files were being written: those files are nobody's now.
        let retired = try await store.markPublished(published, confirming: confirmations, written: recordedWritten)
        if !retired.isEmpty { try await removeFiles(of: retired) }
        return result
    }

    /// Removes the files retired entries may still have: entries retired by another
    /// worker while this one wrote their files, or whose files a run was removing when
    /// it died (see ``FeedStore/retiredFiles()``). Only for the feeds in `feeds` (those
    /// this configuration publishes into this folder). Returns how many were listed.
    @discardableResult
    public func removeRetiredFiles(feeds: Set<Int64>) async throws -> Int {
        let files = try await store.retiredFiles().filter { feeds.contains($0.feedID) }
        if !files.isEmpty { try await removeFiles(of: files) }
        return files.count
    }

    /// Removes the files of retired entries, then records that they are gone.
    private func removeFiles(of retired: [RetiredFile]) async throws {
        for file in retired { try folder.remove(file.path) }
        try await store.forgetRetiredFiles(entryIDs: retired.map(\.entryID))
    }

    /// The pending entries, taking the content of those just stored from `fresh`
    /// (same key, same hash) and reading only the others back from the store.
    private func pendingEntries(feedID: Int64?, fresh: [ProcessedEntry], stubs known: [PendingPublication]?)
        async throws -> [StoredEntry]
    {
        if fresh.isEmpty && known == nil { return try await store.pendingPublications(feedID: feedID) }
        // Positions, not entries: a dictionary of entries copied each one (every string
        // retained) only for StoredEntry to copy it again.
        let byKey = Dictionary(fresh.indices.map { (fresh[$0].key, $0) }, uniquingKeysWith: { _, last in last })
        let stubs: [PendingPublication]
        if let known { stubs = known } else { stubs = try await store.pendingPublicationStubs(feedID: feedID) }
        var entries: [StoredEntry] = []
        entries.reserveCapacity(stubs.count)
        var missing: [Int64] = []
        for stub in stubs {
            guard let index = byKey[stub.key], fresh[index].contentHash == stub.contentHash else {
                missing.append(stub.id)
                continue
            }
            entries.append(
                StoredEntry(
                    id: stub.id, feedID: stub.feedID, entry: fresh[index], firstSeen: stub.date, lastChanged: stub.date,
                    date: stub.date, path: stub.path))
        }
        if !missing.isEmpty {
            let order = Dictionary(uniqueKeysWithValues: stubs.enumerated().map { ($1.id, $0) })
            entries += try await store.entries(ids: missing)
            entries.sort { order[$0.id, default: 0] < order[$1.id, default: 0] }
        }
        return entries
    }

    /// The output path of every entry: the one it holds, else the first free
    /// candidate of the template (`-2`, `-3`… on collisions), reserved in batches.
    private func reservePaths(for entries: [StoredEntry], feeds: [Int64: FeedRecord]) async throws -> [Int64: String] {
        await prepareSlugs(forTitles: entries.lazy.filter { $0.path == nil }.map(\.entry.title))
        var paths: [Int64: String] = [:]
        var waiting: [(stored: StoredEntry, candidates: PathCandidates, attempt: Int)] = []
        var feedNames: [Int64: String] = [:]
        for stored in entries {
            if let path = stored.path {
                paths[stored.id] = path
            } else if let feed = feeds[stored.feedID] {
                // One name per feed, not one URL parse per entry.
                let feedName = feedNames[feed.id] ?? Self.feedName(feed.subscription)
                feedNames[feed.id] = feedName
                waiting.append((stored, candidates(for: stored, of: feed, feedName: feedName), 0))
            }
        }
        while !waiting.isEmpty {
            var requests: [(entryID: Int64, path: String)] = []
            var requested: Set<String> = []
            for index in waiting.indices {
                let stored = waiting[index].stored
                var attempt = waiting[index].attempt
                var candidate = waiting[index].candidates.path(attempt: attempt)
                // A file Tidings did not reserve is never overwritten.
                while folder.mayHoldOthersFile(candidate) || requested.contains(candidate) {
                    attempt += 1
                    guard attempt < Self.maxPathAttempts else {
                        throw EngineError.noFreePath(
                            title: stored.entry.title, feed: feeds[stored.feedID]?.subscription.url ?? "")
                    }
                    candidate = waiting[index].candidates.path(attempt: attempt)
                }
                waiting[index].attempt = attempt
                requested.insert(candidate)
                requests.append((entryID: stored.id, path: candidate))
            }
            let granted = try await store.reservePaths(requests)
            for request in requests where granted.contains(request.entryID) { paths[request.entryID] = request.path }
            waiting = waiting.filter { paths[$0.stored.id] == nil }.map { ($0.stored, $0.candidates, $0.attempt + 1) }
            for entry in waiting where entry.attempt >= Self.maxPathAttempts {
                throw EngineError.noFreePath(
                    title: entry.stored.entry.title, feed: feeds[entry.stored.feedID]?.subscription.url ?? "")
            }
        }
        return paths
    }

    /// The first free path candidate of each entry (by key), for the store to reserve
    /// as it inserts the new ones: for a feed's first fetch, where every entry is new,
    /// this spares a transaction that rewrites every row. The same paths
    /// ``publishPending(feeds:feedID:fresh:reservedNow:stubs:filesWritten:)`` would try first; an entry whose
    /// candidate is taken, by another entry of the batch or by a file in the output
    /// folder that does not hold exactly the entry's bytes, gets no proposal.
    public func proposedPaths(for entries: [ProcessedEntry], of feed: FeedRecord, at now: Date) -> [String: String] {
        // In the order the publisher would take them: the store keeps the last entry of
        // a repeated key at the place of its first, and pending entries come oldest
        // first, then in that order.
        let unique = entries.lastPerKey { $0.key }
        let dates = unique.map { Self.wholeMilliseconds($0.published ?? now) }
        let order = unique.indices.sorted { (dates[$0], $0) < (dates[$1], $1) }
        var proposals: [String: String] = [:]
        proposals.reserveCapacity(unique.count)
        var taken: Set<String> = []
        taken.reserveCapacity(unique.count)
        let feedName = Self.feedName(feed.subscription)
        for index in order {
            let entry = unique[index]
            let date = dates[index]
            let path = template.candidates(
                title: entry.title, date: date, id: Self.entryToken(feedURL: feed.subscription.url, key: entry.key),
                feed: feedName, timeZone: options.timeZone
            ).path(attempt: 0)
            guard !taken.contains(path), isFree(path, for: entry, date: date, source: feed.subscription.url) else {
                continue
            }
            taken.insert(path)
            proposals[entry.key] = path
        }
        return proposals
    }

    /// Romanizes ahead, one task at a time, the `titles` whose slugs would take ICU to a
    /// script no slug of this process has met yet (see `Slug.needsFirstRomanization`).
    ///
    /// Loading a script's rules is slow (Han-Latin: about 120 ms of one core) and ICU
    /// keeps them once loaded. Without this, two tasks meeting Chinese titles at once
    /// each loaded them on their own thread; here the second waits suspended, its
    /// thread free for other feeds, and then finds them loaded. Call it before
    /// ``proposedPaths(for:of:at:)`` or publishing; paths are the same without it.
    public func prepareSlugs(forTitles titles: some Collection<String>) async {
        guard template.slugsTitles else { return }
        let needing = titles.lazy.filter(Slug.needsFirstRomanization)
        guard !needing.isEmpty else { return }
        // Cancelled: the slugs romanize as they go, as they would without this.
        guard (try? await Self.romanization.acquire(Self.romanizationKey)) != nil else { return }
        // What the task before this one met is not met again.
        for title in needing where Slug.needsFirstRomanization(title) { Slug.romanizeAhead(title) }
        await Self.romanization.release(Self.romanizationKey)
    }

    /// One task at a time meets new scripts (process-wide, as ICU's rules are).
    private static let romanization = ConcurrencyLimiter(limit: 1)
    private static let romanizationKey = "romanization"

    /// Whether a new entry may take `path`: nothing is there, or a file holding exactly
    /// the entry's bytes (written by a run whose database was lost since). Any other
    /// file is someone else's. Checked before the path is reserved, so that whatever
    /// is found at a reserved path later is the entry's own, from a run that died.
    private func isFree(_ path: String, for entry: ProcessedEntry, date: Date, source: String) -> Bool {
        guard folder.mayHoldOthersFile(path) else { return true }
        let page = Self.page(for: entry, date: date, source: source, draft: options.draft)
        return folder.read(path)
            == HugoRenderer.renderBytes(page, dateStyle: options.dateStyle, timeZone: options.timeZone)
    }

    /// `date` as the store keeps it (whole milliseconds), so a proposal is made from
    /// the date the entry's path would later be made from.
    static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    private func candidates(for stored: StoredEntry, of feed: FeedRecord, feedName: String) -> PathCandidates {
        template.candidates(
            title: stored.entry.title, date: stored.date,
            id: Self.entryToken(feedURL: feed.subscription.url, key: stored.entry.key),
            feed: feedName, timeZone: options.timeZone)
    }

    /// The file's text for an entry.
    public func render(_ stored: StoredEntry, of feed: FeedRecord) -> String {
        String(decoding: renderBytes(stored, of: feed), as: UTF8.self)
    }

    /// The file's bytes for an entry.
    public func renderBytes(_ stored: StoredEntry, of feed: FeedRecord) -> [UInt8] {
        HugoRenderer.renderBytes(
            Self.page(for: stored.entry, date: stored.date, source: feed.subscription.url, draft: options.draft),
            dateStyle: options.dateStyle, timeZone: options.timeZone)
    }

    /// The front matter and body of an entry's content file.
    public static func page(for entry: ProcessedEntry, date: Date, source: String, draft: Bool) -> HugoPage {
        HugoPage(
            title: entry.title, date: date, description: entry.description, image: entry.image ?? "",
            link: entry.link ?? "", source: source.removingURLUserInfo, draft: draft, body: entry.body)
    }

    /// Retires, without writing their files, the pending entries that retention would
    /// remove as soon as they were published: a first fetch listing more entries, or
    /// older ones, than the limits keep. One whose path holds a file already (a run
    /// died after writing it, or the file is someone else's) is left to be published
    /// and removed as usual. So is one another worker published meanwhile (the store
    /// retires only entries still pending). Returns the ids retired.
    public func retireUnpublishedBeyondRetention(of feed: FeedRecord, now: Date) async throws -> Set<Int64> {
        guard options.maxAge != nil || options.maxItemsPerFeed != nil else { return [] }
        let beyond = try await store.pendingBeyondRetention(
            feedID: feed.id, maxAge: options.maxAge, maxItems: options.maxItemsPerFeed, now: now)
        let unwritten = beyond.filter { stub in stub.path.map { !folder.exists($0) } ?? true }.map(\.id)
        return try await store.retirePending(entryIDs: unwritten)
    }

    /// Removes the files of entries outside the retention limits and retires them.
    /// Returns how many files were removed.
    ///
    /// The entries are retired first, each recorded as perhaps still having a file,
    /// then the files go, then the store is told so. A worker writing one of these
    /// files meanwhile finds its entry retired when it records the file, and removes
    /// it; a run that dies before the files are gone leaves them to the next run's
    /// ``removeRetiredFiles(feeds:)``.
    public func applyRetention(to feed: FeedRecord, now: Date) async throws -> Int {
        guard options.maxAge != nil || options.maxItemsPerFeed != nil else { return 0 }
        let candidates = try await store.retentionCandidates(
            feedID: feed.id, maxAge: options.maxAge, maxItems: options.maxItemsPerFeed, now: now)
        let files = candidates.compactMap { stored in
            stored.path.map { RetiredFile(entryID: stored.id, feedID: stored.feedID, path: $0) }
        }
        if files.isEmpty { return 0 }
        try await store.retireBeforeRemoving(entryIDs: files.map(\.entryID))
        try await removeFiles(of: files)
        return files.count
    }

    /// `{id}` in path templates: a short digest of the feed URL and entry key, the same
    /// on every machine and every run.
    public static func entryToken(feedURL: String, key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        // FNV-1a over `feedURL`, a line feed and `key`, without building that array.
        for byte in feedURL.utf8 { mix(byte) }
        mix(0x0A)
        for byte in key.utf8 { mix(byte) }
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
