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
