/// The XML vocabularies the reader understands.
enum Namespace: UInt8, Sendable {
    /// RSS 0.9x/2.0 (no namespace), RSS 1.0, RSS 0.90, Atom 1.0 and 0.3: the core
    /// element names, read the same way whatever the format, as feedparser does.
    case core
    case atom
    case rdf
    case content
    case dc
    case dcterms
    case media
    case itunes
    case feedburner
    case xhtml
    case wfw
    case xml
    case other

    /// The namespace a URI names (case and trailing-slash variants included).
    static func resolve(uri: String?, prefix: String?) -> Namespace {
        if let uri, !uri.isEmpty {
            var key = uri.lowercased()
            if key.hasSuffix("/") || key.hasSuffix("#") { key.removeLast() }
            if let known = byURI[key] { return known }
            if key.hasPrefix("http://www.w3.org/2005/atom") || key.hasPrefix("http://purl.org/atom/ns") { return .atom }
            if key.hasPrefix("http://search.yahoo.com/mrss") { return .media }
        }
        // Undeclared or unknown namespace: fall back on the customary prefix.
        if let prefix, let known = byPrefix[prefix.lowercased()] { return known }
        // An unknown default namespace on RSS elements is common enough to read as core.
        return prefix == nil ? .core : .other
    }

    private static let byURI: [String: Namespace] = [
        "http://purl.org/rss/1.0": .core,
        "http://my.netscape.com/rdf/simple/0.9": .core,
        "http://backend.userland.com/rss2": .core,
        "http://blogs.law.harvard.edu/tech/rss": .core,
        "http://backend.userland.com/rss": .core,
        "http://channel.netscape.com/rdf/simple/0.9": .core,
        "http://www.w3.org/2005/atom": .atom,
        "http://purl.org/atom/ns": .atom,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns": .rdf,
        "http://purl.org/rss/1.0/modules/content": .content,
        "http://purl.org/dc/elements/1.1": .dc,
        "http://purl.org/dc/elements/1.0": .dc,
        "http://purl.org/dc/terms": .dcterms,
        "http://search.yahoo.com/mrss": .media,
        "http://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
        "http://example.com/dtds/podcast-1.0.dtd": .itunes,
        "http://rssnamespace.org/feedburner/ext/1.0": .feedburner,
        "http://www.w3.org/1999/xhtml": .xhtml,
        "http://wellformedweb.org/commentapi": .wfw,
        "http://www.w3.org/xml/1998/namespace": .xml,
    ]

    private static let byPrefix: [String: Namespace] = [
        "atom": .atom, "rdf": .rdf, "content": .content, "dc": .dc, "dcterms": .dcterms, "media": .media,
        "itunes": .itunes, "feedburner": .feedburner, "xhtml": .xhtml, "wfw": .wfw, "xml": .xml,
    ]
}

/// Elements the reader acts on. Core names are shared by RSS and Atom.
enum Tag: UInt8, Sendable {
    case other
    // Roots and containers
    case rss, rdfRoot, feed, channel, item, entry, image, textInput, source, mediaGroup
    // Core
    case title, link, description, guid, pubDate, author, contributor, category, enclosure, comments, url
    case language, lastBuildDate, ttl, managingEditor, webMaster, id, updated, published, issued, modified
    case created, summary, content, subtitle, tagline, name, email, uri, logo, icon, info, rights, copyright
    case body, div, fullitem
    // Extensions
    case contentEncoded, dcCreator, dcAuthor, dcDate, dcSubject, dcLanguage, dcTitle, dcDescription
    case dctermsIssued, dctermsCreated, dctermsModified
    case mediaContent, mediaThumbnail, mediaTitle, mediaDescription, mediaCategory, itunesCategory
    case itunesImage, itunesAuthor, itunesSummary, feedburnerOrigLink, wfwCommentRss

    static func resolve(namespace: Namespace, name: String) -> Tag {
        switch namespace {
        case .core, .atom:
            // Some publishers write RSS element names in upper case.
            return core[name] ?? core[name.lowercased()] ?? .other
        case .rdf:
            return name == "RDF" ? .rdfRoot : .other
        case .content:
            return name == "encoded" ? .contentEncoded : .other
        case .dc:
            switch name {
            case "creator": return .dcCreator
            case "author": return .dcAuthor
            case "date": return .dcDate
            case "subject": return .dcSubject
            case "language": return .dcLanguage
            case "title": return .dcTitle
            case "description": return .dcDescription
            default: return .other
            }
        case .dcterms:
            switch name {
            case "issued": return .dctermsIssued
            case "created": return .dctermsCreated
            case "modified": return .dctermsModified
            default: return .other
            }
        case .media:
            switch name {
            case "content": return .mediaContent
            case "thumbnail": return .mediaThumbnail
            case "group": return .mediaGroup
            case "title": return .mediaTitle
            case "description": return .mediaDescription
            case "category": return .mediaCategory
            default: return .other
            }
        case .itunes:
            switch name {
            case "image": return .itunesImage
            case "author": return .itunesAuthor
            case "summary": return .itunesSummary
            case "category": return .itunesCategory
            default: return .other
            }
        case .feedburner:
            return name == "origLink" ? .feedburnerOrigLink : .other
        case .wfw:
            return name.lowercased() == "commentrss" ? .wfwCommentRss : .other
        case .xhtml:
            switch name {
            case "body": return .body
            case "div": return .div
            default: return .other
            }
        case .xml, .other:
            return .other
        }
    }

    private static let core: [String: Tag] = [
        "rss": .rss, "feed": .feed, "channel": .channel, "item": .item, "entry": .entry, "image": .image,
        "textInput": .textInput, "textinput": .textInput, "source": .source, "title": .title, "link": .link,
        "description": .description, "guid": .guid, "pubDate": .pubDate, "pubdate": .pubDate, "author": .author,
        "contributor": .contributor, "category": .category, "enclosure": .enclosure, "comments": .comments,
        "url": .url, "language": .language, "lastBuildDate": .lastBuildDate, "ttl": .ttl,
        "managingEditor": .managingEditor, "webMaster": .webMaster, "id": .id, "updated": .updated,
        "published": .published, "issued": .issued, "modified": .modified, "created": .created,
        "summary": .summary, "content": .content, "subtitle": .subtitle, "tagline": .tagline, "name": .name,
        "email": .email, "uri": .uri, "homepage": .uri, "logo": .logo, "icon": .icon, "info": .info, "rights": .rights,
        "copyright": .copyright, "RDF": .rdfRoot, "body": .body, "fullitem": .fullitem, "lastbuilddate": .lastBuildDate,
        "managingeditor": .managingEditor, "webmaster": .webMaster,
    ]
}
