import Foundation
import Testing

@testable import FeedParsing

struct JSONFeedTests {
    func parse(_ json: String) throws -> ParsedFeed {
        try FeedParser.parse(Array(json.utf8), options: .init(baseURL: "https://example.test/feed.json"))
    }

    @Test func escapesAndSurrogatePairs() throws {
        let result = try parse(
            #"{"version":"https://jsonfeed.org/version/1.1","title":"A \"quoted\" \\ \/ \u00e9\ud83d\ude00 \ud800x","items":[]}"#
        )
        #expect(result.feed.title == "A \"quoted\" \\ / é😀 \u{FFFD}x")
        #expect(result.feed.format == .json11)
    }

    @Test("strings with escapes anywhere decode as Foundation's JSON decoder decodes them")
    func escapedStringsMatchFoundation() throws {
        // Runs of plain text of every length between escapes, at the start, the middle
        // and the end of the string, and escapes back to back.
        let pieces = [
            #"<p class=\"a\">"#, "</p>", #"\\"#, #"\/"#, #"\n"#, #"\u00e9"#, #"\ud83d\ude00"#, "x", "plain text ", "é",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let escaped = (0..<Int.random(in: 1...12, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            let item = #"{"id":"1","content_html":""# + escaped + #""}"#
            let json = #"{"version":"https://jsonfeed.org/version/1.1","items":["# + item + "]}"
            let decoded = try #require(
                try JSONSerialization.jsonObject(with: Data(item.utf8)) as? [String: Any])
            let expected = try #require(decoded["content_html"] as? String)
            // A blank content is no content.
            let wanted = expected.allSatisfy(\.isWhitespace) ? nil : expected
            #expect(try parse(json).feed.entries.first?.content == wanted, "\(escaped)")
        }
    }

    @Test func versionOneAndNumericIDs() throws {
        let result = try parse(
            #"{"version":"https://jsonfeed.org/version/1","items":[{"id":12345678901,"url":"/a","content_text":"x < y"}]}"#
        )
        #expect(result.feed.format == .json10)
        #expect(result.feed.entries.first?.id == "12345678901")
        #expect(result.feed.entries.first?.link == "https://example.test/a")
        #expect(result.feed.entries.first?.content == "x &lt; y")
    }

    @Test func unknownMembersOfAnyDepthAreSkipped() throws {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let result = try parse(
            #"{"_ext":"# + deep
                + #","version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","_x":{"a":[1,{"b":null}]},"title":"kept"}]}"#
        )
        #expect(result.feed.entries.map(\.title) == ["kept"])
    }

    @Test func syntaxErrorsNameTheLineAndColumn() {
        #expect(throws: FeedParsingError.invalidJSON("line 2, column 11: expected ',' or '}' in an object")) {
            try parse("{\"version\":\"https://jsonfeed.org/version/1.1\",\n\"title\":1 2}")
        }
        #expect(throws: FeedParsingError.invalidJSON("line 1, column 22: unterminated string")) {
            try parse(#"{"version":"https://j"#)
        }
    }

    @Test func itemsThatAreNotObjectsAreSkippedWithAWarning() throws {
        let result = try parse(#"{"version":"https://jsonfeed.org/version/1.1","items":[1,{"id":"a"},"x"]}"#)
        #expect(result.feed.entries.map(\.id) == ["a"])
        #expect(result.warnings.count == 2)
    }

    @Test func notAJSONFeed() {
        #expect(throws: FeedParsingError.self) { try parse(#"{"hello":"world"}"#) }
        #expect(throws: FeedParsingError.self) { try parse("{") }
    }
}
