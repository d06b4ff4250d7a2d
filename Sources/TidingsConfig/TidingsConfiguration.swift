import Foundation
import TidingsModel

/// Everything `tidings.yml` says: where entries are stored and written, how feeds
/// are fetched, the global filters and the feeds.
///
/// Every section and key is optional; the defaults are those of the initializers.
/// Only the CLI reads the file (``load(path:)``) and hands the parts to the stages.
public struct TidingsConfiguration: Sendable, Equatable {
    /// Where and how content files are written.
    public struct Output: Sendable, Equatable {
        /// How the front matter's `date` is written.
        public enum DateStyle: String, Sendable, Equatable, CaseIterable {
            /// `2025-12-23`.
            case date
            /// `2025-12-23T17:45:10Z` (in ``Output/timezone``).
            case datetime
        }

        /// The folder content files are written under (Hugo's `content/posts`).
        public var dir: String
        /// How `date` is written.
        public var date: DateStyle
        /// Each file's path below ``dir``: `{year}`, `{month}`, `{day}`, `{slug}`, `{feed}`…
        public var path: String
        /// The time zone (identifier) dates and paths are written in.
        public var timezone: String
        /// Whether files are written with `draft: true`.
        public var draft: Bool
        /// Entries older than this (seconds) are not written, and removed when they age out.
        public var maxAge: TimeInterval?
        /// At most this many entries are kept written, newest first.
        public var maxItems: Int?

        /// Creates output settings; every argument has a default.
        public init(
            dir: String = "site/content/posts",
            date: DateStyle = .date,
            path: String = "{year}/{month}/{slug}.md",
            timezone: String = "UTC",
            draft: Bool = false,
            maxAge: TimeInterval? = nil,
            maxItems: Int? = nil
        ) {
            self.dir = dir
            self.date = date
            self.path = path
            self.timezone = timezone
            self.draft = draft
            self.maxAge = maxAge
            self.maxItems = maxItems
        }
    }

    /// How feeds are fetched and scheduled.
    public struct Fetch: Sendable, Equatable {
        /// Feeds fetched at once.
        public var concurrency: Int
        /// Feeds fetched at once from one host.
        public var perHost: Int
        /// The whole request's time limit, in seconds.
        public var timeout: TimeInterval
        /// The connection's time limit, in seconds.
        public var connectTimeout: TimeInterval
        /// The largest response body read, in bytes.
        public var maxBody: Int
        /// The User-Agent sent, when not the built-in one.
        public var userAgent: String?
        /// No feed is checked more often than this (seconds).
        public var minInterval: TimeInterval
        /// No feed is checked less often than this (seconds).
        public var maxInterval: TimeInterval

        /// Creates fetch settings; every argument has a default.
        public init(
            concurrency: Int = 32,
            perHost: Int = 4,
            timeout: TimeInterval = 30,
            connectTimeout: TimeInterval = 10,
            maxBody: Int = 20 << 20,
            userAgent: String? = nil,
            minInterval: TimeInterval = 300,
            maxInterval: TimeInterval = 86_400
        ) {
            self.concurrency = concurrency
            self.perHost = perHost
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.maxBody = maxBody
            self.userAgent = userAgent
            self.minInterval = minInterval
            self.maxInterval = maxInterval
        }
    }

    /// The SQLite file's path, or a `postgres://` URL, as given.
    public var database: String
    /// Where and how content files are written.
    public var output: Output
    /// How feeds are fetched.
    public var fetch: Fetch
    /// Rules applied to every feed, before each feed's own.
    public var filters: [FilterRule]
    /// The feeds, in file order.
    public var feeds: [FeedSubscription]

    /// Creates a configuration; every argument has a default.
    public init(
        database: String = "tidings.sqlite",
        output: Output = .init(),
        fetch: Fetch = .init(),
        filters: [FilterRule] = [],
        feeds: [FeedSubscription] = []
    ) {
        self.database = database
        self.output = output
        self.fetch = fetch
        self.filters = filters
        self.feeds = feeds
    }

    /// Reads and checks the YAML file at `path`.
    /// - Throws: ``ConfigurationError`` naming the file, line, column and key.
    public static func load(path: String) throws -> TidingsConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.unreadable(path, "cannot read the file (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError.unreadable(path, "the file is not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(yaml: text, file: path)
    }

    /// Reads and checks a configuration given as YAML text; `file` names it in errors.
    /// - Throws: ``ConfigurationError`` naming the file, line, column and key.
    public static func parse(yaml: String, file: String) throws -> TidingsConfiguration {
        try ConfigurationReader(file: file).read(yaml)
    }
}
