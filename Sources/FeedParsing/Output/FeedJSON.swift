import Foundation
import TidingsModel

/// The JSON form of a feed printed by `tidings parse` (the command-line contract in
/// DESIGN.md): exactly its keys, in its order, `null` for missing values, dates in
/// RFC 3339 UTC.
public enum FeedJSON {
    /// The JSON text of `feed`, on one line.
    public static func encode(_ feed: Feed) -> String {
        var out = ""
        out.reserveCapacity(4096)
        out += "{\"format\":"
        string(feed.format.rawValue, &out)
        out += ",\"title\":"
        string(feed.title, &out)
        out += ",\"link\":"
        string(feed.link, &out)
        out += ",\"entries\":["
        for (index, entry) in feed.entries.enumerated() {
            if index > 0 { out += "," }
            encode(entry, &out)
        }
        out += "]}"
        return out
    }

    private static func encode(_ entry: Entry, _ out: inout String) {
        out += "{\"id\":"
        string(entry.id, &out)
        out += ",\"title\":"
        string(entry.title, &out)
        out += ",\"link\":"
        string(entry.link, &out)
        out += ",\"published\":"
        string(entry.published.map(RFC3339.format), &out)
        out += ",\"updated\":"
        string(entry.updated.map(RFC3339.format), &out)
        // Until the sanitizer lands, bodies are printed as read with their relative
        // URLs made absolute (the contract promises absolute links).
        out += ",\"summary\":"
        string(entry.summaryUTF8.map { body(HTMLURLRewriter.absolutize($0, base: entry.contentBase)) }, &out)
        out += ",\"content\":"
        string(entry.contentUTF8.map { body(HTMLURLRewriter.absolutize($0, base: entry.contentBase)) }, &out)
        out += ",\"image\":"
        string(entry.image, &out)
        out += ",\"authors\":["
        for (index, author) in entry.authors.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":"
            string(author.name, &out)
            out += ",\"email\":"
            string(author.email, &out)
            out += ",\"uri\":"
            string(author.uri, &out)
            out += "}"
        }
        out += "],\"categories\":["
        for (index, category) in entry.categories.enumerated() {
            if index > 0 { out += "," }
            string(category.term, &out)
        }
        out += "],\"enclosures\":["
        for (index, enclosure) in entry.enclosures.enumerated() {
            if index > 0 { out += "," }
            out += "{\"url\":"
            string(enclosure.url, &out)
            out += ",\"type\":"
            string(enclosure.type, &out)
            out += ",\"length\":"
            out += enclosure.length.map { String($0) } ?? "null"
            out += "}"
        }
        out += "]}"
    }

    private static func body(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func string(_ value: String?, _ out: inout String) {
        guard let value else {
            out += "null"
            return
        }
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u"
                    let hex = String(scalar.value, radix: 16)
                    out += String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// RFC 3339 timestamps in UTC, seconds precision (`2004-01-01T19:48:21Z`).
public enum RFC3339 {
    /// `date` as an RFC 3339 UTC timestamp.
    public static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }
}
