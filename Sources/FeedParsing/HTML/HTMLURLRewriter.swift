import TidingsModel

/// Makes the URLs inside an HTML fragment absolute, touching nothing else.
///
/// A tokenizer-level pass over UTF-8: it finds start tags, and in them the
/// attributes that hold URLs (`href`, `src`, every `srcset` candidate, `poster`…);
/// a relative value is decoded, resolved with ``URLResolver`` and written back
/// double-quoted with `&` and `"` escaped. Absolute values, text, comments and all
/// other bytes are copied as they are.
enum HTMLURLRewriter {
    /// `html` with relative URLs resolved against `base`; `html` itself when nothing
    /// needed resolving.
    static func absolutize(_ html: [UInt8], base: String?) -> [UInt8] {
        guard let base, html.contains(UInt8(ascii: "<")), let parsedBase = BaseURL(base) else { return html }
        var out: [UInt8] = []
        var copied = 0
        let n = html.count
        var i = 0
        while i < n {
            guard html[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if i + 3 < n && html[i + 1] == UInt8(ascii: "!") && html[i + 2] == UInt8(ascii: "-")
                && html[i + 3] == UInt8(ascii: "-")
            {
                i = indexAfter(html, "-->", from: i + 4)
                continue
            }
            guard i + 1 < n, isLetter(html[i + 1]) else {
                i += 1
                continue
            }
            // Tag name.
            var j = i + 1
            while j < n && !isSpace(html[j]) && html[j] != UInt8(ascii: ">") && html[j] != UInt8(ascii: "/") { j += 1 }
            // Attributes.
            while j < n && html[j] != UInt8(ascii: ">") {
                while j < n && (isSpace(html[j]) || html[j] == UInt8(ascii: "/")) { j += 1 }
                let nameStart = j
                while j < n && !isSpace(html[j]) && html[j] != UInt8(ascii: "=") && html[j] != UInt8(ascii: ">")
                    && html[j] != UInt8(ascii: "/")
                {
                    j += 1
                }
                let nameEnd = j
                while j < n && isSpace(html[j]) { j += 1 }
                guard j < n, html[j] == UInt8(ascii: "=") else { continue }
                j += 1
                while j < n && isSpace(html[j]) { j += 1 }
                guard j < n else { break }
                let valueStart: Int
                let valueEnd: Int
                let quote = html[j]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    valueStart = j + 1
                    var k = valueStart
                    while k < n && html[k] != quote { k += 1 }
                    valueEnd = k
                    j = min(n, k + 1)
                } else {
                    valueStart = j
                    while j < n && !isSpace(html[j]) && html[j] != UInt8(ascii: ">") { j += 1 }
                    valueEnd = j
                }
                let kind = urlAttribute(html[nameStart..<nameEnd])
                guard kind != .none else { continue }
                // Most values are absolute already: a scheme, then nothing to do.
                if kind == .single && hasScheme(html[valueStart..<valueEnd]) { continue }
                let raw = HTMLText.decodeEntities(String(decoding: html[valueStart..<valueEnd], as: UTF8.self))
                let resolved = kind == .srcset ? resolveSrcset(raw, base: parsedBase) : parsedBase.resolve(raw)
                guard resolved != raw else { continue }
                // Replace the whole value, quotes included.
                let replaceStart =
                    quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") ? valueStart - 1 : valueStart
                let replaceEnd =
                    quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") ? min(n, valueEnd + 1) : valueEnd
                out.append(contentsOf: html[copied..<replaceStart])
                out.append(UInt8(ascii: "\""))
                for c in resolved.utf8 {
                    switch c {
                    case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
                    case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])
                    default: out.append(c)
                    }
                }
                out.append(UInt8(ascii: "\""))
                copied = replaceEnd
            }
            i = j
        }
        if copied == 0 { return html }
        out.append(contentsOf: html[copied...])
        return out
    }

    private enum URLAttribute { case none, single, srcset }

    private static let single: [StaticString] = [
        "href", "src", "poster", "cite", "action", "background", "longdesc", "usemap", "formaction", "data",
        "codebase", "profile", "lowsrc", "dynsrc", "xlink:href",
    ]

    private static func urlAttribute(_ name: ArraySlice<UInt8>) -> URLAttribute {
        guard name.count >= 3 && name.count <= 10 else { return .none }
        if equalsIgnoringCase(name, "srcset") { return .srcset }
        for candidate in single where equalsIgnoringCase(name, candidate) { return .single }
        return .none
    }

    private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        var k = 0
        for c in bytes {
            if c | 0x20 != p[k] | 0x20 { return false }
            k += 1
        }
        return true
    }

    /// Whether an attribute value starts with a URL scheme (`https:`, `mailto:`…).
    private static func hasScheme(_ value: ArraySlice<UInt8>) -> Bool {
        var length = 0
        for c in value {
            if c == UInt8(ascii: ":") { return length > 0 }
            let letter = isLetter(c)
            let other =
                c >= 0x30 && c <= 0x39 || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
            if !letter && !(other && length > 0) { return false }
            length += 1
        }
        return false
    }

    /// `srcset` is a comma-separated list of "URL [descriptor]" candidates.
    private static func resolveSrcset(_ value: String, base: BaseURL) -> String {
        value.split(separator: ",", omittingEmptySubsequences: true).map { candidate in
            let parts = candidate.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard let url = parts.first else { return String(candidate) }
            return ([base.resolve(String(url))] + parts.dropFirst().map(String.init))
                .joined(separator: " ")
        }.joined(separator: ", ")
    }

    private static func indexAfter(_ bytes: [UInt8], _ marker: StaticString, from start: Int) -> Int {
        let m = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        var i = start
        while i + m.count <= bytes.count {
            if bytes[i] == m[0] && bytes[i..<(i + m.count)].elementsEqual(m) { return i + m.count }
            i += 1
        }
        return bytes.count
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
}
