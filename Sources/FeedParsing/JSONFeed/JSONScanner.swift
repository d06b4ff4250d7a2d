/// A pull reader over JSON text in UTF-8, for reading JSON Feed straight into its
/// spec-shaped records without building a tree of the whole document.
///
/// Objects and arrays are walked with callbacks; values the caller does not want
/// are skipped without recursion, so nesting depth costs nothing.
struct JSONScanner {
    struct SyntaxError: Error {
        var message: String
        var offset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Line and column (1-based) of a byte offset, for error messages.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for c in bytes[0..<min(offset, bytes.count)] {
            if c == 10 {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    private func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: offset) }

    mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 32, 9, 10, 13: offset += 1
            default: return
            }
        }
    }

    mutating func peek() -> UInt8? {
        skipSpace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func atEnd() -> Bool { peek() == nil }

    /// Walks an object, calling `body` with each key; `body` must consume the value.
    mutating func object(_ body: (inout JSONScanner, String) throws(SyntaxError) -> Void) throws(SyntaxError) {
        guard peek() == UInt8(ascii: "{") else { throw fail("expected an object") }
        offset += 1
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
            let key = try string()
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after \"\(key.prefix(40))\"") }
            offset += 1
            try body(&self, key)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            default: throw fail("expected ',' or '}' in an object")
            }
        }
    }

    /// Walks an array, calling `body` for each element; `body` must consume it.
    mutating func array(_ body: (inout JSONScanner) throws(SyntaxError) -> Void) throws(SyntaxError) {
        guard peek() == UInt8(ascii: "[") else { throw fail("expected an array") }
        offset += 1
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            try body(&self)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            default: throw fail("expected ',' or ']' in an array")
            }
        }
    }

    /// A string, number or boolean as text; nil for null; objects and arrays are
    /// skipped and give nil.
    mutating func scalar() throws(SyntaxError) -> String? {
        switch peek() {
        case UInt8(ascii: "\""):
            return try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue()
            return nil
        case nil:
            throw fail("unexpected end of the document")
        default:
            let start = offset
            try skipValue()
            let token = String(decoding: bytes[start..<offset], as: UTF8.self)
            return token == "null" ? nil : token
        }
    }

    /// Skips one value of any kind, without recursion.
    mutating func skipValue() throws(SyntaxError) {
        var depth = 0
        repeat {
            guard let c = peek() else { throw fail("unexpected end of the document") }
            switch c {
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                offset += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw fail("unbalanced '\(Character(Unicode.Scalar(c)))'") }
                depth -= 1
                offset += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw fail("unexpected '\(Character(Unicode.Scalar(c)))'") }
                offset += 1
            default:
                let start = offset
                while offset < bytes.count, Self.isTokenByte(bytes[offset]) { offset += 1 }
                guard offset > start else { throw fail("unexpected character") }
                let token = bytes[start..<offset]
                let first = token.first!
                let valid =
                    first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39)
                    || token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8)
                    || token.elementsEqual("null".utf8)
                guard valid else {
                    throw fail("unexpected word \"\(String(decoding: token.prefix(20), as: UTF8.self))\"")
                }
            }
        } while depth > 0
    }

    private static func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == UInt8(ascii: "-")
            || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
    }

    /// A quoted string, escapes decoded; invalid escapes and lone surrogates become
    /// U+FFFD rather than errors.
    mutating func string() throws(SyntaxError) -> String {
        String(decoding: try stringBytes(), as: UTF8.self)
    }

    /// A quoted string as UTF-8 bytes, escapes decoded (for bodies, which the
    /// model keeps as bytes).
    mutating func stringBytes() throws(SyntaxError) -> [UInt8] {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        offset += 1
        let start = offset
        // Fast path: no escapes.
        skipToQuoteOrBackslash()
        guard offset < bytes.count else { throw fail("unterminated string") }
        if bytes[offset] == UInt8(ascii: "\"") {
            defer { offset += 1 }
            return Array(bytes[start..<offset])
        }
        // Escaped (an HTML body in JSON escapes every quote, and often every slash):
        // the text between escapes is copied a run at a time, not a byte at a time.
        var out = Array(bytes[start..<offset])
        while offset < bytes.count {
            let c = bytes[offset]
            if c == UInt8(ascii: "\"") {
                offset += 1
                return out
            }
            guard c == UInt8(ascii: "\\") else {
                // The run up to the next quote or backslash, in one copy.
                let run = offset
                skipToQuoteOrBackslash()
                out.append(contentsOf: bytes[run..<offset])
                continue
            }
            guard offset + 1 < bytes.count else { break }
            let e = bytes[offset + 1]
            offset += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var code = hex4()
                if let high = code, high >= 0xD800 && high < 0xDC00 {
                    // A surrogate pair spells one character beyond the BMP.
                    if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                        bytes[offset + 1] == UInt8(ascii: "u")
                    {
                        offset += 2
                        if let low = hex4(), low >= 0xDC00 && low < 0xE000 {
                            code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            code = nil
                        }
                    } else {
                        code = nil
                    }
                }
                appendUTF8(code.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}", to: &out)
            default:
                appendUTF8("\u{FFFD}", to: &out)
            }
        }
        throw fail("unterminated string")
    }

    /// Moves past the bytes of a string that stand for themselves: up to the next
    /// quote or backslash, or the end.
    private mutating func skipToQuoteOrBackslash() {
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") {
            offset += 1
        }
    }

    private mutating func hex4() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[offset + k]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - 0x41 + 10)
            default: return nil
            }
            value = value * 16 + digit
        }
        offset += 4
        return value
    }
}
