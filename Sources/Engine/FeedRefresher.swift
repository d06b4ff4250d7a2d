import FeedParsing
import Fetching
import Foundation
import Logging
import Processing
import Storage
import TidingsModel

/// What one refresh of one feed did.
public struct FeedRefreshReport: Sendable, Hashable {
    /// How the fetch ended.
    public enum Status: String, Sendable, Hashable {
        /// A new document was read and stored.
        case updated
        /// The server answered 304.
        case notModified
        /// The server answered 410; the feed is retired.
        case gone
        /// Fetching or parsing failed; the error is stored with the feed.
        case failed
    }

    /// The feed's configured URL.
    public var feedURL: String
    /// How the fetch ended.
    public var status: Status
    /// Entries stored for the first time.
    public var inserted: Int = 0
    /// Entries whose content changed.
    public var changed: Int = 0
    /// New entries that duplicate another feed's entry.
    public var duplicates: Int = 0
    /// Entries dropped by filters.
    public var filteredOut: Int = 0
    /// Content files written (new or rewritten).
    public var filesWritten: Int = 0
    /// Content files removed by retention.
    public var filesRemoved: Int = 0
    /// Problems the parser recovered from.
    public var warnings: [String] = []
    /// The error's metric-safe kind, when the refresh failed.
    public var errorKind: String?
    /// The error, when the refresh failed.
    public var error: String?

    /// Creates a report.
    public init(feedURL: String, status: Status) {
        self.feedURL = feedURL
        self.status = status
    }
}

/// Runs the whole chain for one feed: fetch › parse › process › store › publish.
///
/// Feed problems (network, HTTP, not a feed) end up in the report and in the feed's
/// stored state; problems of Tidings' own store or output folder are thrown, since
/// they would fail every feed alike.
public struct FeedRefresher: Sendable {
    /// Where feeds and entries are kept.
    public let store: any FeedStore
    /// The HTTP client.
    public let fetcher: FeedFetcher
    /// Turns parsed entries into stored ones.
    public let processor: EntryProcessor
    /// Writes content files.
    public let publisher: EntryPublisher
    /// When feeds are due.
    public let schedule: RefreshSchedule
    /// Rules applied to every feed before its own.
    public let globalFilters: [FilterRule]
    /// The current time (injected so tests control it).
    public let now: @Sendable () -> Date
    /// A number in `0..<1` for scheduling jitter.
    public let random: @Sendable () -> Double
    /// Bounds how many fetched documents are parsed, stored and published at once
    /// (fetches themselves are bounded by the fetcher): with 32 fetches in flight on
    /// two cores, letting every one hold its parsed document only costs memory.
    public let processingGate: ConcurrencyLimiter?

    /// Permanent redirects seen on this many consecutive fetches move the feed.
    public static let redirectConfirmations = 3

    /// Creates a refresher from its parts.
    public init(
        store: any FeedStore,
        fetcher: FeedFetcher,
        processor: EntryProcessor,
        publisher: EntryPublisher,
        schedule: RefreshSchedule = RefreshSchedule(),
        globalFilters: [FilterRule] = [],
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        processingGate: ConcurrencyLimiter? = ConcurrencyLimiter(
            limit: 4 * ProcessInfo.processInfo.activeProcessorCount)
    ) {
        self.store = store
        self.fetcher = fetcher
        self.processor = processor
        self.publisher = publisher
        self.schedule = schedule
        self.globalFilters = globalFilters
        self.now = now
        self.random = random
        self.processingGate = processingGate
    }

    /// Refreshes one feed and publishes what changed.
    public func refresh(_ feed: FeedRecord, logger: Logger) async throws -> FeedRefreshReport {
        let holdsGate = Flag()
        do {
            let report = try await run(
                feed, logger: logger,
                enterGate: {
                    guard let processingGate else { return }
                    try await processingGate.acquire(Self.gateKey)
                    holdsGate.value = true
                },
                leaveGate: {
                    guard holdsGate.value else { return }
                    holdsGate.value = false
                    await processingGate?.release(Self.gateKey)
                })
            if holdsGate.value { await processingGate?.release(Self.gateKey) }
            return report
        } catch {
            if holdsGate.value { await processingGate?.release(Self.gateKey) }
            throw error
        }
    }

    private static let gateKey = "process"

    private final class Flag {
        var value = false
    }

    /// The refresh; `enterGate` is called once a document has arrived, before the
    /// CPU- and memory-heavy part (parse, process, store, publish).
    private func run(
        _ feed: FeedRecord, logger: Logger, enterGate: () async throws -> Void, leaveGate: () async -> Void
    ) async throws -> FeedRefreshReport {
        var logger = logger
        logger[metadataKey: "feed.url"] = "\(feed.subscription.url.redactingURLPasswords)"
        let started = now()
        var state = feed.state
        state.lastAttempt = started
        var report = FeedRefreshReport(feedURL: feed.subscription.url, status: .failed)
        var stored: [ProcessedEntry] = []
        var reservedNow: Set<Int64> = []
        var stateStored = false
        var pendingStubs: [PendingPublication]?

        let request = FetchRequest(
            url: state.fetchURL, etag: state.etag, lastModified: state.lastModified,
            userAgent: feed.subscription.userAgent)
        do {
            let response = try await fetcher.fetch(request, logger: logger)
            state.lastStatus = response.status
            trackRedirect(response.permanentRedirect, in: &state)
            switch response.outcome {
            case .gone:
                state.retired = true
                state.lastError =
                    "\(state.fetchURL.redactingURLPasswords): HTTP 410 Gone: the feed was removed; "
                    + "it will not be fetched again"
                state.lastErrorKind = "gone"
                report.status = .gone
                logger.notice("feed is gone")
            case .notModified:
                state.etag = response.etag ?? state.etag
                state.lastModified = response.lastModified ?? state.lastModified
                notModified(feed, &state, freshFor: response.freshFor)
                report.status = .notModified
            case .fetched(let body, let contentType):
                // From a feed's second document on: the first fetch of a feed (a whole
                // first sync) does not spend time on it. Whatever else the entries come
                // to depend on (processing options from the configuration, say) belongs
                // in the digest too.
                let digest =
                    feed.state.lastSuccess == nil
                    ? nil
                    : DocumentDigest.of(
                        body, contentType: contentType, url: response.finalURL,
                        filters: globalFilters + feed.subscription.filters)
                if let digest, digest == feed.state.documentDigest {
                    // The document processed last time, byte for byte: a 304 in all but name.
                    state.etag = response.etag
                    state.lastModified = response.lastModified
                    notModified(feed, &state, freshFor: response.freshFor)
                    report.status = .notModified
                    logger.debug("the document is the one processed last time")
                    break
                }
                try await enterGate()
                WorkerPriority.yieldToTheWriter()
                let parsed: ParsedFeed
                do {
                    parsed = try FeedParser.parse(
                        body, options: FeedParser.Options(baseURL: response.finalURL, contentType: contentType))
                } catch {
                    throw FetchError.notAFeed(url: response.finalURL, reason: error.reason)
                }
                report.warnings = parsed.warnings.map(\.description)
                let filters = try compiledFilters(for: feed)
                let processed = processor.process(
                    parsed.feed, feedURL: response.finalURL, filters: filters, fetchedAt: started)
                report.filteredOut = processed.filteredOut
                // A feed's first document: its entries are new, so their paths are
                // reserved as they are stored.
                var proposals: [String: String] = [:]
                if feed.state.lastSuccess == nil {
                    await publisher.prepareSlugs(forTitles: processed.entries.lazy.map(\.title))
                    proposals = publisher.proposedPaths(for: processed.entries, of: feed, at: started)
                }
                state.etag = response.etag
                state.lastModified = response.lastModified
                state.title = parsed.feed.title ?? state.title
                state.documentDigest = digest
                let interval = schedule.intervalAfterSuccess(
                    userInterval: feed.subscription.interval, ttlMinutes: parsed.feed.ttl,
                    freshFor: response.freshFor, entryDates: processed.entries.compactMap(\.published),
                    random: random())
                succeeded(&state, interval: interval)
                // The new validators are stored with the entries, never before them: a
                // crash in between would leave them to turn the next fetch into a 304.
                let upserted = try await store.upsert(
                    entries: processed.entries, feedID: feed.id, at: started, proposedPaths: proposals,
                    state: state, listingPending: true)
                stateStored = true
                stored = processed.entries
                reservedNow = upserted.reserved
                pendingStubs = upserted.pending
                report.inserted = upserted.inserted
                report.changed = upserted.changed
                report.duplicates = upserted.duplicates
                report.status = .updated
            }
        } catch let error as FetchError {
            state.consecutiveFailures += 1
            state.lastError = error.description
            state.lastErrorKind = error.shortDescription
            if let status = error.status { state.lastStatus = status }
            let delay = schedule.delayAfterFailure(
                failures: state.consecutiveFailures, retryAfter: error.retryAfter, random: random())
            state.nextCheck = started.addingTimeInterval(delay)
            report.status = .failed
            report.error = error.description
            report.errorKind = error.shortDescription
            logger.warning("refresh failed", metadata: ["error": "\(error)"])
        }
        if !stateStored {
            // A 304 or a failure: the state, and the pending publications a run that
            // died may have left, in one transaction rather than a write and a read.
            pendingStubs =
                try await store.upsert(
                    entries: [], feedID: feed.id, at: started, proposedPaths: [:], state: state, listingPending: true
                ).pending
        }

        var current = feed
        current.state = state
        if pendingStubs?.isEmpty != true {
            // Entries retention would remove at once are never written.
            let retired = try await publisher.retireUnpublishedBeyondRetention(of: current, now: started)
            if !retired.isEmpty { pendingStubs = pendingStubs?.filter { !retired.contains($0.id) } }
        }
        // Once the files are written the document's memory is done with: recording
        // them, and retention, happen outside the processing gate.
        let published = try await publisher.publishPending(
            feeds: [current], feedID: feed.id, fresh: stored, reservedNow: reservedNow, stubs: pendingStubs,
            filesWritten: leaveGate)
        report.filesWritten = published.filesWritten
        report.filesRemoved = try await publisher.applyRetention(to: current, now: started)
        return report
    }

    /// The state of a feed whose document has not changed (a 304, or the same bytes
    /// again): checked again after the feed's own interval, or the user's.
    private func notModified(_ feed: FeedRecord, _ state: inout FetchState, freshFor: TimeInterval?) {
        let interval =
            feed.subscription.interval.map { max($0, schedule.minInterval) }
            ?? previousInterval(feed.state, freshFor: freshFor)
        succeeded(&state, interval: interval)
    }

    private func compiledFilters(for feed: FeedRecord) throws -> CompiledFilters {
        let rules = globalFilters + feed.subscription.filters
        if rules.isEmpty { return .none }
        do {
            return try CompiledFilters(rules)
        } catch {
            throw FetchError.notAFeed(url: feed.subscription.url, reason: "bad filter: \(error)")
        }
    }

    /// Counts consecutive fetches that ended at the same permanent redirect, and
    /// moves the feed after `redirectConfirmations` of them.
    private func trackRedirect(_ target: String?, in state: inout FetchState) {
        guard let target, target != state.fetchURL else {
            state.redirectCandidate = nil
            state.redirectConfirmations = 0
            return
        }
        if state.redirectCandidate == target {
            state.redirectConfirmations += 1
        } else {
            state.redirectCandidate = target
            state.redirectConfirmations = 1
        }
        if state.redirectConfirmations >= Self.redirectConfirmations {
            state.fetchURL = target
            state.redirectCandidate = nil
            state.redirectConfirmations = 0
            // The validators belonged to the old URL's responses; they remain valid
            // for the same document, so they are kept.
        }
    }

    private func succeeded(_ state: inout FetchState, interval: TimeInterval) {
        let time = state.lastAttempt ?? now()
        state.lastSuccess = time
        state.consecutiveFailures = 0
        state.lastError = nil
        state.lastErrorKind = nil
        state.nextCheck = time.addingTimeInterval(interval)
    }

    /// A 304 says nothing new about the feed's rhythm: keep the last interval.
    private func previousInterval(_ state: FetchState, freshFor: TimeInterval?) -> TimeInterval {
        var interval = schedule.defaultInterval
        if state.consecutiveFailures == 0, let next = state.nextCheck, let last = state.lastAttempt, next > last {
            interval = next.timeIntervalSince(last)
        }
        if let freshFor, freshFor > interval { interval = freshFor }
        return min(max(interval, schedule.minInterval), schedule.maxInterval * (1 + schedule.jitter))
    }
}
