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
    /// The reports worth a line of their own — failed, gone, or with recovered
    /// problems — in completion order (the others are counted in `progress`: a run
    /// over 100,000 feeds does not keep 100,000 reports).
    public var reports: [FeedRefreshReport] = []
    /// Files written for entries left pending by an earlier, interrupted run.
    public var recovered = 0
    /// Failures of the run itself (store, output folder), one line each.
    public var runErrors: [String] = []
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

    /// Publishes what an interrupted run left pending, then refreshes `feeds`.
    /// - Parameters:
    ///   - feeds: the feeds to refresh; each record is released once its refresh has
    ///     started (a run over 100,000 feeds does not hold them all to its end).
    ///   - known: every stored feed, for the recovery pass (defaults to `feeds`); released
    ///     once that pass is done.
    ///   - progress: called after each feed, from the run's task.
    public func run(
        feeds: consuming [FeedRecord],
        known: consuming [FeedRecord]? = nil,
        logger: Logger,
        progress: @Sendable (SyncProgress) -> Void = { _ in }
    ) async -> SyncSummary {
        var summary = SyncSummary(progress: SyncProgress(total: feeds.count))
        do {
            var everyFeed = copy feeds
            if let known { everyFeed = known }
            let recovered = try await refresher.publisher.publishPending(feeds: everyFeed, feedID: nil)
            summary.recovered = recovered.filesWritten
        } catch {
            summary.runErrors.append("publishing pending entries: \(error)")
        }
        // Only the recovery pass needs every stored feed; the run keeps `feeds` alone.
        known = nil
        progress(summary.progress)
        let total = feeds.count
        // Boxed, so that each record's memory, inline part included, goes as its
        // refresh starts: an array of 10,000 records held its 5 MB to the end.
        var waiting = feeds.reversed().map(Waiting.init)
        feeds = []

        await withTaskGroup(of: Result<FeedRefreshReport, RunFailure>.self) { group in
            func startNext() {
                guard let feed = waiting.popLast()?.record else { return }
                group.addTask {
                    do {
                        return .success(try await refresher.refresh(feed, logger: logger))
                    } catch {
                        return .failure(RunFailure(feedURL: feed.subscription.url, message: "\(error)"))
                    }
                }
            }
            for _ in 0..<min(concurrency, total) { startNext() }
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
                        summary.reports.append(report)
                    }
                case .failure(let failure):
                    summary.progress.failed += 1
                    summary.runErrors.append("\(failure.feedURL): \(failure.message)")
                }
                progress(summary.progress)
                if Task.isCancelled { continue }
                startNext()
            }
        }
        if summary.progress.done < total { summary.runErrors.append(EngineError.interrupted.description) }
        return summary
    }
}

/// A feed record waiting for its refresh, in a box of its own.
private final class Waiting: Sendable {
    let record: FeedRecord
    init(_ record: FeedRecord) { self.record = record }
}

/// A refresh that failed because of the store or the output folder.
struct RunFailure: Error {
    var feedURL: String
    var message: String
}
