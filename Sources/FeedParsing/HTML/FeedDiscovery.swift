import CLibXML2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import TidingsModel

/// The feeds a web page names in its `<link rel="alternate">` elements: what a user who
/// configured a site's home page instead of its feed needs to know.
public enum FeedDiscovery {
    /// A feed a page names.
    public struct Link: Sendable, Hashable {
        /// The feed's absolute URL.
        public var url: String
        /// Its media type as the page gives it (`application/rss+xml`, …).
        public var type: String
        /// Its title, if the page gives one.
        public var title: String?
    }

    /// The media types of feeds.
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
        "application/x.atom+xml", "application/x-atom+xml", "application/x-rss+xml",
    ]

    /// The feeds `html` names, in page order, each once, at most `limit`; relative URLs
    /// resolve against the page's `<base href>`, else `pageURL`.
    ///
    /// Read by libxml2's HTML parser in recover mode, with no network access.
    public static func links(in html: [UInt8], pageURL: String?, limit: Int = 5) -> [Link] {
        let options =
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue
        let document = html.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, nil, Int32(options))
            }
        }
        guard let document else { return [] }
        defer { xmlFreeDoc(document) }
        var base = pageURL
        var links: [Link] = []
        var seen = Set<String>()
        // Depth-first, iteratively: a hostile page may nest elements very deep.
        var stack: [xmlNodePtr] = []
        if let root = xmlDocGetRootElement(document) { stack.append(root) }
        while let node = stack.popLast(), links.count < limit {
            guard node.pointee.type == XML_ELEMENT_NODE, let rawName = node.pointee.name else { continue }
            let name = String(cString: rawName).lowercased()
            if name == "base", base == pageURL, let href = attribute(node, "href"), !href.isEmpty {
                base = base.map { URLResolver.resolve(href, against: $0) } ?? href
            } else if name == "link", let href = attribute(node, "href")?.trimmingWhiteSpace, !href.isEmpty,
                let type = attribute(node, "type").map(mediaType), feedTypes.contains(type),
                let rel = attribute(node, "rel"),
                rel.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).contains("alternate")
            {
                let url = base.map { URLResolver.resolve(href, against: $0) } ?? href
                if seen.insert(url).inserted {
                    let title = attribute(node, "title")?.trimmingWhiteSpace
                    links.append(Link(url: url, type: type, title: title?.isEmpty == false ? title : nil))
                }
            }
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { children.append(current) }
                child = current.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return links
    }

    /// A `type` attribute's media type: lower case, without parameters (`; charset=…`).
    static func mediaType(_ type: String) -> String {
        String(type.prefix { $0 != ";" }).trimmingWhiteSpace.lowercased()
    }

    /// The value of `node`'s attribute `name`, entities decoded.
    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        // libxml2 allocates with malloc (Tidings never changes its allocator, and
        // Swift cannot read the `xmlFree` variable safely).
        defer { free(value) }
        return String(cString: value)
    }
}
