/// Small text conversions between plain text and HTML that parsing needs before the
/// sanitizer runs: escaping plain text, reading a title written as HTML, and the
/// feedparser-style guess whether RSS text is HTML.
public enum HTMLText {
    /// `text` with `&`, `<` and `>` escaped, so it reads as the same text in HTML.
    public static func escape(_ text: String) -> String {
        var needs = false
        for c in text.utf8 where c == UInt8(ascii: "&") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// UTF-8 `text` with `&`, `<` and `>` escaped.
    static func escape(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 16)
        appendEscaped(text, to: &out)
        return out
    }

    /// Appends UTF-8 `text` to `out` with `&`, `<` and `>` escaped, copying runs of
    /// other bytes whole.
    static func appendEscaped(_ text: some Collection<UInt8>, to out: inout [UInt8]) {
        var runStart = text.startIndex
        var i = text.startIndex
        while i != text.endIndex {
            let c = text[i]
            if c == UInt8(ascii: "&") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") {
                out.append(contentsOf: text[runStart..<i])
                switch c {
                case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
                case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])
                default: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])
                }
                runStart = text.index(after: i)
            }
            i = text.index(after: i)
        }
        out.append(contentsOf: text[runStart..<text.endIndex])
    }

    /// Decodes character references (`&amp;`, `&#8217;`, `&eacute;`) in HTML text.
    public static func decodeEntities(_ text: some StringProtocol) -> String {
        var string = String(text)
        guard string.utf8.contains(UInt8(ascii: "&")) else { return string }
        return string.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            var runStart = 0
            let n = bytes.count
            while i < n {
                guard bytes[i] == UInt8(ascii: "&") else {
                    i += 1
                    continue
                }
                var j = i + 1
                var decoded: Unicode.Scalar?
                var replacement: String?
                if j < n && bytes[j] == UInt8(ascii: "#") {
                    j += 1
                    let hex = j < n && (bytes[j] | 0x20) == UInt8(ascii: "x")
                    if hex { j += 1 }
                    let start = j
                    var value: UInt32 = 0
                    while j < n, j - start < 8, let d = digit(bytes[j], hex: hex) {
                        value = value * (hex ? 16 : 10) + d
                        j += 1
                    }
                    if j > start {
                        decoded = HTMLEntities.scalar(forNumericReference: value)
                        if j < n && bytes[j] == UInt8(ascii: ";") { j += 1 }
                    }
                } else {
                    let start = j
                    while j < n, j - start < 32, isASCIIAlnum(bytes[j]) { j += 1 }
                    if j > start && j < n && bytes[j] == UInt8(ascii: ";"),
                        let value = HTMLEntities.value(named: UnsafeBufferPointer(rebasing: bytes[start..<j]))
                    {
                        replacement = value
                        j += 1
                    }
                }
                if decoded == nil && replacement == nil {
                    i += 1
                    continue
                }
                out.append(contentsOf: bytes[runStart..<i])
                if let decoded { appendUTF8(decoded, to: &out) }
                if let replacement { out.append(contentsOf: replacement.utf8) }
                i = j
                runStart = j
            }
            out.append(contentsOf: bytes[runStart..<n])
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func digit(_ c: UInt8, hex: Bool) -> UInt32? {
        if c >= 0x30 && c <= 0x39 { return UInt32(c - 0x30) }
        if hex {
            let lower = c | 0x20
            if lower >= 0x61 && lower <= 0x66 { return UInt32(lower - 0x61 + 10) }
        }
        return nil
    }

    private static func isASCIIAlnum(_ c: UInt8) -> Bool {
        (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39
    }

    /// The text a reader sees in an HTML fragment: tags removed (with a space where a
    /// block or line break was), `script`/`style` content dropped, references decoded
    /// and whitespace runs collapsed to one space.
    public static func plainText(fromHTML html: some StringProtocol) -> String {
        var text = ""
        var utf8 = Array(html.utf8)
        utf8.append(0)
        var i = 0
        var segmentStart = 0
        let n = utf8.count - 1
        func appendSegment(_ end: Int) {
            if end > segmentStart {
                text += String(decoding: utf8[segmentStart..<end], as: UTF8.self)
            }
        }
        while i < n {
            guard utf8[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            let next = utf8[i + 1]
            let isTag =
                XMLInputRepair.isNameStart(next) && next != UInt8(ascii: ":") || next == UInt8(ascii: "/")
                || next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
            guard isTag else {
                i += 1
                continue
            }
            appendSegment(i)
            var j = i + 1
            if next == UInt8(ascii: "!") && i + 3 < n && utf8[i + 2] == UInt8(ascii: "-")
                && utf8[i + 3] == UInt8(ascii: "-")
            {
                // Comment: skip to "-->".
                j = i + 4
                while j < n
                    && !(utf8[j] == UInt8(ascii: "-") && utf8[j + 1] == UInt8(ascii: "-") && j + 2 < n
                        && utf8[j + 2] == UInt8(ascii: ">"))
                {
                    j += 1
                }
                i = min(n, j + 3)
                segmentStart = i
                continue
            }
            let nameStart = next == UInt8(ascii: "/") ? i + 2 : i + 1
            var nameEnd = nameStart
            while nameEnd < n, isNameByte(utf8[nameEnd]) { nameEnd += 1 }
            let name = String(decoding: utf8[nameStart..<nameEnd], as: UTF8.self).lowercased()
            // Skip to the end of the tag, minding quoted attribute values.
            var quote: UInt8 = 0
            j = nameEnd
            while j < n {
                let c = utf8[j]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: ">") {
                    break
                }
                j += 1
            }
            i = min(n, j + 1)
            if next != UInt8(ascii: "/") && (name == "script" || name == "style") {
                // Drop everything up to the matching end tag.
                let closing = Array("</\(name)".utf8)
                var k = i
                while k + closing.count <= n {
                    if utf8[k] == UInt8(ascii: "<") && asciiCaseInsensitiveEqual(utf8[k..<(k + closing.count)], closing)
                    {
                        break
                    }
                    k += 1
                }
                var end = k
                while end < n && utf8[end] != UInt8(ascii: ">") { end += 1 }
                i = min(n, end + 1)
            }
            if blockLike.contains(name) { text += " " }
            segmentStart = i
        }
        appendSegment(n)
        return collapseWhitespace(decodeEntities(text))
    }

    /// Whitespace runs (including non-breaking spaces) as one space, ends trimmed.
    public static func collapseWhitespace(_ text: String) -> String {
        // Common case: printable ASCII with single inner spaces needs no work.
        var copy = text
        let clean = copy.withUTF8 { bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last, first != 32, last != 32 else { return bytes.isEmpty }
            var previousSpace = false
            let n = bytes.count
            for i in 0..<n {
                let c = bytes[i]
                // ASCII controls need the full path, and so do the non-ASCII White_Space
                // characters: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
                // U+202F, U+205F, U+3000 (checked by their UTF-8 bytes, so that other
                // text with the same lead bytes stays on this path).
                if c < 32 || c == 0x7F { return false }
                if c >= 0xC2 && c <= 0xE3 {
                    let c1: UInt8 = i + 1 < n ? bytes[i + 1] : 0
                    let c2: UInt8 = i + 2 < n ? bytes[i + 2] : 0
                    switch c {
                    case 0xC2: if c1 == 0x85 || c1 == 0xA0 { return false }
                    case 0xE1: if c1 == 0x9A && c2 == 0x80 { return false }
                    case 0xE2:
                        if c1 == 0x80 && (c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) { return false }
                        if c1 == 0x81 && c2 == 0x9F { return false }
                    case 0xE3: if c1 == 0x80 && c2 == 0x80 { return false }
                    default: break
                    }
                }
                if c == 32 {
                    if previousSpace { return false }
                    previousSpace = true
                } else {
                    previousSpace = false
                }
            }
            return true
        }
        if clean { return text }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for ch in text.unicodeScalars {
            if ch.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return String(out)
    }

    /// feedparser's guess for text that no type attribute describes: HTML when it has
    /// an end tag or a character reference and every tag in it is an HTML element.
    public static func looksLikeHTML(_ text: String) -> Bool {
        looksLikeHTML(Array(text.utf8))
    }

    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        guard containsMarkupStart(bytes) else { return false }
        var hasEndTagOrReference = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "&") {
                var j = i + 1
                if j < bytes.count && bytes[j] == UInt8(ascii: "#") { j += 1 }
                let start = j
                while j < bytes.count && isWordByte(bytes[j]) { j += 1 }
                if j > start && j < bytes.count && bytes[j] == UInt8(ascii: ";") { hasEndTagOrReference = true }
            } else if c == UInt8(ascii: "<") {
                var j = i + 1
                let closing = j < bytes.count && bytes[j] == UInt8(ascii: "/")
                if closing { j += 1 }
                let start = j
                while j < bytes.count && isWordByte(bytes[j]) { j += 1 }
                if j > start {
                    let name = String(decoding: bytes[start..<j], as: UTF8.self).lowercased()
                    if !knownElements.contains(name) { return false }
                    if closing && j < bytes.count && bytes[j] == UInt8(ascii: ">") { hasEndTagOrReference = true }
                }
            }
            i += 1
        }
        return hasEndTagOrReference
    }

    /// Whether `bytes` hold a `<` or an `&`, eight bytes at a time: most titles hold
    /// neither, and this runs for every one of them.
    private static func containsMarkupStart(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var i = 0
            while i + 8 <= buffer.count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let lt = word ^ (ones &* 0x3C)
                let amp = word ^ (ones &* 0x26)
                if (lt &- ones) & ~lt & highs != 0 || (amp &- ones) & ~amp & highs != 0 { return true }
                i += 8
            }
            while i < buffer.count {
                if buffer[i] == UInt8(ascii: "<") || buffer[i] == UInt8(ascii: "&") { return true }
                i += 1
            }
            return false
        }
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39 || c == UInt8(ascii: "_")
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        isWordByte(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ":")
    }

    private static func asciiCaseInsensitiveEqual(_ a: ArraySlice<UInt8>, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where (x | 0x20) != (y | 0x20) { return false }
        return true
    }

    private static let blockLike: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th",
        "table", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "dl", "img",
    ]

    /// HTML element names, for ``looksLikeHTML(_:)``.
    static let knownElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blink",
        "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup",
        "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
        "embed", "event-source", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset",
        "h1",
        "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd",
        "keygen", "label", "legend", "li", "link", "m", "main", "map", "mark", "menu", "meta", "meter", "multicol",
        "nav", "nextid", "nobr", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "select", "small", "sound",
        "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
        "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
        "xmp", "noembed", "noframes", "plaintext", "math", "svg",
    ]
}
