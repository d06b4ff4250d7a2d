import Foundation
import TidingsModel

/// How a text construct's characters are to be read.
enum TextKind: Sendable {
    /// Plain text (Atom `type="text"`, most RSS fields).
    case plain
    /// HTML, escaped or in CDATA (RSS `description`, Atom `type="html"`).
    case html
    /// Inline XHTML markup, already serialized as HTML.
    case xhtml
    /// RSS text whose kind the publisher did not say: HTML if it looks like HTML.
    case guess
}

/// A text construct as read, before it is turned into plain text or HTML. The
/// characters stay UTF-8 bytes: bodies go to the model without being decoded.
struct TextValue: Sendable {
    var bytes: [UInt8]
    var kind: TextKind
    /// The base URL in scope where the text was found.
    var base: String?
    /// Whether `base` comes from an `xml:base` (rather than the document URL).
    var explicitBase = false

    var text: String { String(decoding: bytes, as: UTF8.self) }
    var isEmpty: Bool { bytes.isEmpty }

    /// The value as HTML.
    var htmlBytes: [UInt8] {
        switch kind {
        case .html, .xhtml: return bytes
        case .plain: return HTMLText.escape(bytes)
        case .guess: return HTMLText.looksLikeHTML(bytes) ? bytes : HTMLText.escape(bytes)
        }
    }

    /// The value as HTML.
    var html: String { String(decoding: htmlBytes, as: UTF8.self) }

    /// The value as plain text.
    var plain: String {
        switch kind {
        case .plain: return text
        case .html, .xhtml: return HTMLText.plainText(fromHTML: text)
        case .guess: return HTMLText.looksLikeHTML(bytes) ? HTMLText.plainText(fromHTML: text) : text
        }
    }
}

/// Which element a date came from; the adapter picks by this.
enum DateSource: UInt8, Sendable {
    case pubDate, dcDate, issued, created, modified, published, updated, lastBuildDate
    case dctermsIssued, dctermsCreated, dctermsModified
}

/// The dates found for one item, one slot per source element: stored inline, so
/// an entry's dates cost no allocation. Kept as seconds since the reference date
/// (NaN for none) rather than as `Date?`: Foundation's `Date` has a resilient
/// layout, which made every ``RawItem`` copied and destroyed through the runtime's
/// generic value witnesses instead of inline code.
struct DateSlots: Sendable {
    private var pubDate = Double.nan, dcDate = Double.nan, issued = Double.nan, created = Double.nan
    private var modified = Double.nan, published = Double.nan, updated = Double.nan, lastBuildDate = Double.nan
    private var dctermsIssued = Double.nan, dctermsCreated = Double.nan, dctermsModified = Double.nan

    subscript(source: DateSource) -> Date? {
        get {
            let seconds: Double
            switch source {
            case .pubDate: seconds = pubDate
            case .dcDate: seconds = dcDate
            case .issued: seconds = issued
            case .created: seconds = created
            case .modified: seconds = modified
            case .published: seconds = published
            case .updated: seconds = updated
            case .lastBuildDate: seconds = lastBuildDate
            case .dctermsIssued: seconds = dctermsIssued
            case .dctermsCreated: seconds = dctermsCreated
            case .dctermsModified: seconds = dctermsModified
            }
            return seconds.isNaN ? nil : Date(timeIntervalSinceReferenceDate: seconds)
        }
        set {
            let seconds = newValue?.timeIntervalSinceReferenceDate ?? .nan
            switch source {
            case .pubDate: pubDate = seconds
            case .dcDate: dcDate = seconds
            case .issued: issued = seconds
            case .created: created = seconds
            case .modified: modified = seconds
            case .published: published = seconds
            case .updated: updated = seconds
            case .lastBuildDate: lastBuildDate = seconds
            case .dctermsIssued: dctermsIssued = seconds
            case .dctermsCreated: dctermsCreated = seconds
            case .dctermsModified: dctermsModified = seconds
            }
        }
    }
}

/// An Atom-style `link` element.
struct RawLink: Sendable {
    var href: String
    var rel: String
    var type: String?
    var length: Int64?
}

/// A Media RSS `content` or `thumbnail`.
struct RawMedia: Sendable {
    var url: String
    var type: String?
    var medium: String?
    var isThumbnail: Bool
}

/// Everything the reader found for one `item`/`entry` or for the channel/feed
/// itself, in the shape of the source elements. ``FeedAdapter`` turns it into the
/// model, with the precedence between competing elements written down there.
struct RawItem: Sendable {
    var title: TextValue?
    var dcTitle: TextValue?
    var mediaTitle: TextValue?
    var rssLink: String?
    var links: [RawLink] = []
    var guid: String?
    var guidIsPermalink = true
    var atomID: String?
    var rdfAbout: String?
    var description: TextValue?
    var dcDescription: TextValue?
    var summary: TextValue?
    var contentEncoded: TextValue?
    var content: TextValue?
    var xhtmlBody: TextValue?
    var itunesSummary: TextValue?
    var mediaDescription: TextValue?
    var dates = DateSlots()
    var authors: [Author] = []
    var rssAuthors: [String] = []
    var dcCreators: [String] = []
    var itunesAuthor: String?
    var categories: [Category] = []
    var enclosures: [Enclosure] = []
    var media: [RawMedia] = []
    var itunesImage: String?
    var origLink: String?
    var comments: String?
    var commentRss: String?
    var language: String?
    var lang: String?
    var imageURL: String?
    var logo: String?
    var icon: String?
    var ttl: Int?
    var base: String?

    func date(_ source: DateSource) -> Date? {
        dates[source]
    }
}
