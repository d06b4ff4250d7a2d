/// RFC 3986 §5.2 reference resolution, for the relative URLs of entry bodies.
///
/// Processing does not depend on FeedParsing (whose resolver the parser uses), and
/// Foundation's `URL` rejects many strings feeds contain, so this is a small one of
/// its own: it works on the string, never fails, and leaves what it cannot place as is.
enum URLReference {
    /// `reference` made absolute against `base`; unchanged when it has a scheme or
    /// when `base` is not an absolute hierarchical URL.
    static func resolve(_ reference: String, against base: String?) -> String {
        guard let base, let parts = Parts(base), hasScheme(reference) == false else { return reference }
        if reference.hasPrefix("//") { return parts.scheme + ":" + reference }
        let pathEnd = reference.firstIndex { $0 == "?" || $0 == "#" } ?? reference.endIndex
        let path = String(reference[..<pathEnd])
        let suffix = String(reference[pathEnd...])
        let origin = parts.scheme + ":" + (parts.authority.map { "//" + $0 } ?? "")
        if path.isEmpty {
            if suffix.hasPrefix("?") { return origin + parts.path + suffix }
            return origin + parts.path + parts.query + suffix
        }
        let merged: String
        if path.hasPrefix("/") {
            merged = path
        } else if parts.authority != nil && parts.path.isEmpty {
            merged = "/" + path
        } else if let slash = parts.path.lastIndex(of: "/") {
            merged = String(parts.path[...slash]) + path
        } else {
            merged = path
        }
        return origin + removeDotSegments(merged) + suffix
    }

    /// Whether `string` starts with `scheme ":"`.
    static func hasScheme(_ string: String) -> Bool {
        schemeEnd(string) != nil
    }

    static func schemeEnd(_ string: String) -> String.Index? {
        var index = string.startIndex
        while index < string.endIndex {
            let c = string[index]
            if c == ":" { return index == string.startIndex ? nil : index }
            let isLetter = c.isASCII && c.isLetter
            let isOther = c.isASCII && (c.isNumber || c == "+" || c == "-" || c == ".")
            if !(isLetter || (isOther && index != string.startIndex)) { return nil }
            index = string.index(after: index)
        }
        return nil
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        let absolute = path.hasPrefix("/")
        var output: [Substring] = []
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
                output.append(segment)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    /// An absolute URL split into the components references attach to.
    struct Parts {
        var scheme: String
        var authority: String?
        var path: String
        /// With its `?`, or empty.
        var query: String

        init?(_ url: String) {
            guard let colon = URLReference.schemeEnd(url) else { return nil }
            scheme = url[..<colon].lowercased()
            var rest = url[url.index(after: colon)...]
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            if rest.hasPrefix("//") {
                let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
                let end = rest[afterSlashes...].firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
                authority = String(rest[afterSlashes..<end])
                rest = rest[end...]
            } else if !rest.hasPrefix("/") {
                return nil  // mailto:, urn: — nothing relative attaches to these
            } else {
                authority = nil
            }
            let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
            path = String(rest[..<queryStart])
            query = String(rest[queryStart...])
        }
    }
}
