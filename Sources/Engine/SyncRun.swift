import Foundation
import Logging
import Storage

/// Progress of a sync run, reported after every feed.
public struct SyncProgress: Sendable, Hashable {
    /// Feeds in the run.
    public var total: Int
    /// Feeds finished.
    public var done = 0
    /// Entries stored for the first time.
    public var inserted = 0
    /// Entries whose content changed.
    public var changed = 0
    /// Content files written.
    public var filesWritten = 0
    /// Feeds that failed.
    public var failed = 0
    /// Feeds whose document was read and stored.
    public var updated = 0
    /// Feeds that answered 304.
    public var notModified = 0
    /// Feeds that answered 410 and were retired.
    public var gone = 0
}

/// The outcome of a sync run.
public struct SyncSummary: Sendable {
    /// Files written for entries left pending by an earlier, interrupted run.
    public var recovered = 0
    /// Failures of the run itself (store, output folder), one line each: the first
    /// ``maxRunErrors``, and the interruption when there was one.
    public var runErrors: [String] = []
    /// Failures of the run itself past the first ``maxRunErrors``, counted only (a
    /// full disk fails every feed: 100,000 lines would bury the first).
    public var moreRunErrors = 0
    /// Run errors kept as lines.
    public static let maxRunErrors = 20

    /// Whether the run itself failed.
    public var failed: Bool { !runErrors.isEmpty }

    /// Keeps `line` among the run errors, or counts it past ``maxRunErrors``.
    mutating func recordRunError(_ line: String) {
        if runErrors.count < Self.maxRunErrors { runErrors.append(line) } else { moreRunErrors += 1 }
    }
    /// Totals.
    public var progress: SyncProgress
}

/// Refreshes many feeds with bounded concurrency.
public struct SyncRun: Sendable {
    /// Refreshes one feed.
    public let refresher: FeedRefresher
    /// Feeds refreshed at once (the fetcher also limits requests per host).
    public let concurrency: Int

    /// Creates a run.
    public init(refresher: FeedRefresher, concurrency: Int = 32) {
        self.refresher = refresher
        self.concurrency = max(1, concurrency)
    }

    /// Feed records read from the store at a time: a run over 10,000 feeds holds a
    /// page of records, not all of them, beside the documents in flight.
    public static let pageSize = 256

    /// Publishes what an interrupted run left pending, then refreshes the feeds
    /// `feedIDs` names, in that order.
    ///
    /// Each feed's record is read from the store shortly before its refresh, a page at
    /// a time, so it carries whatever an overlapping run stored meanwhile; a feed
    /// retired or disabled since the run was planned is left out of it (and of its
    /// total), as is one the store no longer knows.
    /// - Parameters:
    ///   - feedIDs: the feeds to refresh.
    ///   - recovering: the feeds whose pending entries the recovery pass publishes
    ///     (the configured ones); defaults to `feedIDs`.
    ///   - notable: called, from the run's task, with each report worth a line of its
    ///     own (failed, gone, or with recovered problems) as the feed finishes. The
    ///     run keeps none: 100,000 failed feeds' reports were about 33 MB.
    ///   - progress: called after each feed, from the run's task.
    ///   - stopRequested: asked before each feed is started. Once it answers `true`
    ///     (the user pressed Ctrl-C, say), the run starts no more feeds, lets those in
    ///     flight finish, and reports itself interrupted, as it does when its task is
    ///     cancelled. Unlike cancelling, no refresh is cut short, so no feed records a
    ///     failure (and a backoff) that the server never caused.
    public func run(
        feedIDs: [Int64],
        recovering: Set<Int64>? = nil,
        logger: Logger,
        notable: (FeedRefreshReport) -> Void = { _ in },
        progress: (SyncProgress) -> Void = { _ in },
        stopRequested: () -> Bool = { false }
    ) async -> SyncSummary {
        var summary = SyncSummary(progress: SyncProgress(total: feedIDs.count))
        do {
            summary.recovered = try await recover(feeds: recovering ?? Set(feedIDs))
        } catch {
            summary.recordRunError("publishing pending entries: \(error)")
        }
        progress(summary.progress)
        let store = refresher.store
        var unread = feedIDs[...]
        // The current page, reversed, so that the next record is its last.
        var page: [FeedRecord] = []

        /// The next feed to refresh, reading a page when the last one is used up.
        func nextFeed() async -> FeedRecord? {
            while page.isEmpty && !unread.isEmpty {
                let ids = Array(unread.prefix(Self.pageSize))
                unread = unread.dropFirst(ids.count)
                do {
                    let records = try await store.feeds(ids: ids)
                    page = records.reversed().filter { $0.subscription.enabled && !$0.state.retired }
                } catch {
                    summary.progress.failed += ids.count
                    summary.progress.done += ids.count
                    summary.recordRunError("reading \(ids.count) feeds from the store: \(error)")
                    progress(summary.progress)
                    continue
                }
                summary.progress.total -= ids.count - page.count
            }
            return page.popLast()
        }

        await withTaskGroup(of: Result<FeedRefreshReport, RunFailure>.self) { group in
            func startNext() async -> Bool {
                guard !stopRequested(), let feed = await nextFeed() else { return false }
                group.addTask {
                    do {
                        return .success(try await refresher.refresh(feed, logger: logger))
                    } catch {
                        return .failure(RunFailure(feedURL: feed.subscription.url, message: "\(error)"))
                    }
                }
                return true
            }
            for _ in 0..<concurrency {
                guard await startNext() else { break }
            }
            while let result = await group.next() {
                summary.progress.done += 1
                switch result {
                case .success(let report):
                    summary.progress.inserted += report.inserted
                    summary.progress.changed += report.changed
                    summary.progress.filesWritten += report.filesWritten
                    switch report.status {
                    case .failed: summary.progress.failed += 1
                    case .updated: summary.progress.updated += 1
                    case .notModified: summary.progress.notModified += 1
                    case .gone: summary.progress.gone += 1
                    }
                    if report.status == .failed || report.status == .gone || !report.warnings.isEmpty {
                        notable(report)
                    }
                case .failure(let failure):
                    summary.progress.failed += 1
                    summary.recordRunError("\(failure.feedURL): \(failure.message)")
                }
                progress(summary.progress)
                if Task.isCancelled { continue }
                _ = await startNext()
            }
        }
        if summary.progress.done < summary.progress.total {
            summary.runErrors.append(EngineError.interrupted.description)
        }
        return summary
    }

    /// The recovery pass: removes the files retired entries may still have, then
    /// writes the files of entries an interrupted run left pending, for the feeds in
    /// `feeds`. Returns the number of files written.
    private func recover(feeds: Set<Int64>) async throws -> Int {
        let store = refresher.store
        try await refresher.publisher.removeRetiredFiles(feeds: feeds)
        let stubs = try await store.pendingPublicationStubs(feedID: nil).filter { feeds.contains($0.feedID) }
        if stubs.isEmpty { return 0 }
        var owners: [Int64] = []
        var seen: Set<Int64> = []
        for stub in stubs where seen.insert(stub.feedID).inserted { owners.append(stub.feedID) }
        let records = try await store.feeds(ids: owners)
        return try await refresher.publisher.publishPending(feeds: records, feedID: nil, stubs: stubs).filesWritten
    }
}

/// A refresh that failed because of the store or the output folder.
struct RunFailure: Error {
    var feedURL: String
    var message: String
}
