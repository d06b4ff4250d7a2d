import Foundation
import TidingsModel

/// The form of an article URL used to recognise the same article across fetches
/// and feeds.
public enum CanonicalLink {
    /// `url` with its scheme and host lowercased, the default port and the fragment
    /// removed, an empty path written `/`, and tracking query parameters removed (the
    /// others kept in order). `http` is not upgraded to `https`: sites differ.
    ///
    /// - Parameter trackingParameters: names matched case-insensitively; one ending in
    ///   `*` matches every name with that prefix.
    /// - Returns: nil when `url` is not an absolute URL with a host.
    public static func make(_ url: String, trackingParameters: [String]) -> String? {
        let trimmed = EntryProcessor.trimmed(url)
        guard let schemeName = URLResolver.scheme(of: trimmed) else { return nil }
        let colon = trimmed.utf8.index(trimmed.startIndex, offsetBy: schemeName.utf8.count)
        let scheme = trimmed[..<colon].lowercased()
        var rest = trimmed[trimmed.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        // Searched as bytes: Character searches run grapheme breaking over every URL,
        // and a URL's delimiters are ASCII.
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        let authorityEnd =
            rest.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        let queryStart = rest.utf8.firstIndex(of: UInt8(ascii: "?")) ?? rest.endIndex
        var path = String(rest[..<queryStart])
        let query = rest[queryStart...].dropFirst()

        var userInfo = ""
        var hostPort = authority
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) {
            userInfo = String(authority[...at])
            hostPort = authority[authority.index(after: at)...]
        }
        var host = hostPort
        var port: Substring = ""
        let bracketEnd = hostPort.utf8.lastIndex(of: UInt8(ascii: "]"))
        if let portColon = hostPort.utf8.lastIndex(of: UInt8(ascii: ":")), bracketEnd.map({ $0 < portColon }) ?? true {
            host = hostPort[..<portColon]
            port = hostPort[hostPort.index(after: portColon)...]
        }
        guard !host.isEmpty else { return nil }
        let defaultPort = defaultPorts[scheme]
        if let defaultPort, port == defaultPort { port = "" }
        var result = scheme + "://" + userInfo + host.lowercased()
        if !port.isEmpty { result += ":" + port }
        if path.isEmpty { path = "/" }
        result += path

        if query.isEmpty { return result }
        let patterns = trackingParameters.map { $0.lowercased() }
        let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { parameter in
            let nameEnd = parameter.utf8.firstIndex(of: UInt8(ascii: "=")) ?? parameter.endIndex
            return !isTracking(parameter[..<nameEnd].lowercased(), lowercasedPatterns: patterns)
        }
        if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        return result
    }

    private static let defaultPorts = ["http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"]

    private static func isTracking(_ name: String, lowercasedPatterns patterns: [String]) -> Bool {
        for pattern in patterns {
            if pattern.hasSuffix("*") {
                if name.hasPrefix(pattern.dropLast()) { return true }
            } else if name == pattern {
                return true
            }
        }
        return false
    }
}
