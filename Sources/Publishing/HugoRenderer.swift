import Foundation
import TidingsModel

/// Renders a `HugoPage` as the bytes of a content file: YAML front matter in a fixed
/// field order between `---` lines, then the body verbatim and one newline.
public enum HugoRenderer {
    /// The content file for `page`.
    ///
    /// - Parameters:
    ///   - page: The values to write.
    ///   - dateStyle: `2025-12-23`, or an RFC 3339 date-time with the zone's offset.
    ///   - timeZone: The zone the date (or day) is written in.
    public static func render(_ page: HugoPage, dateStyle: OutputOptions.DateStyle, timeZone: TimeZone) -> String {
        String(decoding: renderBytes(page, dateStyle: dateStyle, timeZone: timeZone), as: UTF8.self)
    }

    /// ``render(_:dateStyle:timeZone:)`` as UTF-8 bytes, built without intermediate strings
    /// (a sync renders every entry it writes).
    public static func renderBytes(_ page: HugoPage, dateStyle: OutputOptions.DateStyle, timeZone: TimeZone)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.reserveCapacity(
            page.body.utf8.count + page.title.utf8.count + page.description.utf8.count + page.image.utf8.count
                + page.link.utf8.count + page.source.utf8.count + 128)
        out.append(contentsOf: "---\ntitle: ".utf8)
        appendQuoted(page.title, to: &out)
        out.append(contentsOf: "\ndate: ".utf8)
        appendDate(page.date, style: dateStyle, timeZone: timeZone, to: &out)
        out.append(contentsOf: "\ndescription: ".utf8)
        appendQuoted(page.description, to: &out)
        out.append(contentsOf: "\nimage: ".utf8)
        appendQuoted(page.image, to: &out)
        out.append(contentsOf: "\nlink: ".utf8)
        appendQuoted(page.link, to: &out)
        out.append(contentsOf: "\nsource: ".utf8)
        appendQuoted(page.source, to: &out)
        out.append(contentsOf: (page.draft ? "\ndraft: true\n---\n" : "\ndraft: false\n---\n").utf8)
        appendUTF8(page.body, to: &out)
        out.append(0x0A)
        return out
    }

    /// Appends ``yamlQuoted(_:)`` of `s`, built from its UTF-8 bytes in one pass: runs
    /// of bytes that need no escape are copied as they are, eight ASCII bytes are
    /// checked at a time.
    private static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var run = 0  // where the bytes not yet copied begin
            var index = 0
            func escape(_ replacement: StaticString, skipping length: Int) {
                out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: index &- run))
                out.append(
                    contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                index &+= length
                run = index
            }
            while index < count {
                while index &+ 8 <= count
                    && !needsALook(UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)))
                {
                    index &+= 8
                }
                guard index < count else { break }
                let byte = base[index]
                let next = index &+ 1 < count ? base[index &+ 1] : 0
                let third = index &+ 2 < count ? base[index &+ 2] : 0
                switch byte {
                case 0x22: escape("\\\"", skipping: 1)
                case 0x5C: escape("\\\\", skipping: 1)
                case 0x00...0x1F, 0x7F: escape(asciiEscapes[Int(byte == 0x7F ? 0x20 : byte)], skipping: 1)
                case 0xC2 where next >= 0x80 && next <= 0x9F: escape(c1Escapes[Int(next & 0x1F)], skipping: 2)
                case 0xE2 where next == 0x80 && third == 0xA8: escape("\\u2028", skipping: 3)
                case 0xE2 where next == 0x80 && third == 0xA9: escape("\\u2029", skipping: 3)
                case 0xEF where next == 0xBB && third == 0xBF: escape("\\uFEFF", skipping: 3)
                case 0xEF where next == 0xBF && third == 0xBE: escape("\\uFFFE", skipping: 3)
                case 0xEF where next == 0xBF && third == 0xBF: escape("\\uFFFF", skipping: 3)
                default: index &+= 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: count &- run))
        }
        out.append(0x22)
    }

    /// Whether any of the eight bytes in `word` is not printable ASCII other than `"`
    /// and `\` (a control, DEL, a quote, a backslash, or part of a multi-byte character).
    @inline(__always)
    private static func needsALook(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & high != 0 }
        if word & high != 0 { return true }
        // With every byte below 0x80: one below 0x20, or equal to 0x22, 0x5C or 0x7F.
        return hasZeroByte(word & 0xE0E0_E0E0_E0E0_E0E0) || hasZeroByte(word ^ (ones &* 0x22))
            || hasZeroByte(word ^ (ones &* 0x5C)) || (word &+ ones) & high != 0
    }

    /// The escapes of C0 controls (by value) and, last, of DEL, as ``yamlQuoted(_:)`` writes them.
    private static let asciiEscapes: [StaticString] = [
        "\\0", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\a", "\\b", "\\t", "\\n", "\\v", "\\f", "\\r",
        "\\x0E", "\\x0F", "\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17", "\\x18", "\\x19",
        "\\x1A", "\\e", "\\x1C", "\\x1D", "\\x1E", "\\x1F", "\\x7F",
    ]

    /// The escapes of C1 controls U+0080–U+009F, by value less 0x80.
    private static let c1Escapes: [StaticString] = [
        "\\x80", "\\x81", "\\x82", "\\x83", "\\x84", "\\x85", "\\x86", "\\x87", "\\x88", "\\x89", "\\x8A", "\\x8B",
        "\\x8C", "\\x8D", "\\x8E", "\\x8F", "\\x90", "\\x91", "\\x92", "\\x93", "\\x94", "\\x95", "\\x96", "\\x97",
        "\\x98", "\\x99", "\\x9A", "\\x9B", "\\x9C", "\\x9D", "\\x9E", "\\x9F",
    ]

    private static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func appendDate(
        _ date: Date, style: OutputOptions.DateStyle, timeZone: TimeZone, to out: inout [UInt8]
    ) {
        let parts = CalendarParts(date, timeZone: timeZone)
        guard parts.year >= 0 && parts.year <= 9999 else {
            appendUTF8(formatDate(date, style: style, timeZone: timeZone), to: &out)
            return
        }
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(truncatingIfNeeded: 0x30 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(parts.year, 4)
        out.append(0x2D)
        digits(parts.month, 2)
        out.append(0x2D)
        digits(parts.day, 2)
        guard style == .datetime else { return }
        out.append(0x54)
        digits(parts.hour, 2)
        out.append(0x3A)
        digits(parts.minute, 2)
        out.append(0x3A)
        digits(parts.second, 2)
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset != 0 else {
            out.append(0x5A)
            return
        }
        let minutes = abs(offset) / 60
        out.append(offset < 0 ? 0x2D : 0x2B)
        digits(minutes / 60, 2)
        out.append(0x3A)
        digits(minutes % 60, 2)
    }

    /// `s` as a one-line YAML double-quoted scalar that any YAML 1.1 or 1.2 parser reads
    /// back as exactly `s`.
    ///
    /// Escapes `\`, `"`, every character YAML does not allow raw (C0 and C1 controls,
    /// DEL, U+FFFE, U+FFFF), the characters parsers treat as line breaks or byte-order
    /// marks (U+0085, U+2028, U+2029, U+FEFF) and tab; writes everything else as UTF-8.
    public static func yamlQuoted(_ s: String) -> String {
        if !needsEscaping(s) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x00: out += "\\0"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x00...0x1F, 0x7F...0x9F: out += "\\x" + hex(scalar.value, width: 2)
            case 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: out += "\\u" + hex(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// Whether any scalar of `s` takes an escape in ``yamlQuoted(_:)``, read from the
    /// UTF-8 bytes: C0 controls, `"`, `\\`, DEL, C1 controls (C2 80–9F), U+2028/2029
    /// (E2 80 A8/A9), U+FEFF (EF BB BF), U+FFFE/FFFF (EF BF BE/BF).
    static func needsEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            var previous: (UInt8, UInt8) = (0, 0)
            for byte in bytes {
                // Printable ASCII other than `"` and `\` is by far the most common byte.
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                    previous = (previous.1, byte)
                    continue
                }
                switch byte {
                case 0x00...0x1F, 0x22, 0x5C, 0x7F: return true
                case 0x80...0x9F where previous.1 == 0xC2: return true
                case 0xA8,
                    0xA9 where previous == (0xE2, 0x80):
                    return true
                case 0xBF where previous == (0xEF, 0xBB): return true
                case 0xBE,
                    0xBF where previous == (0xEF, 0xBF):
                    return true
                default: break
                }
                previous = (previous.1, byte)
            }
            return false
        }
    }

    /// `2025-12-23` or `2025-12-23T17:45:10Z` / `2025-12-23T12:45:10-05:00` in `timeZone`;
    /// fractions of a second are dropped.
    static func formatDate(_ date: Date, style: OutputOptions.DateStyle, timeZone: TimeZone) -> String {
        let parts = CalendarParts(date, timeZone: timeZone)
        let day = pad(parts.year, 4) + "-" + pad(parts.month, 2) + "-" + pad(parts.day, 2)
        guard style == .datetime else { return day }
        let time = pad(parts.hour, 2) + ":" + pad(parts.minute, 2) + ":" + pad(parts.second, 2)
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset != 0 else { return day + "T" + time + "Z" }
        let minutes = abs(offset) / 60
        let sign = offset < 0 ? "-" : "+"
        return day + "T" + time + sign + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Gregorian year, month, day and time of a date in a time zone.
struct CalendarParts {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// 1582-10-15T00:00:00Z, where Foundation's Gregorian calendar stops being Julian.
    private static let gregorianStart: Int64 = -12_219_292_800

    init(_ date: Date, timeZone: TimeZone) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        if seconds.isFinite, abs(seconds) < 1e13 {
            let local = Int64(seconds) + Int64(timeZone.secondsFromGMT(for: date))
            if local >= Self.gregorianStart {
                let (civil, time) = CivilDate.split(secondsSince1970: local)
                year = Int(civil.year)
                month = Int(civil.month)
                day = Int(civil.day)
                hour = Int(time / 3600)
                minute = Int(time % 3600 / 60)
                second = Int(time % 60)
                return
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        year = c.year ?? 1970
        month = c.month ?? 1
        day = c.day ?? 1
        hour = c.hour ?? 0
        minute = c.minute ?? 0
        second = c.second ?? 0
    }
}

/// `value` in decimal, zero-padded to `width` digits (a minus sign comes first).
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
    return value < 0 ? "-" + padded : padded
}
