import Foundation
import TidingsModel

/// The values of one Hugo content file: its front matter and its body.
public struct HugoPage: Sendable, Hashable {
    /// The title, as plain text.
    public var title: String
    /// The publication date, written in the configured style and time zone.
    public var date: Date
    /// A plain-text summary.
    public var description: String
    /// The best image URL, `""` when none.
    public var image: String
    /// The article's URL.
    public var link: String
    /// The feed's URL, as configured.
    public var source: String
    /// Whether Hugo should treat the page as a draft.
    public var draft: Bool
    /// The sanitized, Hugo-safe HTML body (one CommonMark HTML block), written verbatim.
    public var body: String

    /// Creates a page from its values.
    public init(
        title: String,
        date: Date,
        description: String = "",
        image: String = "",
        link: String = "",
        source: String = "",
        draft: Bool = false,
        body: String = ""
    ) {
        self.title = title
        self.date = date
        self.description = description
        self.image = image
        self.link = link
        self.source = source
        self.draft = draft
        self.body = body
    }

    /// Creates the page of a processed entry.
    ///
    /// - Parameters:
    ///   - entry: The entry; a missing image or link is written as `""`.
    ///   - source: The feed's URL as configured.
    ///   - date: The date to write: the entry's `published`, else when it was first seen.
    ///   - draft: The value written as `draft:`.
    public init(entry: ProcessedEntry, source: String, date: Date, draft: Bool = false) {
        self.init(
            title: entry.title,
            date: date,
            description: entry.description,
            image: entry.image ?? "",
            link: entry.link ?? "",
            source: source,
            draft: draft,
            body: entry.body
        )
    }
}
