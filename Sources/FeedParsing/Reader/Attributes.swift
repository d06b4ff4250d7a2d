import CLibXML2

/// The attributes libxml2 passes to a SAX2 start-element event: five pointers each
/// (local name, prefix, URI, value start, value end), read without copying.
struct Attributes: Sequence {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    struct Attribute {
        let localname: UnsafePointer<UInt8>
        let prefix: UnsafePointer<UInt8>?
        let uri: UnsafePointer<UInt8>?
        let valueBytes: UnsafeBufferPointer<UInt8>

        var value: String { String(decoding: valueBytes, as: UTF8.self) }

        var isXMLNamespace: Bool {
            guard let prefix else { return false }
            return prefix[0] == UInt8(ascii: "x") && prefix[1] == UInt8(ascii: "m") && prefix[2] == UInt8(ascii: "l")
                && prefix[3] == 0
        }

        func localnameEquals(_ name: StaticString) -> Bool {
            strcmp(localname, name.utf8Start) == 0
        }
    }

    struct Iterator: IteratorProtocol {
        let attributes: Attributes
        var index = 0
        mutating func next() -> Attribute? {
            guard index < attributes.count else { return nil }
            defer { index += 1 }
            return attributes[index]
        }
    }

    func makeIterator() -> Iterator { Iterator(attributes: self) }

    subscript(index: Int) -> Attribute {
        let p = base! + index * 5
        let start = p[3]!
        let end = p[4]!
        return Attribute(
            localname: p[0]!, prefix: p[1], uri: p[2], valueBytes: UnsafeBufferPointer(start: start, count: end - start)
        )
    }

    /// The value of the first attribute with this local name (any prefix but `xml`).
    func value(named name: StaticString) -> String? {
        for i in 0..<count {
            let p = base! + i * 5
            if strcmp(p[0]!, name.utf8Start) == 0 { return self[i].value }
        }
        return nil
    }

    /// ``value(named:)`` without leading and trailing ASCII whitespace, trimmed
    /// before decoding (the same string as decoding first, and cheaper).
    func trimmedValue(named name: StaticString) -> String? {
        bytes(named: name).map { String(decoding: $0.trimmingASCIIWhitespace(), as: UTF8.self) }
    }

    /// ``value(named:)`` lowercased. ASCII values (nearly all: media types, `rel`,
    /// `mode`) are lowercased byte by byte; others go through `lowercased()`, which
    /// gives the same string for ASCII but costs several hundred instructions.
    func lowercasedValue(named name: StaticString) -> String? {
        bytes(named: name).map { Self.lowercased($0) }
    }

    /// ``trimmedValue(named:)`` lowercased, as ``lowercasedValue(named:)``.
    func trimmedLowercasedValue(named name: StaticString) -> String? {
        bytes(named: name).map { Self.lowercased($0.trimmingASCIIWhitespace()) }
    }

    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hasUpper = false
        for c in bytes {
            if c >= 0x80 { return String(decoding: bytes, as: UTF8.self).lowercased() }
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard hasUpper else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            for (i, c) in bytes.enumerated() {
                out[i] = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c
            }
            return bytes.count
        }
    }

    /// The bytes of ``value(named:)``, for values only compared: no `String` is built.
    func bytes(named name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        for i in 0..<count {
            let p = base! + i * 5
            if strcmp(p[0]!, name.utf8Start) == 0 { return self[i].valueBytes }
        }
        return nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Without leading and trailing ASCII whitespace (as `trimmingASCIIWhitespace()`).
    func trimmingASCIIWhitespace() -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = count
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        while start < end && isSpace(self[start]) { start += 1 }
        while end > start && isSpace(self[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }

    /// Whether the bytes equal `lowercase` (ASCII) with ASCII letters compared
    /// case-insensitively: the same answer as `String(decoding:).lowercased() ==
    /// lowercase` for the ASCII words it is used with, as no other character
    /// lowercases to one of their letters.
    func equalsIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        return hasPrefixIgnoringASCIICase(lowercase)
    }

    /// Whether the bytes start with `lowercase` (ASCII), ASCII letters compared
    /// case-insensitively.
    func hasPrefixIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard count >= n else { return false }
        let target = lowercase.utf8Start
        for i in 0..<n {
            var c = self[i]
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { c += 32 }
            if c != target[i] { return false }
        }
        return true
    }

    /// Whether the bytes are exactly `value` (ASCII).
    func equals(_ value: StaticString) -> Bool {
        count == value.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, value.utf8Start, count) == 0)
    }
}

private func strcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Int32 {
    a.withMemoryRebound(to: CChar.self, capacity: 1) { ca in
        b.withMemoryRebound(to: CChar.self, capacity: 1) { cb in CLibXML2.strcmp(ca, cb) }
    }
}
