import Foundation

/// One conditional GET of a feed.
public struct FetchRequest: Sendable, Hashable {
    /// The URL to fetch.
    public var url: String
    /// The validator from the last 200, sent as `If-None-Match`.
    public var etag: String?
    /// The validator from the last 200, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// A User-Agent for this feed, overriding the fetcher's.
    public var userAgent: String?

    /// Creates a request.
    public init(url: String, etag: String? = nil, lastModified: String? = nil, userAgent: String? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.userAgent = userAgent
    }
}

/// What a fetch brought back, when the server answered with something usable.
public struct FetchResponse: Sendable {
    /// The outcome of the request.
    public enum Outcome: Sendable {
        /// 200 with the (decompressed) body and its `Content-Type`.
        case fetched(body: [UInt8], contentType: String?)
        /// 304: the validators still hold.
        case notModified
        /// 410: the feed is gone for good.
        case gone
    }

    /// The outcome.
    public var outcome: Outcome
    /// The final HTTP status.
    public var status: Int
    /// The URL that answered, after redirects.
    public var finalURL: String
    /// Set when every redirect on the way was permanent (301/308): where the feed now lives.
    public var permanentRedirect: String?
    /// The validators to keep (from a 200; a 304 may refresh them).
    public var etag: String?
    /// The `Last-Modified` to keep.
    public var lastModified: String?
    /// `Cache-Control: max-age`, else `Expires` minus `Date`, in seconds.
    public var freshFor: TimeInterval?

    /// Creates a response.
    public init(
        outcome: Outcome,
        status: Int,
        finalURL: String,
        permanentRedirect: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        freshFor: TimeInterval? = nil
    ) {
        self.outcome = outcome
        self.status = status
        self.finalURL = finalURL
        self.permanentRedirect = permanentRedirect
        self.etag = etag
        self.lastModified = lastModified
        self.freshFor = freshFor
    }
}
