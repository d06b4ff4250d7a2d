import Foundation

/// How a ``FeedFetcher`` talks to servers: limits, timeouts and identity.
public struct FetchConfiguration: Sendable {
    /// The most requests in flight at once, over all hosts.
    public var maxConcurrent: Int
    /// The most requests in flight at once to one host.
    public var perHost: Int
    /// Seconds allowed to open a connection (TCP and TLS).
    public var connectTimeout: TimeInterval
    /// Seconds allowed for a whole fetch: every redirect hop, headers and body. The clock starts when the
    /// first request may go out, so time spent queued behind the concurrency limits does not count.
    public var requestTimeout: TimeInterval
    /// The largest body accepted, counted after decompression.
    public var maxBodyBytes: Int
    /// The most redirects followed before giving up.
    public var maxRedirects: Int
    /// The `User-Agent` sent when the request carries none of its own.
    public var userAgent: String

    /// Creates a configuration; every argument has a default suited to a feed aggregator.
    public init(
        maxConcurrent: Int = 32,
        perHost: Int = 4,
        connectTimeout: TimeInterval = 10,
        requestTimeout: TimeInterval = 30,
        maxBodyBytes: Int = 20 * 1024 * 1024,
        maxRedirects: Int = 5,
        userAgent: String = "Tidings/0.1 (feed aggregator; +https://github.com/tidings/tidings)"
    ) {
        self.maxConcurrent = maxConcurrent
        self.perHost = perHost
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
    }
}
