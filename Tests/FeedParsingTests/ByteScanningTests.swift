import Testing

@testable import FeedParsing

/// The word-at-a-time scans and short copies against the plain byte-by-byte answer,
/// with the interesting byte at every position of an eight-byte word and past it.
@Suite struct ByteScanningTests {
    private static func escapedByByte(_ text: [UInt8], attribute: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for c in text {
            switch c {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<") where !attribute: out += Array("&lt;".utf8)
            case UInt8(ascii: ">") where !attribute: out += Array("&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out += Array("&quot;".utf8)
            default: out.append(c)
            }
        }
        return out
    }

    private static func texts() -> [[UInt8]] {
        var result: [[UInt8]] = [[], Array("plain text, nothing to escape here".utf8)]
        for length in [1, 7, 8, 9, 15, 16, 17, 23] {
            for position in 0..<length {
                for special in ["&", "\"", "<", ">"] {
                    var text = Array(repeating: UInt8(ascii: "a"), count: length)
                    text[position] = UInt8(ascii: Unicode.Scalar(special)!)
                    result.append(text)
                }
            }
        }
        result.append(Array("a&b\"c<d>e&&\"\"x".utf8))
        return result
    }

    @Test func attributeEscapingMatchesByteByByte() {
        for text in Self.texts() {
            var buffer = TextBuffer(capacity: 16)
            defer { buffer.deallocate() }
            text.withUnsafeBufferPointer { buffer.appendAttributeEscaped($0) }
            #expect(Array(buffer.bytes) == Self.escapedByByte(text, attribute: true), "\(text)")
        }
    }

    @Test func textEscapingMatchesByteByByte() {
        for text in Self.texts() {
            var buffer = TextBuffer(capacity: 16)
            defer { buffer.deallocate() }
            text.withUnsafeBufferPointer { buffer.appendEscaped($0) }
            #expect(Array(buffer.bytes) == Self.escapedByByte(text, attribute: false), "\(text)")
        }
    }

    @Test func shortAndLongPiecesAppendInOrder() {
        var buffer = TextBuffer(capacity: 16)
        defer { buffer.deallocate() }
        var expected: [UInt8] = []
        for length in 0...40 {
            let piece = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ length) }
            piece.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
            expected += piece
        }
        #expect(Array(buffer.bytes) == expected)
    }

    /// Where the tokenizer's run of plain text ends, byte by byte.
    private static func plainEndByByte(_ bytes: [UInt8], from start: Int, cdata: Bool) -> Int {
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            let stops =
                c == UInt8(ascii: "]") || c >= 0x80 || (c < 0x20 && c != 9 && c != 10)
                || (!cdata && (c == UInt8(ascii: "<") || c == UInt8(ascii: "&")))
            if stops { break }
            i += 1
        }
        return i
    }

    /// The tokenizer's plain-text scans (SSE2 here, words elsewhere) against the byte
    /// loop, with each kind of stopping byte at every offset of a sixteen-byte block
    /// and past the last whole block, then over random buffers.
    @Test func tokenizerPlainScansMatchByteByByte() {
        let stops: [UInt8] = [
            UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: "&"), 0, 8, 11, 13, 31, 0x7F, 0x80, 0xC3, 0xFF,
        ]
        var buffers: [[UInt8]] = [[]]
        for length in [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40] {
            buffers.append(Array(repeating: UInt8(ascii: "a"), count: length))
            for position in 0..<length {
                for stop in stops {
                    var bytes = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
                    bytes[position] = stop
                    buffers.append(bytes)
                    // Tabs and line feeds are plain, but the word test finds them.
                    bytes[position] = position % 2 == 0 ? 9 : 10
                    buffers.append(bytes)
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("abc xyz.-_\t\n".utf8) + stops
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<80, using: &generator)
            buffers.append(
                (0..<count).map { _ in
                    Bool.random(using: &generator)
                        ? UInt8(ascii: "m") : alphabet.randomElement(using: &generator)!
                })
        }
        for bytes in buffers {
            for start in 0...bytes.count {
                for cdata in [false, true] {
                    let expected = Self.plainEndByByte(bytes, from: start, cdata: cdata)
                    bytes.withUnsafeBufferPointer { buffer in
                        for byWords in [false, true] {
                            let found = UTF8XMLTokenizer.plainEnd(
                                in: buffer, from: start, cdata: cdata, byWords: byWords)
                            #expect(
                                found == expected,
                                "\(bytes) from \(start), cdata \(cdata), words \(byWords): \(found), not \(expected)")
                        }
                    }
                }
            }
        }
    }

    @Test func utf8PrefixCheckSkipsASCIIWordsOnly() {
        let ascii = Array("<?xml version=\"1.0\"?><rss><channel><title>x</title></channel></rss>".utf8)
        #expect(CharsetDetection.isValidUTF8Prefix(ascii[...]))
        for position in 0..<17 {
            var bad = ascii
            bad[position] = 0xFF
            #expect(!CharsetDetection.isValidUTF8Prefix(bad[...]), "invalid byte at \(position)")
            var good = ascii
            good.replaceSubrange(position..<(position + 2), with: [0xC3, 0xA9])  // é
            #expect(CharsetDetection.isValidUTF8Prefix(good[...]), "é at \(position)")
        }
        // A sequence cut off by the end of the prefix is fine.
        #expect(
            CharsetDetection.isValidUTF8Prefix((Array(repeating: UInt8(ascii: "a"), count: 9) + [0xE2, 0x82])[...]))
    }

    @Test func attributeValuesLowercaseLikeString() throws {
        for value in ["text/HTML", "Alternate", "already lower", "ÉCLAIR/Mixed", "", "  Spaced  "] {
            let bytes = Array(value.utf8)
            // localname, prefix, URI, value start, value end: the layout libxml2 passes.
            let name = Array("type".utf8) + [0]
            try name.withUnsafeBufferPointer { namePointer in
                try bytes.withUnsafeBufferPointer { valuePointer in
                    let start = try #require(valuePointer.baseAddress ?? UnsafePointer(namePointer.baseAddress))
                    var slots: [UnsafePointer<UInt8>?] = [
                        namePointer.baseAddress, nil, nil, start, start + bytes.count,
                    ]
                    slots.withUnsafeMutableBufferPointer { slotPointer in
                        let attributes = Attributes(base: slotPointer.baseAddress, count: 1)
                        #expect(attributes.lowercasedValue(named: "type") == value.lowercased())
                        #expect(
                            attributes.trimmedLowercasedValue(named: "type")
                                == String(value.trimmingASCIIWhitespace()).lowercased())
                        #expect(attributes.lowercasedValue(named: "rel") == nil)
                    }
                }
            }
        }
    }
}
