import Foundation
import TestSupport
import Testing

@testable import HTMLSanitizing

@Suite("Entry points taking UTF-8 bytes")
struct UTF8InputTests {
    let sanitizer = HTMLSanitizer()

    /// Each byte entry point against its String form on the same input.
    func expectSame(_ bytes: [UInt8], _ note: @autoclosure () -> String) {
        let text = String(decoding: bytes, as: UTF8.self)
        let resolve: (String) -> String? = {
            URL(string: $0, relativeTo: URL(string: "https://base.test/a/"))?.absoluteString
        }
        #expect(
            sanitizer.hugoSafeBody(utf8: bytes, resolve: resolve) == sanitizer.hugoSafeBody(text, resolve: resolve),
            "\(note())")
        #expect(
            sanitizer.plainText(utf8: bytes, limit: 120) == sanitizer.plainText(html: text, limit: 120), "\(note())")
        #expect(
            sanitizer.firstImage(utf8: bytes, resolve: resolve) == sanitizer.firstImage(html: text, resolve: resolve),
            "\(note())")
    }

    @Test("Well-formed markup: the seed corpus and generated fragments give what their Strings give")
    func wellFormed() throws {
        var rng = SplitMix(state: 0xB17E5)
        for _ in 0..<400 {
            let html =
                rng.below(2) == 0
                ? MarkupGenerator.wellNested(&rng) : MarkupGenerator.fragment(&rng, size: 5 + rng.below(50))
            expectSame(Array(html.utf8), html)
        }
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(files.count >= 20)
        for name in files {
            expectSame(Array(try Data(contentsOf: corpus.appendingPathComponent(name))), name)
        }
    }

    @Test("Plain text stops reading three characters past its limit, and gives what reading on gives")
    func plainTextStopsEarlyWithTheSameResult() {
        // Pieces whose characters span several scalars (combining marks, emoji
        // sequences, a prepended mark before digits), spaces of every kind, CJK.
        let pieces = [
            "word", "a", " ", "  ", "\u{A0}", "\u{2003}", "e\u{301}", "n\u{303}\u{323}",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{1F1EB}\u{1F1F7}", "\u{600}123", "\u{915}\u{94D}\u{937}", "\u{4E2D}\u{6587}", ",", ";", ":", ".",
            "&amp;",
            "&nbsp;", "&#x301;", "x\u{200D}y", "\r\n", "\t",
        ]
        let wrappers = [("", ""), ("<b>", "</b>"), ("<p>", "</p>"), ("<script>", "</script>"), ("<br>", "")]
        var rng = SplitMix(state: 0x7E47)
        var checked = 0
        for round in 0..<600 {
            var html = ""
            for _ in 0..<(1 + rng.below(6)) {
                let (open, close) = wrappers[rng.below(wrappers.count)]
                var text = ""
                // Long runs of plain words as well as mixed pieces.
                for _ in 0..<(rng.below(3) == 0 ? 400 : 1 + rng.below(80)) {
                    text +=
                        rng.below(3) == 0
                        ? pieces[rng.below(pieces.count)] : ["lorem", " ", "ipsum", " "][rng.below(4)]
                }
                html += open + text + close
            }
            let limit = [1, 2, 5, 20, 80, 300][round % 6]
            var bytes = Array(html.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                let early = sanitizer.plainText(wellFormed: buffer, limit: limit)
                let whole = sanitizer.plainTextReadingAll(wellFormed: buffer, limit: limit)
                #expect(early == whole, "limit \(limit): \(html.debugDescription)")
            }
            bytes.removeAll()
            checked += 1
        }
        #expect(checked == 600)
        // One long paragraph is cut at a word, with the ellipsis.
        let long = "<p>" + String(repeating: "plain words ", count: 2_000) + "</p>"
        let text = sanitizer.plainText(html: long, limit: 30)
        #expect(text == "plain words plain words plain…")
    }

    @Test("Ill-formed UTF-8 is repaired first, as the String form's decoding repairs it")
    func illFormed() {
        var rng = SplitMix(state: 0xBAD)
        let bad: [[UInt8]] = [
            [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80],
        ]
        for _ in 0..<400 {
            var bytes = Array(MarkupGenerator.fragment(&rng, size: 3 + rng.below(30)).utf8)
            for _ in 0...rng.below(3) {
                bytes.insert(contentsOf: rng.pick(bad), at: rng.below(bytes.count + 1))
            }
            expectSame(bytes, "\(bytes)")
        }
        #expect(sanitizer.plainText(utf8: [0x3C, 0x70, 0x3E, 0xFF, 0x61]) == "\u{FFFD}a")
    }
}
