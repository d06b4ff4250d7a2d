import Foundation
import NIOCore
import NIOHTTPCompression
import Testing

@testable import Fetching

@Suite("HTTP header values")
struct HeaderValueTests {
    static let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 +0000",
    ])
    func httpDateFormsAgree(text: String) {
        #expect(HTTPDate.parse(text) == Self.now)
    }

    @Test(arguments: [
        "", "0", "-1", "tomorrow", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0200",
    ])
    func httpDateRejectsGarbage(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func retryAfterSeconds() {
        #expect(RetryAfter.seconds("120", now: Self.now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: Self.now) == 0)
    }

    @Test func retryAfterDate() {
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:51:37 GMT", now: Self.now) == 120)
        // A date already past means "now".
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:00:00 GMT", now: Self.now) == 0)
    }

    @Test(arguments: ["", "soon", "-5", "1.5"])
    func retryAfterGarbage(text: String) {
        #expect(RetryAfter.seconds(text, now: Self.now) == nil)
    }

    @Test func maxAge() {
        #expect(Freshness.seconds(cacheControl: ["max-age=600"], expires: nil, date: nil, now: Self.now) == 600)
        #expect(
            Freshness.seconds(
                cacheControl: ["public, Max-Age=\"60\", must-revalidate"], expires: nil, date: nil, now: Self.now)
                == 60
        )
        // Split over two header lines.
        #expect(
            Freshness.seconds(cacheControl: ["public", "max-age=30"], expires: nil, date: nil, now: Self.now) == 30)
    }

    @Test func noCacheAndNoStoreMeanZero() {
        #expect(Freshness.seconds(cacheControl: ["no-cache, max-age=600"], expires: nil, date: nil, now: Self.now) == 0)
        #expect(
            Freshness.seconds(cacheControl: ["max-age=600", "no-store"], expires: nil, date: nil, now: Self.now) == 0)
    }

    @Test func maxAgeWinsOverExpires() {
        let value = Freshness.seconds(
            cacheControl: ["max-age=10"],
            expires: "Sun, 06 Nov 1994 09:49:37 GMT",
            date: "Sun, 06 Nov 1994 08:49:37 GMT",
            now: Self.now
        )
        #expect(value == 10)
    }

    @Test func expiresMinusDateOrNow() {
        let withDate = Freshness.seconds(
            cacheControl: [],
            expires: "Sun, 06 Nov 1994 09:49:37 GMT",
            date: "Sun, 06 Nov 1994 09:19:37 GMT",
            now: Self.now
        )
        #expect(withDate == 1800)
        let withoutDate = Freshness.seconds(
            cacheControl: [],
            expires: "Sun, 06 Nov 1994 09:49:37 GMT",
            date: nil,
            now: Self.now
        )
        #expect(withoutDate == 3600)
    }

    @Test func invalidExpiresMeansExpired() {
        #expect(Freshness.seconds(cacheControl: [], expires: "0", date: nil, now: Self.now) == 0)
    }

    @Test func nothingSaidMeansNil() {
        #expect(Freshness.seconds(cacheControl: ["public"], expires: nil, date: nil, now: Self.now) == nil)
    }
}

@Suite("Redirect trail")
struct RedirectTrailTests {
    let origin = URL(string: "http://a.example/feed")!

    @Test func permanentHops() throws {
        var trail = RedirectTrail(origin: self.origin, maxRedirects: 5)
        #expect(trail.permanentRedirect == nil)
        try trail.follow(status: 301, location: "https://b.example/feed")
        try trail.follow(status: 308, location: "/rss")
        #expect(trail.current.absoluteString == "https://b.example/rss")
        #expect(trail.permanentRedirect == "https://b.example/rss")
    }

    @Test func oneTemporaryHopSpoilsIt() throws {
        var trail = RedirectTrail(origin: self.origin, maxRedirects: 5)
        try trail.follow(status: 307, location: "/b")
        try trail.follow(status: 301, location: "/c")
        #expect(trail.current.absoluteString == "http://a.example/c")
        #expect(trail.permanentRedirect == nil)
    }

    @Test func loopsAndLimits() throws {
        var loop = RedirectTrail(origin: self.origin, maxRedirects: 5)
        try loop.follow(status: 302, location: "/b")
        #expect(throws: FetchError.self) { try loop.follow(status: 302, location: "http://a.example/feed") }

        var none = RedirectTrail(origin: self.origin, maxRedirects: 0)
        let error = #expect(throws: FetchError.self) { try none.follow(status: 301, location: "/b") }
        #expect(error?.shortDescription == "redirect")
    }

    @Test(arguments: [nil, "", "ftp://a.example/feed", "javascript:alert(1)"])
    func unusableLocations(location: String?) {
        var trail = RedirectTrail(origin: self.origin, maxRedirects: 5)
        let error = #expect(throws: FetchError.self) { try trail.follow(status: 302, location: location) }
        #expect(error?.shortDescription == "redirect")
        #expect(error?.description.hasPrefix("http://a.example/feed: ") == true)
    }

    @Test func sloppyLocationIsRepaired() throws {
        var trail = RedirectTrail(origin: self.origin, maxRedirects: 5)
        try trail.follow(status: 301, location: "/new feed.xml#top")
        #expect(trail.current.absoluteString == "http://a.example/new%20feed.xml")
    }
}

@Suite("Concurrency limiter")
struct ConcurrencyLimiterTests {
    @Test func waitersGetPlacesInOrder() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire("h")
        let order = OrderLog()
        let first = Task {
            try await limiter.acquire("h")
            order.append(1)
        }
        while await limiter.waiters("h") < 1 { await Task.yield() }
        let second = Task {
            try await limiter.acquire("h")
            order.append(2)
        }
        while await limiter.waiters("h") < 2 { await Task.yield() }
        #expect(await limiter.active("h") == 1)
        #expect(order.values.isEmpty)

        await limiter.release("h")
        try await first.value
        #expect(order.values == [1])
        await limiter.release("h")
        try await second.value
        #expect(order.values == [1, 2])
        await limiter.release("h")
        #expect(await limiter.active("h") == 0)
    }

    @Test func keysAreIndependent() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire("a")
        try await limiter.acquire("b")
        #expect(await limiter.active("a") == 1)
        #expect(await limiter.active("b") == 1)
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire("h")
        let waiter = Task { try await limiter.acquire("h") }
        while await limiter.waiters("h") < 1 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await limiter.waiters("h") == 0)
        await limiter.release("h")
        #expect(await limiter.active("h") == 0)
    }
}

final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []

    func append(_ value: Int) {
        self.lock.withLock { self.storage.append(value) }
    }

    var values: [Int] {
        self.lock.withLock { self.storage }
    }
}

@Suite("FetchError")
struct FetchErrorTests {
    @Test func notAFeedNamesTheURL() {
        let error = FetchError.notAFeed(url: "http://x/feed", reason: "HTML page")
        #expect(error.shortDescription == "not-a-feed")
        #expect(error.description == "http://x/feed: not a feed: HTML page")
        #expect(error.status == nil)
    }

    @Test(arguments: [
        (0.0, "0 s"), (0.2, "1 s"), (119, "119 s"), (120, "2 min"), (121, "3 min"), (7199, "2 h"), (7140, "119 min"),
        (7200, "2 h"), (22168, "6 h 10 min"), (172_799, "2 d"), (169_200, "47 h"), (172_800, "2 d"),
        (200_000, "2 d 8 h"),
        (-5, "0 s"), (.infinity, "0 s"),
    ])
    func waitsReadWell(seconds: Double, text: String) {
        #expect(FetchError.readableWait(seconds) == text)
    }

    @Test func rateLimitedSaysHowLongToWait() {
        let error = FetchError.rateLimited(
            url: "http://x/feed", status: 503, reason: "Service Unavailable", retryAfter: 22168)
        #expect(error.description == "http://x/feed: HTTP 503 Service Unavailable; the server asks to wait 6 h 10 min")
        #expect(error.retryAfter == 22168)
    }

    @Test func corruptCompressionSaysZlibsCode() {
        let error = FetchError.classify(
            NIOHTTPDecompression.DecompressionError.inflationError(-3), url: "http://x/feed", host: "x",
            configuration: FetchConfiguration())
        #expect(error.description == "http://x/feed: the compressed body is corrupt (zlib error -3)")
    }

    @Test func classifiesClientAndSocketErrors() {
        let configuration = FetchConfiguration()
        func kind(_ error: any Error) -> String {
            FetchError.classify(error, url: "http://x/feed", host: "x", configuration: configuration).shortDescription
        }
        #expect(kind(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection")
        #expect(kind(IOError(errnoCode: ECONNRESET, reason: "read")) == "connection")
        #expect(kind(SocketAddressError.unsupported) == "dns")
        #expect(kind(ChannelError.connectTimeout(.seconds(1))) == "timeout")
    }
}
