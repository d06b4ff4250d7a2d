import Testing

@testable import Processing

@Suite("Title white space")
struct WhitespaceTests {
    /// Every Unicode white space character, look-alikes that are not white space, and
    /// ordinary text. (Not combining marks: Swift counts a space with a mark on it as
    /// white space, and dropping the mark with it is not what the fast path does.)
    static let pieces = [
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
}
