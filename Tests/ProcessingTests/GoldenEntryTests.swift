import Foundation
import Processing
import Testing
import TidingsModel

/// The golden feed's two entries, built by hand from the XML (Processing does not
/// depend on FeedParsing), must give the golden files' fields and bodies.
@Suite struct GoldenEntryTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/golden").standardizedFileURL
    static let feedURL = "https://feeds.foxnews.com/foxnews/world"

    /// The text of each `<name>` element in `item` (CDATA unwrapped, or XML entities decoded).
    static func element(_ name: String, in item: Substring) -> String? {
        guard let open = item.range(of: "<\(name)"),
            let openEnd = item[open.upperBound...].range(of: ">"),
            let close = item[openEnd.upperBound...].range(of: "</\(name)>")
        else { return nil }
        let raw = item[openEnd.upperBound..<close.lowerBound]
        if raw.hasPrefix("<![CDATA[") && raw.hasSuffix("]]>") {
            return String(raw.dropFirst(9).dropLast(3))
        }
        return decodeXML(raw)
    }

    static func decodeXML(_ text: some StringProtocol) -> String {
        String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func items() throws -> [Substring] {
        let xml = try String(
            contentsOf: goldenDirectory.appendingPathComponent("foxnews-world.xml"), encoding: .utf8)
        return xml.components(separatedBy: "<item>").dropFirst().map { Substring($0) }
    }

    static func entry(_ item: Substring) throws -> Entry {
        var image: String?
        if let media = item.range(of: "<media:content url=\""),
            let end = item[media.upperBound...].range(of: "\"")
        {
            image = decodeXML(item[media.upperBound..<end.lowerBound])
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = try #require(element("pubDate", in: item).flatMap(formatter.date(from:)))
        return Entry(
            id: element("guid", in: item), title: element("title", in: item), link: element("link", in: item),
            published: date, summary: element("description", in: item), content: element("content:encoded", in: item),
            image: image)
    }

    /// Front-matter fields (YAML double-quoted strings unescaped) and the body.
    static func golden(_ name: String) throws -> (fields: [String: String], body: String) {
        let text = try String(contentsOf: goldenDirectory.appendingPathComponent(name), encoding: .utf8)
        let parts = text.components(separatedBy: "---\n")
        #expect(parts.count >= 3)
        var fields: [String: String] = [:]
        for line in parts[1].split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var value = line[line.index(colon, offsetBy: 2)...]
            if value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = value.dropFirst().dropLast()
                fields[String(line[..<colon])] = value.replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            } else {
                fields[String(line[..<colon])] = String(value)
            }
        }
        var body = parts[2...].joined(separator: "---\n")
        if body.hasSuffix("\n") { body.removeLast() }
        return (fields, body)
    }

    @Test(arguments: [(0, "bukele-expected.md"), (1, "pope-expected.md")])
    func matchesGoldenFile(index: Int, name: String) throws {
        let items = try Self.items()
        try #require(items.count == 2)
        let entry = try Self.entry(items[index])
        let result = EntryProcessor().process(
            Feed(format: .rss20, entries: [entry]), feedURL: Self.feedURL, filters: .none,
            fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let processed = try #require(result.entries.first)
        let (fields, body) = try Self.golden(name)
        #expect(processed.title == fields["title"])
        #expect(processed.description == fields["description"])
        #expect((processed.image ?? "") == fields["image"])
        #expect(processed.link == fields["link"])
        #expect(processed.body == body)
        #expect(processed.key == entry.id)
    }

    @Test func popeTitleAndDate() throws {
        let entry = try Self.entry(try Self.items()[1])
        #expect(entry.title == "Pope's Christmas message: \"Peace is possible\" & other highlights")
        let processed = EntryProcessor().process(entry, feedURL: Self.feedURL, fetchedAt: .distantFuture)
        // Thu, 25 Dec 2025 07:30:00 -0500
        #expect(processed.published == Date(timeIntervalSince1970: 1_766_665_800))
        #expect(processed.body.contains("https://www.foxnews.com/world/vatican"))
        #expect(!processed.body.contains("script"))
    }

    @Test func bukeleDateIsUTC() throws {
        let processed = EntryProcessor().process(
            try Self.entry(try Self.items()[0]), feedURL: Self.feedURL, fetchedAt: .distantFuture)
        // Tue, 23 Dec 2025 12:45:10 -0500 is 17:45:10 UTC.
        #expect(processed.published == Date(timeIntervalSince1970: 1_766_511_910))
    }
}
