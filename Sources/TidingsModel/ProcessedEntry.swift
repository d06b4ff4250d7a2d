import Foundation

/// An entry after processing: a stable key, plain-text title and description, a
/// sanitized Hugo-safe body, and the fields the store keeps and the publisher writes.
///
/// Produced by `Processing`, stored by `Storage`, rendered by `Publishing`.
public struct ProcessedEntry: Sendable, Hashable, Codable {
    /// The fields, in one immutable box that copies share: an entry is copied from
    /// stage to stage (processing, the store, the publisher), and a copy of thirteen
    /// fields retained each of their strings and arrays (3–4% of a first sync's CPU in
    /// copies and their releases). Fields are read in place (`_read`), not copied
    /// out. Setting a field makes a new box; only rare paths set fields after an
    /// entry is made.
    private final class Box: Sendable {
        let values: Values

        init(_ values: Values) { self.values = values }
    }

    /// The fields themselves, coded and compared as the entry is.
    private struct Values: Sendable, Hashable, Codable {
        var key: String
        var title: String
        var link: String?
        var canonicalLink: String?
        var published: Date?
        var updated: Date?
        var description: String
        var image: String?
        var body: String
        var authors: [Author]
        var categories: [String]
        var enclosures: [Enclosure]
        var contentHash: String
    }

    private var box: Box

    /// Sets a field in a new box of its own.
    private mutating func update(_ change: (inout Values) -> Void) {
        var values = box.values
        change(&values)
        box = Box(values)
    }

    /// Identifies the entry within its feed across fetches (guid, else link, else
    /// title and date; see `EntryProcessor`).
    public var key: String {
        _read { yield box.values.key }
        set { update { $0.key = newValue } }
    }

    /// The title, as plain text; `""` when the feed gave none.
    public var title: String {
        _read { yield box.values.title }
        set { update { $0.title = newValue } }
    }

    /// The article's URL (absolute), as the feed gave it.
    public var link: String? {
        _read { yield box.values.link }
        set { update { $0.link = newValue } }
    }

    /// The link with tracking parameters and fragments removed; the key for
    /// cross-feed duplicates.
    public var canonicalLink: String? {
        _read { yield box.values.canonicalLink }
        set { update { $0.canonicalLink = newValue } }
    }

    /// When the entry was published, clamped to the fetch time; `nil` when the feed
    /// gave no date (the store then uses the time it first saw the entry).
    public var published: Date? {
        _read { yield box.values.published }
        set { update { $0.published = newValue } }
    }

    /// When the entry says it was last updated.
    public var updated: Date? {
        _read { yield box.values.updated }
        set { update { $0.updated = newValue } }
    }

    /// A plain-text summary for the front matter's `description`.
    public var description: String {
        _read { yield box.values.description }
        set { update { $0.description = newValue } }
    }

    /// The best image URL, `nil` when none.
    public var image: String? {
        _read { yield box.values.image }
        set { update { $0.image = newValue } }
    }

    /// The sanitized HTML body, already in the Hugo-safe form (one HTML block).
    public var body: String {
        _read { yield box.values.body }
        set { update { $0.body = newValue } }
    }

    /// The authors, in document order.
    public var authors: [Author] {
        _read { yield box.values.authors }
        set { update { $0.authors = newValue } }
    }

    /// The category terms, in document order.
    public var categories: [String] {
        _read { yield box.values.categories }
        set { update { $0.categories = newValue } }
    }

    /// Attached media, in document order.
    public var enclosures: [Enclosure] {
        _read { yield box.values.enclosures }
        set { update { $0.enclosures = newValue } }
    }

    /// A digest of what a reader sees (title, link, published date when given,
    /// description, image, body, authors, categories, enclosures); a different hash
    /// means the entry changed. `updated` is left out: feeds that bump it on every
    /// fetch would otherwise rewrite every file.
    public var contentHash: String {
        _read { yield box.values.contentHash }
        set { update { $0.contentHash = newValue } }
    }

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
        box = Box(
            Values(
                key: key, title: title, link: link, canonicalLink: canonicalLink, published: published,
                updated: updated, description: description, image: image, body: body, authors: authors,
                categories: categories, enclosures: enclosures, contentHash: contentHash))
    }

    /// Decodes an entry from the keys its fields are named by.
    public init(from decoder: any Decoder) throws {
        box = Box(try Values(from: decoder))
    }

    /// Encodes the entry's fields, keyed by their names.
    public func encode(to encoder: any Encoder) throws {
        try box.values.encode(to: encoder)
    }

    /// Whether every field is equal.
    public static func == (lhs: ProcessedEntry, rhs: ProcessedEntry) -> Bool {
        lhs.box === rhs.box || lhs.box.values == rhs.box.values
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        box.values.hash(into: &hasher)
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
