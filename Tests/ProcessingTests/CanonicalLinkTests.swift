import Processing
import Testing

@testable import TidingsModel

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

    @Test("ASCII URLs take a byte path that gives what the general path gives")
    func bytePathAgrees() {
        let schemes = ["https", "HTTP", "Ftp", "ws", "wss", "x-y.z+1", "1http", "mailto", "", "h t"]
        let afterScheme = ["://", ":/", ":", "//", ":///", "://\r\n"]
        let userInfo = ["", "user@", "u:p@", "@", "a@b@", "ü@"]
        let hosts = ["Example.COM", "e.com", "[::1]", "[::1]]", "[a:b", "", "Ünï.example", "x\r\ny", "h:"]
        let ports = ["", ":80", ":443", ":21", ":", ":8080", ":80:80", ":x"]
        let paths = ["", "/", "/A/b", "/ä", "/a?b", "//", "/%7Euser", "/a\r\n"]
        let queries = [
            "", "?", "?a=1", "?utm_source=x", "?a=1&UTM_Medium=2&&b", "?fbclid", "?=x&x=", "?&&", "?a=1&fbclid=2#x",
            "?Ref=1&a", "?\u{212A}ey=1",
        ]
        let fragments = ["", "#", "#x", "#a?b", "#/c", "#\u{E9}"]
        let spaces = ["", " ", "\t", "\n ", "\u{A0}", "\u{85}"]
        let parameterSets: [[String]] = [
            ProcessingOptions.defaultTrackingParameters, [], ["ref", "a*"], ["*"], ["\u{212A}ey"], ["a\u{37E}"], ["A"],
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func pick<T>(_ items: [T]) -> T {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return items[Int(state % UInt64(items.count))]
        }
        var byteWay = 0
        for _ in 0..<20_000 {
            let url =
                pick(spaces) + pick(schemes) + pick(afterScheme) + pick(userInfo) + pick(hosts) + pick(ports)
                + pick(paths) + pick(queries) + pick(fragments) + pick(spaces)
            let parameters = pick(parameterSets)
            var bytes = url
            if bytes.withUTF8({ CanonicalLink.asciiCanonical($0, trackingParameters: parameters) }) != nil {
                byteWay += 1
            }
            #expect(
                CanonicalLink.make(url, trackingParameters: parameters)
                    == CanonicalLink.general(url, trackingParameters: parameters), "\(url) \(parameters)")
        }
        // Both ways were taken.
        #expect(byteWay > 1500 && byteWay < 6000, "\(byteWay) URLs took the byte path")
    }

    @Test func customParameters() {
        #expect(CanonicalLink.make("https://e.com/?ref=x&a=1", trackingParameters: ["ref"]) == "https://e.com/?a=1")
        #expect(CanonicalLink.make("https://e.com/?utm_x=1", trackingParameters: []) == "https://e.com/?utm_x=1")
    }
}
