/// Why no feed could be read from a document.
public struct FeedParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case empty
        case notAFeed(String)
        case invalidJSON(String)
        case tooLarge(Int)
        case unreadable(String)
    }

    private let kind: Kind

    /// The document has no content.
    public static let empty = FeedParsingError(kind: .empty)
    /// The document is not RSS, Atom, RDF or JSON Feed; `reason` says what it is.
    public static func notAFeed(_ reason: String) -> FeedParsingError { FeedParsingError(kind: .notAFeed(reason)) }
    /// A JSON document that could not be read.
    public static func invalidJSON(_ reason: String) -> FeedParsingError {
        FeedParsingError(kind: .invalidJSON(reason))
    }
    /// A document over the size the parser accepts for its format.
    public static func tooLarge(limit: Int) -> FeedParsingError { FeedParsingError(kind: .tooLarge(limit)) }
    /// The input could not be read at all (file or network error).
    public static func unreadable(_ reason: String) -> FeedParsingError { FeedParsingError(kind: .unreadable(reason)) }

    /// A short, stable form safe for a metric label.
    public var shortDescription: String {
        switch kind {
        case .empty: return "empty"
        case .notAFeed: return "not_a_feed"
        case .invalidJSON: return "invalid_json"
        case .tooLarge: return "too_large"
        case .unreadable: return "unreadable"
        }
    }

    /// Whether the document is not RSS, Atom, RDF or JSON Feed (rather than empty,
    /// too large or unreadable).
    var isNotAFeed: Bool {
        if case .notAFeed = kind { return true }
        return false
    }

    /// ``description`` without the "not a feed: " that it starts with for a document
    /// of another kind: for a caller that says "not a feed" itself.
    public var reason: String {
        if case .notAFeed(let reason) = kind { return reason }
        return description
    }

    /// One line a user can act on.
    public var description: String {
        switch kind {
        case .empty: return "the document is empty"
        case .notAFeed(let reason): return "not a feed: \(reason)"
        case .invalidJSON(let reason): return "not a valid JSON Feed: \(reason)"
        case .tooLarge(let limit): return "the document is larger than \(limit) bytes"
        case .unreadable(let reason): return reason
        }
    }
}
