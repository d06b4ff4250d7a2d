import Foundation
import TidingsModel

/// The JSON form of a feed printed by `tidings parse` (the command-line contract in
/// DESIGN.md): exactly its keys, in its order, `null` for missing values, dates in
/// RFC 3339 UTC.
public enum FeedJSON {
    /// What the JSON holds for an entry's body: `body(html, base)` gives the HTML to
    /// print for `summary` and `content`. `tidings parse` passes the sanitizer; by
    /// default relative URLs are only made absolute.
    public typealias BodyTransform = @Sendable (_ html: [UInt8], _ base: String?) -> [UInt8]

    /// Relative URLs made absolute, nothing else changed.
    public static let absolutizeURLs: BodyTransform = { HTMLURLRewriter.absolutize($0, base: $1) }

    /// The JSON text of `feed`, on one line.
    public static func encode(_ feed: Feed, body: BodyTransform = absolutizeURLs) -> String {
        String(decoding: encodeUTF8(feed, body: body), as: UTF8.self)
    }

    /// The JSON text of `feed` as UTF-8 bytes, on one line: built as bytes, so
    /// bodies are escaped in runs without being decoded.
    public static func encodeUTF8(_ feed: Feed, body: BodyTransform = absolutizeURLs) -> [UInt8] {
        var out = JSONWriter()
        out.raw("{\"format\":")
        out.string(feed.format.rawValue)
        out.raw(",\"title\":")
        out.string(feed.title)
        out.raw(",\"link\":")
        out.string(feed.link)
        out.raw(",\"entries\":[")
        for (index, entry) in feed.entries.enumerated() {
            if index > 0 { out.raw(",") }
            encode(entry, body: body, &out)
        }
        out.raw("]}")
        return out.bytes
    }

    private static func encode(_ entry: Entry, body: BodyTransform, _ out: inout JSONWriter) {
        out.raw("{\"id\":")
        out.string(entry.id)
        out.raw(",\"title\":")
        out.string(entry.title)
        out.raw(",\"link\":")
        out.string(entry.link)
        out.raw(",\"published\":")
        out.string(entry.published.map(RFC3339.format))
        out.raw(",\"updated\":")
        out.string(entry.updated.map(RFC3339.format))
        out.raw(",\"summary\":")
        out.string(utf8: entry.summaryUTF8.map { body($0, entry.contentBase) })
        out.raw(",\"content\":")
        out.string(utf8: entry.contentUTF8.map { body($0, entry.contentBase) })
        out.raw(",\"image\":")
        out.string(entry.image)
        out.raw(",\"authors\":[")
        for (index, author) in entry.authors.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"name\":")
            out.string(author.name)
            out.raw(",\"email\":")
            out.string(author.email)
            out.raw(",\"uri\":")
            out.string(author.uri)
            out.raw("}")
        }
        out.raw("],\"categories\":[")
        for (index, category) in entry.categories.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(category.term)
        }
        out.raw("],\"enclosures\":[")
        for (index, enclosure) in entry.enclosures.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"url\":")
            out.string(enclosure.url)
            out.raw(",\"type\":")
            out.string(enclosure.type)
            out.raw(",\"length\":")
            out.raw(enclosure.length.map { String($0) } ?? "null")
            out.raw("}")
        }
        out.raw("]}")
    }
}

/// Writes JSON into a byte buffer.
struct JSONWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(64 * 1024) }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String?) {
        guard var value else {
            raw("null")
            return
        }
        value.withUTF8 { string(utf8Buffer: $0) }
    }

    mutating func string(utf8 value: [UInt8]?) {
        guard let value else {
            raw("null")
            return
        }
        value.withUnsafeBufferPointer { string(utf8Buffer: $0) }
    }

    /// A JSON string of valid UTF-8: `"` `\\` and control characters escaped, and
    /// U+2028/U+2029 too (JavaScript line terminators); runs of other bytes copied.
    private mutating func string(utf8Buffer value: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = value.count
        while i < n {
            let c = value[i]
            let lineTerminator =
                c == 0xE2 && i + 2 < n && value[i + 1] == 0x80 && (value[i + 2] == 0xA8 || value[i + 2] == 0xA9)
            guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || lineTerminator else {
                i += 1
                continue
            }
            bytes.append(contentsOf: value[runStart..<i])
            switch c {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0xE2:
                raw(value[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                i += 2
            default:
                let hex = String(c, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            }
            i += 1
            runStart = i
        }
        bytes.append(contentsOf: value[runStart..<n])
        bytes.append(UInt8(ascii: "\""))
    }
}

/// RFC 3339 timestamps in UTC, seconds precision (`2004-01-01T19:48:21Z`).
public enum RFC3339 {
    /// `date` as an RFC 3339 UTC timestamp.
    public static func format(_ date: Date) -> String {
        let (civil, rest) = CivilDate.split(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        let (year, month, day) = (civil.year, civil.month, civil.day)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }
}
