import Foundation
import Testing
import TidingsModel

@testable import Processing

@Suite struct ChangeDigestTests {
    func digest(_ fields: [String?]) -> String {
        var digest = ChangeDigest()
        for field in fields { digest.add(field) }
        return digest.hex
    }

    @Test func isSixteenLowercaseHexDigits() {
        for fields in [[], [""], ["a"], [String(repeating: "x", count: 1000)]] as [[String?]] {
            let hex = digest(fields)
            #expect(hex.count == 16)
            #expect(hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func fieldBoundariesAbsenceAndOrderCount() {
        #expect(digest(["ab", "c"]) != digest(["a", "bc"]))
        #expect(digest([nil]) != digest([""]))
        #expect(digest(["", ""]) != digest([""]))
        #expect(digest(["a", "b"]) != digest(["b", "a"]))
        // Trailing zero bytes are not padding: the length is part of the field.
        #expect(digest(["abc"]) != digest(["abc\u{0}"]))
        var list = ChangeDigest()
        list.add(list: ["a", "b"])
        var fields = ChangeDigest()
        fields.add("a")
        fields.add("b")
        #expect(list.hex != fields.hex)
    }

    @Test func everyByteOfALongBodyCounts() {
        let body = Array(String(repeating: "<p>The quick brown fox jumps over the lazy dog.</p>\n", count: 80).utf8)
        let original = digest([String(decoding: body, as: UTF8.self)])
        var seen: Set<String> = [original]
        for position in stride(from: 0, to: body.count, by: 37) {
            var changed = body
            changed[position] ^= 0x01
            seen.insert(digest([String(decoding: changed, as: UTF8.self)]))
        }
        // Each one-bit change gives a digest of its own.
        #expect(seen.count == 1 + (body.count + 36) / 37)
    }

    @Test func isTheSameAcrossCalls() {
        #expect(digest(["title", nil, "body"]) == digest(["title", nil, "body"]))
    }

    /// An entry's content hash puts its lists in element by element; it must stay the
    /// digest of the flattened lists, as stored hashes were made.
    @Test func contentHashListsAreTheFlattenedLists() {
        let authorSets: [[Author]] = [
            [], [Author(name: "Ann")], [Author(name: "Ann", email: "a@x", uri: "https://x"), Author(email: "b@y")],
        ]
        let enclosureSets: [[Enclosure]] = [
            [], [Enclosure(url: "https://x/a.mp3", type: "audio/mpeg", length: 123)],
            [Enclosure(url: "https://x/b.jpg"), Enclosure(url: "u", length: 0)],
        ]
        let categorySets: [[String]] = [[], ["world"], ["a", "", "b"]]
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        for authors in authorSets {
            for enclosures in enclosureSets {
                for categories in categorySets {
                    var flattened = ChangeDigest()
                    flattened.add("T")
                    flattened.add("https://x/l")
                    flattened.add(String(Int64((date.timeIntervalSince1970 * 1000).rounded())))
                    flattened.add("D")
                    flattened.add(nil as String?)
                    flattened.add("<p>B</p>")
                    flattened.add(list: authors.flatMap { [$0.name, $0.email, $0.uri] })
                    flattened.add(list: categories)
                    flattened.add(list: enclosures.flatMap { [$0.url, $0.type, $0.length.map { String($0) }] })
                    let hash = EntryProcessor.contentHash(
                        title: "T", link: "https://x/l", published: date, description: "D", image: nil,
                        body: "<p>B</p>", authors: authors, categories: categories, enclosures: enclosures)
                    #expect(hash == flattened.hex)
                }
            }
        }
    }
}
