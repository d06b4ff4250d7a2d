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

    /// Decodes character references (`&amp;`, `&#8217;`, `&eacute;`) in HTML text.
    public static func decodeEntities(_ text: some StringProtocol) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return String(text) }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard c == "&" else {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 1
            if j < scalars.count && scalars[j] == "#" {
                j += 1
                var hex = false
                if j < scalars.count && (scalars[j] == "x" || scalars[j] == "X") {
                    hex = true
                    j += 1
                }
                let start = j
                var value: UInt32 = 0
                while j < scalars.count, let d = hexValue(scalars[j]), hex || d < 10, j - start < 8 {
                    value = value * (hex ? 16 : 10) + d
                    j += 1
                }
                if j > start {
                    out.append(HTMLEntities.scalar(forNumericReference: value))
                    if j < scalars.count && scalars[j] == ";" { j += 1 }
                    i = j
                    continue
                }
            } else {
                let start = j
                while j < scalars.count, j - start < 32, scalars[j].properties.isASCIIHexDigit || isASCIIAlnum(scalars[j]) {
                    j += 1
                }
                if j > start && j < scalars.count && scalars[j] == ";" {
                    var name = ""
                    name.unicodeScalars.append(contentsOf: scalars[start..<j])
                    if let value = HTMLEntities.byName[name] {
                        out.append(contentsOf: value.unicodeScalars)
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return String(out)
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
            if next == UInt8(ascii: "!") && i + 3 < n && utf8[i + 2] == UInt8(ascii: "-") && utf8[i + 3] == UInt8(ascii: "-") {
                // Comment: skip to "-->".
                j = i + 4
                while j < n && !(utf8[j] == UInt8(ascii: "-") && utf8[j + 1] == UInt8(ascii: "-") && j + 2 < n && utf8[j + 2] == UInt8(ascii: ">")) {
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
                    if utf8[k] == UInt8(ascii: "<") && asciiCaseInsensitiveEqual(utf8[k..<(k + closing.count)], closing) {
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
        guard text.utf8.contains(UInt8(ascii: "<")) || text.utf8.contains(UInt8(ascii: "&")) else { return false }
        let bytes = Array(text.utf8)
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

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39 || c == UInt8(ascii: "_")
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        isWordByte(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ":")
    }

    private static func isASCIIAlnum(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && isWordByte(UInt8(s.value)) && s != "_"
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s {
        case "0"..."9": return s.value - 48
        case "a"..."f": return s.value - 87
        case "A"..."F": return s.value - 55
        default: return nil
        }
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
        "embed", "event-source", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1",
        "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd",
        "keygen", "label", "legend", "li", "link", "m", "main", "map", "mark", "menu", "meta", "meter", "multicol",
        "nav", "nextid", "nobr", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "select", "small", "sound",
        "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
        "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
        "xmp", "noembed", "noframes", "plaintext", "math", "svg",
    ]
}
