import Foundation
import TidingsModel

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
///
/// Precedence: `content_html` › `content_text` (escaped) for content; `summary`
/// (plain text, escaped) for summary; `url` › `external_url` for link;
/// `date_published` / `date_modified`; `authors` (1.1) › `author` (1.0) › the feed's
/// authors; `image` › `banner_image` › first image attachment for image.
enum JSONFeedReader {
    static func read(_ data: [UInt8], documentURL: String?, warnings: inout WarningCollector) throws(FeedParsingError)
        -> Feed
    {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        } catch {
            throw .invalidJSON(Self.describe(error))
        }
        guard let root = object as? [String: Any] else {
            throw .notAFeed("the JSON document is not an object")
        }
        let version = string(root["version"]) ?? ""
        guard version.contains("jsonfeed.org/version/") || root["items"] is [Any] else {
            throw .notAFeed("the JSON document has no \"version\" of jsonfeed.org and no \"items\"")
        }
        if !version.contains("jsonfeed.org/version/") {
            warnings.add("JSON Feed without a jsonfeed.org \"version\"; read as 1.1")
        }
        let format: FeedFormat = version.hasSuffix("/1") ? .json10 : .json11
        let base = string(root["feed_url"]).map { URLResolver.resolve($0, against: documentURL) } ?? documentURL
        let feedAuthors = authors(root)
        var feed = Feed(format: format)
        feed.title = string(root["title"])
        feed.link = string(root["home_page_url"]).map { URLResolver.resolve($0, against: base) }
        feed.selfLink = string(root["feed_url"]).map { URLResolver.resolve($0, against: documentURL) }
        feed.subtitle = string(root["description"]).map(HTMLText.escape)
        feed.language = string(root["language"])
        feed.image = (string(root["icon"]) ?? string(root["favicon"])).map { URLResolver.resolve($0, against: base) }

        for (index, value) in (root["items"] as? [Any] ?? []).enumerated() {
            guard let item = value as? [String: Any] else {
                warnings.add("item \(index + 1) is not an object; skipped")
                continue
            }
            var entry = Entry()
            if let id = item["id"] {
                entry.id = string(id) ?? (id as? NSNumber).map { "\($0)" }
            }
            entry.title = string(item["title"])
            let link = string(item["url"]) ?? string(item["external_url"])
            entry.link = link.map { URLResolver.resolve($0, against: base) }
            entry.contentBase = entry.link ?? base
            entry.published = date(item["date_published"], field: "date_published", warnings: &warnings)
            entry.updated = date(item["date_modified"], field: "date_modified", warnings: &warnings)
            entry.summary = string(item["summary"]).map(HTMLText.escape)
            entry.content = string(item["content_html"]) ?? string(item["content_text"]).map(HTMLText.escape)
            let attachments = (item["attachments"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
            entry.enclosures = attachments.compactMap { attachment in
                guard let url = string(attachment["url"]) else { return nil }
                return Enclosure(
                    url: URLResolver.resolve(url, against: base), type: string(attachment["mime_type"]),
                    length: (attachment["size_in_bytes"] as? NSNumber)?.int64Value)
            }
            let image =
                string(item["image"]) ?? string(item["banner_image"])
                ?? entry.enclosures.first(where: { $0.type?.hasPrefix("image/") ?? false })?.url
            entry.image = image.map { URLResolver.resolve($0, against: base) }
            let own = authors(item)
            entry.authors = own.isEmpty ? feedAuthors : own
            entry.categories = (item["tags"] as? [Any] ?? []).compactMap(string).map { Category(term: $0) }
            entry.language = string(item["language"]) ?? feed.language
            feed.entries.append(entry)
        }
        return feed
    }

    private static func authors(_ object: [String: Any]) -> [Author] {
        var list = (object["authors"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        if list.isEmpty, let single = object["author"] as? [String: Any] { list = [single] }
        return list.compactMap { author in
            let result = Author(name: string(author["name"]), uri: string(author["url"]))
            return result.name == nil && result.uri == nil ? nil : result
        }
    }

    private static func date(_ value: Any?, field: String, warnings: inout WarningCollector) -> Date? {
        guard let text = string(value) else { return nil }
        if let date = FeedDate.parse(text) { return date }
        warnings.add("unreadable date \"\(text.prefix(60))\" in \(field)")
        return nil
    }

    private static func string(_ value: Any?) -> String? {
        guard let s = value as? String else { return nil }
        let trimmed = s.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}
