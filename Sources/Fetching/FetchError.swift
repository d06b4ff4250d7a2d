import Foundation
import TidingsModel

/// Why a fetch brought nothing usable back.
///
/// `shortDescription` is a fixed word safe for a metric label; `description` names the URL and says what
/// went wrong in words an operator can act on.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case dns
        case tls
        case timeout
        case connection
        case http
        case rateLimited
        case tooLarge
        case redirect
        case invalidURL
        case notAFeed
    }

    private var kind: Kind
    /// The URL the failure concerns (the hop that failed, after redirects).
    public var url: String
    private var detail: String
    /// The HTTP status, when the server answered with one.
    public var status: Int?
    /// Seconds to wait before asking again, from `Retry-After` on a 429 or 503.
    public var retryAfter: TimeInterval?

    private init(_ kind: Kind, url: String, detail: String, status: Int? = nil, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        // Messages end up in logs, cron mails and `feeds list`: never a URL's password.
        self.url = url.redactingURLPasswords
        self.detail = detail.redactingURLPasswords
        self.status = status
        self.retryAfter = retryAfter
    }

    /// A fixed, metric-safe name of the kind of failure: `dns`, `tls`, `timeout`, `connection`, `http`,
    /// `rate-limited`, `too-large`, `redirect`, `invalid-url` or `not-a-feed`.
    public var shortDescription: String {
        switch self.kind {
        case .dns: "dns"
        case .tls: "tls"
        case .timeout: "timeout"
        case .connection: "connection"
        case .http: "http"
        case .rateLimited: "rate-limited"
        case .tooLarge: "too-large"
        case .redirect: "redirect"
        case .invalidURL: "invalid-url"
        case .notAFeed: "not-a-feed"
        }
    }

    /// The URL and what went wrong, e.g. `http://example.com/feed: HTTP 404 Not Found`.
    public var description: String {
        "\(self.url): \(self.detail)"
    }

    /// The body was fetched but is not a feed; used once parsing has failed.
    public static func notAFeed(url: String, reason: String) -> FetchError {
        FetchError(.notAFeed, url: url, detail: "not a feed: \(reason)")
    }

    static func dns(url: String, host: String, reason: String) -> FetchError {
        FetchError(.dns, url: url, detail: "could not resolve host \(host) (\(reason)); check the feed's address")
    }

    static func tls(url: String, reason: String) -> FetchError {
        FetchError(.tls, url: url, detail: "TLS failed (\(reason))")
    }

    static func timeout(url: String, reason: String) -> FetchError {
        FetchError(.timeout, url: url, detail: reason)
    }

    static func connection(url: String, reason: String) -> FetchError {
        FetchError(.connection, url: url, detail: reason)
    }

    static func http(url: String, status: Int, reason: String) -> FetchError {
        FetchError(.http, url: url, detail: "HTTP \(status) \(reason)", status: status)
    }

    static func rateLimited(url: String, status: Int, reason: String, retryAfter: TimeInterval?) -> FetchError {
        let wait = retryAfter.map { "; the server asks to wait \(readableWait($0))" } ?? ""
        return FetchError(
            .rateLimited,
            url: url,
            detail: "HTTP \(status) \(reason)\(wait)",
            status: status,
            retryAfter: retryAfter
        )
    }

    /// A wait in the largest units that read well: `45 s`, `90 min`, `6 h 10 min`, `3 d 4 h`.
    static func readableWait(_ seconds: TimeInterval) -> String {
        let total = seconds.isFinite ? Int(min(max(seconds, 0), 1e12).rounded(.up)) : 0
        if total < 120 { return "\(total) s" }
        let minutes = (total + 59) / 60
        if minutes < 120 { return "\(minutes) min" }
        if minutes < 48 * 60 {
            return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
        }
        let hours = (minutes + 59) / 60
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }

    static func tooLarge(url: String, limit: Int) -> FetchError {
        FetchError(.tooLarge, url: url, detail: "body larger than \(limit) bytes (after decompression); cut off")
    }

    static func redirect(url: String, reason: String, status: Int? = nil) -> FetchError {
        FetchError(.redirect, url: url, detail: reason, status: status)
    }

    static func invalidURL(url: String, reason: String) -> FetchError {
        FetchError(.invalidURL, url: url, detail: "invalid URL: \(reason)")
    }
}
