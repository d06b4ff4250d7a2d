import Foundation

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
        var out = "---\n"
        out += "title: " + yamlQuoted(page.title) + "\n"
        out += "date: " + formatDate(page.date, style: dateStyle, timeZone: timeZone) + "\n"
        out += "description: " + yamlQuoted(page.description) + "\n"
        out += "image: " + yamlQuoted(page.image) + "\n"
        out += "link: " + yamlQuoted(page.link) + "\n"
        out += "source: " + yamlQuoted(page.source) + "\n"
        out += "draft: " + (page.draft ? "true" : "false") + "\n"
        out += "---\n"
        out += page.body
        out += "\n"
        return out
    }

    /// `s` as a one-line YAML double-quoted scalar that any YAML 1.1 or 1.2 parser reads
    /// back as exactly `s`.
    ///
    /// Escapes `\`, `"`, every character YAML does not allow raw (C0 and C1 controls,
    /// DEL, U+FFFE, U+FFFF), the characters parsers treat as line breaks or byte-order
    /// marks (U+0085, U+2028, U+2029, U+FEFF) and tab; writes everything else as UTF-8.
    public static func yamlQuoted(_ s: String) -> String {
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

    init(_ date: Date, timeZone: TimeZone) {
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
