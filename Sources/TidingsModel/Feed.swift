import Foundation

/// The syndication format a document was recognised as.
///
/// Raw values are the names used by `tidings parse` output.
public enum FeedFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case rss20 = "rss2.0"
    case rss10 = "rss1.0"
    case rss09x = "rss0.9x"
    case atom10 = "atom1.0"
    case atom03 = "atom0.3"
    case json10 = "json1.0"
    case json11 = "json1.1"
}

/// A feed as read from one document, before any processing.
public struct Feed: Sendable, Hashable {
    /// The format the document was recognised as.
    public var format: FeedFormat
    /// The feed's title, as plain text.
    public var title: String?
    /// The feed's home page (absolute URL).
    public var link: String?
    /// The feed's own URL when the document names one (`atom:link rel="self"`).
    public var selfLink: String?
    /// The feed's description or subtitle, as HTML.
    public var subtitle: String?
    /// The feed's language (`xml:lang`, `language`).
    public var language: String?
    /// When the feed says it was last updated.
    public var updated: Date?
    /// The feed's logo or icon (absolute URL).
    public var image: String?
    /// The publisher's requested refresh interval in minutes (RSS `ttl`).
    public var ttl: Int?
    /// The entries in document order.
    public var entries: [Entry]

    /// Creates a feed.
    public init(
        format: FeedFormat,
        title: String? = nil,
        link: String? = nil,
        selfLink: String? = nil,
        subtitle: String? = nil,
        language: String? = nil,
        updated: Date? = nil,
        image: String? = nil,
        ttl: Int? = nil,
        entries: [Entry] = []
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.selfLink = selfLink
        self.subtitle = subtitle
        self.language = language
        self.updated = updated
        self.image = image
        self.ttl = ttl
        self.entries = entries
    }
}

/// One item of a feed, before any processing.
public struct Entry: Sendable, Hashable {
    /// The publisher's identifier (`guid`, `atom:id`, JSON `id`), as given.
    public var id: String?
    /// Whether an RSS `guid` is a permalink (`isPermaLink`, default true).
    public var idIsPermalink: Bool
    /// The title, as plain text.
    public var title: String?
    /// The article's URL (absolute).
    public var link: String?
    /// When the entry was first published.
    public var published: Date?
    /// When the entry was last updated.
    public var updated: Date?
    /// The summary, as HTML, in UTF-8.
    ///
    /// Bodies travel as bytes: the parser produces them, the sanitizer and the
    /// writers consume bytes, and decoding them into `String` on the way would cost
    /// a validation pass per body for nothing.
    public var summaryUTF8: [UInt8]?
    /// The full content, as HTML, in UTF-8.
    public var contentUTF8: [UInt8]?

    /// The summary, as HTML.
    public var summary: String? {
        get { summaryUTF8.map { String(decoding: $0, as: UTF8.self) } }
        set { summaryUTF8 = newValue.map { Array($0.utf8) } }
    }

    /// The full content, as HTML.
    public var content: String? {
        get { contentUTF8.map { String(decoding: $0, as: UTF8.self) } }
        set { contentUTF8 = newValue.map { Array($0.utf8) } }
    }
    /// The best image the feed names for this entry (absolute URL).
    public var image: String?
    /// The authors, in document order.
    public var authors: [Author]
    /// The categories (terms), in document order.
    public var categories: [Category]
    /// Attached media, in document order.
    public var enclosures: [Enclosure]
    /// The URL of the entry's comments page.
    public var comments: String?
    /// The entry's language (`xml:lang`).
    public var language: String?
    /// The base URL that relative URLs inside `summary` and `content` resolve against.
    public var contentBase: String?

    /// Creates an entry.
    public init(
        id: String? = nil,
        idIsPermalink: Bool = false,
        title: String? = nil,
        link: String? = nil,
        published: Date? = nil,
        updated: Date? = nil,
        summary: String? = nil,
        content: String? = nil,
        image: String? = nil,
        authors: [Author] = [],
        categories: [Category] = [],
        enclosures: [Enclosure] = [],
        comments: String? = nil,
        language: String? = nil,
        contentBase: String? = nil
    ) {
        self.id = id
        self.idIsPermalink = idIsPermalink
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.summaryUTF8 = summary.map { Array($0.utf8) }
        self.contentUTF8 = content.map { Array($0.utf8) }
        self.image = image
        self.authors = authors
        self.categories = categories
        self.enclosures = enclosures
        self.comments = comments
        self.language = language
        self.contentBase = contentBase
    }
}

/// A person credited for an entry.
public struct Author: Sendable, Hashable, Codable {
    /// The display name.
    public var name: String?
    /// The e-mail address.
    public var email: String?
    /// A URL for the person.
    public var uri: String?

    /// Creates an author.
    public init(name: String? = nil, email: String? = nil, uri: String? = nil) {
        self.name = name
        self.email = email
        self.uri = uri
    }
}

/// A category or tag.
public struct Category: Sendable, Hashable, Codable {
    /// The category itself.
    public var term: String
    /// The taxonomy it belongs to (RSS `domain`, Atom `scheme`).
    public var scheme: String?
    /// A human-readable label, when different from the term.
    public var label: String?

    /// Creates a category.
    public init(term: String, scheme: String? = nil, label: String? = nil) {
        self.term = term
        self.scheme = scheme
        self.label = label
    }
}

/// A media file attached to an entry.
public struct Enclosure: Sendable, Hashable, Codable {
    /// The file's URL (absolute).
    public var url: String
    /// Its media type, when given.
    public var type: String?
    /// Its size in bytes, when given.
    public var length: Int64?

    /// Creates an enclosure.
    public init(url: String, type: String? = nil, length: Int64? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}
