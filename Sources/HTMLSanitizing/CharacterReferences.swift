/// The character references the fast reader decodes itself. It knows the named
/// references feeds actually use and the legacy names that need no semicolon;
/// anything else makes it hand the fragment to gumbo, which knows them all.
enum CharacterReferences {
    /// `name;` → scalar, for names of at most 8 bytes, packed little-endian.
    static let common: [UInt64: UInt32] = {
        let table: [(String, UInt32)] = [
            ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22), ("apos", 0x27), ("nbsp", 0xA0),
            ("mdash", 0x2014), ("ndash", 0x2013), ("hellip", 0x2026), ("lsquo", 0x2018), ("rsquo", 0x2019),
            ("ldquo", 0x201C), ("rdquo", 0x201D), ("sbquo", 0x201A), ("bdquo", 0x201E), ("laquo", 0xAB),
            ("raquo", 0xBB), ("lsaquo", 0x2039), ("rsaquo", 0x203A), ("copy", 0xA9), ("reg", 0xAE),
            ("trade", 0x2122), ("middot", 0xB7), ("bull", 0x2022), ("deg", 0xB0), ("euro", 0x20AC),
            ("pound", 0xA3), ("yen", 0xA5), ("cent", 0xA2), ("times", 0xD7), ("divide", 0xF7), ("shy", 0xAD),
            ("thinsp", 0x2009), ("ensp", 0x2002), ("emsp", 0x2003), ("zwnj", 0x200C), ("zwj", 0x200D),
            ("lrm", 0x200E), ("rlm", 0x200F), ("eacute", 0xE9), ("egrave", 0xE8), ("ecirc", 0xEA),
            ("aacute", 0xE1), ("agrave", 0xE0), ("acirc", 0xE2), ("iacute", 0xED), ("oacute", 0xF3),
            ("uacute", 0xFA), ("ntilde", 0xF1), ("ccedil", 0xE7), ("auml", 0xE4), ("ouml", 0xF6), ("uuml", 0xFC),
            ("szlig", 0xDF), ("Eacute", 0xC9), ("sect", 0xA7), ("para", 0xB6), ("dagger", 0x2020),
            ("prime", 0x2032), ("frac12", 0xBD), ("plusmn", 0xB1), ("iexcl", 0xA1), ("iquest", 0xBF),
        ]
        var result: [UInt64: UInt32] = [:]
        for (name, scalar) in table { result[pack(Array(name.utf8)[...])] = scalar }
        return result
    }()

    /// The names HTML decodes even without a semicolon (the spec's legacy list).
    static let legacy: Set<UInt64> = {
        let names = """
            AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute \
            Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave \
            Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren \
            deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml \
            laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para \
            plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml \
            yacute yen yuml
            """
        return Set(names.split(separator: " ").map { pack(Array($0.utf8)[...]) })
    }()

    /// Up to 8 bytes packed little-endian (longer names never match a key).
    static func pack(_ bytes: some Collection<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes.prefix(8) {
            key |= UInt64(byte) << shift
            shift += 8
        }
        return key
    }

    /// Whether some legacy name is a prefix of `run`.
    static func hasLegacyPrefix(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        var key: UInt64 = 0
        for index in 0..<min(run.count, 6) {
            key |= UInt64(run[index]) << UInt64(8 * index)
            if index >= 1 && legacy.contains(key) { return true }
        }
        return false
    }

    /// Appends `scalar` as UTF-8.
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
