import Foundation
import TestSupport
import Testing
import TidingsModel

@Suite("Trimming white space without NSString")
struct WhiteSpaceTrimTests {
    /// Every white-space scalar, and neighbours that are not white space.
    static let pool: [Unicode.Scalar] =
        (0x09...0x0D).map { Unicode.Scalar($0)! }
        + [
            " ", "\u{85}", "\u{A0}", "\u{1680}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
            "\u{200B}", "\u{FEFF}", "\u{180E}", "\u{08}", "\u{1F}", "a", "é", "字", "😀", "/", ":",
        ] + (0x2000...0x200A).map { Unicode.Scalar($0)! }

    @Test("the same results as Foundation's trimmingCharacters(in: .whitespacesAndNewlines), U+200B apart")
    func matchesFoundation() {
        var random = SplitMix(seed: 0x1234_5678)
        func next(_ n: Int) -> Int { random.below(n) }
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<next(8) { text.append(Self.pool[next(Self.pool.count)]) }
            let string = String(text)
            let foundation = string.trimmingCharacters(in: .whitespacesAndNewlines)
            let scalars = "\(string.unicodeScalars.map { String($0.value, radix: 16) })"
            #expect(string.trimmingWhiteSpaceAndZeroWidthSpace == foundation, "\(scalars)")
            // Unicode's White_Space alone: U+200B is no white space since Unicode 4.0.1.
            #expect(
                string.trimmingWhiteSpace
                    == string.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.subtracting(["\u{200B}"])),
                "\(scalars)")
        }
        #expect("  https://a.example/feed \n".trimmingWhiteSpace == "https://a.example/feed")
        #expect(" \u{3000}\t".trimmingWhiteSpace == "")
        #expect("\u{200B}x\u{200B}".trimmingWhiteSpace == "\u{200B}x\u{200B}")
        #expect("\u{200B} x".trimmingWhiteSpaceAndZeroWidthSpace == "x")
    }
}
