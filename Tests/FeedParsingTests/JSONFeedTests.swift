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

    /// A document read where it was given whole (a fetched body) against the same
    /// document given in chunks, which is copied and read at the end.
    @Test("a JSON document given whole is read in place, as the same document in chunks")
    func wholeDocumentReadsAsChunks() throws {
        let feed =
            #"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"/a","content_html":"<p>é</p>"}]}"#
        let plain = #"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1"}]}"#
        let documents: [(String, [UInt8], FeedParser.Options)] = [
            ("valid", Array(feed.utf8), .init(baseURL: "https://example.test/feed.json")),
            ("byte-order mark", [0xEF, 0xBB, 0xBF] + Array(feed.utf8), .init()),
            ("white space before it", Array(("\n\t " + plain).utf8), .init()),
            ("no version", Array(#"{"title":"T","items":[{"id":"1"}]}"#.utf8), .init()),
            ("text after it", Array((feed + " x").utf8), .init()),
            ("not an object", Array("[1, 2]".utf8), .init()),
            ("bad syntax", Array(#"{"version": "x",\n "items": [ {"id": 1,, } ]}"#.utf8), .init()),
            ("too large", Array(feed.utf8), .init(maxJSONLength: 40)),
            (
                "windows-1252",
                Array(#"{"version":"https://jsonfeed.org/version/1","title":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8),
                .init(contentType: "application/feed+json; charset=windows-1252")
            ),
        ]
        for (name, bytes, options) in documents {
            let whole = Result { () throws(FeedParsingError) in try FeedParser.parse(bytes, options: options) }
            let parser = FeedStreamParser(options: options)
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 5, bytes.count)
                bytes[offset..<end].withUnsafeBufferPointer { parser.consume($0) }
                offset = end
            }
            let chunked = Result { () throws(FeedParsingError) in try parser.finish() }
            switch (whole, chunked) {
            case (.success(let a), .success(let b)):
                #expect(a.feed == b.feed, "\(name)")
                #expect(a.warnings.map(\.message) == b.warnings.map(\.message), "\(name)")
                #expect(a.encoding == b.encoding, "\(name)")
            case (.failure(let a), .failure(let b)):
                #expect("\(a)" == "\(b)", "\(name)")
            default:
                Issue.record("\(name): \(whole) against \(chunked)")
            }
        }
        // The cases do what their names say.
        let spaced = try FeedParser.parse(Array(("\n\t " + plain).utf8))
        #expect(spaced.feed.entries.count == 1)
        #expect(throws: FeedParsingError.self) {
            try FeedParser.parse(Array(feed.utf8), options: .init(maxJSONLength: 40))
        }
        // JSON is read as UTF-8 whatever the header says (RFC 8259): a stray byte is
        // replaced, either way.
        let stray = try FeedParser.parse(
            Array(#"{"version":"https://jsonfeed.org/version/1","title":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8),
            options: .init(contentType: "application/feed+json; charset=windows-1252"))
        #expect(stray.feed.title == "caf\u{FFFD}")
    }

}
