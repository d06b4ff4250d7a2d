import Foundation
import TidingsModel

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1): first into
/// records shaped like the spec (``JSONFeedDocument``), with ``JSONScanner`` and no
/// tree of the whole document, then into the model.
///
/// Precedence: `content_html` › `content_text` (escaped) for content; `summary`
/// (plain text, escaped) for summary; `url` › `external_url` for link;
/// `date_published` / `date_modified`; `authors` (1.1) › `author` (1.0) › the feed's
/// authors; `image` › `banner_image` › first image attachment for image. Relative
/// URLs resolve against `feed_url`, else the document URL.
enum JSONFeedReader {
    static func read(_ data: [UInt8], documentURL: String?, warnings: inout WarningCollector) throws(FeedParsingError)
        -> Feed
    {
        try data.withUnsafeBufferPointer { (buffer) throws(FeedParsingError) in
            try read(buffer, documentURL: documentURL, warnings: &warnings)
        }
    }

    /// ``read(_:documentURL:warnings:)`` of a document in place (a fetched body, read
    /// whole), without a copy of it.
    static func read(_ data: UnsafeBufferPointer<UInt8>, documentURL: String?, warnings: inout WarningCollector)
        throws(FeedParsingError) -> Feed
    {
        let document: JSONFeedDocument
        do throws(JSONScanner.SyntaxError) {
            var scanner = JSONScanner(data)
            guard scanner.peek() == UInt8(ascii: "{") else {
                throw JSONScanner.SyntaxError(message: "the document is not a JSON object", offset: scanner.offset)
            }
            document = try JSONFeedDocument(&scanner)
            if !scanner.atEnd() {
                throw JSONScanner.SyntaxError(message: "text after the end of the object", offset: scanner.offset)
            }
        } catch {
            let position = JSONScanner(data).position(of: error.offset)
            throw .invalidJSON("line \(position.line), column \(position.column): \(error.message)")
        }
        return try adapt(document, documentURL: documentURL, warnings: &warnings)
    }

    private static func adapt(_ document: JSONFeedDocument, documentURL: String?, warnings: inout WarningCollector)
        throws(FeedParsingError) -> Feed
    {
        let version = document.version ?? ""
        guard version.contains("jsonfeed.org/version/") || document.hasItems else {
            throw .notAFeed("the JSON document has no \"version\" of jsonfeed.org and no \"items\"")
        }
        if !version.contains("jsonfeed.org/version/") {
            warnings.add("JSON Feed without a jsonfeed.org \"version\"; read as 1.1")
        }
        let format: FeedFormat = version.hasSuffix("/1") ? .json10 : .json11
        let base = document.feedURL.map { URLResolver.resolve($0, against: documentURL) } ?? documentURL
        func absolute(_ url: String?) -> String? { url.map { URLResolver.resolve($0, against: base) } }

        var feed = Feed(format: format)
        feed.title = document.title
        feed.link = absolute(document.homePageURL)
        feed.selfLink = document.feedURL.map { URLResolver.resolve($0, against: documentURL) }
        feed.subtitle = document.description.map(HTMLText.escape)
        feed.language = document.language
        feed.image = absolute(document.icon ?? document.favicon)
        for (index, skipped) in document.skippedItems { warnings.add("item \(index + 1) is \(skipped); skipped") }

        for item in document.items {
            var entry = Entry()
            entry.id = item.id
            entry.title = item.title
            entry.link = absolute(item.url ?? item.externalURL)
            entry.contentBase = entry.link ?? base
            entry.published = date(item.datePublished, field: "date_published", warnings: &warnings)
            entry.updated = date(item.dateModified, field: "date_modified", warnings: &warnings)
            entry.summaryUTF8 = item.summary.map(HTMLText.escape)
            entry.contentUTF8 = item.contentHTML ?? item.contentText.map(HTMLText.escape)
            entry.enclosures = item.attachments.map {
                Enclosure(url: URLResolver.resolve($0.url, against: base), type: $0.mimeType, length: $0.size)
            }
            let image =
                item.image ?? item.bannerImage
                ?? entry.enclosures.first(where: { $0.type?.hasPrefix("image/") ?? false })?.url
            entry.image = absolute(image)
            entry.authors = item.authors.isEmpty ? document.authors : item.authors
            entry.categories = item.tags.map { Category(term: $0) }
            entry.language = item.language ?? feed.language
            feed.entries.append(entry)
        }
        return feed
    }

    private static func date(_ text: String?, field: String, warnings: inout WarningCollector) -> Date? {
        guard let text else { return nil }
        if let date = FeedDate.parse(text) { return date }
        warnings.add("unreadable date \"\(text.prefix(60))\" in \(field)")
        return nil
    }
}

/// A JSON Feed document as the spec shapes it (only the members Tidings uses).
struct JSONFeedDocument {
    var version: String?
    var title: String?
    var homePageURL: String?
    var feedURL: String?
    var description: String?
    var language: String?
    var icon: String?
    var favicon: String?
    var authors: [Author] = []
    var items: [Item] = []
    var hasItems = false
    /// Items that were not objects: (index, what they were).
    var skippedItems: [(Int, String)] = []

    struct Item {
        var id: String?
        var url: String?
        var externalURL: String?
        var title: String?
        var contentHTML: [UInt8]?
        var contentText: [UInt8]?
        var summary: [UInt8]?
        var image: String?
        var bannerImage: String?
        var datePublished: String?
        var dateModified: String?
        var authors: [Author] = []
        var tags: [String] = []
        var language: String?
        var attachments: [Attachment] = []
    }

    struct Attachment {
        var url: String
        var mimeType: String?
        var size: Int64?
    }

    init(_ scanner: inout JSONScanner) throws(JSONScanner.SyntaxError) {
        try scanner.object { (scanner, key) throws(JSONScanner.SyntaxError) in
            switch key {
            case "version": version = try Self.text(&scanner)
            case "title": title = try Self.text(&scanner)
            case "home_page_url": homePageURL = try Self.text(&scanner)
            case "feed_url": feedURL = try Self.text(&scanner)
            case "description": description = try Self.text(&scanner)
            case "language": language = try Self.text(&scanner)
            case "icon": icon = try Self.text(&scanner)
            case "favicon": favicon = try Self.text(&scanner)
            case "author":
                if authors.isEmpty {
                    authors = try Self.authors(&scanner, single: true)
                } else {
                    try scanner.skipValue()
                }
            case "authors": authors = try Self.authors(&scanner, single: false)
            case "items":
                guard scanner.peek() == UInt8(ascii: "[") else {
                    try scanner.skipValue()
                    return
                }
                hasItems = true
                var index = 0
                try scanner.array { (scanner) throws(JSONScanner.SyntaxError) in
                    if scanner.peek() == UInt8(ascii: "{") {
                        items.append(try Self.item(&scanner))
                    } else {
                        skippedItems.append((index, "not an object"))
                        try scanner.skipValue()
                    }
                    index += 1
                }
            default: try scanner.skipValue()
            }
        }
    }

    /// A string member, trimmed; numbers are taken as their text (ids are often
    /// numbers); empty strings and other kinds of value are nil.
    private static func text(_ scanner: inout JSONScanner) throws(JSONScanner.SyntaxError) -> String? {
        let value = try scanner.scalar()?.trimmingASCIIWhitespace()
        guard let value, !value.isEmpty, value != "true", value != "false" else { return nil }
        return String(value)
    }

    /// A string member kept as UTF-8 bytes (bodies), nil when empty or not a string.
    private static func body(_ scanner: inout JSONScanner) throws(JSONScanner.SyntaxError) -> [UInt8]? {
        guard scanner.peek() == UInt8(ascii: "\"") else {
            try scanner.skipValue()
            return nil
        }
        let bytes = try scanner.stringBytes()
        return bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) ? nil : bytes
    }

    private static func item(_ scanner: inout JSONScanner) throws(JSONScanner.SyntaxError) -> Item {
        var item = Item()
        var authorsFromOne: [Author] = []
        try scanner.object { (scanner, key) throws(JSONScanner.SyntaxError) in
            switch key {
            case "id": item.id = try text(&scanner)
            case "url": item.url = try text(&scanner)
            case "external_url": item.externalURL = try text(&scanner)
            case "title": item.title = try text(&scanner)
            case "content_html": item.contentHTML = try body(&scanner)
            case "content_text": item.contentText = try body(&scanner)
            case "summary": item.summary = try body(&scanner)
            case "image": item.image = try text(&scanner)
            case "banner_image": item.bannerImage = try text(&scanner)
            case "date_published": item.datePublished = try text(&scanner)
            case "date_modified": item.dateModified = try text(&scanner)
            case "language": item.language = try text(&scanner)
            case "authors": item.authors = try authors(&scanner, single: false)
            case "author": authorsFromOne = try authors(&scanner, single: true)
            case "tags":
                guard scanner.peek() == UInt8(ascii: "[") else {
                    try scanner.skipValue()
                    return
                }
                try scanner.array { (scanner) throws(JSONScanner.SyntaxError) in
                    if let tag = try text(&scanner) { item.tags.append(tag) }
                }
            case "attachments":
                guard scanner.peek() == UInt8(ascii: "[") else {
                    try scanner.skipValue()
                    return
                }
                try scanner.array { (scanner) throws(JSONScanner.SyntaxError) in
                    guard scanner.peek() == UInt8(ascii: "{") else {
                        try scanner.skipValue()
                        return
                    }
                    var url: String?
                    var mimeType: String?
                    var size: Int64?
                    try scanner.object { (scanner, key) throws(JSONScanner.SyntaxError) in
                        switch key {
                        case "url": url = try text(&scanner)
                        case "mime_type": mimeType = try text(&scanner)
                        case "size_in_bytes": size = try text(&scanner).flatMap { Int64($0) }
                        default: try scanner.skipValue()
                        }
                    }
                    if let url { item.attachments.append(Attachment(url: url, mimeType: mimeType, size: size)) }
                }
            default: try scanner.skipValue()
            }
        }
        if item.authors.isEmpty { item.authors = authorsFromOne }
        return item
    }

    /// `authors` (an array of objects) or `author` (one object).
    private static func authors(_ scanner: inout JSONScanner, single: Bool) throws(JSONScanner.SyntaxError) -> [Author]
    {
        var result: [Author] = []
        func one(_ scanner: inout JSONScanner) throws(JSONScanner.SyntaxError) {
            guard scanner.peek() == UInt8(ascii: "{") else {
                try scanner.skipValue()
                return
            }
            var author = Author()
            try scanner.object { (scanner, key) throws(JSONScanner.SyntaxError) in
                switch key {
                case "name": author.name = try text(&scanner)
                case "url": author.uri = try text(&scanner)
                default: try scanner.skipValue()
                }
            }
            if author.name != nil || author.uri != nil { result.append(author) }
        }
        if single {
            try one(&scanner)
        } else if scanner.peek() == UInt8(ascii: "[") {
            try scanner.array { (scanner) throws(JSONScanner.SyntaxError) in try one(&scanner) }
        } else {
            try scanner.skipValue()
        }
        return result
    }
}
