import CLibXML2
import Foundation
import TidingsModel

/// The SAX2 event handler that reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 in one
/// pass straight into ``RawItem`` values, one entry at a time.
///
/// Core element names are read the same way in every format (an RSS `link` with an
/// `href` is an Atom link), as feedparser does, because real feeds mix them. Text is
/// only collected inside elements that are kept; markup inside a kept element (Atom
/// XHTML, or HTML an RSS publisher forgot to escape) is written back as HTML.
final class FeedDocumentReader {
    private enum Scope: UInt8 { case document, channel, entry, person, image, ignore }
    private enum Opens: UInt8 { case nothing, entry, person }

    /// One open element. Plain data (no references), so pushing and popping the
    /// stack costs no reference counting; `xml:base`/`xml:lang` live in `contexts`.
    private struct Frame {
        var tag: Tag
        var name: UnsafePointer<UInt8>?
        /// Index into `contexts` of the base URL and language in scope.
        var context: Int32
        /// Whether this element pushed its own context.
        var ownsContext: Bool
        var scope: Scope
        var opens: Opens
    }

    /// The `xml:base` and `xml:lang` in scope, a stack that grows only where a
    /// document sets them; entry 0 is the document itself.
    private struct Context {
        var base: String?
        /// Whether `base` comes from an `xml:base` rather than the document URL.
        var explicitBase: Bool
        var lang: String?
    }

    private var contexts: [Context] = []

    private func base(_ frame: Frame) -> String? { contexts[Int(frame.context)].base }
    private func lang(_ frame: Frame) -> String? { contexts[Int(frame.context)].lang }

    private enum Field: Equatable {
        case title, dcTitle, mediaTitle, rssLink, guid, atomID, description, dcDescription, summary
        case contentEncoded, content, xhtmlBody, itunesSummary, mediaDescription
        case date(DateSource)
        case rssAuthor, dcCreator, itunesAuthor, category, personName, personEmail, personURI, personText
        case origLink, comments, commentRss, language, imageURL, logo, icon, ttl, itunesImageText
    }

    /// The element whose text is being collected. One instance is reused for the
    /// whole document, so the per-event checks neither allocate nor copy.
    private final class Capture {
        var active = false
        var field = Field.title
        var kind = TextKind.plain
        var depth = 0
        /// Index into `contexts` of the element's base URL and language: an index,
        /// not the strings, so starting a capture retains and releases nothing. The
        /// context stays on its stack until the capture is finished.
        var context: Int32 = 0
        var escapeText = false
        var sawChild = false
        var topLevelChildren = 0
        var textOutsideChildren = false
        var scheme: String?
        var isPermalink = true
        var base64 = false

        func begin(field: Field, kind: TextKind, depth: Int, context: Int32) {
            active = true
            self.field = field
            self.kind = kind
            self.depth = depth
            self.context = context
            escapeText = kind == .xhtml
            sawChild = false
            topLevelChildren = 0
            textOutsideChildren = false
            if scheme != nil { scheme = nil }
            isPermalink = true
            base64 = false
        }
    }

    /// The URL the document was read from, for relative references.
    let documentURL: String?
    /// The detected format, once the root element was seen.
    private(set) var format: FeedFormat?
    /// The name of the root element.
    private(set) var rootName: String?
    private(set) var sawFeedElement = false
    private(set) var entries: [Entry] = []
    private(set) var channel = RawItem()
    var warnings = WarningCollector()
    /// libxml2's context, when libxml2 reads the document.
    var parserContext: xmlParserCtxtPtr?
    /// The line of the current event, when ``UTF8XMLTokenizer`` reads the document.
    var tokenizerLine: (() -> Int)?
    /// Whether the reader asked to stop reading (see ``stopReading()``).
    private(set) var stopRequested = false
    /// Whether the reader wants the text between tags: only while it collects an
    /// element's text (see ``receivesText(_:)``).
    private(set) var wantsText = false
    /// The longest text kept for one element.
    var maxTextLength = 8 << 20
    /// When set, receives each entry instead of ``entries`` keeping it.
    var entryHandler: ((Entry) -> Void)?
    private(set) var entryCount = 0
    /// Optimistic reading: stop at the first problem libxml2 reports.
    var stopsAtFirstError = false
    /// Set when an optimistic read stopped; the document must be read with repair.
    private(set) var needsRepair = false

    private var stack: [Frame] = []
    /// The entry being read, valid while `inItem`. Not an optional: testing or
    /// mutating an optional struct this large copies it whole.
    private var current = RawItem()
    private var inItem = false
    private var person: Author?
    private var personIsContributor = false
    private let capture = Capture()
    private var text = TextBuffer(capacity: 64 * 1024)
    private var pendingEndTag: String?
    private var nsCache: [(pointer: UnsafePointer<UInt8>?, prefix: UnsafePointer<UInt8>?, ns: Namespace)] = []
    private static let tagSlots = 256
    private var tagSlots = [
        (
            name: UnsafePointer<UInt8>?, uri: UnsafePointer<UInt8>?, prefix: UnsafePointer<UInt8>?, ns: Namespace,
            tag: Tag
        )
    ](repeating: (nil, nil, nil, .other, .other), count: FeedDocumentReader.tagSlots)

    /// How deep elements may nest before the reader stops.
    static let maxDepth = 512

    init(documentURL: String?) {
        self.documentURL = documentURL
        contexts = [Context(base: documentURL, explicitBase: false, lang: nil)]
    }

    deinit { text.deallocate() }

    // MARK: SAX events

    func startElement(
        localname: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?, uri: UnsafePointer<UInt8>?,
        attributes: Attributes
    ) {
        keepReadingReferences()
        if stack.count >= Self.maxDepth {
            // libxml2's push parser has no depth limit of its own; stop before a
            // hostile document can grow the element stacks without bound.
            warnings.add(
                "elements nested deeper than \(Self.maxDepth); the rest of the document is ignored", line: currentLine)
            stopReading()
            return
        }
        if capture.active {
            if capture.field == .personText {
                capture.active = false
                receivesText(false)
            } else {
                startChildOfCapture(localname: localname, prefix: prefix, attributes: attributes)
                return
            }
        }
        let (ns, tag) = element(localname, uri: uri, prefix: prefix)
        let parent = stack.last
        var frame = Frame(
            tag: tag, name: localname, context: parent?.context ?? 0, ownsContext: false,
            scope: parent?.scope ?? .document, opens: .nothing)
        for attribute in attributes where attribute.isXMLNamespace {
            if !frame.ownsContext {
                contexts.append(contexts[Int(frame.context)])
                frame.context = Int32(contexts.count - 1)
                frame.ownsContext = true
            }
            if attribute.localnameEquals("base") {
                contexts[Int(frame.context)].base = URLResolver.resolve(attribute.value, against: base(frame))
                contexts[Int(frame.context)].explicitBase = true
            } else if attribute.localnameEquals("lang") {
                let lang = attribute.value.trimmingASCIIWhitespace()
                contexts[Int(frame.context)].lang = lang.isEmpty ? nil : String(lang)
            }
        }
        if stack.isEmpty { detectFormat(tag: tag, localname: localname, uri: uri, attributes: attributes) }
        defer { stack.append(frame) }

        let isAtom = ns == .atom || (ns == .core && (format == .atom10 || format == .atom03))
        switch frame.scope {
        case .ignore:
            return
        case .image:
            if tag == .url { beginCapture(.imageURL, .plain, frame) }
            return
        case .person:
            switch tag {
            case .name: beginCapture(.personName, .plain, frame)
            case .email: beginCapture(.personEmail, .plain, frame)
            case .uri, .url: beginCapture(.personURI, .plain, frame)
            default: frame.scope = .ignore
            }
            return
        case .document, .channel, .entry:
            break
        }
        let inEntry = frame.scope == .entry

        switch tag {
        case .item, .entry:
            if inEntry {
                frame.scope = .ignore
                return
            }
            sawFeedElement = true
            if format == nil { inferFormat(atom: tag == .entry) }
            // `current` is empty here: the end of the previous entry moved it out.
            current.base = base(frame)
            current.lang = lang(frame)
            if let about = attributes.value(named: "about") {
                current.rdfAbout = URLResolver.resolve(about, against: base(frame))
            }
            inItem = true
            frame.scope = .entry
            frame.opens = .entry
        case .channel, .feed:
            sawFeedElement = true
            if format == nil { inferFormat(atom: tag == .feed) }
            if frame.scope == .document {
                frame.scope = .channel
                if channel.lang == nil { channel.lang = lang(frame) }
                channel.base = base(frame)
            }
        case .rss, .rdfRoot:
            if stack.isEmpty { sawFeedElement = true }
        case .image:
            if inEntry {
                if let url = attributes.value(named: "url") ?? attributes.value(named: "href") {
                    current.media.append(
                        RawMedia(
                            url: URLResolver.resolve(url, against: base(frame)), type: nil, medium: "image",
                            isThumbnail: false))
                }
                frame.scope = .ignore
            } else {
                frame.scope = .image
            }
        case .textInput, .source, .contributor, .info, .rights, .copyright:
            frame.scope = .ignore
        case .title:
            beginCapture(.title, isAtom ? atomKind(attributes) : .guess, frame, attributes: attributes)
        case .link:
            if let href = attributes.value(named: "href") {
                let rel = attributes.trimmedLowercasedValue(named: "rel") ?? "alternate"
                let link = RawLink(
                    href: URLResolver.resolve(href, against: base(frame)), rel: rel.isEmpty ? "alternate" : rel,
                    type: attributes.lowercasedValue(named: "type"),
                    length: attributes.trimmedValue(named: "length").flatMap { Int64($0) })
                if inEntry { current.links.append(link) } else { channel.links.append(link) }
                frame.scope = .ignore
            } else {
                beginCapture(.rssLink, .plain, frame)
            }
        case .description:
            beginCapture(.description, .html, frame)
        case .summary:
            beginCapture(.summary, isAtom ? atomKind(attributes) : .html, frame, attributes: attributes)
        case .subtitle, .tagline:
            if !inEntry { beginCapture(.summary, isAtom ? atomKind(attributes) : .html, frame, attributes: attributes) }
        case .content:
            if attributes.bytes(named: "src") != nil {
                frame.scope = .ignore
                return
            }
            let mode = attributes.lowercasedValue(named: "mode")
            let kind = atomKind(attributes)
            let type = attributes.lowercasedValue(named: "type") ?? ""
            if mode == "base64" {
                beginCapture(.content, kind, frame, attributes: attributes)
            } else if kind == .plain, type.contains("/"), !type.hasPrefix("text"), !type.hasSuffix("xml") {
                if type.hasPrefix("image/") || type.hasPrefix("audio/") || type.hasPrefix("video/") {
                    // Base64 media in an Atom content element: not text.
                    frame.scope = .ignore
                } else {
                    // Any other media type is base64 (RFC 4287 §4.1.3.3); read it as text.
                    beginCapture(.content, .plain, frame)
                    capture.base64 = true
                }
            } else {
                beginCapture(.content, mode == "escaped" && kind == .plain ? .html : kind, frame)
            }
        case .contentEncoded:
            beginCapture(.contentEncoded, .html, frame)
        case .body:
            beginCapture(.xhtmlBody, .xhtml, frame)
        case .fullitem:
            beginCapture(.xhtmlBody, .html, frame)
        case .itunesCategory:
            if inEntry, let term = attributes.value(named: "text"), !term.isEmpty {
                current.categories.append(Category(term: term, scheme: "http://www.itunes.com/"))
            }
        case .mediaCategory:
            beginCapture(.category, .plain, frame)
            capture.scheme = attributes.value(named: "scheme")
        case .guid:
            beginCapture(.guid, .plain, frame)
            if let permalink = attributes.bytes(named: "isPermaLink") {
                capture.isPermalink = !permalink.trimmingASCIIWhitespace().equalsIgnoringASCIICase("false")
            }
        case .id:
            beginCapture(.atomID, .plain, frame)
        case .pubDate: beginCapture(.date(.pubDate), .plain, frame)
        case .updated: beginCapture(.date(.updated), .plain, frame)
        case .published: beginCapture(.date(.published), .plain, frame)
        case .issued: beginCapture(.date(.issued), .plain, frame)
        case .modified: beginCapture(.date(.modified), .plain, frame)
        case .created: beginCapture(.date(.created), .plain, frame)
        case .lastBuildDate: beginCapture(.date(.lastBuildDate), .plain, frame)
        case .dcDate: beginCapture(.date(.dcDate), .plain, frame)
        case .dctermsIssued: beginCapture(.date(.dctermsIssued), .plain, frame)
        case .dctermsCreated: beginCapture(.date(.dctermsCreated), .plain, frame)
        case .dctermsModified: beginCapture(.date(.dctermsModified), .plain, frame)
        case .author:
            frame.scope = .person
            frame.opens = .person
            person = Author()
            personIsContributor = false
            beginCapture(.personText, .plain, frame)
        case .managingEditor, .webMaster:
            frame.scope = .ignore
        case .category:
            if let value = attributes.trimmedValue(named: "term") {
                if !value.isEmpty {
                    let category = Category(
                        term: value, scheme: attributes.value(named: "scheme"), label: attributes.value(named: "label"))
                    if inEntry { current.categories.append(category) } else { channel.categories.append(category) }
                }
                frame.scope = .ignore
            } else {
                beginCapture(.category, .plain, frame)
                capture.scheme = attributes.value(named: "domain")
            }
        case .dcSubject:
            beginCapture(.category, .plain, frame)
        case .enclosure:
            if let urlBytes = attributes.bytes(named: "url"), !urlBytes.trimmingASCIIWhitespace().isEmpty {
                let url = String(decoding: urlBytes, as: UTF8.self)
                let enclosure = Enclosure(
                    url: URLResolver.resolve(url, against: base(frame)),
                    type: attributes.trimmedValue(named: "type"),
                    length: attributes.trimmedValue(named: "length").flatMap { Int64($0) })
                if inEntry { current.enclosures.append(enclosure) }
            }
            frame.scope = .ignore
        case .comments: beginCapture(.comments, .plain, frame)
        case .wfwCommentRss: beginCapture(.commentRss, .plain, frame)
        case .language, .dcLanguage: beginCapture(.language, .plain, frame)
        case .ttl: beginCapture(.ttl, .plain, frame)
        case .logo: beginCapture(.logo, .plain, frame)
        case .icon: beginCapture(.icon, .plain, frame)
        case .dcCreator, .dcAuthor: beginCapture(.dcCreator, .plain, frame)
        case .dcTitle: beginCapture(.dcTitle, .guess, frame)
        case .dcDescription: beginCapture(.dcDescription, .guess, frame)
        case .mediaContent, .mediaThumbnail:
            if let urlBytes = attributes.bytes(named: "url"), !urlBytes.trimmingASCIIWhitespace().isEmpty {
                let url = String(decoding: urlBytes, as: UTF8.self)
                let media = RawMedia(
                    url: URLResolver.resolve(url, against: base(frame)),
                    type: attributes.lowercasedValue(named: "type"),
                    medium: attributes.lowercasedValue(named: "medium"),
                    isThumbnail: tag == .mediaThumbnail)
                if inEntry { current.media.append(media) }
            }
        case .mediaGroup:
            break
        case .mediaTitle:
            beginCapture(.mediaTitle, attributes.bytes(named: "type")?.equals("html") == true ? .html : .plain, frame)
        case .mediaDescription:
            beginCapture(
                .mediaDescription, attributes.bytes(named: "type")?.equals("html") == true ? .html : .plain, frame)
        case .itunesImage:
            if let href = attributes.value(named: "href") ?? attributes.value(named: "url") {
                let url = URLResolver.resolve(href, against: base(frame))
                if inEntry { current.itunesImage = url } else { channel.itunesImage = url }
                frame.scope = .ignore
            } else {
                beginCapture(.itunesImageText, .plain, frame)
            }
        case .itunesAuthor: beginCapture(.itunesAuthor, .plain, frame)
        case .itunesSummary: beginCapture(.itunesSummary, .plain, frame)
        case .feedburnerOrigLink: beginCapture(.origLink, .plain, frame)
        case .url, .name, .email, .uri, .div, .other:
            break
        }
    }

    func endElement() {
        keepReadingReferences()
        if let name = pendingEndTag {
            pendingEndTag = nil
            // libxml2 reports a mismatched end tag as the end of the innermost element;
            // close up to the element the tag really names, or ignore a stray one.
            guard
                let index = stack.lastIndex(where: { frame in
                    frame.name.map { String(cString: $0) == name } ?? false
                })
            else { return }
            while stack.count > index { popFrame() }
            return
        }
        popFrame()
    }

    @inline(__always)
    func characters(_ bytes: UnsafePointer<UInt8>, count: Int) {
        keepReadingReferences()
        guard capture.active else { return }
        let cap = capture
        var buffer = UnsafeBufferPointer(start: bytes, count: count)
        if text.count + count > maxTextLength {
            if text.count >= maxTextLength { return }
            buffer = UnsafeBufferPointer(start: bytes, count: maxTextLength - text.count)
            warnings.add("text longer than \(maxTextLength) bytes cut", line: currentLine)
        }
        if cap.sawChild && !cap.textOutsideChildren && stack.count - 1 == cap.depth {
            if buffer.contains(where: { $0 != 32 && $0 != 10 && $0 != 9 && $0 != 13 }) {
                cap.textOutsideChildren = true
            }
        }
        if cap.escapeText {
            text.appendEscaped(buffer)
        } else {
            text.append(contentsOf: buffer)
        }
    }

    /// libxml2 silently drops every entity reference — `&amp;` and `&lt;` included —
    /// once a document has been found not well-formed (`xmlParseReference` returns
    /// early), which in recovery mode loses text after the first error. Resetting the
    /// flag after each error keeps it reading them; errors are recorded separately.
    @inline(__always)
    private func keepReadingReferences() {
        if let context = parserContext, context.pointee.wellFormed == 0 { context.pointee.wellFormed = 1 }
    }

    /// The SAX text handler, installed in the parser context only while an element's
    /// text is being collected: libxml2 then skips the call for all other text (the
    /// whitespace between elements, the text of elements that are not kept).
    var textHandler: charactersSAXFunc?

    @inline(__always)
    private func receivesText(_ on: Bool) {
        wantsText = on
        guard let sax = parserContext?.pointee.sax else { return }
        let handler = on ? textHandler : nil
        // All three the same: libxml2 tests ignorable whitespace only when the
        // whitespace and text handlers differ.
        sax.pointee.characters = handler
        sax.pointee.ignorableWhitespace = handler
        sax.pointee.cdataBlock = handler
    }

    /// Called by an optimistic read at the first libxml2 problem: stop here.
    func abandonOptimisticRead() {
        guard !needsRepair else { return }
        needsRepair = true
        stopReading()
    }

    /// Whether `count` more bytes of text would exceed ``maxTextLength`` (and be
    /// cut, with a warning).
    func textWouldBeCut(adding count: Int) -> Bool {
        capture.active && text.count + count > maxTextLength
    }

    /// Stops the parser: no event follows.
    private func stopReading() {
        stopRequested = true
        if let parserContext { xmlStopParser(parserContext) }
    }

    /// Called for libxml2 errors; remembers what an end-tag mismatch really closed.
    func noteMismatchedEndTag(_ name: String?) {
        pendingEndTag = name
    }

    /// Closes whatever a truncated document left open.
    func finish() {
        while !stack.isEmpty { popFrame() }
    }

    /// The feed read so far, or nil when nothing feed-like was seen.
    func makeFeed() -> Feed? {
        guard let format, sawFeedElement || entryCount > 0 || channel.title != nil else { return nil }
        return FeedAdapter.feed(format: format, channel: channel, entries: entries)
    }

    // MARK: Structure

    private func popFrame() {
        guard let frame = stack.popLast() else { return }
        // Removed last: a capture ending here still reads its base URL from it.
        defer { if frame.ownsContext { contexts.removeLast() } }
        if capture.active {
            let cap = capture
            if stack.count == cap.depth {
                finishCapture()
            } else if stack.count > cap.depth {
                if let name = frame.name, !Self.isVoidElement(name) {
                    text.append(UInt8(ascii: "<"))
                    text.append(UInt8(ascii: "/"))
                    text.append(cString: name)
                    text.append(UInt8(ascii: ">"))
                }
                return
            }
        }
        switch frame.opens {
        case .nothing:
            break
        case .entry:
            // Moved out rather than copied, so its strings are not retained again.
            var raw = RawItem()
            swap(&raw, &current)
            if inItem {
                FeedAdapter.withEntry(from: &raw, feedLanguage: channel.language ?? channel.lang) { entry in
                    entryCount += 1
                    if let entryHandler { entryHandler(entry) } else { entries.append(entry) }
                }
            }
            inItem = false
        case .person:
            if let found = person, found.name != nil || found.email != nil || found.uri != nil {
                if inItem { current.authors.append(found) } else { channel.authors.append(found) }
            }
            person = nil
        }
    }

    private func detectFormat(
        tag: Tag, localname: UnsafePointer<UInt8>, uri: UnsafePointer<UInt8>?, attributes: Attributes
    ) {
        rootName = String(cString: localname)
        let uriString = uri.map { String(cString: $0) } ?? ""
        switch tag {
        case .rss:
            sawFeedElement = true
            let version = attributes.value(named: "version")?.trimmingASCIIWhitespace() ?? ""
            format = version.hasPrefix("0.9") ? .rss09x : .rss20
        case .rdfRoot:
            sawFeedElement = true
            format = rss090Namespace ? .rss09x : .rss10
        case .feed:
            sawFeedElement = true
            if uriString.hasPrefix("http://purl.org/atom/ns") || attributes.value(named: "version") == "0.3" {
                format = .atom03
            } else {
                format = .atom10
            }
        case .channel:
            format = .rss20
        default:
            break
        }
    }

    private func inferFormat(atom: Bool) {
        format = atom ? .atom10 : .rss20
        warnings.add("the root element <\(rootName ?? "?")> is not a feed root; read the feed elements inside it")
    }

    /// RSS 0.90 documents are RDF with their own namespace.
    func noteRSS090() {
        if format == .rss10 || format == nil { rss090Namespace = true }
        if format == .rss10 { format = .rss09x }
    }

    private var rss090Namespace = false

    /// Whether the root element was seen.
    var sawRootElement: Bool { rootName != nil }

    /// A namespace declared on the root element (RSS 0.90 is told apart by it).
    func noteDeclaredNamespace(_ uri: UnsafePointer<UInt8>) {
        if strncmp(uri, "http://my.netscape.com/rdf/simple/0.9", 37) == 0 { rss090Namespace = true }
    }

    // MARK: Text capture

    private func beginCapture(_ field: Field, _ kind: TextKind, _ frame: Frame, attributes: Attributes? = nil) {
        text.removeAll()
        capture.begin(field: field, kind: kind, depth: stack.count, context: frame.context)
        receivesText(true)
        if let attributes {
            if let mode = attributes.bytes(named: "mode"), mode.equalsIgnoringASCIICase("base64") {
                capture.base64 = true
            } else if let typeBytes = attributes.bytes(named: "type"),
                typeBytes.hasPrefixIgnoringASCIICase("application/"),
                let type = attributes.lowercasedValue(named: "type"), type.hasPrefix("application/"),
                !type.hasSuffix("xml")
            {
                // A text construct whose type is a binary media type is base64.
                capture.base64 = true
            }
        }
    }

    private func atomKind(_ attributes: Attributes) -> TextKind {
        // Compared as bytes: this runs for every Atom text construct.
        guard let typeBytes = attributes.bytes(named: "type") else {
            let mode = attributes.bytes(named: "mode")
            return mode?.equalsIgnoringASCIICase("escaped") == true ? .html : .plain
        }
        let type = typeBytes.trimmingASCIIWhitespace()
        if type.equalsIgnoringASCIICase("html") || type.equalsIgnoringASCIICase("text/html") { return .html }
        if type.equalsIgnoringASCIICase("xhtml") || type.equalsIgnoringASCIICase("application/xhtml+xml") {
            return .xhtml
        }
        return .plain
    }

    private func startChildOfCapture(
        localname: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?, attributes: Attributes
    ) {
        let parent = stack.last
        let cap = capture
        if cap.kind == .plain || cap.kind == .guess {
            if !cap.sawChild {
                // Text that turns out to hold markup: what came before is text in it.
                let before = Array(text.bytes)
                text.removeAll()
                before.withUnsafeBufferPointer { text.appendEscaped($0) }
                cap.escapeText = true
                cap.kind = .html
            }
        }
        if stack.count - 1 == cap.depth { cap.topLevelChildren += 1 }
        cap.sawChild = true
        text.append(UInt8(ascii: "<"))
        text.append(cString: localname)
        for attribute in attributes {
            text.append(UInt8(ascii: " "))
            if let p = attribute.prefix {
                text.append(cString: p)
                text.append(UInt8(ascii: ":"))
            }
            text.append(cString: attribute.localname)
            text.append(UInt8(ascii: "="))
            text.append(UInt8(ascii: "\""))
            text.appendAttributeEscaped(attribute.valueBytes)
            text.append(UInt8(ascii: "\""))
        }
        text.append(UInt8(ascii: ">"))
        stack.append(
            Frame(
                tag: .other, name: localname, context: parent?.context ?? 0, ownsContext: false, scope: .ignore,
                opens: .nothing))
    }

    private func finishCapture() {
        guard capture.active else { return }
        let cap = capture
        cap.active = false
        receivesText(false)
        let isBody: Bool
        switch cap.field {
        case .title, .dcTitle, .mediaTitle, .description, .dcDescription, .summary, .contentEncoded, .content,
            .xhtmlBody, .itunesSummary, .mediaDescription:
            isBody = true
        default:
            isBody = false
        }
        let unwrapsDiv =
            cap.topLevelChildren == 1 && !cap.textOutsideChildren
            && (cap.kind == .html || (cap.kind == .xhtml && format != .atom03))
        let trimmedText = text.bytes.trimmingASCIIWhitespace()
        let inEntry = inItem
        if isBody {
            // Bodies stay bytes.
            let textValue = TextValue(
                bytes: Self.bodyBytes(trimmedText, base64: cap.base64, unwrapsDiv: unwrapsDiv), kind: cap.kind,
                base: contexts[Int(cap.context)].base, explicitBase: contexts[Int(cap.context)].explicitBase)
            if inEntry {
                assignBody(cap.field, textValue, to: &current)
            } else {
                assignBody(cap.field, textValue, to: &channel)
            }
            return
        }
        // The usual short field is decoded straight from the reused buffer, with no
        // byte array in between.
        let value =
            !cap.base64 && !unwrapsDiv && !Self.hasC1Control(trimmedText)
            ? String(decoding: trimmedText, as: UTF8.self)
            : String(decoding: Self.bodyBytes(trimmedText, base64: cap.base64, unwrapsDiv: unwrapsDiv), as: UTF8.self)
        switch cap.field {
        case .personName: person?.name = value.isEmpty ? nil : HTMLText.collapseWhitespace(value)
        case .personEmail: person?.email = value.isEmpty ? nil : value
        case .personURI: person?.uri = url(value, cap)
        case .personText:
            if !value.isEmpty {
                if inEntry { current.rssAuthors.append(value) } else { channel.rssAuthors.append(value) }
            }
        case .imageURL: channel.imageURL = url(value, cap)
        default:
            if inEntry {
                assign(cap, text: value, to: &current)
            } else {
                assign(cap, text: value, to: &channel)
            }
        }
    }

    /// The collected text as kept: copied out of the reused buffer, base64 decoded
    /// where the element says so, C1 controls replaced, a wrapper div removed.
    private static func bodyBytes(_ trimmedText: UnsafeBufferPointer<UInt8>, base64: Bool, unwrapsDiv: Bool)
        -> [UInt8]
    {
        // Copied out of the reused buffer, a wrapper div cut off before the copy (C1
        // replacement, below, touches neither the div's tags nor ASCII whitespace,
        // so the order does not matter).
        let unwrapsFirst = unwrapsDiv && !base64
        var bytes = Array((unwrapsFirst ? divContent(trimmedText) : nil) ?? trimmedText)
        if base64 {
            let encoded = String(decoding: bytes.filter { $0 > 32 }, as: UTF8.self)
            if let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) {
                bytes = Self.trimmed(Array(data))
            }
        }
        if bytes.count > 1 { bytes = Self.replacingC1Controls(bytes) }
        if unwrapsDiv && !unwrapsFirst {
            // Atom 1.0 XHTML content sits in a wrapper div that is not content; so
            // does HTML content some publishers (TypePad) wrap the same way.
            bytes = Self.unwrapDiv(bytes)
        }
        return bytes
    }

    /// C1 control characters (U+0080–U+009F, from raw bytes or `&#146;`-style
    /// references) are windows-1252 text decoded as Latin-1 upstream: give the
    /// characters the publisher meant, as browsers and feedparser do.
    private static func replacingC1Controls(_ bytes: [UInt8]) -> [UInt8] {
        // Find each 0xC2 with memchr; most are Latin-1 letters or NBSP, left alone.
        var out: [UInt8] = []
        var copied = 0
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var i = 0
            while i + 1 < buffer.count, let hit = memchr(base + i, 0xC2, buffer.count - i - 1) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let next = buffer[at + 1]
                if next >= 0x80 && next <= 0x9F, let mapped = Windows1252.c1[Int(next - 0x80)] {
                    out.append(contentsOf: buffer[copied..<at])
                    appendUTF8(mapped, to: &out)
                    copied = at + 2
                }
                i = at + 1
            }
        }
        if copied == 0 { return bytes }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    /// Whether ``replacingC1Controls(_:)`` could change `bytes`: a 0xC2 followed
    /// by 0x80–0x9F.
    private static func hasC1Control(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 1 else { return false }
        var i = 0
        while i + 1 < bytes.count, let hit = memchr(base + i, 0xC2, bytes.count - i - 1) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if bytes[at + 1] >= 0x80 && bytes[at + 1] <= 0x9F { return true }
            i = at + 1
        }
        return false
    }

    /// `bytes` without leading and trailing ASCII whitespace.
    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { trimmed($0) }
    }

    /// `bytes` without leading and trailing ASCII whitespace, copied into an array.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var start = 0
        var end = bytes.count
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return Array(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// `text` is `value` decoded, for the fields that are not bodies (decoded once).
    /// Keeps a body (title, description, content…) the first time its element is seen.
    private func assignBody(_ field: Field, _ value: TextValue, to item: inout RawItem) {
        switch field {
        case .title: if item.title == nil { item.title = value }
        case .dcTitle: if item.dcTitle == nil { item.dcTitle = value }
        case .mediaTitle: if item.mediaTitle == nil, !value.isEmpty { item.mediaTitle = value }
        case .description: if item.description == nil { item.description = value }
        case .dcDescription: if item.dcDescription == nil { item.dcDescription = value }
        case .summary: if item.summary == nil { item.summary = value }
        case .contentEncoded: if item.contentEncoded == nil { item.contentEncoded = value }
        case .content: if item.content == nil { item.content = value }
        case .xhtmlBody: if item.xhtmlBody == nil { item.xhtmlBody = value }
        case .itunesSummary: if item.itunesSummary == nil { item.itunesSummary = value }
        case .mediaDescription: if item.mediaDescription == nil, !value.isEmpty { item.mediaDescription = value }
        default: break
        }
    }

    /// Keeps a short field, decoded as `text`.
    /// `text` as a URL resolved against the capture's base; nil when empty.
    private func url(_ text: String, _ cap: Capture) -> String? {
        text.isEmpty ? nil : URLResolver.resolve(text, against: contexts[Int(cap.context)].base)
    }

    private func assign(_ cap: Capture, text: String, to item: inout RawItem) {
        let isEmpty = text.isEmpty
        switch cap.field {
        case .title, .dcTitle, .mediaTitle, .description, .dcDescription, .summary, .contentEncoded, .content,
            .xhtmlBody, .itunesSummary, .mediaDescription:
            break  // bodies: assignBody
        case .rssLink: if item.rssLink == nil { item.rssLink = url(text, cap) }
        case .guid:
            if item.guid == nil, !isEmpty {
                item.guid = text
                item.guidIsPermalink = cap.isPermalink
            }
        case .atomID:
            if item.atomID == nil, !isEmpty {
                // Atom ids are IRIs; a relative one is resolved like any reference.
                item.atomID =
                    URLResolver.scheme(of: text) == nil
                    ? URLResolver.resolve(text, against: contexts[Int(cap.context)].base) : text
            }
        case .date(let source):
            guard !isEmpty else { return }
            if let date = FeedDate.parse(text) {
                // A repeated element replaces the earlier value, as in feedparser.
                item.dates[source] = date
            } else {
                warnings.add("unreadable date \"\(text.prefix(60))\"", line: currentLine)
            }
        case .rssAuthor: if !isEmpty { item.rssAuthors.append(text) }
        case .dcCreator: if !isEmpty { item.dcCreators.append(text) }
        case .itunesAuthor: if item.itunesAuthor == nil, !isEmpty { item.itunesAuthor = text }
        case .category:
            let term = HTMLText.collapseWhitespace(text)
            if !term.isEmpty {
                // Items usually carry a few categories: one allocation, not one per doubling.
                if item.categories.isEmpty { item.categories.reserveCapacity(4) }
                item.categories.append(Category(term: term, scheme: cap.scheme))
            }
        case .origLink: if item.origLink == nil { item.origLink = url(text, cap) }
        case .comments: if item.comments == nil { item.comments = url(text, cap) }
        case .commentRss: if item.commentRss == nil { item.commentRss = url(text, cap) }
        case .language: if item.language == nil, !isEmpty { item.language = text }
        case .logo: if item.logo == nil { item.logo = url(text, cap) }
        case .icon: if item.icon == nil { item.icon = url(text, cap) }
        case .itunesImageText: if item.itunesImage == nil { item.itunesImage = url(text, cap) }
        case .ttl: item.ttl = Int(text)
        case .personName, .personEmail, .personURI, .personText, .imageURL:
            break
        }
    }

    private static func unwrapDiv(_ html: [UInt8]) -> [UInt8] {
        html.withUnsafeBufferPointer { buffer in divContent(buffer).map { Array($0) } } ?? html
    }

    /// What is inside a `<div …>…</div>` that wraps all of `html`, without leading and
    /// trailing ASCII whitespace; nil when `html` is not wrapped so.
    private static func divContent(_ html: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard html.count >= 10, UnsafeBufferPointer(rebasing: html[0..<4]).equals("<div"),
            UnsafeBufferPointer(rebasing: html[(html.count - 6)...]).equals("</div>"),
            let gt = html.firstIndex(of: UInt8(ascii: ">")), gt < html.count - 6
        else { return nil }
        return UnsafeBufferPointer(rebasing: html[(gt + 1)..<(html.count - 6)]).trimmingASCIIWhitespace()
    }

    /// HTML's void elements (no end tag), by length; compared as bytes, since this
    /// runs for every end tag of markup inside a kept element.
    private static let voidElements: [[StaticString]] = [
        [], [], ["br", "hr"], ["col", "img", "wbr"], ["area", "base", "link", "meta"],
        ["embed", "input", "param", "track"],
        ["source"],
    ]

    private static func isVoidElement(_ name: UnsafePointer<UInt8>) -> Bool {
        let length = strlen(name)
        guard length <= 6 else { return false }
        for candidate in voidElements[length] where memcmp(name, candidate.utf8Start, length) == 0 {
            return true
        }
        return false
    }

    var currentLine: Int? {
        if let tokenizerLine { return tokenizerLine() }
        guard let ctxt = parserContext else { return nil }
        return Int(xmlSAX2GetLineNumber(ctxt))
    }

    // MARK: Names

    private func namespace(uri: UnsafePointer<UInt8>?, prefix: UnsafePointer<UInt8>?) -> Namespace {
        if uri == nil && prefix == nil { return .core }
        for entry in nsCache where entry.pointer == uri && entry.prefix == prefix { return entry.ns }
        let uriString = uri.map { String(cString: $0) }
        let ns = Namespace.resolve(uri: uriString, prefix: prefix.map { String(cString: $0) })
        if let uriString, uriString.hasPrefix("http://my.netscape.com/rdf/simple/0.9") { noteRSS090() }
        // Names and URIs come from the parser's dictionary, so pointers are stable
        // for the document's lifetime.
        if nsCache.count < 32 { nsCache.append((uri, prefix, ns)) }
        return ns
    }

    /// The namespace and tag of an element. Names and URIs come from libxml2's
    /// dictionary, so one pointer is one string: a direct-mapped cache on the three
    /// pointers answers almost every lookup without resolving the namespace.
    private func element(
        _ localname: UnsafePointer<UInt8>, uri: UnsafePointer<UInt8>?, prefix: UnsafePointer<UInt8>?
    ) -> (Namespace, Tag) {
        // Fibonacci hashing spreads the dictionary's packed name pointers over the slots.
        let key = UInt64(UInt(bitPattern: localname)) &+ (UInt64(UInt(bitPattern: uri)) &* 31)
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56)
        let entry = tagSlots[slot]
        if entry.name == localname && entry.uri == uri && entry.prefix == prefix { return (entry.ns, entry.tag) }
        let ns = namespace(uri: uri, prefix: prefix)
        let tag = self.tag(localname, ns: ns)
        tagSlots[slot] = (localname, uri, prefix, ns, tag)
        return (ns, tag)
    }

    private func tag(_ localname: UnsafePointer<UInt8>, ns: Namespace) -> Tag {
        var name = String(cString: localname)
        var resolvedNS = ns
        // An undeclared prefix can leave "prefix:name" as the local name.
        if ns == .core, name.utf8.contains(UInt8(ascii: ":")), let colon = name.firstIndex(of: ":") {
            resolvedNS = Namespace.resolve(uri: nil, prefix: String(name[..<colon]))
            name = String(name[name.index(after: colon)...])
        }
        let tag = Tag.resolve(namespace: resolvedNS, name: name)
        return tag
    }
}
