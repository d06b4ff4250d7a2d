import Foundation
import Testing
import TidingsModel

@testable import Storage

@Suite("JSONColumns: hand-written JSON of entry lists")
struct JSONColumnsTests {
    static let nasty = [
        "", "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab\u{8}\u{c}", "nul \u{0} and \u{1F}",
        "unicode é 中文 🎉", "\u{2028}\u{2029}", "{\"json\": [1, 2]}",
    ]

    func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test func stringsRoundTripAndMatchJSONEncoder() throws {
        for list in [[], Self.nasty, ["one"]] as [[String]] {
            let text = JSONColumns.text(list)
            #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == list)
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] == list)
        }
        #expect(
            JSONColumns.text(["a/b", "c\"d"]) == String(decoding: try encoder().encode(["a/b", "c\"d"]), as: UTF8.self))
    }

    @Test func authorsRoundTripWithAbsentFieldsLeftOut() throws {
        let authors = [
            Author(name: "Ann \"A\" Smith", email: "ann@example.com", uri: "https://example.com/ann"),
            Author(name: "Bob"), Author(email: "x@y.z"), Author(), Author(uri: Self.nasty[3]),
        ]
        let text = JSONColumns.text(authors)
        #expect(try JSONDecoder().decode([Author].self, from: Data(text.utf8)) == authors)
        #expect(text == String(decoding: try encoder().encode(authors), as: UTF8.self))
    }

    @Test func enclosuresRoundTrip() throws {
        let enclosures = [
            Enclosure(url: "https://example.com/a.mp3", type: "audio/mpeg", length: 12_345_678_901),
            Enclosure(url: "https://example.com/b.jpg"), Enclosure(url: Self.nasty[2], length: 0),
        ]
        let text = JSONColumns.text(enclosures)
        #expect(try JSONDecoder().decode([Enclosure].self, from: Data(text.utf8)) == enclosures)
        #expect(text == String(decoding: try encoder().encode(enclosures), as: UTF8.self))
    }

    @Test func randomStringsRoundTripAndMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "a", "é", "中", "🎉", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{8}", "\u{C}", " ",
        ]
        for _ in 0..<500 {
            let count = Int.random(in: 0..<40, using: &generator)
            let list = (0..<Int.random(in: 1..<4, using: &generator)).map { _ in
                (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let text = JSONColumns.text(list)
            #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == list)
            #expect(text == String(decoding: try encoder().encode(list), as: UTF8.self), "\(list)")
        }
    }
}
