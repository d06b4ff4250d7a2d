import TestSupport
import Testing

@testable import HTMLSanitizing

/// The sanitizer's own UTF-8 check lets its output skip the standard library's
/// validation, so it must agree with that validation on every input: both its block
/// check (`CUTF8Check`, where the processor has AVX2) and its loop.
@Suite("UTF-8 check")
struct UTF8CheckTests {
    /// Bytes that make up the edge cases of table 3-7: ASCII, continuation bytes
    /// at the limits, every lead byte class and the never-valid bytes.
    static let alphabet: [UInt8] = [
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
        0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF,
    ]

    @Test func agreesWithTheStandardLibrary() async {
        var rng = SplitMix(state: 0x5EED)
        for round in 0..<50_000 {
            // Heavy and synchronous: let the async tests run (see `offPool`).
            if round % 2_000 == 0 { await Task.yield() }
            // An ASCII run first, so that sequences fall on every offset of a word.
            var bytes = [UInt8](repeating: 0x61, count: rng.below(10))
            for _ in 0..<rng.below(12) { bytes.append(rng.pick(Self.alphabet)) }
            expectAgreement(bytes)
        }
    }

    /// The block check reads 32 bytes at a time: sequences across a block's end,
    /// and unfinished ones at the end of the input, at every offset of two blocks.
    @Test func agreesAcrossBlocks() async {
        var rng = SplitMix(state: 0xB10C)
        for round in 0..<30_000 {
            if round % 1_000 == 0 { await Task.yield() }
            var bytes = [UInt8](repeating: 0x61, count: rng.below(70))
            for _ in 0..<rng.below(40) { bytes.append(rng.pick(Self.alphabet)) }
            if rng.below(2) == 0 { bytes += [UInt8](repeating: 0x62, count: rng.below(40)) }
            expectAgreement(bytes)
        }
        // Every pair of bytes that starts with a lead or continuation byte, across the
        // first block's end and just before it.
        for offset in [30, 31] {
            for first in 0x80...0xFF {
                await Task.yield()
                for second in 0...0xFF {
                    var bytes = [UInt8](repeating: 0x61, count: offset + 4)
                    bytes[offset] = UInt8(first)
                    bytes[offset + 1] = UInt8(second)
                    expectAgreement(bytes)
                    expectAgreement(Array(bytes[..<(offset + 2)]))
                }
            }
        }
    }

    @Test func wellFormedTextAtEveryLength() {
        let text = Array("plain ASCII, é, €, 𝄞, \u{10FFFF}\u{D7FF}\u{E000} and more ASCII after it".utf8)
        for end in 0...text.count {
            for start in 0...min(end, 9) { expectAgreement(Array(text[start..<end])) }
        }
    }

    private func expectAgreement(_ bytes: [UInt8]) {
        let check = bytes.withUnsafeBufferPointer { UTF8Check($0) }
        let scalar = bytes.withUnsafeBufferPointer { UTF8Check(checkingEachSequence: $0) }
        let standard = String(validating: bytes, as: UTF8.self)
        let decoded = String(decoding: bytes, as: UTF8.self)
        let string = String(sanitizedUTF8: bytes)
        if check.isWellFormed != (standard != nil)
            || (check.isWellFormed && check.isASCII != bytes.allSatisfy { $0 < 0x80 })
            || string != decoded || !string.utf8.elementsEqual(decoded.utf8)
            || scalar.isWellFormed != check.isWellFormed || (check.isWellFormed && scalar.isASCII != check.isASCII)
        {
            Issue.record("UTF8Check disagrees on \(bytes)")
        }
    }
}
