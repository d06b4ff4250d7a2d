import TidingsModel

/// The JSON text of an entry's list columns, written by hand: `JSONEncoder` costs more
/// per entry than the row's insert. The output is what `JSONEncoder` with sorted keys
/// and unescaped slashes writes (object keys sorted, absent optionals left out), and
/// `JSONDecoder` reads it back into equal values.
enum JSONColumns {
    static func text(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, string) in strings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(string, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func text(_ authors: [Author]) -> String {
        if authors.isEmpty { return "[]" }
        var out: [UInt8] = [UInt8(ascii: "[")]
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
        var out: [UInt8] = [UInt8(ascii: "[")]
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
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
