import Foundation
import TidingsModel

/// Turns what the reader found (``RawItem``) into the model.
///
/// Precedence, where several elements can give the same field (first present wins):
///
/// | field | entry | feed |
/// |---|---|---|
/// | id | `guid` › `atom:id` › `rdf:about` | — |
/// | title | `title` › `dc:title` › `media:title` | `title` › `dc:title` |
/// | link | `feedburner:origLink` › `link rel=alternate` (HTML type first) › RSS `link` › permalink `guid` › first `link` without rel | RSS `link` › `link rel=alternate` |
/// | published | `pubDate` › `published` › `issued` › `dcterms:issued` › `dcterms:created` › `created` › `dc:date` | — |
/// | updated | `updated` › `modified` › `dcterms:modified` › `dc:date` | `lastBuildDate` › `updated` › `modified` › `dc:date` › `pubDate` |
/// | summary | `description` › `summary` › `dc:description` › `itunes:summary` › `media:description` | `description` › `subtitle` › `tagline` |
/// | content | `content:encoded` › `content` › `xhtml:body` | — |
/// | image | `media:content` (image) › `media:thumbnail` › `enclosure` image/* › `itunes:image` | `image/url` › `logo` › `itunes:image` › `icon` |
/// | authors | Atom `author`/`contributor` › `author` and `dc:creator` › `itunes:author` | — |
///
/// The first `<img>` of the content as a last image choice belongs to the sanitizer,
/// which parses the HTML anyway.
enum FeedAdapter {
    /// Builds the entry for `raw` and hands it to `deliver`. Not returned: `Entry`
    /// holds Foundation `Date`s, whose layout is resilient, so an entry returned
    /// from a variable was copied whole (a retain and a release for each of its
    /// strings and arrays) on its way out. The bodies, lists and strings the entry
    /// keeps are moved out of `raw`, which is left for disposal.
    static func withEntry(from raw: inout RawItem, feedLanguage: String?, _ deliver: (Entry) -> Void) {
        let id = nonEmpty(raw.guid) ?? nonEmpty(raw.atomID) ?? nonEmpty(raw.rdfAbout)
        let title = (raw.title ?? raw.dcTitle ?? raw.mediaTitle).map { trimmed($0.plain) }
        var link = link(of: raw, preferOrigLink: true)
        if link == nil, raw.guidIsPermalink, let guid = raw.guid, isWebURL(guid) {
            link = guid
        }
        let published =
            raw.date(.pubDate) ?? raw.date(.published) ?? raw.date(.issued) ?? raw.date(.dctermsIssued)
            ?? raw.date(.dctermsCreated) ?? raw.date(.created) ?? raw.date(.dcDate)
        let updated =
            raw.date(.updated) ?? raw.date(.modified) ?? raw.date(.dctermsModified) ?? raw.date(.dcDate)
        var summary =
            raw.description.take() ?? raw.summary.take() ?? raw.dcDescription.take() ?? raw.itunesSummary.take()
            ?? raw.mediaDescription.take()
        var content = raw.contentEncoded.take() ?? raw.content.take() ?? raw.xhtmlBody.take()
        // Relative URLs in bodies resolve against xml:base in scope, else the entry's
        // link, else the document URL (DESIGN.md; the golden pope entry depends on
        // it). The bodies keep their URLs as written: resolving them is part of
        // sanitizing, which rewrites the HTML anyway (`contentBase` says against what).
        let contentBase =
            (content ?? summary).map { $0.explicitBase ? $0.base : (link ?? $0.base) } ?? link ?? raw.base
        let image = image(of: raw)  // before the enclosures are moved out
        var enclosures = take(&raw.enclosures)
        for link in raw.links where link.rel == "enclosure" {
            enclosures.append(Enclosure(url: link.href, type: link.type, length: link.length))
        }
        var entry = Entry(
            id: id, idIsPermalink: raw.guid != nil && raw.guidIsPermalink, title: title, link: link,
            published: published, updated: updated, image: image, authors: authors(of: &raw),
            categories: dedupe(take(&raw.categories), by: \.term), enclosures: dedupe(enclosures, by: \.url),
            comments: raw.comments.take(), language: raw.lang.take() ?? raw.language.take() ?? feedLanguage,
            contentBase: contentBase)
        entry.summaryUTF8 = htmlBytes(taking: &summary)
        entry.contentUTF8 = htmlBytes(taking: &content)
        deliver(entry)
    }

    /// `value` moved out of its place, which is left empty.
    private static func take<T>(_ value: inout [T]) -> [T] {
        var taken: [T] = []
        swap(&taken, &value)
        return taken
    }

    /// The value as HTML, its bytes moved rather than copied when they are HTML already.
    private static func htmlBytes(taking value: inout TextValue?) -> [UInt8]? {
        guard var taken = value.take() else { return nil }
        switch taken.kind {
        case .html, .xhtml: return take(&taken.bytes)
        case .plain, .guess: return taken.htmlBytes
        }
    }

    static func feed(format: FeedFormat, channel raw: RawItem, entries: [Entry]) -> Feed {
        var feed = Feed(format: format, entries: entries)
        feed.title = (raw.title ?? raw.dcTitle).map { trimmed($0.plain) }
        feed.link = nonEmpty(raw.rssLink) ?? link(of: raw, preferOrigLink: false)
        feed.selfLink = raw.links.first(where: { $0.rel == "self" })?.href
        feed.subtitle = (raw.description ?? raw.summary ?? raw.dcDescription).map(\.html)
        feed.language = raw.language ?? raw.lang
        feed.updated =
            raw.date(.lastBuildDate) ?? raw.date(.updated) ?? raw.date(.modified) ?? raw.date(.dcDate)
            ?? raw.date(.pubDate)
        feed.image = raw.imageURL ?? raw.logo ?? raw.itunesImage ?? raw.icon
        feed.ttl = raw.ttl
        return feed
    }

    private static func link(of raw: RawItem, preferOrigLink: Bool) -> String? {
        if preferOrigLink, let orig = nonEmpty(raw.origLink) { return orig }
        var firstAlternate: String?
        for link in raw.links where link.rel == "alternate" {
            if link.type == nil || containsHTML(link.type!) { return link.href }
            if firstAlternate == nil { firstAlternate = link.href }
        }
        if let firstAlternate { return firstAlternate }
        if let rss = nonEmpty(raw.rssLink) { return rss }
        return nil
    }

    private static func image(of raw: RawItem) -> String? {
        if let content = raw.media.first(where: {
            !$0.isThumbnail && isImage(type: $0.type, medium: $0.medium, url: $0.url)
        }) {
            return content.url
        }
        if let thumbnail = raw.media.first(where: \.isThumbnail) { return thumbnail.url }
        if let enclosure = raw.enclosures.first(where: { $0.type?.lowercased().hasPrefix("image/") ?? false }) {
            return enclosure.url
        }
        if let link = raw.links.first(where: { $0.rel == "enclosure" && ($0.type?.hasPrefix("image/") ?? false) }) {
            return link.href
        }
        return raw.itunesImage
    }

    private static func isImage(type: String?, medium: String?, url: String) -> Bool {
        if let medium { return medium.lowercased() == "image" }
        if let type { return type.lowercased().hasPrefix("image/") }
        let path = url.split(separator: "?", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        return [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"].contains(where: { path.hasSuffix($0) })
    }

    private static func authors(of raw: inout RawItem) -> [Author] {
        if !raw.authors.isEmpty { return take(&raw.authors) }
        var result: [Author] = []
        result.reserveCapacity(raw.rssAuthors.count + raw.dcCreators.count)
        for text in raw.rssAuthors { result.append(parsePerson(text)) }
        for text in raw.dcCreators { result.append(parsePerson(text)) }
        if result.isEmpty, let itunes = nonEmpty(raw.itunesAuthor) { result.append(Author(name: itunes)) }
        return dedupe(result, by: { $0 })
    }

    /// Reads `jo@example.com (Jo Doe)`, `Jo Doe <jo@example.com>`, a bare address or a
    /// bare name.
    static func parsePerson(_ text: String) -> Author {
        var text = trimmed(text)
        let trimmed = text
        return text.withUTF8 { bytes -> Author in
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
                // A bare name: the string itself, not a copy decoded from its bytes.
                return Author(name: bytes.isEmpty ? nil : trimmed)
            }
            func isSeparator(_ c: UInt8) -> Bool {
                switch c {
                case 32, 9, 10, 13, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
                    UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"),
                    UInt8(ascii: "\""):
                    return true
                default:
                    return false
                }
            }
            var start = at
            while start > 0 && !isSeparator(bytes[start - 1]) { start -= 1 }
            var end = at
            while end < bytes.count && !isSeparator(bytes[end]) { end += 1 }
            var email = String(decoding: bytes[start..<end], as: UTF8.self)
            if email.lowercased().hasPrefix("mailto:") { email.removeFirst(7) }
            // The name is what is left, without the brackets that held either part.
            var rest = Array(bytes[0..<start]) + Array(bytes[end...])
            rest.removeAll { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }
            var restString = String(decoding: rest, as: UTF8.self)
            while let empty = restString.range(of: "()") { restString.removeSubrange(empty) }
            var name = restString.trimmingASCIIWhitespace()
            while name.hasPrefix("(") && name.hasSuffix(")") && name.count >= 2 {
                name = name.dropFirst().dropLast().trimmingASCIIWhitespace()
            }
            name = name.trimmingASCIIWhitespace()
            if name == "()" { name = "" }
            return Author(name: name.isEmpty ? nil : String(name), email: email.isEmpty ? nil : email)
        }
    }

    /// Whether `type` contains "html", compared as bytes: Foundation's
    /// `contains(_:)` (a `range(of:)`) costs thousands of instructions a call.
    private static func containsHTML(_ type: String) -> Bool {
        var type = type
        return type.withUTF8 { bytes in
            guard bytes.count >= 4 else { return false }
            for i in 0...(bytes.count - 4)
            where bytes[i] == UInt8(ascii: "h") && bytes[i + 1] == UInt8(ascii: "t")
                && bytes[i + 2] == UInt8(ascii: "m") && bytes[i + 3] == UInt8(ascii: "l")
            {
                return true
            }
            return false
        }
    }

    /// `s` without leading and trailing ASCII whitespace. Most strings here come
    /// from text trimmed when it was read, so the ends are looked at first and the
    /// string is returned as it is when neither is whitespace.
    static func trimmed(_ s: String) -> String {
        let utf8 = s.utf8
        guard let first = utf8.first, let last = utf8.last else { return s }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        if !isSpace(first) && !isSpace(last) { return s }
        return String(s.trimmingASCIIWhitespace())
    }

    static func isWebURL(_ s: String) -> Bool {
        let scheme = URLResolver.scheme(of: s)
        return scheme == "http" || scheme == "https"
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    private static func dedupe<T, K: Hashable>(_ items: [T], by key: (T) -> K) -> [T] {
        guard items.count > 1 else { return items }
        if items.count <= 16 {
            // Entries carry a handful of categories: comparing beats hashing, and
            // most lists have no duplicate, so they are returned without a copy.
            var duplicate = false
            search: for i in 1..<items.count {
                let k = key(items[i])
                for j in 0..<i where key(items[j]) == k {
                    duplicate = true
                    break search
                }
            }
            if !duplicate { return items }
            var result: [T] = []
            result.reserveCapacity(items.count)
            var keys: [K] = []
            keys.reserveCapacity(items.count)
            for item in items {
                let k = key(item)
                if !keys.contains(k) {
                    keys.append(k)
                    result.append(item)
                }
            }
            return result
        }
        var seen = Set<K>()
        return items.filter { seen.insert(key($0)).inserted }
    }
}
