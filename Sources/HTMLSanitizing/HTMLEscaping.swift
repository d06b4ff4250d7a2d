/// The serializer's escaping, as the HTML spec writes fragments back — except
/// that U+00A0 stays a raw character (see DESIGN.md) and a carriage return is
/// written as `&#13;`, since read back raw it would become a line feed.
enum HTMLEscaping {
    // The replacements are static strings and the tables plain memory, not arrays:
    // reading a global array retains and releases its buffer, an atomic write that
    // both cores make to the same cache line for every text run they escape.
    private static let amp: StaticString = "&amp;"
    private static let lt: StaticString = "&lt;"
    private static let gt: StaticString = "&gt;"
    private static let quot: StaticString = "&quot;"
    private static let cr: StaticString = "&#13;"
    private static let replacementCharacter: StaticString = "\u{FFFD}"
    private static let nothing: StaticString = ""

    @inline(__always)
    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The length of a character at `index` that the HTML parser would read back as
    /// U+FFFD (a C0 or C1 control other than whitespace, DEL, or a noncharacter
    /// U+FDD0–U+FDEF, U+FFFE, U+FFFF), so that it is written as U+FFFD now and the
    /// output stays a fixed point; 0 for any other character.
    @inline(__always)
    private static func unreadableLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        switch byte {
        case 1...8, 11, 14...31, 127: return 1
        case 0xC2:
            return index + 1 < bytes.count && bytes[index + 1] >= 0x80 && bytes[index + 1] <= 0x9F ? 2 : 0
        case 0xEF:
            guard index + 2 < bytes.count else { return 0 }
            let b1 = bytes[index + 1]
            let b2 = bytes[index + 2]
            if b1 == 0xB7 && b2 >= 0x90 && b2 <= 0xAF { return 3 }
            if b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF) { return 3 }
            return 0
        default:
            return 0
        }
    }

    /// The bytes `append` must look at: `&`, CR, NUL, the C0 controls and DEL, the lead
    /// bytes of C1 controls (0xC2) and noncharacters (0xEF), and `<` `>` in text or `"`
    /// in attribute values.
    private nonisolated(unsafe) static let specialInText = specialBytes(Array("<>".utf8))
    private nonisolated(unsafe) static let specialInAttribute = specialBytes([UInt8(ascii: "\"")])

    /// A table of 256 flags, allocated once and never freed (nor written after this).
    private static func specialBytes(_ extra: [UInt8]) -> UnsafePointer<Bool> {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        table.initialize(repeating: false, count: 256)
        for byte in 0..<32 where byte != 9 && byte != 10 && byte != 12 { table[byte] = true }
        for byte in [UInt8(ascii: "&"), 127, 0xC2, 0xEF] + extra { table[Int(byte)] = true }
        return UnsafePointer(table)
    }

    /// Text: `&`, `<`, `>` escaped; NUL (which a parser drops) left out.
    static func appendText(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        append(text, inAttribute: false, to: &out)
    }

    /// Text the fast reader has checked (see ``FragmentSink/text(_:isChecked:)``):
    /// of what ``appendText(_:to:)`` escapes, it can only hold `>`.
    static func appendCheckedText(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        while true {
            let index = ByteSearch.firstIndex(of: UInt8(ascii: ">"), in: text, from: runStart)
            if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            guard index < text.count else { return }
            append(gt, to: &out)
            runStart = index + 1
        }
    }

    /// An attribute value, to be written between double quotes: `&` and `"`
    /// escaped; NUL left out.
    static func appendAttributeValue(_ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        append(value, inAttribute: true, to: &out)
    }

    /// The one escaping loop: runs of plain bytes copied whole; `&`, CR, NUL and
    /// characters read back as U+FFFD handled everywhere; `<` `>` in text, `"` in
    /// attribute values.
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, inAttribute: Bool, to out: inout [UInt8]) {
        let special = inAttribute ? specialInAttribute : specialInText
        var runStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Spaces, digits and most punctuation sort below `>`: a table says at once
            // which bytes can need anything, so plain text stays in this loop.
            guard special[Int(byte)] else {
                index += 1
                continue
            }
            var length = 1
            let replacement: StaticString
            switch byte {
            case UInt8(ascii: "&"): replacement = amp
            case UInt8(ascii: "<") where !inAttribute: replacement = lt
            case UInt8(ascii: ">") where !inAttribute: replacement = gt
            case UInt8(ascii: "\"") where inAttribute: replacement = quot
            case 13: replacement = cr
            case 0: replacement = nothing
            default:
                length = unreadableLength(bytes, at: index)
                guard length > 0 else {
                    index += 1
                    continue
                }
                replacement = replacementCharacter
            }
            if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            append(replacement, to: &out)
            index += length
            runStart = index
        }
        if bytes.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }
}
