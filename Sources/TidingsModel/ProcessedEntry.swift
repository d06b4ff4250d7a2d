import Foundation

/// An entry after processing: a stable key, plain-text title and description, a
/// sanitized Hugo-safe body, and the fields the store keeps and the publisher writes.
///
/// Produced by `Processing`, stored by `Storage`, rendered by `Publishing`.
public struct ProcessedEntry: Sendable, Hashable, Codable {
    /// Identifies the entry within its feed across fetches (guid, else link, else
    /// title and date; see `EntryProcessor`).
    public var key: String
    /// The title, as plain text; `""` when the feed gave none.
    public var title: String
    /// The article's URL (absolute), as the feed gave it.
    public var link: String?
    /// The link with tracking parameters and fragments removed; the key for
    /// cross-feed duplicates.
    public var canonicalLink: String?
    /// When the entry was published, clamped to the fetch time; `nil` when the feed
    /// gave no date (the store then uses the time it first saw the entry).
    public var published: Date?
    /// When the entry says it was last updated.
    public var updated: Date?
    /// A plain-text summary for the front matter's `description`.
    public var description: String
    /// The best image URL, `nil` when none.
    public var image: String?
    /// The sanitized HTML body, already in the Hugo-safe form (one HTML block).
    public var body: String
    /// The authors, in document order.
    public var authors: [Author]
    /// The category terms, in document order.
    public var categories: [String]
    /// Attached media, in document order.
    public var enclosures: [Enclosure]
    /// A digest of what a reader sees (title, link, published date when given,
    /// description, image, body, authors, categories, enclosures); a different hash
    /// means the entry changed. `updated` is left out: feeds that bump it on every
    /// fetch would otherwise rewrite every file.
    public var contentHash: String

    /// Creates a processed entry.
    public init(
        key: String,
        title: String = "",
        link: String? = nil,
        canonicalLink: String? = nil,
        published: Date? = nil,
        updated: Date? = nil,
        description: String = "",
        image: String? = nil,
        body: String = "",
        authors: [Author] = [],
        categories: [String] = [],
        enclosures: [Enclosure] = [],
        contentHash: String = ""
    ) {
        self.key = key
        self.title = title
        self.link = link
        self.canonicalLink = canonicalLink
        self.published = published
        self.updated = updated
        self.description = description
        self.image = image
        self.body = body
        self.authors = authors
        self.categories = categories
        self.enclosures = enclosures
        self.contentHash = contentHash
    }
}

/// Which part of an entry a filter rule looks at.
public enum FilterField: String, Sendable, Hashable, Codable, CaseIterable {
    case title, content, link, author, category
}

/// A block or keep rule: a regular expression matched against one field.
///
/// An entry is dropped when any `block` rule matches it, or when `keep` rules exist
/// and none matches.
public struct FilterRule: Sendable, Hashable, Codable {
    /// Whether a match drops the entry or is required to keep it.
    public enum Action: String, Sendable, Hashable, Codable {
        case block, keep
    }
    /// Drop on match, or keep only on match.
    public var action: Action
    /// The field the pattern is matched against.
    public var field: FilterField
    /// The regular expression (ICU syntax, case-insensitive).
    public var pattern: String

    /// Creates a rule.
    public init(action: Action, field: FilterField, pattern: String) {
        self.action = action
        self.field = field
        self.pattern = pattern
    }
}

/// A feed as the user configured it (config file, `feeds add`, OPML import).
public struct FeedSubscription: Sendable, Hashable, Codable {
    /// The feed's URL as configured; also the `source` written in front matter.
    public var url: String
    /// A short name for `{feed}` in output paths; derived from the URL when absent.
    public var name: String?
    /// The title, when the user or an OPML file gave one.
    public var title: String?
    /// The category (OPML outline folder, or the user's own).
    public var category: String?
    /// How often to check, overriding the feed's own rhythm, in seconds.
    public var interval: TimeInterval?
    /// A User-Agent for this feed only.
    public var userAgent: String?
    /// Whether the feed is fetched at all.
    public var enabled: Bool
    /// Rules for this feed, applied after the global ones.
    public var filters: [FilterRule]

    /// Creates a subscription.
    public init(
        url: String,
        name: String? = nil,
        title: String? = nil,
        category: String? = nil,
        interval: TimeInterval? = nil,
        userAgent: String? = nil,
        enabled: Bool = true,
        filters: [FilterRule] = []
    ) {
        self.url = url
        self.name = name
        self.title = title
        self.category = category
        self.interval = interval
        self.userAgent = userAgent
        self.enabled = enabled
        self.filters = filters
    }
}
