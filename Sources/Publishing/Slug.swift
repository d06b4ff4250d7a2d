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
        if let latin = latinSlug(text, maxLength: maxLength) { return latin }
        return romanizedSlug(text, maxLength: maxLength)
    }

    /// ``makeIfAny(_:maxLength:)`` through the romanized text, for every script.
    static func romanizedSlug(_ text: String, maxLength: Int) -> String? {
        slug(ofRomanized: asciiTransliteration(sluggedPart(of: text, maxLength: maxLength)), maxLength: maxLength)
    }

    /// ``romanizedSlug(_:maxLength:)`` of a text of ASCII, Latin letters and
    /// typographic punctuation (most news titles) in one pass: each scalar's
    /// romanization (itself, or its entry in the Latin table) goes straight into the
    /// slug, with no romanized string, and the slug is made a String once. Nil when the
    /// text holds anything else, or is longer than the part a slug is made from; `.some(nil)`
    /// when it holds no letter or digit.
    static func latinSlug(_ text: String, maxLength: Int) -> String?? {
        guard text.utf8.count <= max(256, maxLength * 4), maxLength >= 0 else { return nil }
        // A hyphen and a letter can land together just past the limit + 1 checked below.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength + 3) { buffer in
            var count = 0
            var pendingHyphen = false
            var full = false
            @inline(__always) func add(_ byte: UInt8) {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if pendingHyphen && count > 0 {
                        buffer[count] = UInt8(ascii: "-")
                        count &+= 1
                    }
                    pendingHyphen = false
                    buffer[count] = byte
                    count &+= 1
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if pendingHyphen && count > 0 {
                        buffer[count] = UInt8(ascii: "-")
                        count &+= 1
                    }
                    pendingHyphen = false
                    buffer[count] = byte &+ 32
                    count &+= 1
                case UInt8(ascii: "'"):
                    return
                default:
                    pendingHyphen = true
                }
                if count > maxLength &+ 1 { full = true }
            }
            for scalar in text.unicodeScalars {
                let value = scalar.value
                if value < 0x80 {
                    add(UInt8(value))
                } else if let index = latinTableIndex(value) {
                    for byte in latinTable[index] where !full { add(byte) }
                } else {
                    return nil
                }
                if full { break }
            }
            // `truncate`, in place.
            if count > maxLength {
                let cutAtWord = buffer[maxLength] != UInt8(ascii: "-")
                count = maxLength
                if cutAtWord, let hyphen = buffer[..<count].lastIndex(of: UInt8(ascii: "-")), hyphen > maxLength / 2 {
                    count = hyphen
                }
            }
            while count > 0 && buffer[count &- 1] == UInt8(ascii: "-") { count &-= 1 }
            guard count > 0 else { return .some(nil) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// The start of `text` a slug of at most `maxLength` bytes is made from: a slug
    /// needs only the start of a title, and a bounded prefix bounds the work. (A text
    /// of at most that many bytes has at most that many characters: no cut.)
    static func sluggedPart(of text: String, maxLength: Int = 80) -> String {
        let bound = max(256, maxLength * 4)
        return text.utf8.count <= bound ? text : String(text.prefix(bound))
    }

    /// The slug of `ascii`, the romanization of a text; nil when it has no letter or digit.
    static func slug(ofRomanized ascii: String, maxLength: Int) -> String? {
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
    /// is, or replaced by a space, for the caller to drop.
    static func asciiTransliteration(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        // Latin letters and typographic punctuation (most news titles) need no ICU,
        // whose transliterator costs more than the rest of publishing an entry.
        if text.unicodeScalars.allSatisfy(isLatinOrPunctuation) { return fallbackTransliteration(text) }
        if let romanized = scalarTransliteration(text) { return String(decoding: romanized, as: UTF8.self) }
        return clusterTransliteration(text)
    }

    /// `clusterTransliteration` for the common case of a text whose every scalar is a
    /// character of its own (Latin, Greek, Cyrillic, kana, Han, Hangul syllables, with no
    /// combining marks or joiners) and romanizes to ASCII, or is part of an emoji: one
    /// remembered lookup per scalar, with no grapheme breaking and no normalization. Nil
    /// for any other text.
    ///
    /// Its slug is that of `clusterTransliteration`: each character is one scalar, ICU
    /// romanizes it to ASCII (which the Latin pass leaves as it is), the Latin characters
    /// go through the same table, and an emoji, which holds no letter or digit either
    /// way, becomes spaces instead of staying as it is.
    static func scalarTransliteration(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        var inEmoji = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                out.append(UInt8(value))
                inEmoji = false
            } else if let index = latinTableIndex(value) {
                out.append(contentsOf: latinTable[index])
                inEmoji = false
            } else if isPictograph(value) || (inEmoji && extendsEmoji(value)) {
                out.append(UInt8(ascii: " "))
                inEmoji = true
            } else if let reading = HanReadings.romanization(of: value) {
                // What `asciiRomanization` gives an ideograph, without ICU.
                out.append(contentsOf: reading)
                out.append(UInt8(ascii: " "))
                inEmoji = false
            } else if standsAlone(value), let romanized = ASCIITransliterator.shared.asciiRomanization(of: scalar) {
                out.append(contentsOf: romanized)
                inEmoji = false
            } else {
                return nil
            }
        }
        return out
    }

    /// Whether `value` is in one of the emoji blocks, none of whose scalars romanizes to
    /// a letter or digit (the Enclosed Alphanumeric Supplement, which has letters, is
    /// left out but for the regional indicators).
    static func isPictograph(_ value: UInt32) -> Bool {
        switch value {
        case 0x1F1E6...0x1F1FF, 0x1F300...0x1F3FA, 0x1F400...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,
            0x1FA70...0x1FAFF,
            0x2600...0x27BF:
            true
        default: false
        }
    }

    /// Whether `value` can continue an emoji: variation selectors, the zero-width joiner,
    /// skin tones, tags (subdivision flags). They join whatever comes before them, so
    /// they are taken only after an emoji.
    static func extendsEmoji(_ value: UInt32) -> Bool {
        switch value {
        case 0xFE0E, 0xFE0F, 0x200D, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: true
        default: false
        }
    }

    /// Whether `value` is in a block where every scalar is a grapheme cluster of its
    /// own: none extends the character before it (combining marks, joiners, Hangul
    /// jamo and the like are outside these ranges) and none joins the one after it.
    private static func standsAlone(_ value: UInt32) -> Bool {
        switch value {
        case 0x180...0x24F,  // Latin Extended-B
            0x370...0x3FF,  // Greek and Coptic
            0x400...0x482, 0x48A...0x52F,  // Cyrillic and its supplement, less the combining marks
            0x1E00...0x1EFF,  // Latin Extended Additional
            0x3000...0x3029, 0x3030...0x303F,  // CJK symbols and punctuation, less the tone marks
            0x3041...0x3096, 0x309B...0x30FF,  // kana, less the combining sound marks
            0x3400...0x4DBF, 0x4E00...0x9FFF,  // CJK ideographs
            0xAC00...0xD7A3,  // Hangul syllables
            0xFF01...0xFF5E:  // full-width ASCII
            true
        default: false
        }
    }

    /// Romanization character by character, through ICU for all but Latin letters and
    /// punctuation, then the Latin pass.
    static func clusterTransliteration(_ text: String) -> String {
        // Other scripts go through ICU one character at a time, remembered: a slug
        // needs no context-sensitive romanization, and a news site meets the same few
        // thousand characters over and over (ICU costs tens of microseconds a title).
        var romanized = ""
        for character in text {
            if character.unicodeScalars.allSatisfy(isLatinOrPunctuation) {
                romanized.append(character)
                continue
            }
            romanized += ASCIITransliterator.shared.transliterate(character) ?? String(character)
            // Han-Latin separates syllables; one per ideograph keeps words apart.
            if character.unicodeScalars.first?.properties.isIdeographic == true { romanized += " " }
        }
        return fallbackTransliteration(romanized)
    }

    static func isLatinOrPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x80, 0xA0...0x17F, 0x2010...0x2027, 0x2030...0x205E: true
        default: false
        }
    }

    /// Without ICU transforms: compatibility decomposition, combining marks dropped, and
    /// the Latin letters that do not decompose.
    static func fallbackTransliteration(_ text: String) -> String {
        if let latin = latinTransliteration(text) { return latin }
        return decomposedLatin(text)
    }

    /// `text` decomposed (compatibility mapping), combining marks dropped, and the
    /// Latin letters that do not decompose replaced.
    private static func decomposedLatin(_ text: String) -> String {
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

    /// `fallbackTransliteration` for text of ASCII, Latin-1, Latin Extended-A and
    /// typographic punctuation only, one table lookup per character (each of those
    /// characters decomposes on its own, and the marks the decomposition yields are
    /// dropped, so character by character gives what the whole string would); nil for
    /// any other text.
    private static func latinTransliteration(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                out.append(UInt8(value))
            } else if let index = latinTableIndex(value) {
                out.append(contentsOf: latinTable[index])
            } else {
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func latinTableIndex(_ value: UInt32) -> Int? {
        switch value {
        case 0xA0...0x17F: Int(value - 0xA0)
        case 0x2010...0x2027: 0xE0 + Int(value - 0x2010)
        case 0x2030...0x205E: 0xF8 + Int(value - 0x2030)
        default: nil
        }
    }

    /// The transliteration of each scalar `latinTableIndex` covers, as UTF-8, computed
    /// once per process with the general path.
    private static let latinTable: [[UInt8]] = {
        let ranges: [ClosedRange<UInt32>] = [0xA0...0x17F, 0x2010...0x2027, 0x2030...0x205E]
        return ranges.flatMap { range in
            range.map { value in Array(decomposedLatin(String(Unicode.Scalar(value)!)).utf8) }
        }
    }()

    private static let latinLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH",
        "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŋ": "ng", "Ŋ": "NG", "ſ": "s",
        "\u{2019}": "'", "\u{2018}": "'",
    ]
}
