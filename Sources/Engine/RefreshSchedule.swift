import Foundation

/// When to check a feed next: from its own rhythm after a success, with exponential
/// backoff after failures. A pure value, tested without a clock.
public struct RefreshSchedule: Sendable, Hashable {
    /// The shortest interval between two checks of one feed (a user's interval included).
    public var minInterval: TimeInterval
    /// The longest interval after a success.
    public var maxInterval: TimeInterval
    /// The interval for a feed whose rhythm is unknown (too few dated entries).
    public var defaultInterval: TimeInterval
    /// The first retry delay after a failure; doubled per further failure.
    public var backoffBase: TimeInterval
    /// The longest retry delay: a failing feed is still tried this often, forever.
    public var backoffCeiling: TimeInterval
    /// The longest `Retry-After` honoured.
    public var maxRetryAfter: TimeInterval
    /// Relative spread added to every interval so feeds checked together drift apart.
    public var jitter: Double

    /// Creates a schedule policy.
    public init(
        minInterval: TimeInterval = 5 * 60,
        maxInterval: TimeInterval = 24 * 3600,
        defaultInterval: TimeInterval = 3600,
        backoffBase: TimeInterval = 5 * 60,
        backoffCeiling: TimeInterval = 24 * 3600,
        maxRetryAfter: TimeInterval = 7 * 24 * 3600,
        jitter: Double = 0.1
    ) {
        self.minInterval = minInterval
        self.maxInterval = max(maxInterval, minInterval)
        self.defaultInterval = defaultInterval
        self.backoffBase = backoffBase
        self.backoffCeiling = backoffCeiling
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The interval after a successful check.
    ///
    /// A user's interval wins (bounded below by `minInterval`). Otherwise the feed's
    /// rhythm — half the median gap between its recent entries, so a new entry waits
    /// on average a quarter of a gap — raised to the publisher's `ttl` and the
    /// response's freshness lifetime (neither asks to be checked sooner), then bounded.
    /// - Parameters:
    ///   - userInterval: the configured interval, in seconds.
    ///   - ttlMinutes: RSS `ttl`.
    ///   - freshFor: the response's `Cache-Control: max-age` / `Expires` lifetime.
    ///   - entryDates: the dates of the feed's entries, any order.
    ///   - random: a number in `0..<1` for the jitter.
    public func intervalAfterSuccess(
        userInterval: TimeInterval?,
        ttlMinutes: Int?,
        freshFor: TimeInterval?,
        entryDates: [Date],
        random: Double
    ) -> TimeInterval {
        if let userInterval {
            return max(userInterval, minInterval)
        }
        var interval = rhythm(of: entryDates).map { $0 / 2 } ?? defaultInterval
        if let ttlMinutes, ttlMinutes > 0 { interval = max(interval, TimeInterval(ttlMinutes) * 60) }
        if let freshFor, freshFor > 0 { interval = max(interval, freshFor) }
        interval = min(max(interval, minInterval), maxInterval)
        return spread(interval, random: random)
    }

    /// The delay before retrying after `failures` consecutive failures (1 for the first).
    ///
    /// `backoffBase · 2^(failures-1)`, capped at `backoffCeiling`, drawn in its upper
    /// half ("equal jitter"); a server's `Retry-After` is honoured when longer, up to
    /// `maxRetryAfter`.
    public func delayAfterFailure(failures: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval {
        let exponent = Double(min(max(failures, 1) - 1, 30))
        let capped = min(backoffBase * pow(2, exponent), backoffCeiling)
        var delay = capped / 2 + capped / 2 * min(max(random, 0), 1)
        if let retryAfter, retryAfter > delay { delay = min(retryAfter, maxRetryAfter) }
        return delay
    }

    /// The median gap between the newest entries (up to 20), when there are at least three.
    func rhythm(of dates: [Date]) -> TimeInterval? {
        let newest = dates.sorted(by: >).prefix(20)
        guard newest.count >= 3 else { return nil }
        var gaps: [TimeInterval] = []
        for (later, earlier) in zip(newest, newest.dropFirst()) {
            gaps.append(later.timeIntervalSince(earlier))
        }
        gaps.sort()
        let median = gaps[gaps.count / 2]
        return median > 0 ? median : nil
    }

    private func spread(_ interval: TimeInterval, random: Double) -> TimeInterval {
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        return min(max(interval * factor, minInterval), maxInterval * (1 + jitter))
    }
}
