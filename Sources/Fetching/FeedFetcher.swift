import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TidingsModel

/// Fetches feeds over HTTP(S) with conditional GET, manual redirects, size and time limits, and
/// global and per-host concurrency limits.
///
/// Owns an `HTTPClient`; call ``shutdown()`` before dropping the fetcher.
public final class FeedFetcher: Sendable {
    static let accept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"

    private let configuration: FetchConfiguration
    private let client: HTTPClient
    private let globalLimit: ConcurrencyLimiter
    private let hostLimit: ConcurrencyLimiter
    private static let silentLogger = Logger(label: "tidings.fetching", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates a fetcher with its own HTTP client on the shared event loop group.
    public init(configuration: FetchConfiguration = .init()) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: Self.timeAmount(configuration.connectTimeout),
                read: Self.timeAmount(configuration.requestTimeout)
            ),
            // The limit counts decompressed bytes (NIOHTTPDecompression's `.size`), so a gzip bomb stops
            // at the cap; identity bodies are counted while streaming.
            decompression: .enabled(limit: .size(max(0, configuration.maxBodyBytes)))
        )
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, configuration.perHost)
        // Otherwise a refused or unresolvable host is retried with backoff until the connect timeout.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        self.globalLimit = ConcurrencyLimiter(limit: configuration.maxConcurrent)
        self.hostLimit = ConcurrencyLimiter(limit: configuration.perHost)
    }

    /// Shuts the HTTP client down; no fetch may start afterwards.
    public func shutdown() async throws {
        try await self.client.shutdown()
    }

    /// Fetches `request.url`, following redirects, and reports what the server said.
    ///
    /// - Returns: `.fetched` for a 2xx (body decompressed, at most `maxBodyBytes`), `.notModified` for a
    ///   304, `.gone` for a 410.
    /// - Throws: ``FetchError`` for every failure, or `CancellationError` when the calling task is cancelled.
    public func fetch(_ request: FetchRequest, logger: Logger? = nil) async throws -> FetchResponse {
        var logger = logger ?? Self.silentLogger
        logger[metadataKey: "feed.url"] = "\(request.url.redactingURLPasswords)"
        let origin = try Self.validate(request.url)
        var trail = RedirectTrail(origin: origin, maxRedirects: max(0, self.configuration.maxRedirects))
        var deadline: ContinuousClock.Instant?
        while true {
            let answer = try await self.exchange(request, url: trail.current, deadline: &deadline, logger: logger)
            switch answer {
            case .redirect(let status, let location):
                logger.debug(
                    "Following redirect",
                    metadata: [
                        "http.status": "\(status)", "http.location": "\((location ?? "").redactingURLPasswords)",
                    ]
                )
                try trail.follow(status: status, location: location)
            case .final(var response):
                // The document's base for its links: never with a user name and
                // password, which a relative link would carry into published pages.
                // (A permanent redirect keeps them: it is where the feed is fetched.)
                response.finalURL = trail.current.absoluteString.removingURLUserInfo
                response.permanentRedirect = trail.permanentRedirect
                if case .notModified = response.outcome {
                    response.etag = response.etag ?? request.etag
                    response.lastModified = response.lastModified ?? request.lastModified
                }
                logger.debug("Fetched feed", metadata: ["http.status": "\(response.status)"])
                return response
            }
        }
    }

    /// What one HTTP exchange came to.
    private enum Answer: Sendable {
        case redirect(status: Int, location: String?)
        case final(FetchResponse)
    }

    /// One request to one URL, holding a global and a per-host place for its duration.
    private func exchange(
        _ request: FetchRequest,
        url: URL,
        deadline: inout ContinuousClock.Instant?,
        logger: Logger
    ) async throws -> Answer {
        let host = url.host?.lowercased() ?? ""
        // Host first, then global, always in this order, and never held across hops: no deadlock.
        try await self.hostLimit.acquire(host)
        do {
            try await self.globalLimit.acquire("")
        } catch {
            await self.hostLimit.release(host)
            throw error
        }
        // The clock starts once the first request may go out, and covers every later hop too.
        let until = deadline ?? .now + .milliseconds(Int64(self.configuration.requestTimeout * 1000))
        deadline = until
        let result: Result<Answer, any Error>
        do {
            result = .success(
                try await self.withDeadline(until, url: url) {
                    try await self.send(request, url: url, deadline: until, logger: logger)
                }
            )
        } catch {
            result = .failure(error)
        }
        await self.globalLimit.release("")
        await self.hostLimit.release(host)
        switch result {
        case .success(let answer):
            return answer
        case .failure(let error):
            if Task.isCancelled {
                throw CancellationError()
            }
            let fetchError = FetchError.classify(
                error,
                url: url.absoluteString,
                host: host,
                configuration: self.configuration
            )
            logger.debug("Fetch failed", metadata: ["fetch.error": "\(fetchError.shortDescription)"])
            throw fetchError
        }
    }

    /// Runs `body`, failing with a timeout if it has not finished by `deadline`.
    ///
    /// AsyncHTTPClient's own deadline stops once the response head arrives; this one also bounds the body,
    /// so a server that drips bytes is cut.
    private func withDeadline<T: Sendable>(
        _ deadline: ContinuousClock.Instant,
        url: URL,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await DeadlineWait.wait(until: deadline, on: self.client.eventLoopGroup.any())
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw FetchError.timeout(
                    url: url.absoluteString,
                    reason: "no complete response within \(FetchError.seconds(self.configuration.requestTimeout))"
                )
            }
            return value
        }
    }

    private func send(
        _ request: FetchRequest,
        url: URL,
        deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws -> Answer {
        // A user name and password in the URL (a private feed) go as Basic
        // authorization, never in the request line. They reach only the URL's own
        // host: a redirect elsewhere drops them (a relative one keeps them).
        var target = url
        var authorization: String?
        if var components = URLComponents(url: url, resolvingAgainstBaseURL: false), let user = components.user {
            authorization = "Basic " + Data("\(user):\(components.password ?? "")".utf8).base64EncodedString()
            components.user = nil
            components.password = nil
            target = components.url ?? url
        }
        var outgoing = HTTPClientRequest(url: target.absoluteString)
        outgoing.method = .GET
        if let authorization { outgoing.headers.add(name: "Authorization", value: authorization) }
        outgoing.headers.add(name: "User-Agent", value: request.userAgent ?? self.configuration.userAgent)
        outgoing.headers.add(name: "Accept", value: Self.accept)
        outgoing.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        if let etag = request.etag, !etag.isEmpty {
            outgoing.headers.add(name: "If-None-Match", value: etag)
        }
        if let lastModified = request.lastModified, !lastModified.isEmpty {
            outgoing.headers.add(name: "If-Modified-Since", value: lastModified)
        }
        logger.debug("Sending request", metadata: ["http.url": "\(target.absoluteString)"])
        let remaining = ContinuousClock.now.duration(to: deadline)
        let response = try await self.client.execute(
            outgoing,
            deadline: .now() + .nanoseconds(remaining.wholeNanoseconds),
            logger: logger
        )
        let status = Int(response.status.code)
        let headers = response.headers
        let here = url.absoluteString

        if RedirectTrail.isRedirect(status) {
            return .redirect(status: status, location: headers.first(name: "Location"))
        }
        let validators = (etag: headers.first(name: "ETag"), lastModified: headers.first(name: "Last-Modified"))
        let freshFor = Freshness.seconds(
            cacheControl: headers[canonicalForm: "Cache-Control"].map(String.init),
            expires: headers.first(name: "Expires"),
            date: headers.first(name: "Date"),
            now: Date()
        )
        switch status {
        case 200..<300:
            let body = try await self.readBody(response, url: here)
            return .final(
                FetchResponse(
                    outcome: .fetched(body: body, contentType: headers.first(name: "Content-Type")),
                    status: status,
                    finalURL: here,
                    etag: validators.etag,
                    lastModified: validators.lastModified,
                    freshFor: freshFor
                )
            )
        case 304:
            return .final(
                FetchResponse(
                    outcome: .notModified,
                    status: status,
                    finalURL: here,
                    etag: validators.etag,
                    lastModified: validators.lastModified,
                    freshFor: freshFor
                )
            )
        case 410:
            return .final(FetchResponse(outcome: .gone, status: status, finalURL: here, freshFor: freshFor))
        case 429, 503:
            let retryAfter = headers.first(name: "Retry-After").flatMap { RetryAfter.seconds($0, now: Date()) }
            throw FetchError.rateLimited(
                url: here,
                status: status,
                reason: response.status.reasonPhrase,
                retryAfter: retryAfter
            )
        default:
            throw FetchError.http(url: here, status: status, reason: response.status.reasonPhrase)
        }
    }

    /// Streams the body, stopping as soon as it passes the cap.
    private func readBody(_ response: HTTPClientResponse, url: String) async throws -> [UInt8] {
        let limit = max(0, self.configuration.maxBodyBytes)
        // Content-Length is the encoded size; a compressed body that big cannot shrink below the cap in practice.
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit {
            throw FetchError.tooLarge(url: url, limit: limit)
        }
        var body: [UInt8] = []
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > 0,
            response.headers.first(name: "Content-Encoding") == nil
        {
            // One buffer of the declared size instead of a doubling series of copies.
            body.reserveCapacity(declared)
        }
        for try await chunk in response.body {
            guard chunk.readableBytes <= limit - body.count else {
                throw FetchError.tooLarge(url: url, limit: limit)
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return body
    }

    /// Only absolute http and https URLs with a host are fetched.
    static func validate(_ text: String) throws(FetchError) -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else {
            throw .invalidURL(url: text, reason: "not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalidURL(url: text, reason: "scheme \"\(scheme)\" is not fetched; use http or https")
        }
        guard let host = url.host, !host.isEmpty else {
            throw .invalidURL(url: text, reason: "no host")
        }
        return url
    }

    private static func timeAmount(_ seconds: TimeInterval) -> TimeAmount {
        .milliseconds(Int64(max(0, seconds) * 1000))
    }
}
