/// Counts of what ``XMLInputRepair`` had to change, reported as warnings.
struct RepairCounts: Sendable, Equatable {
    var bareAmpersands = 0
    var htmlEntities = 0
    var unknownEntities = 0
    var invalidCharacterReferences = 0
    var controlCharacters = 0
    var invalidUTF8 = 0
    var strayLessThan = 0
    var c1Controls = 0

    var isEmpty: Bool { self == RepairCounts() }
}

/// A streaming pass over UTF-8 input that fixes what real feeds get wrong and XML
/// parsers reject, before libxml2 sees it.
///
/// libxml2 in recovery mode drops bare ampersands together with the word after
/// them, drops HTML's named entities (`&nbsp;`) once a document is not well-formed,
/// and switches to Latin-1 at the first invalid UTF-8 byte. Fixing those here keeps
/// the text: bare `&` becomes `&amp;`, HTML entities become characters, illegal
/// control characters go, a `<` that cannot start markup becomes `&lt;`, and invalid
/// UTF-8 bytes are read as windows-1252 (the usual cause) or U+FFFD. CDATA sections,
/// comments and processing instructions pass through untouched except for encoding
/// fixes. Memory is bounded: at most a few dozen bytes are carried between chunks.
struct XMLInputRepair {
    private enum State { case normal, cdata, comment, processingInstruction }

    private var state = State.normal
    private var carry: [UInt8] = []
    /// What was changed so far.
    private(set) var counts = RepairCounts()
    /// Whether invalid UTF-8 bytes are decoded as windows-1252 rather than U+FFFD.
    var windows1252Fallback = true

    /// Repairs `input`, appending the result to `output`. A few trailing bytes may be
    /// held back until the next call; pass `final: true` with the last chunk.
    ///
    /// Returns true, leaving `output` untouched, when `input` needs no change at all
    /// and can be used as it is — the common case, which then costs no copy.
    @discardableResult
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) -> Bool {
        if carry.isEmpty {
            let before = counts
            let start = output.count
            let (used, clean) = run(input, final: final, into: &output, lazy: true)
            if clean && used == input.count && counts == before && output.count == start { return true }
            if used < input.count { carry.append(contentsOf: input[used...]) }
        } else {
            var work = carry
            carry.removeAll(keepingCapacity: true)
            work.append(contentsOf: input)
            work.withUnsafeBufferPointer { buffer in
                let (used, _) = run(buffer, final: final, into: &output, lazy: false)
                if used < buffer.count { carry.append(contentsOf: buffer[used...]) }
            }
        }
        return false
    }

    /// Flags per byte: whether it needs a look in each state (bit = state).
    private static let interesting: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for b in 0..<256 where b < 0x20 || b >= 0x80 { table[b] = 0b1111 }
        for b in [9, 10, 13] { table[b] = 0 }
        table[Int(UInt8(ascii: "&"))] |= 0b0001
        table[Int(UInt8(ascii: "<"))] |= 0b0001
        table[Int(UInt8(ascii: "]"))] |= 0b0010
        table[Int(UInt8(ascii: "-"))] |= 0b0100
        table[Int(UInt8(ascii: "?"))] |= 0b1000
        return table
    }()

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The byte(s) that end a plain run in each state, repeated across a word.
    @inline(__always)
    private static func wordPatterns(_ state: State) -> (UInt64, UInt64) {
        switch state {
        case .normal: return (ones &* 0x26, ones &* 0x3C)  // & <
        case .cdata: return (ones &* 0x5D, ones &* 0x5D)  // ]
        case .comment: return (ones &* 0x2D, ones &* 0x2D)  // -
        case .processingInstruction: return (ones &* 0x3F, ones &* 0x3F)  // ?
        }
    }

    /// Whether any byte of `x` is non-ASCII, below 0x20, or equal to a byte of
    /// `p1` or `p2` (SWAR zero-byte tests; false positives only cost a closer look).
    @inline(__always)
    private static func hasSpecialByte(_ x: UInt64, _ p1: UInt64, _ p2: UInt64) -> Bool {
        let below20 = (x &- ones &* 0x20) & ~x
        let v1 = x ^ p1
        let v2 = x ^ p2
        let eq1 = (v1 &- ones) & ~v1
        let eq2 = (v2 &- ones) & ~v2
        return (x | below20 | eq1 | eq2) & highs != 0
    }

    private static let amp: [UInt8] = Array("&amp;".utf8)
    private static let lt: [UInt8] = Array("&lt;".utf8)
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Returns how many bytes of `buf` were consumed, and whether nothing in them had
    /// to change. With `lazy`, a clean buffer is not copied to `out` at all.
    private mutating func run(_ buf: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8], lazy: Bool)
        -> (Int, Bool)
    {
        let n = buf.count
        var i = 0
        var runStart = 0
        var changed = false

        @inline(__always) func flush(_ end: Int, _ out: inout [UInt8]) {
            changed = true
            if end > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<end])) }
        }

        return Self.interesting.withUnsafeBufferPointer { table in
            while i < n {
                let mask: UInt8
                switch state {
                case .normal: mask = 0b0001
                case .cdata: mask = 0b0010
                case .comment: mask = 0b0100
                case .processingInstruction: mask = 0b1000
                }
                // Fast path: ordinary ASCII bytes and well-formed two- and three-byte
                // UTF-8 sequences that need no care (most of any feed).
                let p = buf.baseAddress!
                let raw = UnsafeRawPointer(p)
                let (pattern1, pattern2) = Self.wordPatterns(state)
                var byteSteps = 0
                while i < n {
                    // Eight plain ASCII bytes at a time; after a word that needs a
                    // closer look, go byte by byte for a while so text full of
                    // non-ASCII letters does not pay for failed word tests.
                    if byteSteps == 0 {
                        if i + 8 <= n {
                            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                            if !Self.hasSpecialByte(x, pattern1, pattern2) {
                                i += 8
                                continue
                            }
                        }
                        byteSteps = 8
                    }
                    byteSteps -= 1
                    let c = p[i]
                    if table[Int(c)] & mask == 0 {
                        i += 1
                    } else if c >= 0xC3 && c <= 0xDF || c == 0xC2 && i + 1 < n && p[i + 1] >= 0xA0 {
                        guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { break }
                        i += 2
                    } else if c >= 0xE1 && c <= 0xEC || c == 0xEE {
                        guard i + 2 < n, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { break }
                        i += 3
                    } else {
                        break
                    }
                }
                if i >= n { break }
                let b = buf[i]

                if b >= 0x80 {
                    let length = Self.validUTF8Length(buf, at: i)
                    if length > 0 {
                        // U+FFFE and U+FFFF are not XML characters.
                        if length == 2 && b == 0xC2 && buf[i + 1] < 0xA0,
                            let mapped = Windows1252.c1[Int(buf[i + 1] - 0x80)]
                        {
                            // A C1 control character is windows-1252 text decoded as
                            // Latin-1 somewhere upstream; give the intended character.
                            flush(i, &out)
                            appendUTF8(mapped, to: &out)
                            counts.c1Controls += 1
                            i += 2
                            runStart = i
                        } else if length == 3 && b == 0xEF && buf[i + 1] == 0xBF && buf[i + 2] >= 0xBE {
                            flush(i, &out)
                            out.append(contentsOf: Self.replacementCharacter)
                            counts.controlCharacters += 1
                            i += 3
                            runStart = i
                        } else {
                            i += length
                        }
                        continue
                    }
                    if length == -1 && !final {
                        flush(i, &out)
                        return (i, false)
                    }
                    flush(i, &out)
                    counts.invalidUTF8 += 1
                    if windows1252Fallback {
                        appendUTF8(Windows1252.scalar(for: b), to: &out)
                    } else {
                        out.append(contentsOf: Self.replacementCharacter)
                    }
                    i += 1
                    runStart = i
                    continue
                }
                if b < 0x20 {
                    flush(i, &out)
                    counts.controlCharacters += 1
                    i += 1
                    runStart = i
                    continue
                }

                switch state {
                case .normal:
                    if b == UInt8(ascii: "&") {
                        switch examineReference(buf, at: i, final: final) {
                        case .needMore:
                            flush(i, &out)
                            return (i, false)
                        case .keep(let length):
                            i += length
                        case .replace(let length, let bytes):
                            flush(i, &out)
                            out.append(contentsOf: bytes)
                            i += length
                            runStart = i
                        }
                    } else {  // "<"
                        if i + 1 >= n {
                            if !final {
                                flush(i, &out)
                                return (i, false)
                            }
                            flush(i, &out)
                            out.append(contentsOf: Self.lt)
                            counts.strayLessThan += 1
                            i += 1
                            runStart = i
                            continue
                        }
                        let next = buf[i + 1]
                        if next == UInt8(ascii: "!") {
                            if Self.hasPrefix(buf, at: i, "<![CDATA[") {
                                state = .cdata
                                i += 9
                            } else if Self.hasPrefix(buf, at: i, "<!--") {
                                state = .comment
                                i += 4
                            } else if !final && n - i < 9 {
                                flush(i, &out)
                                return (i, false)
                            } else {
                                i += 2
                            }
                        } else if next == UInt8(ascii: "?") {
                            state = .processingInstruction
                            i += 2
                        } else if next == UInt8(ascii: "/") || Self.isNameStart(next) {
                            i += 1
                        } else {
                            flush(i, &out)
                            out.append(contentsOf: Self.lt)
                            counts.strayLessThan += 1
                            i += 1
                            runStart = i
                        }
                    }
                case .cdata, .comment, .processingInstruction:
                    let end: StaticString =
                        state == .cdata ? "]]>" : state == .comment ? "-->" : "?>"
                    let endLength = end.utf8CodeUnitCount
                    if i + endLength > n && !final {
                        flush(i, &out)
                        return (i, false)
                    }
                    if Self.hasPrefix(buf, at: i, end) {
                        state = .normal
                        i += endLength
                    } else {
                        i += 1
                    }
                }
            }
            if lazy && !changed { return (n, true) }
            flush(n, &out)
            return (n, false)
        }
    }

    private enum Reference {
        case needMore
        case keep(Int)
        case replace(Int, [UInt8])
    }

    /// Decides what an `&` at `start` is: a reference XML understands, one HTML knows,
    /// or a bare ampersand.
    private mutating func examineReference(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, final: Bool) -> Reference {
        let n = buf.count
        let limit = min(n, start + 40)
        var j = start + 1
        if j < limit && buf[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < limit && (buf[j] | 0x20) == UInt8(ascii: "x") {
                hex = true
                j += 1
            }
            let digitsStart = j
            var value: UInt32 = 0
            while j < limit, let digit = Self.digitValue(buf[j], hex: hex) {
                if value < 0x110000 { value = value * (hex ? 16 : 10) + UInt32(digit) }
                j += 1
            }
            if j >= limit && limit == n && !final { return .needMore }
            guard j > digitsStart, j < n, buf[j] == UInt8(ascii: ";") else {
                counts.bareAmpersands += 1
                return .replace(1, Self.amp)
            }
            let length = j + 1 - start
            if Self.isXMLChar(value) && !(value >= 0x80 && value <= 0x9F) {
                // XML only knows "&#x"; HTML (and publishers) also write "&#X".
                if hex && buf[start + 2] == UInt8(ascii: "X") {
                    var bytes: [UInt8] = []
                    appendUTF8(Unicode.Scalar(value)!, to: &bytes)
                    return .replace(
                        length,
                        bytes.count == 1 && (bytes[0] == 0x26 || bytes[0] == 0x3C)
                            ? Array(buf[start..<(start + length)]).map {
                                $0 == UInt8(ascii: "X") ? UInt8(ascii: "x") : $0
                            } : bytes)
                }
                return .keep(length)
            }
            counts.invalidCharacterReferences += 1
            let scalar = HTMLEntities.scalar(forNumericReference: value)
            var bytes: [UInt8] = []
            if scalar.value < 0x20 && !Self.isXMLChar(scalar.value) {
                bytes = Self.replacementCharacter
            } else {
                appendUTF8(scalar, to: &bytes)
            }
            return .replace(length, bytes)
        }
        let nameStart = j
        while j < limit && Self.isEntityNameByte(buf[j]) { j += 1 }
        if j >= limit && limit == n && !final { return .needMore }
        guard j > nameStart, j < n, buf[j] == UInt8(ascii: ";"), Self.isASCIILetter(buf[nameStart]) else {
            counts.bareAmpersands += 1
            return .replace(1, Self.amp)
        }
        let length = j + 1 - start
        let name = UnsafeBufferPointer(rebasing: buf[nameStart..<j])
        if Self.isPredefined(name) { return .keep(length) }
        if let value = HTMLEntities.value(named: name) {
            counts.htmlEntities += 1
            var bytes: [UInt8] = []
            for scalar in value.unicodeScalars {
                switch scalar {
                case "<": bytes.append(contentsOf: Array("&#60;".utf8))
                case "&": bytes.append(contentsOf: Array("&#38;".utf8))
                case ">", "\"", "'":
                    bytes.append(contentsOf: Array("&#\(scalar.value);".utf8))
                default: appendUTF8(scalar, to: &bytes)
                }
            }
            return .replace(length, bytes)
        }
        // An entity this document may declare but we never expand: keep it as text.
        counts.unknownEntities += 1
        return .replace(1, Self.amp)
    }

    // MARK: Byte classes

    /// Length of the valid UTF-8 sequence at `i`, 0 when invalid, -1 when cut short by
    /// the end of the buffer.
    @inline(__always)
    static func validUTF8Length(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = buf[i]
        let n = buf.count
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return 0
        }
        for k in 1..<length {
            if i + k >= n { return -1 }
            let c = buf[i + k]
            if k == 1 {
                if c < lower || c > upper { return 0 }
            } else if c & 0xC0 != 0x80 {
                return 0
            }
        }
        return length
    }

    @inline(__always)
    private static func hasPrefix(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard i + count <= buf.count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where buf[i + k] != p[k] { return false }
        return true
    }

    private static func isPredefined(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 2:
            return (name[0] == UInt8(ascii: "l") || name[0] == UInt8(ascii: "g")) && name[1] == UInt8(ascii: "t")
        case 3:
            return name[0] == UInt8(ascii: "a") && name[1] == UInt8(ascii: "m") && name[2] == UInt8(ascii: "p")
        case 4:
            let s = String(decoding: name, as: UTF8.self)
            return s == "quot" || s == "apos"
        default: return false
        }
    }

    @inline(__always)
    private static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    @inline(__always)
    private static func isEntityNameByte(_ b: UInt8) -> Bool {
        isASCIILetter(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: ".")
    }

    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool {
        isASCIILetter(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }

    @inline(__always)
    private static func digitValue(_ b: UInt8, hex: Bool) -> UInt8? {
        if b >= 0x30 && b <= 0x39 { return b - 0x30 }
        if hex {
            let lower = b | 0x20
            if lower >= 0x61 && lower <= 0x66 { return lower - 0x61 + 10 }
        }
        return nil
    }

    /// Whether a code point may appear in an XML 1.0 document.
    static func isXMLChar(_ v: UInt32) -> Bool {
        switch v {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}

/// Appends the UTF-8 encoding of `scalar`.
@inline(__always)
func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    let v = scalar.value
    switch v {
    case 0..<0x80:
        out.append(UInt8(v))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}
