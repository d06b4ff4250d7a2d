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
