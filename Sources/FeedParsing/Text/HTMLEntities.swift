/// HTML5 named character references, for text that is HTML or was written as if XML
/// knew HTML's entities (`&nbsp;`, `&eacute;` in feeds).
enum HTMLEntities {
    /// Named reference (without `&` and `;`) to the characters it stands for.
    static let byName: [String: String] = {
        var result: [String: String] = [:]
        result.reserveCapacity(2200)
        for line in table.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            var value = ""
            for hex in line[line.index(after: eq)...].split(separator: " ") {
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    value.unicodeScalars.append(scalar)
                }
            }
            result[String(line[..<eq])] = value
        }
        return result
    }()

    /// The characters of a named reference given as UTF-8 bytes, or nil when unknown.
    static func value(named name: UnsafeBufferPointer<UInt8>) -> String? {
        byName[String(decoding: name, as: UTF8.self)]
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
