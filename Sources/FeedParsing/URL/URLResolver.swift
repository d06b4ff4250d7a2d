/// Resolves URL references as RFC 3986 §5 describes, without Foundation's `URL`
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
        guard let parts = Parts(base) else { return ref }

        if ref.hasPrefix("//") { return parts.scheme + ":" + ref }
        let (refPath, refSuffix) = splitPath(ref)
        if refPath.isEmpty {
            if refSuffix.isEmpty { return parts.withoutFragment }
            if refSuffix.hasPrefix("#") { return parts.withoutFragment + refSuffix }
            return parts.prefix + parts.path + refSuffix
        }
        let merged: String
        if refPath.hasPrefix("/") {
            merged = String(refPath)
        } else if parts.hasAuthority && parts.path.isEmpty {
            merged = "/" + refPath
        } else if let slash = parts.path.lastIndex(of: "/") {
            merged = String(parts.path[...slash]) + refPath
        } else {
            merged = String(refPath)
        }
        return parts.prefix + removeDotSegments(merged) + refSuffix
    }

    /// The scheme of `string` (lowercased), or nil when it has none.
    public static func scheme(of string: String) -> String? {
        var string = string
        return string.withUTF8 { scheme(ofUTF8: $0) }
    }

    private static func scheme(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let length = schemeLength(bytes) else { return nil }
        return String(decoding: bytes[0..<length], as: UTF8.self).lowercased()
    }

    /// The length of the scheme at the start of `bytes` (before its `:`), or nil.
    private static func schemeLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
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

    private static func clean(_ s: String) -> String {
        var s = s
        let needsWork = s.withUTF8 { bytes in
            bytes.contains { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 32 || $0 == 12 }
        }
        guard needsWork else { return s }
        let trimmed = s.trimmingASCIIWhitespace()
        return String(String.UnicodeScalarView(trimmed.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }))
    }

    private static func splitPath(_ s: String) -> (Substring, Substring) {
        if let i = s.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return (s[..<i], s[i...])
        }
        return (s[...], "")
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: some StringProtocol) -> String {
        guard path.contains(".") else { return String(path) }
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

    private struct Parts {
        var scheme: String
        var prefix: String  // scheme ":" ["//" authority]
        var hasAuthority: Bool
        var path: String
        var query: String  // with "?", or empty
        var withoutFragment: String { prefix + path + query }

        init?(_ base: String) {
            guard let scheme = URLResolver.scheme(of: base) else { return nil }
            self.scheme = scheme
            var rest = base.dropFirst(scheme.utf8.count + 1)
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            if rest.hasPrefix("//") {
                let afterSlashes = rest.dropFirst(2)
                let end = afterSlashes.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterSlashes.endIndex
                prefix = base.prefix(scheme.utf8.count + 1) + "//" + afterSlashes[..<end]
                hasAuthority = true
                rest = afterSlashes[end...]
            } else {
                // "mailto:x", "urn:x": nothing relative can attach to these.
                guard rest.hasPrefix("/") else { return nil }
                prefix = String(base.prefix(scheme.utf8.count + 1))
                hasAuthority = false
            }
            if let q = rest.firstIndex(of: "?") {
                path = String(rest[..<q])
                query = String(rest[q...])
            } else {
                path = String(rest)
                query = ""
            }
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing ASCII whitespace.
    func trimmingASCIIWhitespace() -> Substring {
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
