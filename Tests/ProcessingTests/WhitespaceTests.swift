import Testing

@testable import Processing

@Suite("Title white space")
struct WhitespaceTests {
    /// Every Unicode white space character, look-alikes that are not white space, and
    /// ordinary text. (Not marks, joiners or emoji modifiers: Swift counts a space with
    /// one on it as white space, and dropping it with the space is not what the check
    /// for an already clean title does; `commonTitlesTakeTheBytePath` covers them.)
    static let pieces = [
        "\u{1F}", "\u{1C}", "\u{1F1EB}\u{1F1F7}", "\u{2160}", "\u{20AC}", "\u{AB}",
        "a", "Word", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}",
        "\u{2005}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{80}",
        "\u{9F}", "\u{A9}", "\u{2019}", "\u{2014}", "\u{2030}", "\u{3001}", "\u{1681}", "é", "日本",
        "\u{1F600}", "\u{7F}", "\u{1}",
    ]

    @Test("Collapsing equals splitting on Unicode white space and joining with one space, for any mix")
    func collapseMatchesTheReference() {
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<20_000 {
            let text = (0..<(next() % 7)).map { _ in Self.pieces[next() % Self.pieces.count] }.joined()
            let reference = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
            #expect(EntryProcessor.collapseWhitespace(text) == reference, "\(Array(text.unicodeScalars))")
        }
    }

    @Test("Indented titles and doubled or non-breaking spaces are collapsed byte by byte")
    func commonTitlesTakeTheBytePath() {
        var title = "\n      Bukele\u{A0}challenges  Hillary\tClinton \u{2014} \r\n  "
        #expect(title.withUTF8(EntryProcessor.collapsedWhiteSpace) == "Bukele challenges Hillary Clinton \u{2014}")
        // A mark, a joiner or an emoji modifier after white space leaves the title to the
        // character-by-character path, which drops it with the space.
        for follower in ["\u{301}", "\u{200D}", "\u{1F3FB}", "\u{FF9E}", "\u{E0020}"] {
            title = "a  " + follower + "b"
            #expect(title.withUTF8(EntryProcessor.collapsedWhiteSpace) == nil)
            let reference = title.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
            #expect(EntryProcessor.collapseWhitespace(title) == reference)
        }
    }
}
