#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The character encoding of a feed document, decided from its first bytes
/// and the HTTP `Content-Type`, following RFC 3023, XML 1.0 appendix F and
/// the outcome feedparser 6.0 reaches.
///
/// Precedence:
/// 1. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins.
/// 2. Without one, the first four bytes may show UTF-16/32 or EBCDIC. A
///    label that does not fit that byte layout is ignored; a bare
///    "UTF-16"/"UTF-32" label takes the sniffed byte order.
/// 3. XML and `text/*` media types: the `charset` parameter, then the
///    XML declaration. Any other or no `Content-Type`: the XML declaration
///    only (feedparser ignores `charset` there). RFC 3023's us-ascii default
///    for `text/*` is not applied: feedparser ends up on the declaration or
///    UTF-8 for any document that is not pure ASCII, and on pure ASCII
///    every choice agrees.
/// 4. A label is passed over (with a warning) when it is unknown to the
///    alias table and to iconv, or when it is us-ascii and a later label
///    exists. When the first label fails to decode the document's first
///    bytes, the next one that does is used, else UTF-8 if they are valid
///    UTF-8, else the first label anyway (feedparser tries them in turn).
/// 5. Otherwise the sniffed encoding (UTF-16/32, IBM037 for EBCDIC), else
///    UTF-8 — whose decoding pass falls back to windows-1252 per invalid
///    sequence, as feedparser's last resorts do.
/// 6. Names come out canonical: latin-1 and us-ascii as WINDOWS-1252,
///    GB2312/GBK as GB18030, Shift_JIS as CP932, EUC-KR as CP949, Big5 as
///    BIG5-HKSCS.
struct CharsetDetection: Sendable, Hashable {
    /// Where the decision came from.
    enum Source: String, Sendable, Hashable {
        case bom
        case http
        case xmlDeclaration
        case sniffed
        case `default`
    }

    /// Canonical encoding name, accepted by ``Transcoder`` and iconv
    /// ("UTF-8", "UTF-16LE", "WINDOWS-1252", "CP932", "GB18030", …).
    var encoding: String
    /// What decided ``encoding``.
    var source: Source
    /// Length of the byte-order mark to skip before converting.
    var bomLength: Int
    /// Fallbacks and conflicts worth reporting, in plain words.
    var warnings: [String]
    /// The `encoding="…"` of the XML declaration, as written.
    var declaredEncoding: String?
    /// The `charset` parameter of the Content-Type, as written.
    var httpCharset: String?

    /// True when the bytes after the BOM are to be read as UTF-8 directly.
    var isUTF8: Bool { encoding == "UTF-8" }

    /// How many leading bytes ``detect(prefix:contentType:)`` looks at.
    static let prefixLimit = 64 * 1024

    /// Decides the encoding from the document's first bytes (a few KB is
    /// plenty; at most ``prefixLimit`` are read) and the HTTP Content-Type
    /// header (nil for a local file).
    static func detect(prefix: some Collection<UInt8>, contentType: String?) -> CharsetDetection {
        let bytes = Array(prefix.prefix(prefixLimit))
        var warnings: [String] = []

        let bom = byteOrderMark(bytes)
        let layout = bom?.layout ?? sniffLayout(bytes, warnings: &warnings)
        let body = bytes.dropFirst(bom?.length ?? 0)
        let declared = declaredEncoding(in: asciiView(of: body, layout: layout))

        let media = contentType.map(parseContentType) ?? (mediaType: "", charset: nil)
        let charset = media.charset.flatMap { $0.isEmpty ? nil : $0 }
        let takesCharset = isXMLMediaType(media.mediaType) || media.mediaType.hasPrefix("text/")

        // A feed served as text/plain or text/html is mislabelled: say so, as
        // feedparser does (its "non-XML media type" flag); the bytes are still read.
        if media.mediaType == "text/plain" || media.mediaType == "text/html" {
            warnings.append("served as \(media.mediaType), which is not an XML media type")
        }

        var labels: [Label] = []
        // feedparser ignores charset on other media types (JSON, octet-stream…).
        let ignoredCharset = takesCharset ? nil : charset
        if let charset, takesCharset { labels.append(Label(raw: charset, origin: .http)) }
        if let declared { labels.append(Label(raw: declared, origin: .xmlDeclaration)) }

        var result = CharsetDetection(
            encoding: "UTF-8", source: .default, bomLength: 0, warnings: [],
            declaredEncoding: declared, httpCharset: charset)

        if let bom {
            result.encoding = bom.encoding
            result.source = .bom
            result.bomLength = bom.length
            for label in labels {
                let name = resolve(label, layout: layout)?.encoding
                if name != bom.encoding {
                    warnings.append(
                        "\(label.origin.phrase) \"\(label.raw)\" ignored: byte-order mark says \(bom.encoding)")
                }
            }
            result.warnings = warnings
            return result
        }

        // Labels that name a usable encoding fitting the byte layout.
        var usable: [(label: Label, encoding: String, weak: Bool)] = []
        for label in labels {
            guard let canonical = canonicalLabel(label.raw) else {
                warnings.append("\(label.origin.phrase) \"\(label.raw)\" is not a known encoding")
                continue
            }
            guard let resolved = resolve(canonical: canonical, layout: layout) else {
                warnings.append(
                    "\(label.origin.phrase) \"\(label.raw)\" ignored: the document is \(layout.phrase)")
                continue
            }
            guard isSupported(resolved.encoding) else {
                warnings.append("\(label.origin.phrase) \"\(label.raw)\" is not supported here")
                continue
            }
            usable.append((label, resolved.encoding, resolved.weak))
        }
        // us-ascii only matters when nothing more specific is declared.
        if let last = usable.last {
            for candidate in usable.dropLast() where candidate.weak {
                warnings.append(
                    "\(candidate.label.origin.phrase) \"\(candidate.label.raw)\" ignored: \(last.label.origin.phrase) \"\(last.label.raw)\" is more specific"
                )
            }
            usable = usable.dropLast().filter { !$0.weak } + [last]
        }

        var chosen = usable.first
        var passedOver: Set<Label> = []
        if let first = usable.first, !decodesCleanly(body, as: first.encoding) {
            // feedparser tries the next label when one fails to decode.
            if let next = usable.dropFirst().first(where: { decodesCleanly(body, as: $0.encoding) }) {
                warnings.append(
                    "\(first.label.origin.phrase) \"\(first.label.raw)\" does not decode the document; used \(next.label.origin.phrase) \"\(next.label.raw)\""
                )
                passedOver.insert(first.label)
                chosen = next
            } else if layout.isASCIICompatible, first.encoding != "UTF-8", decodesCleanly(body, as: "UTF-8") {
                warnings.append(
                    "\(first.label.origin.phrase) \"\(first.label.raw)\" does not decode the document, which is valid UTF-8"
                )
                chosen = nil
                result.source = .sniffed
            } else if first.encoding != "UTF-8" {
                // (Invalid UTF-8 is left to the UTF-8 pass, which reports it.)
                warnings.append(
                    "the document has bytes that are invalid in \(first.encoding) (\(first.label.origin.phrase) \"\(first.label.raw)\")"
                )
            }
        }

        if let chosen {
            result.encoding = chosen.encoding
            result.source = chosen.label.origin
            for other in usable
            where other.label != chosen.label && other.encoding != chosen.encoding
                && !passedOver.contains(other.label)
            {
                warnings.append(
                    "\(other.label.origin.phrase) \"\(other.label.raw)\" ignored: \(chosen.label.origin.phrase) \"\(chosen.label.raw)\" takes precedence"
                )
            }
        } else if let sniffed = layout.sniffedEncoding {
            if isSupported(sniffed) {
                result.encoding = sniffed
                result.source = .sniffed
            } else {
                warnings.append("the document looks like \(layout.phrase), which is not supported here")
            }
        }
        if let ignoredCharset, canonicalName(for: ignoredCharset) != result.encoding {
            warnings.append(
                "HTTP charset \"\(ignoredCharset)\" ignored: \"\(media.mediaType)\" is neither an XML nor a text media type"
            )
        }
        result.warnings = warnings
        return result
    }

    /// The canonical name for an encoding label (any case, quotes and
    /// whitespace allowed), or nil when neither the alias table nor iconv
    /// knows it. "UTF-16"/"UTF-32" stay generic; us-ascii and latin-1 give
    /// WINDOWS-1252.
    static func canonicalName(for label: String) -> String? {
        guard let canonical = canonicalLabel(label) else { return nil }
        if canonical == asciiMarker { return "WINDOWS-1252" }
        return isSupported(canonical) ? canonical : nil
    }

    /// Splits a Content-Type into its lowercased media type and the value of
    /// its `charset` parameter (unquoted; the last one wins, as feedparser).
    static func parseContentType(_ value: String) -> (mediaType: String, charset: String?) {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        let mediaType = parts.first.map { $0.charsetTrimmedWhitespace().lowercased() } ?? ""
        var charset: String? = nil
        for parameter in parts.dropFirst() {
            guard let equals = parameter.firstIndex(of: "=") else { continue }
            let key = parameter[..<equals].charsetTrimmedWhitespace().lowercased()
            guard key == "charset" else { continue }
            charset = String(parameter[parameter.index(after: equals)...]).charsetTrimmedLabel()
        }
        return (mediaType, charset)
    }

    /// RFC 3023 XML media types: application/xml, text/xml, their
    /// -dtd / -external-parsed-entity forms, and any `+xml` suffix.
    static func isXMLMediaType(_ mediaType: String) -> Bool {
        switch mediaType {
        case "application/xml", "application/xml-dtd", "application/xml-external-parsed-entity",
            "text/xml", "text/xml-external-parsed-entity":
            return true
        default:
            return (mediaType.hasPrefix("application/") || mediaType.hasPrefix("text/"))
                && mediaType.hasSuffix("+xml")
        }
    }
}

// MARK: - Labels and layouts

extension CharsetDetection {
    private struct Label: Hashable {
        var raw: String
        var origin: Source
    }

    /// How the document's first characters are laid out in bytes.
    enum Layout: Sendable, Hashable {
        /// `<` and whitespace are single ASCII bytes.
        case ascii
        case utf16LE, utf16BE, utf32LE, utf32BE
        case ebcdic
        /// No evidence either way.
        case unknown

        var isASCIICompatible: Bool { self == .ascii || self == .unknown }

        var sniffedEncoding: String? {
            switch self {
            case .utf16LE: "UTF-16LE"
            case .utf16BE: "UTF-16BE"
            case .utf32LE: "UTF-32LE"
            case .utf32BE: "UTF-32BE"
            case .ebcdic: "IBM037"
            case .ascii, .unknown: nil
            }
        }

        var phrase: String {
            switch self {
            case .ascii: "8-bit (ASCII-compatible)"
            case .utf16LE: "UTF-16LE"
            case .utf16BE: "UTF-16BE"
            case .utf32LE: "UTF-32LE"
            case .utf32BE: "UTF-32BE"
            case .ebcdic: "EBCDIC"
            case .unknown: "of unknown layout"
            }
        }
    }

    /// The BOM at the start of `bytes`, if any. UTF-32LE is checked before
    /// UTF-16LE: FF FE 00 00 would be a NUL character in UTF-16, not XML.
    static func byteOrderMark(_ bytes: [UInt8]) -> (encoding: String, length: Int, layout: Layout)? {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("UTF-32BE", 4, .utf32BE) }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("UTF-32LE", 4, .utf32LE) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3, .ascii) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2, .utf16BE) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2, .utf16LE) }
        return nil
    }

    /// XML 1.0 appendix F, widened from `<` to any first character: NUL
    /// bytes in the first four positions can only be UTF-16 or UTF-32.
    static func sniffLayout(_ bytes: [UInt8], warnings: inout [String]) -> Layout {
        if bytes.count >= 4 {
            let (a, b, c, d) = (bytes[0], bytes[1], bytes[2], bytes[3])
            switch (a == 0, b == 0, c == 0, d == 0) {
            case (true, true, true, false): return .utf32BE
            case (false, true, true, true): return .utf32LE
            case (true, false, true, false): return .utf16BE
            case (false, true, false, true): return .utf16LE
            case (true, true, false, true), (true, false, true, true):
                warnings.append("the document looks like UCS-4 in an unusual byte order, which is not supported")
                return .unknown
            default: break
            }
            if [a, b, c, d] == [0x4C, 0x6F, 0xA7, 0x94] { return .ebcdic }
        }
        let first = bytes.first { !isASCIIWhitespace($0) }
        return first == UInt8(ascii: "<") || first == UInt8(ascii: "{") ? .ascii : .unknown
    }

    /// The canonical label, with us-ascii kept apart (as ``asciiMarker``)
    /// so it can yield to more specific labels.
    private static func canonicalLabel(_ raw: String) -> String? {
        let label = raw.charsetTrimmedLabel()
        let key = String(
            decoding: label.utf8.compactMap { byte -> UInt8? in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
                default: nil
                }
            }, as: UTF8.self)
        if let known = aliases[key] { return known }
        // Not in the table: let iconv judge the name as written.
        let upper = label.uppercased()
        guard !upper.isEmpty, isSupported(upper) else { return nil }
        return upper
    }

    /// Resolves a label for `layout`: generic UTF-16/32 take the sniffed
    /// byte order; nil when the label contradicts the layout.
    private static func resolve(_ label: Label, layout: Layout) -> (encoding: String, weak: Bool)? {
        canonicalLabel(label.raw).flatMap { resolve(canonical: $0, layout: layout) }
    }

    private static func resolve(canonical: String, layout: Layout) -> (encoding: String, weak: Bool)? {
        switch canonical {
        case "UTF-16":
            switch layout {
            case .utf16LE: return ("UTF-16LE", false)
            case .utf16BE: return ("UTF-16BE", false)
            case .unknown: return ("UTF-16", false)
            default: return nil
            }
        case "UTF-32":
            switch layout {
            case .utf32LE: return ("UTF-32LE", false)
            case .utf32BE: return ("UTF-32BE", false)
            case .unknown: return ("UTF-32", false)
            default: return nil
            }
        case asciiMarker:
            return layout.isASCIICompatible ? ("WINDOWS-1252", true) : nil
        default:
            if layout == .unknown { return (canonical, false) }
            return Self.layout(of: canonical) == layout ? (canonical, false) : nil
        }
    }

    /// The layout `encoding` gives to "<?xm", asked from iconv unless known.
    static func layout(of encoding: String) -> Layout {
        switch encoding {
        case "UTF-8", "WINDOWS-1252": return .ascii
        case "UTF-16LE": return .utf16LE
        case "UTF-16BE": return .utf16BE
        case "UTF-32LE": return .utf32LE
        case "UTF-32BE": return .utf32BE
        default: break
        }
        guard let encoded = encode("<?xm", as: encoding) else { return .unknown }
        let patterns: [(Layout, [UInt8])] = [
            (.ascii, [0x3C, 0x3F, 0x78, 0x6D]),
            (.utf16LE, [0x3C, 0, 0x3F, 0, 0x78, 0, 0x6D, 0]),
            (.utf16BE, [0, 0x3C, 0, 0x3F, 0, 0x78, 0, 0x6D]),
            (.utf32LE, [0x3C, 0, 0, 0, 0x3F, 0, 0, 0, 0x78, 0, 0, 0, 0x6D, 0, 0, 0]),
            (.utf32BE, [0, 0, 0, 0x3C, 0, 0, 0, 0x3F, 0, 0, 0, 0x78, 0, 0, 0, 0x6D]),
            (.ebcdic, [0x4C, 0x6F, 0xA7, 0x94]),
        ]
        return patterns.first { $0.1 == encoded }?.0 ?? .unknown
    }

    /// True when ``Transcoder`` can open `encoding`.
    static func isSupported(_ encoding: String) -> Bool {
        Transcoder.canOpen(encoding)
    }

    /// True when the prefix converts without replacements (an incomplete
    /// sequence at the very end is fine: the prefix was cut there).
    static func decodesCleanly(_ bytes: ArraySlice<UInt8>, as encoding: String) -> Bool {
        switch encoding {
        case "WINDOWS-1252":
            return true  // decoded leniently, never rejected
        case "UTF-8":
            return isValidUTF8Prefix(bytes)
        default:
            guard let transcoder = Transcoder(from: encoding) else { return false }
            var sink: [UInt8] = []
            sink.reserveCapacity(bytes.count * 3)
            bytes.withUnsafeBytes { transcoder.convert($0, into: &sink) }
            return transcoder.replacements == 0
        }
    }

    /// UTF-8 validity per Unicode (no overlongs, surrogates or values past
    /// U+10FFFF), accepting a sequence cut off by the end of the prefix.
    static func isValidUTF8Prefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { isValidUTF8Prefix($0) }
    }

    /// ``isValidUTF8Prefix(_:)-(ArraySlice<UInt8>)`` on a buffer, skipping ASCII
    /// eight bytes at a time: it runs on the first 4 KiB of every document.
    static func isValidUTF8Prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        let end = bytes.count
        while i < end {
            if i + 8 <= end
                && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i += 8
                continue
            }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return false
            }
            for k in 1..<length {
                guard i + k < end else { return true }  // cut off by the prefix
                let byte = bytes[i + k]
                let (lo, hi) = k == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= lo, byte <= hi else { return false }
            }
            i += length
        }
        return true
    }

    private static func encode(_ text: String, as encoding: String) -> [UInt8]? {
        guard let cd = iconv_open(encoding, "UTF-8"), Int(bitPattern: cd) != -1 else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr = outBuf.baseAddress
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
                return outBuf.count - outLeft
            }
        }
        return produced.map { output[0..<$0].map { UInt8(bitPattern: $0) } }
    }
}

// MARK: - The XML declaration

extension CharsetDetection {
    /// The document's first characters as ASCII bytes, read in `layout`;
    /// characters outside ASCII become 0xFF. Enough for the declaration.
    static func asciiView(of bytes: ArraySlice<UInt8>, layout: Layout) -> [UInt8] {
        let limit = 1024
        var view: [UInt8] = []
        view.reserveCapacity(limit)
        func unit(_ width: Int, bigEndian: Bool) {
            var i = bytes.startIndex
            while i + width <= bytes.endIndex, view.count < limit {
                var value: UInt32 = 0
                for k in 0..<width {
                    let byte = UInt32(bytes[bigEndian ? i + k : i + width - 1 - k])
                    value = value << 8 | byte
                }
                view.append(value < 0x80 ? UInt8(value) : 0xFF)
                i += width
            }
        }
        switch layout {
        case .ascii, .unknown: view.append(contentsOf: bytes.prefix(limit))
        case .utf16LE: unit(2, bigEndian: false)
        case .utf16BE: unit(2, bigEndian: true)
        case .utf32LE: unit(4, bigEndian: false)
        case .utf32BE: unit(4, bigEndian: true)
        case .ebcdic: view = bytes.prefix(limit).map { ebcdicToASCII[Int($0)] }
        }
        return view
    }

    /// The `encoding` pseudo-attribute of a leading `<?xml …?>`. Leading
    /// whitespace is tolerated (common in the wild); newlines inside the
    /// declaration are allowed, as XML allows them.
    static func declaredEncoding(in view: [UInt8]) -> String? {
        var i = view.firstIndex { !isASCIIWhitespace($0) } ?? view.endIndex
        guard view[i...].starts(with: Array("<?xml".utf8)), i + 5 < view.count,
            isASCIIWhitespace(view[i + 5])
        else { return nil }
        i += 5
        guard let end = firstIndex(of: Array("?>".utf8), in: view, from: i) else { return nil }
        let declaration = Array(view[i..<end])
        let keyword = Array("encoding".utf8)
        var j = 0
        while let found = firstIndex(of: keyword, in: declaration, from: j) {
            j = found + keyword.count
            guard found > 0, isASCIIWhitespace(declaration[found - 1]) else { continue }
            var k = j
            while k < declaration.count, isASCIIWhitespace(declaration[k]) { k += 1 }
            guard k < declaration.count, declaration[k] == UInt8(ascii: "=") else { continue }
            k += 1
            while k < declaration.count, isASCIIWhitespace(declaration[k]) { k += 1 }
            guard k < declaration.count,
                declaration[k] == UInt8(ascii: "\"") || declaration[k] == UInt8(ascii: "'")
            else { continue }
            let quote = declaration[k]
            guard let close = declaration[(k + 1)...].firstIndex(of: quote) else { return nil }
            let value = String(decoding: declaration[(k + 1)..<close], as: UTF8.self).charsetTrimmedLabel()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// EBCDIC (code page 37) to ASCII for what a declaration can hold:
    /// letters, digits, space, newlines and `<?xml version="1.0" encoding='-_.:'?>`.
    private static let ebcdicToASCII: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let pairs: [(UInt8, Character)] = [
            (0x40, " "), (0x05, "\t"), (0x0D, "\r"), (0x25, "\n"), (0x15, "\n"),
            (0x4C, "<"), (0x6E, ">"), (0x6F, "?"), (0x7E, "="), (0x7F, "\""), (0x7D, "'"),
            (0x60, "-"), (0x6D, "_"), (0x4B, "."), (0x7A, ":"),
        ]
        for (code, character) in pairs { table[Int(code)] = character.asciiValue! }
        let runs: [(UInt8, String)] = [
            (0x81, "abcdefghi"), (0x91, "jklmnopqr"), (0xA2, "stuvwxyz"),
            (0xC1, "ABCDEFGHI"), (0xD1, "JKLMNOPQR"), (0xE2, "STUVWXYZ"), (0xF0, "0123456789"),
        ]
        for (start, letters) in runs {
            for (offset, letter) in letters.utf8.enumerated() { table[Int(start) + offset] = letter }
        }
        return table
    }()
}

// MARK: - Alias table

extension CharsetDetection {
    /// Internal name for us-ascii: reported as WINDOWS-1252 (high bytes in
    /// an "ASCII" document are windows-1252 in practice) but weaker than
    /// any other label.
    static let asciiMarker = "US-ASCII"

    /// Label keys (lowercase letters and digits only) to canonical names.
    /// Decoders are chosen as supersets, as browsers do: latin-1 and ASCII
    /// read as windows-1252, GB2312/GBK as GB18030, Shift_JIS as CP932,
    /// EUC-KR as CP949, Big5 as Big5-HKSCS.
    static let aliases: [String: String] = {
        var table: [String: String] = [:]
        func add(_ canonical: String, _ keys: String...) {
            for key in keys { table[key] = canonical }
        }
        add(
            "UTF-8", "utf8", "unicode11utf8", "unicode20utf8", "xunicode20utf8", "csutf8", "u8",
            "utf8mb3", "utf8mb4")
        add(
            "UTF-16", "utf16", "ucs2", "iso10646ucs2", "csunicode", "u16", "unicode", "csutf16")
        add("UTF-16LE", "utf16le", "csutf16le", "ucs2le", "unicodelittle")
        add("UTF-16BE", "utf16be", "csutf16be", "ucs2be", "unicodebig", "unicodefffe")
        add("UTF-32", "utf32", "ucs4", "iso10646ucs4", "csucs4", "u32", "csutf32")
        add("UTF-32LE", "utf32le", "csutf32le", "ucs4le")
        add("UTF-32BE", "utf32be", "csutf32be", "ucs4be")
        add(
            asciiMarker, "usascii", "ascii", "ansix341968", "ansix341986", "iso646us", "iso646irv1991",
            "isoir6", "us", "csascii", "ibm367", "cp367", "646")
        add(
            "WINDOWS-1252", "iso88591", "iso885911987", "latin1", "l1", "isoir100", "cp819", "ibm819",
            "csisolatin1", "88591", "windows1252", "cp1252", "xcp1252", "win1252", "cswindows1252",
            "ms1252")
        let latin: [(Int, [String])] = [
            (2, ["latin2", "l2", "isoir101", "csisolatin2"]),
            (3, ["latin3", "l3", "isoir109", "csisolatin3"]),
            (4, ["latin4", "l4", "isoir110", "csisolatin4"]),
            (5, ["cyrillic", "isoir144", "csisolatincyrillic"]),
            (6, ["arabic", "isoir127", "csisolatinarabic", "asmo708", "ecma114", "iso88596e", "iso88596i"]),
            (7, ["greek", "greek8", "isoir126", "csisolatingreek", "elot928", "ecma118", "suneugreek"]),
            (8, ["hebrew", "isoir138", "csisolatinhebrew", "iso88598i", "iso88598e"]),
            (9, ["latin5", "l5", "isoir148", "csisolatin5"]),
            (10, ["latin6", "l6", "isoir157", "csisolatin6"]),
            (11, []),
            (13, ["latin7", "l7", "csiso885913"]),
            (14, ["latin8", "l8", "isoir199", "isoceltic", "csiso885914"]),
            (15, ["latin9", "l9", "csiso885915", "latin0"]),
            (16, ["latin10", "l10", "isoir226", "csiso885916"]),
        ]
        for (part, keys) in latin {
            let canonical = "ISO-8859-\(part)"
            table["iso8859\(part)"] = canonical
            table["8859\(part)"] = canonical
            for key in keys { table[key] = canonical }
        }
        for page in 1250...1258 where page != 1252 {
            add(
                "WINDOWS-\(page)", "windows\(page)", "cp\(page)", "xcp\(page)", "win\(page)", "cswindows\(page)",
                "ms\(page)")
        }
        add("KOI8-R", "koi8r", "koi8", "koi", "cskoi8r")
        add("KOI8-U", "koi8u", "cskoi8u")
        add("KOI8-RU", "koi8ru")
        add("IBM866", "ibm866", "cp866", "866", "csibm866")
        add("MACINTOSH", "macintosh", "mac", "macroman", "xmacroman", "csmacintosh")
        add("MAC-CYRILLIC", "xmaccyrillic", "xmacukrainian", "maccyrillic")
        add("CP874", "windows874", "cp874", "xcp874", "ms874", "tis620", "cstis620", "iso885911")
        add(
            "CP932", "shiftjis", "sjis", "xsjis", "mskanji", "csshiftjis", "windows31j", "cswindows31j",
            "cp932", "ms932", "xmscp932", "ibm943")
        add("EUC-JP", "eucjp", "xeucjp", "cseucpkdfmtjapanese", "ujis")
        add("ISO-2022-JP", "iso2022jp", "csiso2022jp")
        add(
            "GB18030", "gb18030", "gb2312", "gbk", "xgbk", "cp936", "ms936", "windows936", "csgb2312",
            "chinese", "isoir58", "gb231280", "csiso58gb231280", "euccn", "xeuccn", "csgbk")
        add("BIG5-HKSCS", "big5", "csbig5", "xxbig5", "big5hkscs", "cnbig5", "xbig5")
        add("CP950", "cp950", "windows950", "ms950", "xcp950")
        add(
            "CP949", "euckr", "cseuckr", "ksc56011987", "kscs56011987", "ksc5601", "csksc56011987",
            "isoir149", "korean", "windows949", "cp949", "uhc", "ms949", "xwindows949")
        add("ISO-2022-KR", "iso2022kr", "csiso2022kr")
        add("EUC-TW", "euctw", "cseuctw", "xeuctw")
        add("UTF-7", "utf7", "csutf7", "unicode11utf7")
        add(
            "IBM037", "cp037", "ibm037", "ibm37", "cp37", "ebcdiccpus", "ebcdiccpca", "ebcdiccpwt", "ebcdiccpnl",
            "csibm037")
        add("IBM500", "cp500", "ibm500", "ebcdiccpbe", "ebcdiccpch", "csibm500")
        add("IBM1047", "cp1047", "ibm1047")
        add("IBM1140", "cp1140", "ibm1140", "ccsid01140", "ebcdicus37euro")
        // DOS code pages, under the names Python's codecs accept too.
        for page in [437, 737, 775, 850, 852, 855, 857, 860, 861, 862, 863, 864, 865, 869] {
            add("CP\(page)", "cp\(page)", "ibm\(page)", "\(page)", "csibm\(page)", "cspc\(page)")
        }
        add("CP861", "cpis", "cp861", "csibm861", "ibm861")
        add("CP850", "cspc850multilingual")
        add("CP437", "cspc8codepage437")
        add("CP862", "cspc862latinhebrew")
        add("MAC-CENTRALEUROPE", "maccentraleurope", "maclatin2", "xmaccentraleurope", "xmacce")
        add("MAC-IS", "maciceland", "xmacicelandic")
        return table
    }()
}

extension CharsetDetection.Source {
    fileprivate var phrase: String {
        switch self {
        case .http: "HTTP charset"
        case .xmlDeclaration: "XML declaration"
        case .bom: "byte-order mark"
        case .sniffed: "sniffed encoding"
        case .default: "default"
        }
    }
}

extension StringProtocol {
    /// Drops ASCII whitespace at both ends.
    fileprivate func charsetTrimmedWhitespace() -> String {
        let bytes = Array(utf8)
        let start = bytes.firstIndex { !CharsetDetection.isASCIIWhitespace($0) } ?? bytes.endIndex
        let end = bytes.lastIndex { !CharsetDetection.isASCIIWhitespace($0) }.map { $0 + 1 } ?? start
        return String(decoding: bytes[start..<Swift.max(start, end)], as: UTF8.self)
    }

    /// A label as written: whitespace and surrounding quotes removed.
    fileprivate func charsetTrimmedLabel() -> String {
        var label = charsetTrimmedWhitespace()
        while let first = label.first, first == "\"" || first == "'" { label.removeFirst() }
        while let last = label.last, last == "\"" || last == "'" { label.removeLast() }
        return label.charsetTrimmedWhitespace()
    }
}
