import Processing
import Testing

@Suite struct CanonicalLinkTests {
    static let cases: [(String, String?)] = [
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=1&utm_campaign=x&b=2", "https://example.com/a?id=1&b=2"),
        ("https://example.com/a?fbclid=abc", "https://example.com/a"),
        ("https://example.com/a?GCLID=abc&q=Keep", "https://example.com/a?q=Keep"),
        ("https://example.com/a?mc_cid=1&mc_eid=2#comments", "https://example.com/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("HTTPS://WWW.Example.COM/Path/Case", "https://www.example.com/Path/Case"),
        ("http://example.com", "http://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://user@Example.com/a", "https://user@example.com/a"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?&&x=1&", "https://example.com/a?x=1"),
        ("/relative/path", nil),
        ("mailto:someone@example.com", nil),
        ("", nil),
        ("https:///nohost", nil),
    ]

    @Test(arguments: cases)
    func canonical(input: String, expected: String?) {
        #expect(CanonicalLink.make(input, trackingParameters: ProcessingOptions.defaultTrackingParameters) == expected)
    }

    @Test func customParameters() {
        #expect(CanonicalLink.make("https://e.com/?ref=x&a=1", trackingParameters: ["ref"]) == "https://e.com/?a=1")
        #expect(CanonicalLink.make("https://e.com/?utm_x=1", trackingParameters: []) == "https://e.com/?utm_x=1")
    }
}
