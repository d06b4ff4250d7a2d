import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import Fetching

/// Starts a fixture server and a fetcher, runs `body`, and shuts both down whatever happens.
func withFixture(
    _ routes: [String: Route],
    configuration: FetchConfiguration = .init(),
    _ body: (FixtureServer, FeedFetcher) async throws -> Void
) async throws {
    let server = try await FixtureServer.start(routes)
    let fetcher = FeedFetcher(configuration: configuration)
    do {
        try await body(server, fetcher)
    } catch {
        try? await fetcher.shutdown()
        try? await server.stop()
        throw error
    }
    try await fetcher.shutdown()
    try await server.stop()
}

/// Fetches `url` and returns the ``FetchError`` it must fail with.
func fetchError(_ fetcher: FeedFetcher, _ url: String) async throws -> FetchError {
    do {
        let response = try await fetcher.fetch(FetchRequest(url: url))
        Issue.record("expected a FetchError, got status \(response.status)")
        throw CancellationError()
    } catch let error as FetchError {
        return error
    }
}

extension FetchResponse.Outcome {
    var body: [UInt8]? {
        if case .fetched(let body, _) = self { body } else { nil }
    }

    var contentType: String? {
        if case .fetched(_, let contentType) = self { contentType } else { nil }
    }

    var isNotModified: Bool {
        if case .notModified = self { true } else { false }
    }

    var isGone: Bool {
        if case .gone = self { true } else { false }
    }
}

let feedXML = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title></channel></rss>"

@Suite("FeedFetcher over loopback HTTP")
struct FeedFetcherTests {
    @Test func fetchedWithValidatorsAndFreshness() async throws {
        let routes: [String: Route] = [
            "/feed": { _ in
                .text(
                    200,
                    feedXML,
                    headers: [
                        ("Content-Type", "application/rss+xml; charset=utf-8"), ("ETag", "\"v1\""),
                        ("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"), ("Cache-Control", "public, max-age=600"),
                    ]
                )
            }
        ]
        try await withFixture(routes) { server, fetcher in
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed")))
            #expect(response.status == 200)
            #expect(response.outcome.body == Array(feedXML.utf8))
            #expect(response.outcome.contentType == "application/rss+xml; charset=utf-8")
            #expect(response.etag == "\"v1\"")
            #expect(response.lastModified == "Sun, 06 Nov 1994 08:49:37 GMT")
            #expect(response.freshFor == 600)
            #expect(response.finalURL == server.url("/feed"))
            #expect(response.permanentRedirect == nil)
        }
    }

    @Test("a user name and password in the URL go as Basic authorization, to that host only, and never in messages")
    func credentialsInTheURL() async throws {
        let seen = Mutex<[String: String]>([:])
        let routes: [String: Route] = [
            "/private": { head in
                seen.withLock { $0["/private"] = head.headers.first(name: "Authorization") ?? "none" }
                return head.headers.first(name: "Authorization") == "Basic YWxpY2U6cEBzcyB3b3Jk"
                    ? .text(200, feedXML) : .text(401, "who are you?")
            },
            "/moved": { _ in .redirect(301, to: "/private") },
            "/elsewhere": { head in
                .redirect(
                    302,
                    to: "http://localhost:\(head.headers.first(name: "Host")?.split(separator: ":").last ?? "")/other")
            },
            "/other": { head in
                seen.withLock { $0["/other"] = head.headers.first(name: "Authorization") ?? "none" }
                return .text(200, feedXML)
            },
        ]
        try await withFixture(routes) { server, fetcher in
            // The password is percent-decoded ("p@ss word").
            let url = server.url("/private").replacingOccurrences(of: "://", with: "://alice:p%40ss%20word@")
            let response = try await fetcher.fetch(FetchRequest(url: url))
            #expect(response.status == 200)
            #expect(seen.withLock { $0["/private"] } == "Basic YWxpY2U6cEBzcyB3b3Jk")
            // The document's base (for its links) carries no credentials.
            #expect(response.finalURL == server.url("/private"))

            // A relative redirect stays on the host: the credentials follow, and the
            // permanent target keeps them (it becomes where the feed is fetched).
            let moved = try await fetcher.fetch(
                FetchRequest(url: url.replacingOccurrences(of: "/private", with: "/moved")))
            #expect(moved.status == 200)
            #expect(moved.permanentRedirect == url)

            // Another host never gets them.
            let other = try await fetcher.fetch(
                FetchRequest(url: url.replacingOccurrences(of: "/private", with: "/elsewhere")))
            #expect(other.status == 200)
            #expect(seen.withLock { $0["/other"] } == "none")

            // A wrong password: the error names the URL without it.
            let wrong = try await fetchError(
                fetcher, server.url("/private").replacingOccurrences(of: "://", with: "://alice:nope@"))
            #expect(wrong.description == "http://alice:***@127.0.0.1:\(server.port)/private: HTTP 401 Unauthorized")
        }
    }

    @Test func conditionalRequestGetsNotModified() async throws {
        let routes: [String: Route] = [
            "/feed": { head in
                let matches =
                    head.headers.first(name: "If-None-Match") == "\"v1\""
                    && head.headers.first(name: "If-Modified-Since") == "Sun, 06 Nov 1994 08:49:37 GMT"
                return matches ? .text(304) : .text(200, feedXML, headers: [("ETag", "\"v1\"")])
            },
            "/refreshed": { head in
                head.headers.first(name: "If-None-Match") == "\"v1\""
                    ? .text(304, headers: [("ETag", "\"v2\"")]) : .text(200, feedXML)
            },
        ]
        try await withFixture(routes) { server, fetcher in
            let first = try await fetcher.fetch(FetchRequest(url: server.url("/feed")))
            #expect(first.status == 200)
            #expect(server.log.headers(of: "/feed").first?.first(name: "If-None-Match") == nil)

            let request = FetchRequest(
                url: server.url("/feed"),
                etag: "\"v1\"",
                lastModified: "Sun, 06 Nov 1994 08:49:37 GMT"
            )
            let second = try await fetcher.fetch(request)
            #expect(second.status == 304)
            #expect(second.outcome.isNotModified)
            // The 304 sent no validators: the request's still hold.
            #expect(second.etag == "\"v1\"")
            #expect(second.lastModified == "Sun, 06 Nov 1994 08:49:37 GMT")

            let refreshed = try await fetcher.fetch(FetchRequest(url: server.url("/refreshed"), etag: "\"v1\""))
            #expect(refreshed.outcome.isNotModified)
            #expect(refreshed.etag == "\"v2\"")
        }
    }

    @Test func gzipAndDeflateBodiesAreDecoded() async throws {
        let original = Array(String(repeating: feedXML, count: 50).utf8)
        let gzipped = try Compression.gzip(original)
        let zlibbed = try Compression.zlib(original)
        #expect(gzipped.count < original.count)
        let routes: [String: Route] = [
            "/gzip": { _ in Reply(status: 200, headers: [("Content-Encoding", "gzip")], body: .bytes(gzipped)) },
            "/deflate": { _ in Reply(status: 200, headers: [("Content-Encoding", "deflate")], body: .bytes(zlibbed)) },
        ]
        try await withFixture(routes) { server, fetcher in
            let gzip = try await fetcher.fetch(FetchRequest(url: server.url("/gzip")))
            #expect(gzip.outcome.body == original)
            let deflate = try await fetcher.fetch(FetchRequest(url: server.url("/deflate")))
            #expect(deflate.outcome.body == original)
            #expect(server.log.headers(of: "/gzip").first?.first(name: "Accept-Encoding") == "gzip, deflate")
        }
    }

    @Test func gzipBombIsCutAtTheDecompressedCap() async throws {
        let bomb = try Compression.gzip([UInt8](repeating: 0, count: 50 * 1024 * 1024))
        let cap = 1024 * 1024
        // The compressed body fits the cap many times over; only its decompressed size does not.
        #expect(bomb.count < cap / 4)
        let routes: [String: Route] = [
            "/bomb": { _ in Reply(status: 200, headers: [("Content-Encoding", "gzip")], body: .bytes(bomb)) }
        ]
        try await withFixture(routes, configuration: FetchConfiguration(maxBodyBytes: cap)) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/bomb"))
            #expect(error.shortDescription == "too-large")
            #expect(error.description.contains(server.url("/bomb")))
        }
    }

    @Test func bodyJustUnderTheCapIsAccepted() async throws {
        let cap = 64 * 1024
        let plain = [UInt8](repeating: UInt8(ascii: "a"), count: cap)
        let gzipped = try Compression.gzip(plain)
        let routes: [String: Route] = [
            "/plain": { _ in Reply(status: 200, body: .bytes(plain)) },
            "/gzip": { _ in Reply(status: 200, headers: [("Content-Encoding", "gzip")], body: .bytes(gzipped)) },
            "/over": { _ in Reply(status: 200, body: .bytes(plain + [0])) },
        ]
        try await withFixture(routes, configuration: FetchConfiguration(maxBodyBytes: cap)) { server, fetcher in
            let identity = try await fetcher.fetch(FetchRequest(url: server.url("/plain")))
            #expect(identity.outcome.body?.count == cap)
            let gzip = try await fetcher.fetch(FetchRequest(url: server.url("/gzip")))
            #expect(gzip.outcome.body?.count == cap)
            let over = try await fetchError(fetcher, server.url("/over"))
            #expect(over.shortDescription == "too-large")
        }
    }

    @Test func endlessBodyIsCutByTheCap() async throws {
        let routes: [String: Route] = ["/endless": { _ in Reply(status: 200, body: .endless(chunk: 16 * 1024)) }]
        let configuration = FetchConfiguration(requestTimeout: 60, maxBodyBytes: 256 * 1024)
        try await withFixture(routes, configuration: configuration) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/endless"))
            #expect(error.shortDescription == "too-large")
        }
    }

    @Test func slowDripIsCutByTheRequestTimeout() async throws {
        let body = Array(String(repeating: "x", count: 200).utf8)
        let routes: [String: Route] = [
            "/drip": { _ in Reply(status: 200, body: .drip(body, interval: .milliseconds(50))) }
        ]
        try await withFixture(routes, configuration: FetchConfiguration(requestTimeout: 1)) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/drip"))
            #expect(error.shortDescription == "timeout")
            #expect(error.description.contains(server.url("/drip")))
        }
    }

    @Test("the longest timeout a configuration allows (100 years) fetches normally")
    func longestTimeout() async throws {
        let routes: [String: Route] = ["/feed": { _ in Reply(status: 200, body: .bytes(Array("<rss/>".utf8))) }]
        let configuration = FetchConfiguration(connectTimeout: 36_500 * 86_400, requestTimeout: 36_500 * 86_400)
        try await withFixture(routes, configuration: configuration) { server, fetcher in
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed")))
            #expect(response.status == 200)
        }
    }

    @Test func slowHeadersAreCutByTheRequestTimeout() async throws {
        let routes: [String: Route] = [
            "/late": { _ in Reply(status: 200, body: .bytes([1]), delay: .seconds(3)) }
        ]
        try await withFixture(routes, configuration: FetchConfiguration(requestTimeout: 1)) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/late"))
            #expect(error.shortDescription == "timeout")
        }
    }

    @Test func connectionDroppedMidBody() async throws {
        let routes: [String: Route] = [
            "/cut": { _ in Reply(status: 200, body: .cut(sent: Array("<rss><chan".utf8), declared: 10_000)) }
        ]
        try await withFixture(routes) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/cut"))
            #expect(error.shortDescription == "connection")
            #expect(
                error.description == "\(server.url("/cut")): the server closed the connection before the response ended"
            )
        }
    }

    @Test func permanentRedirectsReportTheNewHome() async throws {
        let routes: [String: Route] = [
            "/old": { _ in .redirect(301, to: "/older") },
            "/older": { head in .redirect(308, to: "http://\(head.headers.first(name: "Host") ?? "")/new") },
            "/new": { _ in .text(200, feedXML) },
        ]
        try await withFixture(routes) { server, fetcher in
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/old")))
            #expect(response.status == 200)
            #expect(response.finalURL == server.url("/new"))
            #expect(response.permanentRedirect == server.url("/new"))
            #expect(server.log.count("/older") == 1)
        }
    }

    @Test func anyTemporaryHopMeansNoPermanentRedirect() async throws {
        for status in [302, 303, 307] {
            let routes: [String: Route] = [
                "/old": { _ in .redirect(301, to: "/temporary") },
                "/temporary": { _ in .redirect(status, to: "/new") },
                "/new": { _ in .text(200, feedXML) },
            ]
            try await withFixture(routes) { server, fetcher in
                let response = try await fetcher.fetch(FetchRequest(url: server.url("/old")))
                #expect(response.finalURL == server.url("/new"))
                #expect(response.permanentRedirect == nil, "hop \(status)")
            }
        }
    }

    @Test func relativeLocationIsResolved() async throws {
        let routes: [String: Route] = [
            "/feeds/old": { _ in .redirect(301, to: "../current/feed.xml?x=1") },
            "/current/feed.xml": { _ in .text(200, feedXML) },
        ]
        try await withFixture(routes) { server, fetcher in
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/feeds/old")))
            #expect(response.finalURL == server.url("/current/feed.xml?x=1"))
            #expect(response.outcome.body == Array(feedXML.utf8))
        }
    }

    @Test func redirectLoopFails() async throws {
        let routes: [String: Route] = [
            "/a": { _ in .redirect(302, to: "/b") },
            "/b": { _ in .redirect(302, to: "/a") },
        ]
        try await withFixture(routes) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/a"))
            #expect(error.shortDescription == "redirect")
            #expect(error.description.contains("loop"))
            #expect(server.log.count("/a") == 1)
        }
    }

    @Test func fiveHopsAreFollowedButSixAreTooMany() async throws {
        var routes: [String: Route] = ["/hop6": { _ in .text(200, feedXML) }]
        for hop in 0..<6 {
            routes["/hop\(hop)"] = { _ in .redirect(301, to: "/hop\(hop + 1)") }
        }
        try await withFixture(routes) { server, fetcher in
            let five = try await fetcher.fetch(FetchRequest(url: server.url("/hop1")))
            #expect(five.finalURL == server.url("/hop6"))
            #expect(five.permanentRedirect == server.url("/hop6"))

            let error = try await fetchError(fetcher, server.url("/hop0"))
            #expect(error.shortDescription == "redirect")
            #expect(error.description.contains("too many redirects"))
        }
    }

    @Test func redirectWithoutLocationFails() async throws {
        try await withFixture(["/bad": { _ in .text(302) }]) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/bad"))
            #expect(error.shortDescription == "redirect")
            #expect(error.status == 302)
        }
    }

    @Test func goneIsAnOutcome() async throws {
        try await withFixture(["/gone": { _ in .text(410, "bye") }]) { server, fetcher in
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/gone")))
            #expect(response.outcome.isGone)
            #expect(response.status == 410)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfterSeconds() async throws {
        try await withFixture(["/busy": { _ in .text(429, headers: [("Retry-After", "120")]) }]) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/busy"))
            #expect(error.shortDescription == "rate-limited")
            #expect(error.status == 429)
            #expect(error.retryAfter == 120)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfterDate() async throws {
        let later = imfFixdate(Date().addingTimeInterval(300))
        try await withFixture(["/busy": { _ in .text(429, headers: [("Retry-After", later)]) }]) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/busy"))
            #expect(error.shortDescription == "rate-limited")
            let retryAfter = try #require(error.retryAfter)
            #expect(retryAfter > 200 && retryAfter <= 301)
        }
    }

    @Test func serviceUnavailableIsRateLimited() async throws {
        try await withFixture(["/down": { _ in .text(503, "maintenance") }]) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/down"))
            #expect(error.shortDescription == "rate-limited")
            #expect(error.status == 503)
            #expect(error.retryAfter == nil)
        }
    }

    @Test func notFoundIsAnHTTPErrorNamingTheURL() async throws {
        try await withFixture([:]) { server, fetcher in
            let error = try await fetchError(fetcher, server.url("/missing"))
            #expect(error.shortDescription == "http")
            #expect(error.status == 404)
            #expect(error.description == "\(server.url("/missing")): HTTP 404 Not Found")
        }
    }

    @Test func connectionRefusedOnAClosedPort() async throws {
        // A socket bound but not listening: connecting to it is refused, and no other
        // test's server can take the port while it is held (a stopped server's port
        // could be handed to the next test that binds port 0).
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        #expect(bound)
        let url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/feed"
        let fetcher = FeedFetcher(configuration: FetchConfiguration(connectTimeout: 5))
        let error = try await fetchError(fetcher, url)
        try await fetcher.shutdown()
        #expect(error.shortDescription == "connection")
        #expect(error.description.contains(url))
        #expect(error.description.contains("refused"))
    }

    @Test func tlsToAPlainHTTPServerFailsAsTLS() async throws {
        try await withFixture(["/feed": { _ in .text(200, feedXML) }]) { server, fetcher in
            let url = "https://127.0.0.1:\(server.port)/feed"
            let error = try await fetchError(fetcher, url)
            #expect(error.shortDescription == "tls")
            #expect(error.description.hasPrefix(url + ": "))
        }
    }

    @Test func perHostLimitHolds() async throws {
        let routes: [String: Route] = [
            "/slow": { _ in Reply(status: 200, body: .bytes(Array(feedXML.utf8)), delay: .milliseconds(200)) }
        ]
        try await withFixture(routes, configuration: FetchConfiguration(perHost: 2)) { server, fetcher in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await fetcher.fetch(FetchRequest(url: server.url("/slow"))).status }
                }
                for try await status in group {
                    #expect(status == 200)
                }
            }
            #expect(server.log.count("/slow") == 10)
            #expect(server.log.maxInFlight == 2)
        }
    }

    @Test func globalLimitHolds() async throws {
        let routes: [String: Route] = [
            "/slow": { _ in Reply(status: 200, body: .bytes([1]), delay: .milliseconds(200)) }
        ]
        let configuration = FetchConfiguration(maxConcurrent: 3, perHost: 10)
        try await withFixture(routes, configuration: configuration) { server, fetcher in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<9 {
                    group.addTask { _ = try await fetcher.fetch(FetchRequest(url: server.url("/slow"))) }
                }
                try await group.waitForAll()
            }
            #expect(server.log.maxInFlight == 3)
        }
    }

    @Test func userAgentAndAcceptAreSent() async throws {
        try await withFixture(["/feed": { _ in .text(200, feedXML) }]) { server, fetcher in
            _ = try await fetcher.fetch(FetchRequest(url: server.url("/feed")))
            _ = try await fetcher.fetch(FetchRequest(url: server.url("/feed"), userAgent: "Custom/2.0"))
            let sent = server.log.headers(of: "/feed")
            try #require(sent.count == 2)
            #expect(sent[0].first(name: "User-Agent") == FetchConfiguration().userAgent)
            #expect(sent[1].first(name: "User-Agent") == "Custom/2.0")
            #expect(sent[0].first(name: "Accept")?.hasPrefix("application/rss+xml, application/atom+xml") == true)
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/feed", "file:///etc/passwd", "not a url", "http:///nohost", ""])
    func nonHTTPURLsAreInvalid(url: String) async throws {
        let fetcher = FeedFetcher()
        let error = try await fetchError(fetcher, url)
        try await fetcher.shutdown()
        #expect(error.shortDescription == "invalid-url")
    }

    @Test func cancellingAFetchEndsIt() async throws {
        let routes: [String: Route] = [
            "/late": { _ in Reply(status: 200, body: .bytes([1]), delay: .seconds(5)) }
        ]
        try await withFixture(routes) { server, fetcher in
            let task = Task { try await fetcher.fetch(FetchRequest(url: server.url("/late"))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for `date`.
func imfFixdate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
}
