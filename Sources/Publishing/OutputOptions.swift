import Foundation

/// Where and how content files are written.
///
/// Every argument of the initializer has a default; the CLI fills it from the
/// config file's `output` section.
public struct OutputOptions: Sendable {
    /// How the front matter's `date` is written.
    public enum DateStyle: String, Sendable {
        /// `2025-12-23`, the day in the configured time zone.
        case date
        /// RFC 3339 with the configured zone's offset, `2025-12-23T17:45:10Z`.
        case datetime
    }

    /// The folder content files are written to, such as `site/content/posts`.
    public var directory: String
    /// How the front matter's `date` is written.
    public var dateStyle: DateStyle
    /// The path of each file inside `directory`; see `ContentPathTemplate`.
    public var pathTemplate: String
    /// The time zone of `date` and of the `{year}`, `{month}` and `{day}` tokens.
    public var timeZone: TimeZone
    /// The value written as `draft:`.
    public var draft: Bool
    /// Entries older than this are removed from the output (applied by the engine).
    public var maxAge: TimeInterval?
    /// At most this many entries per feed are kept in the output (applied by the engine).
    public var maxItemsPerFeed: Int?

    /// Creates output options.
    public init(
        directory: String = "site/content/posts",
        dateStyle: DateStyle = .date,
        pathTemplate: String = "{year}/{month}/{slug}.md",
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        draft: Bool = false,
        maxAge: TimeInterval? = nil,
        maxItemsPerFeed: Int? = nil
    ) {
        self.directory = directory
        self.dateStyle = dateStyle
        self.pathTemplate = pathTemplate
        self.timeZone = timeZone
        self.draft = draft
        self.maxAge = maxAge
        self.maxItemsPerFeed = maxItemsPerFeed
    }
}
