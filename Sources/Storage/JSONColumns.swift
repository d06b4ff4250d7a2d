import TidingsModel

/// The JSON text of an entry's list columns, written by hand: `JSONEncoder` costs more
/// per entry than the row's insert. The output is what `JSONEncoder` with sorted keys
/// and unescaped slashes writes (object keys sorted, absent optionals left out), and
/// `JSONDecoder` reads it back into equal values.
enum JSONColumns {
    static func text(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out: [UInt8] = []
        // Room for the strings, their quotes and commas: one allocation, no regrowth.
        out.reserveCapacity(strings.reduce(2) { $0 + $1.utf8.count + 3 })
        out.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(string, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func text(_ authors: [Author]) -> String {
        if authors.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(
            authors.reduce(2) {
                $0 + 30 + ($1.email?.utf8.count ?? 0) + ($1.name?.utf8.count ?? 0) + ($1.uri?.utf8.count ?? 0)
            })
        out.append(UInt8(ascii: "["))
        for (index, author) in authors.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var object = ObjectWriter()
            object.field("email", author.email, to: &out)
            object.field("name", author.name, to: &out)
            object.field("uri", author.uri, to: &out)
            object.close(&out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func text(_ enclosures: [Enclosure]) -> String {
        if enclosures.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(enclosures.reduce(2) { $0 + 50 + $1.url.utf8.count + ($1.type?.utf8.count ?? 0) })
        out.append(UInt8(ascii: "["))
        for (index, enclosure) in enclosures.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var object = ObjectWriter()
            object.field("length", enclosure.length.map { String($0) }, raw: true, to: &out)
            object.field("type", enclosure.type, to: &out)
            object.field("url", enclosure.url, to: &out)
            object.close(&out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `{"key":value,…}` one field at a time, in the order given (sorted by the caller).
    private struct ObjectWriter {
        private var fields = 0

        mutating func field(_ key: StaticString, _ value: String?, raw: Bool = false, to out: inout [UInt8]) {
            guard let value else { return }
            out.append(fields == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            fields += 1
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            if raw { out.append(contentsOf: value.utf8) } else { JSONColumns.appendString(value, to: &out) }
        }

        func close(_ out: inout [UInt8]) {
            if fields == 0 { out.append(UInt8(ascii: "{")) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`…
    /// or `\u00XX`, everything else as its UTF-8.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Runs of bytes that need no escape (all of them, in the usual string) are
            // copied whole.
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
