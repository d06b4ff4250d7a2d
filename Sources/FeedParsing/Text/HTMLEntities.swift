/// HTML5 named character references, for text that is HTML or was written as if XML
/// knew HTML's entities (`&nbsp;`, `&eacute;` in feeds).
enum HTMLEntities {
    /// The characters of a named reference given as UTF-8 bytes, or nil when unknown.
    /// A binary search over the generated table: nothing is built at run time.
    static func value(named name: UnsafeBufferPointer<UInt8>) -> String? {
        var low = 0
        var high = names.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let candidate = names[mid]
            let order = compare(
                name, UnsafeBufferPointer(start: candidate.utf8Start, count: candidate.utf8CodeUnitCount))
            if order == 0 {
                let packed = values[mid]
                var result = String.UnicodeScalarView()
                if let first = Unicode.Scalar(UInt32(truncatingIfNeeded: packed)) { result.append(first) }
                if packed >> 32 != 0, let second = Unicode.Scalar(UInt32(truncatingIfNeeded: packed >> 32)) {
                    result.append(second)
                }
                return String(result)
            }
            if order < 0 { high = mid - 1 } else { low = mid + 1 }
        }
        return nil
    }

    /// The characters of a named reference, or nil when unknown.
    static func value(named name: String) -> String? {
        var name = name
        return name.withUTF8 { value(named: $0) }
    }

    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(a.count, b.count)
        for i in 0..<count where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// What a numeric reference means in HTML: C1 code points stand for their
    /// windows-1252 characters, and impossible values for U+FFFD.
    static func scalar(forNumericReference code: UInt32) -> Unicode.Scalar {
        if code >= 0x80 && code <= 0x9F, let mapped = Windows1252.c1[Int(code - 0x80)] {
            return mapped
        }
        if code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) {
            return "\u{FFFD}"
        }
        return Unicode.Scalar(code) ?? "\u{FFFD}"
    }
}

/// The windows-1252 characters of bytes 0x80–0x9F (nil where the code page has none).
enum Windows1252 {
    static let c1: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// The character a single windows-1252 byte stands for.
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        if byte < 0x80 { return Unicode.Scalar(byte) }
        if byte < 0xA0 { return c1[Int(byte - 0x80)] ?? "\u{FFFD}" }
        return Unicode.Scalar(byte)
    }
}
