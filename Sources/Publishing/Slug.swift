import Foundation

/// URL- and file-name-safe slugs of titles.
public enum Slug {
    /// The slug of `title`: transliterated to ASCII, lowercased, runs of anything but
    /// `[a-z0-9]` turned into one `-`, no `-` at either end, at most `maxLength` bytes
    /// (cut at a word boundary when one is near). `"untitled"` when nothing is left.
    ///
    /// The result is never empty and never `.` or `..`, so it is always a safe file name.
    public static func make(_ title: String, maxLength: Int = 80) -> String {
        let limit = max(1, maxLength)
        return makeIfAny(title, maxLength: limit) ?? truncate("untitled", to: limit)
    }

    /// The slug of `text`, or `nil` when it holds nothing that transliterates to a
    /// letter or digit (emoji, symbols, scripts ICU cannot romanize).
    static func makeIfAny(_ text: String, maxLength: Int = 80) -> String? {
        // A slug needs only the start of a title; a bounded prefix bounds the work.
        let ascii = asciiTransliteration(String(text.prefix(max(256, maxLength * 4))))
        var slug: [UInt8] = []
        slug.reserveCapacity(min(ascii.utf8.count, maxLength + 1))
        var pendingHyphen = false
        for byte in ascii.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if pendingHyphen && !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                slug.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingHyphen && !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                slug.append(byte + 32)
            case UInt8(ascii: "'"):
                // "Pope's" reads better as "popes" than as "pope-s".
                continue
            default:
                pendingHyphen = true
            }
            // One byte past the limit tells `truncate` whether the cut falls inside a word.
            if slug.count > maxLength + 1 { break }
        }
        guard !slug.isEmpty else { return nil }
        let result = truncate(String(decoding: slug, as: UTF8.self), to: maxLength)
        return result.isEmpty ? nil : result
    }

    /// Cuts an ASCII slug to `maxLength` bytes, at the last `-` when that keeps more
    /// than half, and drops a trailing `-`.
    private static func truncate(_ slug: String, to maxLength: Int) -> String {
        var bytes = Array(slug.utf8)
        if bytes.count > maxLength {
            let limit = max(0, maxLength)
            let cutAtWord = bytes.count > limit && bytes[limit] != UInt8(ascii: "-")
            bytes.removeSubrange(limit...)
            if cutAtWord, let hyphen = bytes.lastIndex(of: UInt8(ascii: "-")), hyphen > limit / 2 {
                bytes.removeSubrange(hyphen...)
            }
        }
        while bytes.last == UInt8(ascii: "-") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` romanized to ASCII where it can be; what cannot be romanized is left as it
    /// is, for the caller to drop.
    static func asciiTransliteration(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if let latin = text.applyingTransform(icuToASCII, reverse: false) {
            return latin
        }
        return fallbackTransliteration(text)
    }

    /// Compatibility-decompose (① → 1, ﬁ → fi), romanize any script ICU knows, then map
    /// Latin letters to ASCII (é → e, ß → ss, œ → oe, “ → ").
    private static var icuToASCII: StringTransform { StringTransform("NFKD; Any-Latin; Latin-ASCII") }

    /// Without ICU transforms: compatibility decomposition, combining marks dropped, and
    /// the Latin letters that do not decompose.
    static func fallbackTransliteration(_ text: String) -> String {
        var out = ""
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let replacement = latinLetters[scalar] {
                out += replacement
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static let latinLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH",
        "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŋ": "ng", "Ŋ": "NG", "ſ": "s",
        "\u{2019}": "'", "\u{2018}": "'",
    ]
}
