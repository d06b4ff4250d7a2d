import Foundation

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
        var url = url
        if let canonical = url.withUTF8({ asciiCanonical($0, trackingParameters: trackingParameters) }) {
            return canonical
        }
        return general(url, trackingParameters: trackingParameters)
    }

    /// `make` for a URL of ASCII only (and tracking parameters of printable ASCII), on
    /// its bytes: what `general` gives, as ASCII has one scalar per character and
    /// lowercases byte by byte. `.some(nil)` for a URL that is not absolute; nil when
    /// `general` must do it.
    static func asciiCanonical(_ bytes: UnsafeBufferPointer<UInt8>, trackingParameters: [String])
        -> String??
    {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        // White space as `trimmingWhiteSpace` takes it: tab to carriage return, space.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        let url = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard let schemeLength = URLResolver.schemeLength(url) else { return .some(nil) }
        let authorityStart = schemeLength + 3
        guard url.count >= authorityStart, url[schemeLength + 1] == UInt8(ascii: "/"),
            url[schemeLength + 2] == UInt8(ascii: "/")
        else { return .some(nil) }
        func firstIndex(in range: Range<Int>, where match: (UInt8) -> Bool) -> Int? {
            range.first { match(url[$0]) }
        }
        func lastIndex(in range: Range<Int>, of byte: UInt8) -> Int? {
            range.reversed().first { url[$0] == byte }
        }
        let fragmentStart = firstIndex(in: authorityStart..<url.count) { $0 == UInt8(ascii: "#") } ?? url.count
        let authorityEnd =
            firstIndex(in: authorityStart..<fragmentStart) { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
            ?? fragmentStart
        let queryStart = firstIndex(in: authorityEnd..<fragmentStart) { $0 == UInt8(ascii: "?") } ?? fragmentStart
        let hostStart =
            lastIndex(in: authorityStart..<authorityEnd, of: UInt8(ascii: "@")).map { $0 + 1 } ?? authorityStart
        var hostEnd = authorityEnd
        var port = authorityEnd..<authorityEnd
        let bracketEnd = lastIndex(in: hostStart..<authorityEnd, of: UInt8(ascii: "]"))
        if let portColon = lastIndex(in: hostStart..<authorityEnd, of: UInt8(ascii: ":")),
            bracketEnd.map({ $0 < portColon }) ?? true
        {
            hostEnd = portColon
            port = (portColon + 1)..<authorityEnd
        }
        guard hostEnd > hostStart else { return .some(nil) }

        func lowercased(_ byte: UInt8) -> UInt8 {
            byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
        }
        var out: [UInt8] = []
        out.reserveCapacity(url.count + 1)
        for index in 0..<schemeLength { out.append(lowercased(url[index])) }
        let scheme = String(decoding: out, as: UTF8.self)
        out.append(contentsOf: "://".utf8)
        out.append(contentsOf: url[authorityStart..<hostStart])
        for index in hostStart..<hostEnd { out.append(lowercased(url[index])) }
        if !port.isEmpty, !(defaultPorts[scheme].map { $0.utf8.elementsEqual(url[port]) } ?? false) {
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: url[port])
        }
        if authorityEnd == queryStart {
            out.append(UInt8(ascii: "/"))
        } else {
            out.append(contentsOf: url[authorityEnd..<queryStart])
        }
        let query = min(queryStart + 1, fragmentStart)..<fragmentStart
        if query.isEmpty { return .some(String(decoding: out, as: UTF8.self)) }

        // Tracking parameters compared byte by byte, lowercased; a pattern with anything
        // but printable ASCII goes the general way (Unicode lowercasing, canonical equality).
        var patterns: [(name: [UInt8], isPrefix: Bool)] = []
        for parameter in trackingParameters {
            var name = Array(parameter.utf8)
            guard name.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            name = name.map(lowercased)
            let isPrefix = name.last == UInt8(ascii: "*")
            if isPrefix { name.removeLast() }
            patterns.append((name, isPrefix))
        }
        var separator = UInt8(ascii: "?")
        var parameterStart = query.lowerBound
        while parameterStart < query.upperBound {
            let parameterEnd =
                firstIndex(in: parameterStart..<query.upperBound) { $0 == UInt8(ascii: "&") } ?? query.upperBound
            defer { parameterStart = parameterEnd + 1 }
            guard parameterEnd > parameterStart else { continue }
            let nameEnd =
                firstIndex(in: parameterStart..<parameterEnd) { $0 == UInt8(ascii: "=") } ?? parameterEnd
            let name = url[parameterStart..<nameEnd].map(lowercased)
            let tracking = patterns.contains { pattern in
                pattern.isPrefix ? name.starts(with: pattern.name) : name == pattern.name
            }
            if tracking { continue }
            out.append(separator)
            separator = UInt8(ascii: "&")
            out.append(contentsOf: url[parameterStart..<parameterEnd])
        }
        return .some(String(decoding: out, as: UTF8.self))
    }

    /// `make` for any URL, on its characters.
    static func general(_ url: String, trackingParameters: [String]) -> String? {
        let trimmed = url.trimmingWhiteSpace
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
