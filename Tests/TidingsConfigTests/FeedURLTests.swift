import Testing
import TidingsConfig
import TidingsModel

/// One set of rules for a feed's URL, wherever it comes from.
@Suite struct FeedURLTests {
    @Test(arguments: [
        ("https://a.example/feed", "https://a.example/feed"),
        ("  HTTP://A.example/feed\u{200B} ", "HTTP://A.example/feed"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("http://bücher.example/feed", "http://bücher.example/feed"),
        ("http://user:secret@a.example/feed", "http://user:secret@a.example/feed"),
    ])
    func accepted(raw: String, url: String) {
        #expect(FeedURL.checked(raw) == url)
    }

    @Test(arguments: [
        "", "   ", "http://", "http:///path", "https://:80/x", "http://a b/", "a.example/feed", "ftp://a.example/feed",
        "file:///etc/passwd", "javascript:alert(1)", "feed://a.example/feed", "httpx://a.example/",
    ])
    func refused(raw: String) {
        #expect(FeedURL.checked(raw) == nil)
    }

    @Test func feedSchemeNamesTheHTTPFeed() {
        #expect(FeedURL.checked(subscribing: "feed://a.example/rss") == "http://a.example/rss")
        #expect(FeedURL.checked(subscribing: "FEED:https://a.example/rss") == "https://a.example/rss")
        #expect(FeedURL.checked(subscribing: "feed:ftp://a.example/rss") == nil)
        #expect(FeedURL.checked(subscribing: "feed://") == nil)
        #expect(FeedURL.checked(subscribing: "https://a.example/rss") == "https://a.example/rss")
    }

    @Test(arguments: [
        ("HTTP://Example.COM/Feed", "http://example.com/Feed"),
        ("http://example.com:80/feed", "http://example.com/feed"),
        ("https://example.com:443/feed", "https://example.com/feed"),
        ("http://example.com:443/feed", "http://example.com:443/feed"),
        ("http://example.com:/feed", "http://example.com/feed"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com?a=B", "http://example.com/?a=B"),
        ("http://example.com/feed#Top", "http://example.com/feed"),
        ("http://example.com#top", "http://example.com/"),
        ("http://User@Example.com/", "http://User@example.com/"),
        ("http://[::1]/a", "http://[::1]/a"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        ("http://[::1]:81/a", "http://[::1]:81/a"),
        ("http://example.com/a?b=c#d/e", "http://example.com/a?b=c"),
    ])
    func identity(url: String, key: String) {
        #expect(FeedURL.identity(url) == key)
    }

    @Test func identityKeepsWhatTheServerSees() {
        // Paths and queries are the server's to compare: different spellings stay different.
        #expect(FeedURL.identity("http://a.example/Feed") != FeedURL.identity("http://a.example/feed"))
        #expect(FeedURL.identity("http://a.example/feed/") != FeedURL.identity("http://a.example/feed"))
        #expect(FeedURL.identity("http://a.example/f?x=1") != FeedURL.identity("http://a.example/f?x=2"))
        #expect(FeedURL.identity("http://a@a.example/") != FeedURL.identity("http://b@a.example/"))
        #expect(FeedURL.identity("http://a.example/") != FeedURL.identity("https://a.example/"))
    }
}
