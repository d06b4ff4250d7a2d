import Foundation
import TestSupport
import Testing
import Yams

@testable import Publishing

/// Front matter must read back, through a real YAML parser, as exactly the strings written.
@Suite("Front matter round-trips through YAML")
struct YAMLRoundTripTests {
    static let date = Date(timeIntervalSince1970: 1_766_511_910)

    /// Renders a page with `title` and `description`, parses its front matter with Yams,
    /// and returns what came back for each field.
    static func roundTrip(title: String, description: String) throws -> [String: Any] {
        let page = HugoPage(
            title: title, date: date, description: description, image: title, link: "https://e.com/?a=1&b=2",
            source: description, draft: false, body: "<p>x</p>")
        let rendered = HugoRenderer.render(page, dateStyle: .datetime, timeZone: TimeZone(identifier: "UTC")!)
        let yaml = try #require(frontMatter(of: rendered))
        // Every value is on its own line: eight lines of front matter, whatever the strings.
        #expect(yaml.split(separator: "\n", omittingEmptySubsequences: false).count == 8)
        return try #require(try Yams.load(yaml: yaml) as? [String: Any])
    }

    /// True when `value` is a String with exactly the scalars of `expected`
    /// (Swift's `==` would accept a canonically equivalent string).
    ///
    /// Yams builds each scalar with Foundation's `String(bytes:encoding: .utf8)`, which
    /// drops a leading U+FEFF as a byte-order mark; libyaml decoded it (the text holds
    /// `\uFEFF`, see `leadingByteOrderMark`), and Hugo keeps it (`HugoBuildTests`).
    static func isExactly(_ value: Any?, _ expected: String) -> Bool {
        guard let string = value as? String else { return false }
        var scalars = Array(expected.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        return Array(string.unicodeScalars) == scalars
    }

    @Test("A leading U+FEFF is written escaped; Yams alone drops it when reading")
    func leadingByteOrderMark() throws {
        let title = "\u{FEFF}BOM"
        #expect(HugoRenderer.yamlQuoted(title) == #""\uFEFFBOM""#)
        let parsed = try Self.roundTrip(title: title, description: "a\u{FEFF}b")
        // If this fails, Yams keeps the mark now: drop the allowance in `isExactly`.
        #expect(parsed["title"] as? String == "BOM")
        #expect(Array((parsed["description"] as? String ?? "").unicodeScalars) == ["a", "\u{FEFF}", "b"])
    }

    static let nastyTitles: [String] = [
        "", " ", "  leading", "trailing  ", "\t", "\n", "\r\n", "a\nb", "a\n\nb", "a\rb",
        "no", "No", "NO", "on", "off", "yes", "y", "n", "true", "False", "null", "Null", "~",
        "1e3", "0x10", "0o17", "017", "+1", "-1", "1_000", ".inf", "-.Inf", ".nan", "1:20", "2025-12-23",
        "2025-12-23T17:45:10Z", "- item", "-", "? key", "?", ": value", "key: value", "a:b", "a: b # c",
        "# comment", "#", "&anchor", "*alias", "!tag", "!!str", "| literal", "> folded", "'", "''", "\"", "\"\"",
        "%YAML 1.2", "@at", "`tick`", "---", "...", "--- a", "[1, 2]", "{a: 1}", ",", "<<", "=",
        "\\", "\\n", "\\\"", "\\u2028", "\"quoted\" and 'single'",
        "Pope's Christmas message: \"Peace is possible\" & other highlights",
        "El Salvador\u{2019}s CECOT", "\u{0}", "a\u{0}b", "\u{7}\u{8}\u{B}\u{C}\u{1B}", "\u{7F}", "\u{80}", "\u{85}",
        "\u{9F}", "\u{A0}", "\u{AD}", "\u{2028}", "\u{2029}", "a\u{2028}b", "\u{FEFF}", "\u{FEFF}BOM", "\u{FFFE}",
        "\u{FFFF}", "\u{FFFD}", "\u{E000}", "\u{1F600}", "\u{10FFFF}", "\u{1FFFE}", "e\u{301}",
        "\u{301}", "\u{200B}", "\u{200E}\u{202E}rtl", "北京", "Москва", "مرحبا", "{{ .Title }}",
        "<script>alert(1)</script>",
        String(repeating: "long ", count: 400),
        // Noncharacters, which Swift refuses in literals.
        String(Character(Unicode.Scalar(0xFDD0)!)), String(Character(Unicode.Scalar(0x10FFFE)!)),
    ]

    @Test("Nasty literal titles read back exactly", arguments: nastyTitles)
    func nastyLiteral(_ title: String) throws {
        let parsed = try Self.roundTrip(title: title, description: title)
        #expect(
            Self.isExactly(parsed["title"], title), "title \(visible(title)) read back as \(parsed["title"] ?? "nil")")
        #expect(Self.isExactly(parsed["description"], title))
        #expect(Self.isExactly(parsed["image"], title))
        #expect(Self.isExactly(parsed["source"], title))
        #expect(Self.isExactly(parsed["link"], "https://e.com/?a=1&b=2"))
        #expect(parsed["draft"] as? Bool == false)
    }

    /// Pieces random strings are built from: the characters and words YAML treats specially.
    static let pieces: [String] = [
        "\"", "\\", "'", "`", "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "%", "@",
        ": ", " #", "- ", "? ", "---", "...", "no", "on", "yes", "null", "~", "1e3", "0x10", "true", ".nan",
        " ", "  ", "\t", "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{A0}", "\u{FFFE}",
        "\u{FFFF}", "\\n", "\\x41", "\\u0041", "e\u{301}", "\u{1F600}",
    ]

    /// One random scalar from a class chosen at random.
    static func randomScalar(_ rng: inout SplitMix) -> Unicode.Scalar {
        let value: UInt32
        switch rng.next() % 7 {
        case 0: value = UInt32.random(in: 0...0x1F, using: &rng)
        case 1: value = UInt32.random(in: 0x7F...0x9F, using: &rng)
        case 2, 3: value = UInt32.random(in: 0x20...0x7E, using: &rng)
        case 4: value = UInt32.random(in: 0xA0...0xD7FF, using: &rng)
        case 5: value = UInt32.random(in: 0xE000...0xFFFF, using: &rng)
        default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
        }
        return Unicode.Scalar(value)!
    }

    static func randomString(_ rng: inout SplitMix) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 0...24, using: &rng) {
            if Bool.random(using: &rng) {
                out += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
            } else {
                out.unicodeScalars.append(randomScalar(&rng))
            }
        }
        return out
    }

    @Test("2,500 random strings read back exactly as title and description")
    func randomStrings() throws {
        var rng = SplitMix(seed: 0x7469_6469_6E67_73)
        var failures: [String] = []
        for _ in 0..<2_500 {
            let title = Self.randomString(&rng)
            let description = Self.randomString(&rng)
            let parsed = try Self.roundTrip(title: title, description: description)
            if !Self.isExactly(parsed["title"], title) || !Self.isExactly(parsed["description"], description) {
                failures.append(visible(title) + " / " + visible(description))
            }
        }
        #expect(failures.isEmpty, "\(failures.count) strings did not round-trip, first: \(failures.prefix(3))")
    }

    @Test("Datetime and date styles parse as timestamps of the same instant")
    func datesParse() throws {
        for style in [OutputOptions.DateStyle.date, .datetime] {
            let rendered = HugoRenderer.render(
                HugoPage(title: "t", date: Self.date), dateStyle: style, timeZone: TimeZone(identifier: "Asia/Kolkata")!
            )
            let yaml = try #require(frontMatter(of: rendered))
            let parsed = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let date = try #require(parsed["date"] as? Date)
            if style == .datetime {
                #expect(date == Self.date)
            } else {
                #expect(date == Date(timeIntervalSince1970: 1_766_448_000))  // 2025-12-23 00:00 UTC
            }
        }
    }
}
