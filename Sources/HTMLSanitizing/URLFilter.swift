/// URL attribute values: the browser's own clean-up, the scheme allow-list,
/// resolution of relative references, tracking parameters, srcset lists and hosts.
struct URLFilter {
    let policy: SanitizerPolicy
    let resolve: (String) -> String?

    /// Appends the safe form of the URL `value` to `out`; false (and `out`
    /// unchanged) when the URL must go.
    ///
    /// As a browser does, leading and trailing C0 controls and spaces are dropped
    /// and tabs and newlines removed. A scheme is looked for with every control
    /// character and space ignored (`jav&#x09;ascript:`, `java\u{1}script:` count
    /// as `javascript:`) and must be on the allow-list. A reference without a
    /// scheme is resolved by the caller's resolver and checked again; one still
    /// protocol-relative gets `https:`.
    func append(_ value: UnsafeBufferPointer<UInt8>, stripTracking: Bool, to out: inout [UInt8]) -> Bool {
        let start = out.count
        var low = 0
        var high = value.count
        while low < high && value[low] <= 0x20 { low += 1 }
        while high > low && value[high - 1] <= 0x20 { high -= 1 }
        var runStart = low
        var index = low
        while true {
            // Tab, LF and CR are the only bytes below 14 that matter here.
            index = ByteSearch.firstByte(below: 14, in: value, from: index, to: high)
            guard index < high else { break }
            let byte = value[index]
            if byte == 9 || byte == 10 || byte == 13 {
                if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index])) }
                runStart = index + 1
            }
            index += 1
        }
        if high > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<high])) }
        switch scheme(out[start...]) {
        case .allowed:
            break
        case .forbidden:
            out.removeLast(out.count - start)
            return false
        case .none:
            let reference = String(decoding: out[start...], as: UTF8.self)
            out.removeLast(out.count - start)
            guard let resolved = resolve(reference) else { return false }
            out.append(contentsOf: resolved.utf8)
            switch scheme(out[start...]) {
            case .allowed:
                break
            case .forbidden:
                out.removeLast(out.count - start)
                return false
            case .none:
                if out.count - start >= 2 && out[start] == UInt8(ascii: "/") && out[start + 1] == UInt8(ascii: "/") {
                    out.insert(contentsOf: "https:".utf8, at: start)
                }
            }
        }
        if stripTracking { removeTrackingParameters(&out, from: start) }
        return true
    }

    enum SchemeVerdict { case none, allowed, forbidden }

    /// The scheme as a browser could see it, ignoring controls and spaces.
    func scheme(_ url: ArraySlice<UInt8>) -> SchemeVerdict {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length = 0
        for byte in url {
            if byte <= 0x20 || byte == 0x7F { continue }
            let lower = byte | 0x20
            let isLetter = lower >= 0x61 && lower <= 0x7A
            if length == 0 && !isLetter { return .none }
            if byte == UInt8(ascii: ":") {
                return policy.schemes.contains(SanitizerPolicy.PackedScheme(low: low, high: high, count: length))
                    ? .allowed : .forbidden
            }
            guard
                isLetter || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".")
            else { return .none }
            let stored = UInt64(isLetter ? lower : byte)
            if length < 8 {
                low |= stored << UInt64(length * 8)
            } else if length < 16 {
                high |= stored << UInt64((length - 8) * 8)
            }
            length += 1
        }
        return .none
    }

    /// Removes the policy's tracking parameters from the query of the URL at
    /// `out[start...]`, leaving every other byte as it was.
    func removeTrackingParameters(_ out: inout [UInt8], from start: Int) {
        guard let question = out[start...].firstIndex(of: UInt8(ascii: "?")) else { return }
        let queryEnd = out[question...].firstIndex(of: UInt8(ascii: "#")) ?? out.count
        guard queryEnd > question + 1 else { return }
        var kept: [Range<Int>] = []
        var removedAny = false
        var fieldStart = question + 1
        while fieldStart <= queryEnd {
            let fieldEnd = out[fieldStart..<queryEnd].firstIndex(of: UInt8(ascii: "&")) ?? queryEnd
            let nameEnd = out[fieldStart..<fieldEnd].firstIndex(of: UInt8(ascii: "=")) ?? fieldEnd
            if isTrackingParameter(out[fieldStart..<nameEnd]) {
                removedAny = true
            } else {
                kept.append(fieldStart..<fieldEnd)
            }
            fieldStart = fieldEnd + 1
        }
        guard removedAny else { return }
        var query: [UInt8] = []
        for (offset, range) in kept.enumerated() {
            query.append(offset == 0 ? UInt8(ascii: "?") : UInt8(ascii: "&"))
            query.append(contentsOf: out[range])
        }
        out.replaceSubrange(question..<queryEnd, with: query)
    }

    private func isTrackingParameter(_ name: ArraySlice<UInt8>) -> Bool {
        guard !name.isEmpty else { return false }
        for parameter in policy.trackingParameters {
            if parameter.isPrefix {
                if name.count >= parameter.name.count
                    && zip(name, parameter.name).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 })
                {
                    return true
                }
            } else if name.count == parameter.name.count
                && zip(name, parameter.name).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 })
            {
                return true
            }
        }
        return false
    }

    /// Appends the safe candidates of a `srcset` (each URL checked and resolved,
    /// descriptors kept), joined by ", "; false when none is left.
    func appendSrcset(_ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let start = out.count
        var index = 0
        let count = value.count
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }
        while index < count {
            while index < count && (isSpace(value[index]) || value[index] == UInt8(ascii: ",")) { index += 1 }
            guard index < count else { break }
            let urlStart = index
            while index < count && !isSpace(value[index]) { index += 1 }
            var urlEnd = index
            var hasDescriptors = true
            if value[urlEnd - 1] == UInt8(ascii: ",") {
                while urlEnd > urlStart && value[urlEnd - 1] == UInt8(ascii: ",") { urlEnd -= 1 }
                hasDescriptors = false
            }
            let descriptorStart = index
            if hasDescriptors {
                var depth = 0
                while index < count {
                    let c = value[index]
                    if c == UInt8(ascii: ",") && depth == 0 { break }
                    if c == UInt8(ascii: "(") { depth += 1 }
                    if c == UInt8(ascii: ")") && depth > 0 { depth -= 1 }
                    index += 1
                }
            }
            let descriptorEnd = index
            guard urlEnd > urlStart else { continue }
            let candidateStart = out.count
            if candidateStart > start { out.append(contentsOf: ", ".utf8) }
            let ok = append(UnsafeBufferPointer(rebasing: value[urlStart..<urlEnd]), stripTracking: false, to: &out)
            // A URL with a space or comma would split differently when read again.
            if !ok || out[(candidateStart + (candidateStart > start ? 2 : 0))...].contains(where: { isSpace($0) }) {
                out.removeLast(out.count - candidateStart)
                continue
            }
            // The descriptors, after a space, with their whitespace runs as one space.
            var wroteDescriptor = false
            var pendingSpace = false
            for c in value[descriptorStart..<descriptorEnd] {
                if isSpace(c) {
                    pendingSpace = wroteDescriptor
                } else {
                    if pendingSpace || !wroteDescriptor { out.append(32) }
                    pendingSpace = false
                    wroteDescriptor = true
                    out.append(c)
                }
            }
        }
        return out.count > start
    }

    /// The host (as written: compare it ignoring ASCII case) of the absolute URL
    /// in `url`, and what follows the authority (path, query and fragment: the
    /// path ends at the first `?` or `#`, which only a match needs to know).
    static func hostAndRest(_ url: ArraySlice<UInt8>) -> (host: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        guard let colon = url.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var index = colon + 1
        var slashes = 0
        while index < url.endIndex && (url[index] == UInt8(ascii: "/") || url[index] == UInt8(ascii: "\\")) {
            index += 1
            slashes += 1
        }
        guard slashes >= 2 else { return nil }
        let authorityStart = index
        while index < url.endIndex {
            let c = url[index]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == UInt8(ascii: "\\") {
                break
            }
            index += 1
        }
        var authority = url[authorityStart..<index]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        if authority.first != UInt8(ascii: "["), let portColon = authority.firstIndex(of: UInt8(ascii: ":")) {
            authority = authority[..<portColon]
        }
        while authority.last == UInt8(ascii: ".") { authority = authority.dropLast() }
        return (authority, url[index...])
    }

    func isTracker(_ url: ArraySlice<UInt8>) -> Bool {
        guard !policy.trackers.isEmpty, let (host, rest) = Self.hostAndRest(url) else { return false }
        return policy.trackers.contains { $0.matches(host: host, rest: rest) }
    }

    func isAllowedFrame(_ url: ArraySlice<UInt8>) -> Bool {
        guard
            let colon = url.firstIndex(of: UInt8(ascii: ":")),
            url[..<colon].lazy.map({ $0 | 0x20 }).elementsEqual("https".utf8)
                || url[..<colon].lazy.map({ $0 | 0x20 }).elementsEqual("http".utf8)
        else { return false }
        guard let (host, rest) = Self.hostAndRest(url) else { return false }
        return policy.iframeHosts.contains { $0.matches(host: host, rest: rest) }
    }
}
