/// Makes HTML written by strangers (feed entry bodies) safe to show on a
/// reader's site, keeping what it means.
///
/// The fragment is parsed as a browser parses `div.innerHTML` (the HTML5
/// fragment algorithm, with gumbo, or a faster reader that builds the same tree
/// for simple, well-nested markup), filtered through an allow-list of elements
/// and attributes, and written back with an HTML5 serializer that escapes only
/// `&`, `<`, `>` in text and `&`, `"` in (double-quoted) attribute values, every
/// other character — U+00A0 included — as UTF-8.
///
/// - Elements on the allow-list are kept with their meaningful attributes;
///   `script`, `style`, `object`, `form`, `svg`, `template`… are removed with
///   their content; other elements are unwrapped (their content kept).
/// - `iframe`s from ``Options/iframeHosts`` are kept, sandboxed.
/// - URLs (`href`, `src`, `srcset`, `poster`, `cite`) must have a scheme from
///   ``Options/allowedSchemes`` once decoded and stripped of the whitespace and
///   control characters browsers ignore; relative ones are made absolute by the
///   caller's resolver.
/// - Tracking pixels and tracking query parameters on links are removed.
/// - ``Options/permissive`` widens the allow-lists to feedparser's (forms
///   kept inert, `style` kept safe, ids and classes prefixed); the rules above
///   hold there too.
///
/// The output is a fixed point: sanitizing it again gives it back unchanged.
/// No input crashes it or exhausts the stack.
public struct HTMLSanitizer: Sendable {
    /// The policy this sanitizer applies.
    public let options: Options
    let policy: SanitizerPolicy

    public init(options: Options = .init()) {
        self.options = options
        policy = SanitizerPolicy(options)
    }

    /// The safe form of the HTML fragment `html`.
    ///
    /// - Parameter resolve: makes a URL reference that has no scheme (`/a`,
    ///   `../b.jpg`, `//host/c`, `?q`, `#f`, `""`) absolute — against `xml:base`
    ///   in scope, the entry's link or the feed's URL, as the caller decides
    ///   (Tidings passes `URLResolver.resolve(_:against:)`). It receives the
    ///   reference decoded and cleaned (surrounding spaces and embedded tabs and
    ///   newlines removed); returning nil drops the attribute. Its result is
    ///   checked like any URL. The default keeps references as they are.
    /// - Returns: HTML with no leading or trailing whitespace; empty when
    ///   nothing is left.
    public func sanitize(_ html: String, resolve: (String) -> String? = { $0 }) -> String {
        String(sanitizedUTF8: sanitizedBytes(html, engine: .automatic, resolve: resolve) ?? [])
    }

    /// The safe form of a fragment given as bytes; invalid UTF-8 sequences
    /// become U+FFFD first.
    public func sanitize(bytes html: some Collection<UInt8>, resolve: (String) -> String? = { $0 }) -> String {
        sanitize(String(decoding: html, as: UTF8.self), resolve: resolve)
    }

    /// ``sanitize(_:resolve:)``, shaped to be the body of a Hugo content file
    /// (see ``hugoSafeBody(sanitized:)``).
    public func hugoSafeBody(_ html: String, resolve: (String) -> String? = { $0 }) -> String {
        Self.hugoSafeBody(bytes: sanitizedBytes(html, engine: .automatic, resolve: resolve) ?? [])
    }

    /// The text of `html` as a reader sees it: tags stripped, character
    /// references decoded, content of removed elements (`script`, `style`…)
    /// left out, whitespace runs collapsed to one space, blocks separated by a
    /// space. Longer than `limit` characters, it is cut at the last word boundary
    /// within them (mid-word only if the first word alone is longer) and "…" is
    /// appended; never otherwise. A `limit` of 0 or less gives "".
    public func plainText(html: String, limit: Int = 300) -> String {
        var html = html
        return html.withUTF8 { plainText(wellFormed: $0, limit: limit) }
    }

    /// The absolute URL of the first `<img>` in `html` that the sanitizer keeps
    /// and that is not a tracking pixel (`src`, else a lazy-loading `data-src`,
    /// else the first `srcset` candidate); nil when there is none.
    public func firstImage(html: String, resolve: (String) -> String? = { $0 }) -> String? {
        var html = html
        return html.withUTF8 { firstImage(wellFormed: $0, resolve: resolve) }
    }

    /// `sanitized` made into one CommonMark HTML block, so that Markdown never
    /// sees any of it (goldmark reads what follows a blank line as Markdown, where
    /// `[x](javascript:…)` would become a live link): wrapped in `<div>…</div>`
    /// unless it starts with a tag that opens a CommonMark HTML block of type 6
    /// (`<p>`, `<div>`, `<figure>`…; not `<pre>`, whose block ends at its end
    /// tag), and every line feed that would leave an empty or whitespace-only
    /// line written as `&#10;` (the same character to an HTML parser).
    public static func hugoSafeBody(sanitized: String) -> String {
        hugoSafeBody(bytes: Array(sanitized.utf8))
    }

    /// ``hugoSafeBody(sanitized:)`` of sanitized UTF-8, without a String in between.
    static func hugoSafeBody(bytes input: [UInt8]) -> String {
        func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 11 || c == 12 || c == 10 || c == 13 }
        var end = input.count
        while end > 0, isBlank(input[end - 1]) { end -= 1 }
        var start = 0
        while start < end, isBlank(input[start]) { start += 1 }
        guard start < end else { return "" }
        let wrap = !startsHTMLBlock(input[start..<end])
        var out: [UInt8] = []
        out.reserveCapacity(end - start + 16)
        if wrap { out.append(contentsOf: "<div>".utf8) }
        input.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
            // Sanitized output holds no carriage return (it is written `&#13;`):
            // line feeds alone can then be found with memchr.
            let hasCarriageReturn = ByteSearch.contains(13, in: bytes)
            var runStart = 0
            var index = 0
            while index < bytes.count {
                if hasCarriageReturn {
                    while index < bytes.count && bytes[index] != 10 && bytes[index] != 13 { index += 1 }
                } else {
                    index = ByteSearch.firstIndex(of: 10, in: bytes, from: index)
                }
                guard index < bytes.count else { break }
                let byte = bytes[index]
                var next = index + 1
                while next < bytes.count
                    && (bytes[next] == 32 || bytes[next] == 9 || bytes[next] == 11 || bytes[next] == 12)
                {
                    next += 1
                }
                // The wrapper's `</div>` follows the last byte, so the end is not blank then.
                let atEnd = next >= bytes.count
                let blankFollows = (atEnd && !wrap) || (!atEnd && (bytes[next] == 10 || bytes[next] == 13))
                if blankFollows || byte == 13 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    out.append(contentsOf: byte == 10 ? lineFeedReference : carriageReturnReference)
                    runStart = index + 1
                }
                index += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        if wrap { out.append(contentsOf: "</div>".utf8) }
        return String(sanitizedUTF8: out)
    }

    private static let lineFeedReference = Array("&#10;".utf8)
    private static let carriageReturnReference = Array("&#13;".utf8)

    static func startsHTMLBlock(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "<") else { return false }
        let nameStart = bytes.startIndex + 1
        var end = nameStart
        while end < bytes.endIndex,
            (bytes[end] | 0x20 >= 0x61 && bytes[end] | 0x20 <= 0x7A) || (bytes[end] >= 0x30 && bytes[end] <= 0x39)
        {
            end += 1
        }
        // A longer name is on no list (and a short one makes a String without
        // an allocation).
        guard end > nameStart, end - nameStart <= ElementSets.commonMarkBlockStartLongest else { return false }
        if end < bytes.endIndex {
            let after = bytes[end]
            guard
                after == 32 || after == 9 || after == 10 || after == 13 || after == UInt8(ascii: ">")
                    || (after == UInt8(ascii: "/") && end + 1 < bytes.endIndex && bytes[end + 1] == UInt8(ascii: ">"))
            else { return false }
        }
        let name = String(decoding: bytes[nameStart..<end], as: UTF8.self).lowercased()
        return ElementSets.commonMarkBlockStart.contains(name)
    }

    // MARK: Internals

    /// The sanitized bytes; nil only when `engine` is ``FragmentEngine/fastOnly``
    /// and the fast reader gave up.
    func sanitizedBytes(_ html: String, engine: FragmentEngine, resolve: (String) -> String?) -> [UInt8]? {
        var html = html
        return html.withUTF8 { sanitizedBytes(utf8: $0, engine: engine, resolve: resolve) }
    }

    /// ``sanitizedBytes(_:engine:resolve:)`` of well-formed UTF-8.
    func sanitizedBytes(utf8 html: UnsafeBufferPointer<UInt8>, engine: FragmentEngine, resolve: (String) -> String?)
        -> [UInt8]?
    {
        withoutActuallyEscaping(resolve) { resolve in
            let urls = URLFilter(policy: policy, resolve: resolve)
            guard let first = pass(html, engine: engine, urls: urls) else { return nil }
            var output = first.output
            let verify = first.verify
            // Unwrapping or gumbo's repairs can leave a tree that reads back
            // differently (<h1><font><h2> → <h1><h2>, read as siblings): sanitize
            // the output again until it stops changing.
            var rounds = 0
            while verify && rounds < 4 {
                rounds += 1
                guard let again = output.withUnsafeBufferPointer({ pass($0, engine: .automatic, urls: urls) }) else {
                    break
                }
                if again.output == output { break }
                output = again.output
            }
            let isSpace = { (c: UInt8) in c == 32 || c == 9 || c == 10 || c == 12 }
            var end = output.count
            while end > 0 && isSpace(output[end - 1]) { end -= 1 }
            var start = 0
            while start < end && isSpace(output[start]) { start += 1 }
            if start > 0 || end < output.count { return Array(output[start..<end]) }
            return output
        }
    }

    private func pass(_ bytes: UnsafeBufferPointer<UInt8>, engine: FragmentEngine, urls: URLFilter) -> (
        output: [UInt8], verify: Bool
    )? {
        var sink = SanitizingSink(policy: policy, urls: urls, capacity: bytes.count + bytes.count / 8)
        guard FragmentReader.read(bytes, engine: engine, into: &sink) else { return nil }
        return (sink.output, sink.needsVerification)
    }

    /// ``cut(_:limit:)`` of UTF-8 text, without Character-by-Character work where
    /// every character up to the cut is a single scalar that no grapheme rule
    /// joins to its neighbours.
    static func cut(utf8 text: [UInt8], limit: Int) -> String {
        // Never more characters than bytes.
        guard text.count > limit else { return String(sanitizedUTF8: text) }
        return text.withUnsafeBufferPointer { bytes in
            guard let prefixEnd = singleScalarPrefixEnd(bytes, limit: limit) else {
                return cut(String(sanitizedUTF8: bytes), limit: limit)
            }
            guard prefixEnd < bytes.count else { return String(sanitizedUTF8: bytes) }
            var cutAt = prefixEnd
            if bytes[prefixEnd] != 32 {
                var space = prefixEnd - 1
                while space >= 0 && bytes[space] != 32 { space -= 1 }
                if space >= 0 { cutAt = space }
            }
            while cutAt > 0 {
                let last = bytes[cutAt - 1]
                guard last == 32 || last == UInt8(ascii: ",") || last == UInt8(ascii: ";") || last == UInt8(ascii: ":")
                else { break }
                cutAt -= 1
            }
            if cutAt == 0 { cutAt = prefixEnd }
            var result = Array(UnsafeBufferPointer(rebasing: bytes[..<cutAt]))
            result.append(contentsOf: [0xE2, 0x80, 0xA6])  // "…"
            return String(sanitizedUTF8: result)
        }
    }

    /// Where the character after the first `limit` ends up: the byte offset of the
    /// `limit`th scalar (0-based; `bytes.count` when there are no more), provided
    /// that scalar, every one before it and the one after it are scalars Swift
    /// always makes characters of their own (see ``isSingleScalarCharacter(_:)``),
    /// so that characters and scalars coincide up to there; nil otherwise.
    private static func singleScalarPrefixEnd(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        var index = 0
        var scalars = 0
        var prefixEnd = bytes.count
        while index < bytes.count && scalars <= limit + 1 {
            let byte = bytes[index]
            if byte < 0x80 && byte != 13 {
                if scalars == limit { prefixEnd = index }
                scalars += 1
                index += 1
                continue
            }
            let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            guard byte < 0x80 || byte >= 0xC0, index + length <= bytes.count else { return nil }
            var scalar = UInt32(byte)
            if length > 1 {
                scalar &= 0x7F >> UInt32(length)
                for offset in 1..<length { scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F) }
            }
            guard isSingleScalarCharacter(scalar) else { return nil }
            if scalars == limit { prefixEnd = index }
            scalars += 1
            index += length
        }
        return prefixEnd
    }

    /// Scalars that form a character alone whatever surrounds them, as long as
    /// their neighbours are such scalars too: no combining or spacing mark,
    /// prepended mark, joiner, variation selector, Hangul jamo or regional
    /// indicator, no CR (which joins a following LF), and nothing canonically
    /// equivalent to a space, `,`, `;` or `:` but those characters themselves
    /// (U+037E is `;`). Latin up to U+02FF; Greek; Cyrillic without its
    /// combining marks; general punctuation without its controls and joiners;
    /// currency signs; CJK punctuation, kana, ideographs, Hangul syllables and
    /// fullwidth ASCII.
    @inline(__always)
    static func isSingleScalarCharacter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0..<0x300: return scalar != 13
        case 0x370...0x3FF: return scalar != 0x37E
        case 0x400...0x482, 0x48A...0x52F: return true
        case 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20CF: return true
        case 0x3001...0x3029, 0x3041...0x3096, 0x30A1...0x30FF: return true
        case 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E: return true
        default: return false
        }
    }

    /// `text` cut to `limit` characters at a word boundary, with "…" when cut.
    static func cut(_ text: String, limit: Int) -> String {
        guard let prefixEnd = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
            prefixEnd != text.endIndex
        else { return text }
        var cutAt = prefixEnd
        if text[prefixEnd] != " " {
            if let space = text[..<prefixEnd].lastIndex(of: " ") { cutAt = space }
        }
        var result = text[..<cutAt]
        while let last = result.last, last == " " || last == "," || last == ";" || last == ":" {
            result = result.dropLast()
        }
        if result.isEmpty { result = text[..<prefixEnd] }
        return result + "…"
    }
}
