/// Resolves URL references as RFC 3986 §5 describes (shared by the parser, for
/// `xml:base` and links, and by processing, for URLs inside bodies), without Foundation's `URL`
/// (which rejects many strings real feeds contain and is slow on a hot path).
public enum URLResolver {
    /// `reference` made absolute against `base`; returned as is when it already has a
    /// scheme, when there is no base, or when the base cannot have relative parts.
    /// Surrounding whitespace and embedded tabs and newlines are removed first, as
    /// browsers do.
    public static func resolve(_ reference: String, against base: String?) -> String {
        var ref = clean(reference)
        guard let base, !base.isEmpty else { return ref }
        if ref.withUTF8({ schemeLength($0) != nil }) { return ref }
        guard let parsed = BaseURL(base) else { return ref }
        return parsed.resolveRelative(ref)
    }

    /// The scheme of `string` (lowercased), or nil when it has none.
    public static func scheme(of string: String) -> String? {
        var string = string
        return string.withUTF8 { bytes in
            guard let length = schemeLength(bytes) else { return nil }
            return String(decoding: bytes[0..<length], as: UTF8.self).lowercased()
        }
    }

    /// The length of the scheme at the start of `bytes` (before its `:`), or nil.
    public static func schemeLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for (offset, c) in bytes.enumerated() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if offset == 0 { return nil }
            case UInt8(ascii: ":"):
                return offset == 0 ? nil : offset
            default:
                return nil
            }
        }
        return nil
    }

    package static func clean(_ s: String) -> String {
        var s = s
        let needsWork = s.withUTF8 { bytes in containsASCIIWhitespace(bytes) }
        guard needsWork else { return s }
        let trimmed = s.trimmingASCIIWhitespace()
        return String(
            String.UnicodeScalarView(trimmed.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }))
    }

    /// Whether `bytes` hold a tab, newline, form feed, carriage return or space.
    /// Every URL the reader keeps goes through here, so words of eight bytes with
    /// no byte below 33 (the usual case) are skipped with one test.
    static func containsASCIIWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        func isSpace(_ c: UInt8) -> Bool { c == 9 || c == 10 || c == 13 || c == 32 || c == 12 }
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // Bytes below 33 set their high bit here (Bit Twiddling Hacks' `hasless`).
            if (word &- 0x2121_2121_2121_2121) & ~word & 0x8080_8080_8080_8080 != 0 {
                for k in i..<(i + 8) where isSpace(bytes[k]) { return true }
            }
            i += 8
        }
        while i < n {
            if isSpace(bytes[i]) { return true }
            i += 1
        }
        return false
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: some StringProtocol) -> String {
        // Most paths have dots only in names ("/img/a.jpg"): nothing to remove.
        guard hasDotSegment(path.utf8) else { return String(path) }
        return removingDotSegments(path)
    }

    /// Whether a segment of `path` is "." or "..".
    static func hasDotSegment(_ path: some Collection<UInt8>) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path {
            if byte == UInt8(ascii: "/") {
                if segmentLength > 0 && segmentLength == dots && dots <= 2 { return true }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength > 0 && segmentLength == dots && dots <= 2
    }

    /// RFC 3986 §5.2.4, segment by segment.
    static func removingDotSegments(_ path: some StringProtocol) -> String {
        var output: [Substring] = []
        let absolute = path.hasPrefix("/")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if absolute && index == 0 { continue }
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(Substring(segment))
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }
}

/// A base URL split once into the parts relative references attach to, for
/// resolving many references against the same base.
package struct BaseURL {
    /// The lowercased scheme.
    let scheme: String
    /// `scheme ":" ["//" authority]`.
    let prefix: String
    let hasAuthority: Bool
    let path: String
    /// With its `?`, or empty.
    let query: String

    var withoutFragment: String { prefix + path + query }

    package init?(_ base: String) {
        var copy = base
        guard
            let parts = copy.withUTF8({ bytes -> (Int, Int, Int, Int, Bool)? in
                guard let schemeEnd = URLResolver.schemeLength(bytes) else { return nil }
                var end = bytes.count
                if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { end = hash }
                var i = schemeEnd + 1
                var hasAuthority = false
                if i + 1 < end && bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "/") {
                    hasAuthority = true
                    i += 2
                    while i < end && bytes[i] != UInt8(ascii: "/") && bytes[i] != UInt8(ascii: "?") { i += 1 }
                } else if i >= end || bytes[i] != UInt8(ascii: "/") {
                    // "mailto:x", "urn:x": nothing relative can attach to these.
                    return nil
                }
                let pathStart = i
                while i < end && bytes[i] != UInt8(ascii: "?") { i += 1 }
                return (schemeEnd, pathStart, i, end, hasAuthority)
            })
        else { return nil }
        let (schemeEnd, pathStart, queryStart, end) = (parts.0, parts.1, parts.2, parts.3)
        let utf8 = Array(base.utf8)
        scheme = String(decoding: utf8[0..<schemeEnd], as: UTF8.self).lowercased()
        prefix = String(decoding: utf8[0..<pathStart], as: UTF8.self)
        hasAuthority = parts.4
        path = String(decoding: utf8[pathStart..<queryStart], as: UTF8.self)
        query = String(decoding: utf8[queryStart..<end], as: UTF8.self)
    }

    /// `reference` (cleaned, and known to have no scheme) resolved against this base.
    package func resolveRelative(_ reference: String) -> String {
        var ref = reference
        return ref.withUTF8 { bytes -> String in
            if bytes.count >= 2 && bytes[0] == UInt8(ascii: "/") && bytes[1] == UInt8(ascii: "/") {
                return scheme + ":" + reference
            }
            let split = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? bytes.count
            let refPath = String(decoding: bytes[0..<split], as: UTF8.self)
            let refSuffix = String(decoding: bytes[split...], as: UTF8.self)
            if refPath.isEmpty {
                if refSuffix.isEmpty { return withoutFragment }
                if bytes[split] == UInt8(ascii: "#") { return withoutFragment + refSuffix }
                return prefix + path + refSuffix
            }
            let merged: String
            if bytes[0] == UInt8(ascii: "/") {
                merged = refPath
            } else if hasAuthority && path.isEmpty {
                merged = "/" + refPath
            } else if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
                merged = String(path[...slash]) + refPath
            } else {
                merged = refPath
            }
            return prefix + URLResolver.removeDotSegments(merged) + refSuffix
        }
    }

    /// `reference` made absolute against this base (see ``URLResolver/resolve(_:against:)``).
    package func resolve(_ reference: String) -> String {
        var ref = URLResolver.clean(reference)
        if ref.withUTF8({ URLResolver.schemeLength($0) != nil }) { return ref }
        return resolveRelative(ref)
    }
}

extension StringProtocol {
    /// The string without leading and trailing ASCII whitespace.
    package func trimmingASCIIWhitespace() -> Substring {
        let sub = Substring(self)
        let utf8 = sub.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        while start < end && isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start && isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return sub[start..<end]
    }
}
