import Foundation
import CLibXML2
import TidingsModel

/// Reads and writes OPML subscription lists.
public enum OPML {
    /// The feeds of an OPML 1.0 or 2.0 document.
    ///
    /// Outlines with an `xmlUrl` are feeds (their `title`, else `text`, is the feed's
    /// title); outlines without one are folders, and a feed's category is the titles of
    /// the folders around it joined with `/`. `htmlUrl` is ignored. Only http(s) URLs
    /// are kept (`feed://` is read as `http://`; see ``FeedURL``), each once.
    ///
    /// The document is read by libxml2 in recover mode with no network access, no DTD
    /// loading and no entity substitution: an entity a document defines is left out,
    /// never fetched or read from disk.
    /// - Throws: ``ConfigurationError`` when `bytes` has no `<opml>` root element.
    public static func parse(_ bytes: [UInt8], file: String) throws -> [FeedSubscription] {
        try read(bytes, file: file).feeds
    }

    /// What an OPML document subscribes to.
    public struct Subscriptions: Sendable, Equatable {
        /// The feeds, in document order, each once.
        public var feeds: [FeedSubscription] = []
        /// The `xmlUrl` values left out as not http(s) URLs with a host, as written.
        public var unusable: [String] = []
    }

    /// ``parse(_:file:)``, with the outlines whose URL could not be used.
    /// - Throws: ``ConfigurationError`` when `bytes` has no `<opml>` root element.
    public static func read(_ bytes: [UInt8], file: String) throws -> Subscriptions {
        let options =
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, nil, Int32(options))
            }
        }
        guard let document else {
            throw ConfigurationError.invalidOPML(file, "not an OPML file: it could not be read as XML")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), name(root) == "opml" else {
            throw ConfigurationError.invalidOPML(file, "not an OPML file: there is no <opml> root element")
        }
        var found = Subscriptions()
        var seen = Set<String>()
        for body in children(root) where name(body) == "body" {
            collect(body, folders: [], into: &found, seen: &seen)
        }
        return found
    }

    /// An OPML 2.0 document listing `feeds`, grouped by category into nested folder
    /// outlines (`a/b` is folder `b` inside folder `a`); feeds without a category come
    /// first, at the top level.
    public static func export(_ feeds: [FeedSubscription], title: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n"
        out += "    <title>\(escape(title))</title>\n  </head>\n  <body>\n"
        let root = Folder(name: "")
        for feed in feeds {
            var folder = root
            let path = (feed.category ?? "").split(separator: "/").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            for part in path { folder = folder.child(part) }
            folder.feeds.append(feed)
        }
        write(root, depth: 2, into: &out)
        out += "  </body>\n</opml>\n"
        return out
    }

    // MARK: Reading

    static func name(_ node: xmlNodePtr) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return nil }
        return String(cString: name)
    }

    static func children(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// The attributes of `node` by lowercased name, built from their text children
    /// only: an entity reference (never substituted here) contributes nothing.
    static func attributes(_ node: xmlNodePtr) -> [String: String] {
        var result: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                var value = ""
                var child = current.pointee.children
                while let text = child {
                    if text.pointee.type == XML_TEXT_NODE, let content = text.pointee.content {
                        value += String(cString: content)
                    }
                    child = text.pointee.next
                }
                result[String(cString: name).lowercased()] = value
            }
            attribute = current.pointee.next
        }
        return result
    }

    static func collect(
        _ node: xmlNodePtr, folders: [String], into found: inout Subscriptions, seen: inout Set<String>
    ) {
        for outline in children(node) where name(outline)?.lowercased() == "outline" {
            let attributes = attributes(outline)
            let label = [attributes["title"], attributes["text"]].compactMap { $0 }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
            if let rawURL = attributes["xmlurl"] {
                if let url = FeedURL.checked(subscribing: rawURL) {
                    if seen.insert(FeedURL.identity(url)).inserted {
                        found.feeds.append(
                            FeedSubscription(
                                url: url, title: label,
                                category: folders.isEmpty ? nil : folders.joined(separator: "/")))
                    }
                } else {
                    found.unusable.append(rawURL)
                }
                collect(outline, folders: folders, into: &found, seen: &seen)
            } else {
                let folder = label.map { $0.replacingOccurrences(of: "/", with: "-") }
                collect(outline, folders: folders + (folder.map { [$0] } ?? []), into: &found, seen: &seen)
            }
        }
    }

    // MARK: Writing

    final class Folder {
        let name: String
        var feeds: [FeedSubscription] = []
        var folders: [Folder] = []

        init(name: String) {
            self.name = name
        }

        func child(_ name: String) -> Folder {
            if let existing = folders.first(where: { $0.name == name }) { return existing }
            let folder = Folder(name: name)
            folders.append(folder)
            return folder
        }
    }

    static func write(_ folder: Folder, depth: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth)
        for feed in folder.feeds {
            let text = escape(feed.title ?? feed.name ?? feed.url)
            out +=
                "\(indent)<outline type=\"rss\" text=\"\(text)\" title=\"\(text)\" xmlUrl=\"\(escape(feed.url))\"/>\n"
        }
        for child in folder.folders {
            let text = escape(child.name)
            out += "\(indent)<outline text=\"\(text)\" title=\"\(text)\">\n"
            write(child, depth: depth + 1, into: &out)
            out += "\(indent)</outline>\n"
        }
    }

    /// Text for an XML 1.0 attribute value or element: markup characters as entities,
    /// whitespace that attribute normalization would change as character references,
    /// characters XML 1.0 does not allow left out.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xFFFE...0xFFFF).contains(value)
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
