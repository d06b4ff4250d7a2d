import Foundation
import TidingsModel

/// A feed read from a document, with what the parser had to recover from.
public struct ParsedFeed: Sendable {
    /// The feed.
    public var feed: Feed
    /// Problems met and worked around; empty for a clean document.
    public var warnings: [ParseWarning]
    /// The character encoding the document was read in.
    public var encoding: String

    /// Creates a result.
    public init(feed: Feed, warnings: [ParseWarning], encoding: String) {
        self.feed = feed
        self.warnings = warnings
        self.encoding = encoding
    }
}

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 documents.
///
/// The one entry point of the parsing stage: give it bytes (all at once, or in
/// chunks through ``FeedStreamParser``) and it detects the format by content, finds
/// the encoding, and reads the feed in one streaming pass: with ``UTF8XMLTokenizer``
/// when the document is plain well-formed XML (most are), else with libxml2.
public enum FeedParser {
    /// What the parser needs to know about a document besides its bytes.
    public struct Options: Sendable {
        /// The URL the document was fetched from: the base for relative URLs.
        public var baseURL: String?
        /// The HTTP `Content-Type` it was served with, whose `charset` counts.
        public var contentType: String?
        /// The longest text kept for one element; longer text is cut with a warning.
        public var maxTextLength: Int
        /// The largest JSON document accepted (JSON is not read incrementally).
        public var maxJSONLength: Int
        /// Whether a whole document is first read by ``UTF8XMLTokenizer`` (libxml2
        /// reading it only when the tokenizer gives up); off only to compare the two.
        var usesTokenizer = true

        /// Creates options.
        public init(
            baseURL: String? = nil, contentType: String? = nil, maxTextLength: Int = 8 << 20,
            maxJSONLength: Int = 64 << 20
        ) {
            self.baseURL = baseURL
            self.contentType = contentType
            self.maxTextLength = maxTextLength
            self.maxJSONLength = maxJSONLength
        }
    }

    /// Parses a whole document.
    public static func parse(_ bytes: some Collection<UInt8>, options: Options = Options()) throws(FeedParsingError)
        -> ParsedFeed
    {
        let array = Array(bytes)
        do {
            return try parseWhole(array, options: options)
        } catch {
            throw explained(error, page: array, pageURL: options.baseURL)
        }
    }

    /// `error`, for a web page where a feed was expected, with the feeds the page names
    /// (its `<link rel="alternate">`s): what the user should have configured.
    static func explained(_ error: FeedParsingError, page: @autoclosure () -> [UInt8]?, pageURL: String?)
        -> FeedParsingError
    {
        guard error.isNotAFeed, let page = page() else { return error }
        let urls = FeedDiscovery.links(in: page, pageURL: pageURL).map(\.url)
        guard let first = urls.first else { return error }
        let named =
            urls.count == 1
            ? "the page names its feed: \(first)"
            : "the page names \(urls.count) feeds: \(urls.joined(separator: ", "))"
        return .notAFeed("\(error.reason); \(named)")
    }

    private static func parseWhole(_ array: [UInt8], options: Options) throws(FeedParsingError) -> ParsedFeed {
        try parseWholeReportingPass(array, options: options).feed
    }

    /// ``parse(_:options:)`` of a whole document, with the pass that read it.
    static func parseWholeReportingPass(
        _ array: [UInt8], options: Options, onEntry: ((Entry) -> Void)? = nil
    ) throws(FeedParsingError) -> (feed: ParsedFeed, pass: Pass) {
        try readInPasses(options: options, onEntry: onEntry, tokenizerFirst: options.usesTokenizer) { parser in
            array.withUnsafeBufferPointer { buffer in
                if parser.pass == .tokenizer {
                    // The tokenizer reads a document held whole.
                    parser.consume(buffer, final: true)
                    return
                }
                let chunk = 256 * 1024
                var offset = 0
                repeat {
                    let end = min(buffer.count, offset + chunk)
                    parser.consume(UnsafeBufferPointer(rebasing: buffer[offset..<end]), final: end == buffer.count)
                    offset = end
                } while offset < buffer.count && !parser.needsRepair
            }
        }
    }

    /// How a pass reads a document (see ``readInPasses(options:onEntry:tokenizerFirst:feedAll:)``).
    enum Pass: Sendable {
        /// ``UTF8XMLTokenizer``, stopping where it gives up.
        case tokenizer
        /// libxml2 without the repair pass, stopping at the first problem it reports.
        case optimistic
        /// The repair pass, then libxml2 in recovery mode: reads anything.
        case repair
    }

    /// Reads a document in the cheapest pass that can read it. Optimistically
    /// first — with the tokenizer when `tokenizerFirst`, else straight into libxml2,
    /// without the repair pass — and at the first problem again from the start, one
    /// pass further: tokenizer, then libxml2, then repair. Well-formed documents
    /// (most of them) are read once at full speed; the rest cost another pass or
    /// two, each cut short at the problem. Entries handed to `onEntry` before a
    /// problem came from bytes before it, which every pass reads identically, so a
    /// later pass skips those already delivered instead of delivering them twice.
    private static func readInPasses(
        options: Options, onEntry: ((Entry) -> Void)?, tokenizerFirst: Bool,
        feedAll: (FeedStreamParser) throws(FeedParsingError) -> Void
    ) throws(FeedParsingError) -> (feed: ParsedFeed, pass: Pass) {
        var delivered = 0
        for pass in tokenizerFirst ? [Pass.tokenizer, .optimistic, .repair] : [.optimistic, .repair] {
            var seen = 0
            let parser = FeedStreamParser(
                options: options,
                onEntry: onEntry.map { handler in
                    { entry in
                        seen += 1
                        if seen > delivered {
                            delivered = seen
                            handler(entry)
                        }
                    }
                }, pass: pass)
            try feedAll(parser)
            if pass == .repair { return (try parser.finish(), pass) }
            if !parser.needsRepair {
                do {
                    let result = try parser.finish()
                    if !parser.needsRepair { return (result, pass) }
                } catch {
                    // A read abandoned at the end (a truncated document, say) proves
                    // nothing: only a clean failure is final.
                    if !parser.needsRepair { throw error }
                }
            }
        }
        preconditionFailure("the repair pass returns")
    }

    /// Parses a file: whole when it is of a usual feed's size (at most 8 MiB), as a
    /// fetched body is, else in chunks so memory does not grow with its size.
    /// `onEntry`, when given, receives each entry as soon as it is read and the
    /// result's feed then holds none, so memory stays flat for any number of entries.
    public static func parse(
        contentsOfFile path: String, options: Options = Options(), onEntry: ((Entry) -> Void)? = nil
    ) throws(FeedParsingError) -> ParsedFeed {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadable("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // A file of a usual feed's size is read whole, as a fetched body is, so the
        // tokenizer can read it.
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size <= 8 << 20,
            let whole = readPrefix(fd, Int(status.st_size) + 1), whole.count <= 8 << 20
        {
            do {
                return try parseWholeReportingPass(whole, options: options, onEntry: onEntry).feed
            } catch {
                throw explained(error, page: whole, pageURL: options.baseURL)
            }
        }
        // Not an array: zeroing 64 KiB per file costs more than parsing a small feed's head.
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)
        defer { buffer.deallocate() }
        do {
            return try parseFile(fd, path: path, buffer: buffer, options: options, onEntry: onEntry)
        } catch {
            // A page is small: its first 4 MiB hold its head.
            throw explained(error, page: Self.readPrefix(fd, 4 << 20), pageURL: options.baseURL)
        }
    }

    /// Up to `limit` bytes from the start of the open file `fd`; nil when unreadable.
    private static func readPrefix(_ fd: Int32, _ limit: Int) -> [UInt8]? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        while count < limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, limit - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    private static func parseFile(
        _ fd: Int32, path: String, buffer: UnsafeMutableBufferPointer<UInt8>, options: Options,
        onEntry: ((Entry) -> Void)?
    ) throws(FeedParsingError) -> ParsedFeed {
        try readInPasses(options: options, onEntry: onEntry, tokenizerFirst: false) {
            (parser) throws(FeedParsingError) in
            if lseek(fd, 0, SEEK_SET) != 0 {
                throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            while !parser.needsRepair {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count < 0 { throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))") }
                if count == 0 { break }
                parser.consume(UnsafeBufferPointer(rebasing: buffer[0..<count]))
            }
        }.feed
    }
}

/// Incremental form of ``FeedParser``: feed it chunks as they arrive (from a file or
/// a network body), then call ``finish()``.
public final class FeedStreamParser {
    private enum Mode {
        case sniffing
        case xml(XMLStreamParser)
        /// Read whole by ``UTF8XMLTokenizer``.
        case tokenized
        case json
        case skipping
    }

    private let options: FeedParser.Options
    private let onEntry: ((Entry) -> Void)?
    private var mode = Mode.sniffing
    private var head: [UInt8] = []
    private var transcoder: Transcoder?
    private var repair = XMLInputRepair()
    private var utf8: [UInt8] = []
    private var repaired: [UInt8] = []
    private var json: [UInt8] = []
    private var jsonTooLarge = false
    private var encoding = "UTF-8"
    private var inputBytes = 0
    private var earlyWarnings = WarningCollector()
    private let reader: FeedDocumentReader

    /// How this parser reads (see ``FeedParser``'s passes). The tokenizer pass
    /// reads with libxml2 too when the document does not come whole in one chunk.
    let pass: FeedParser.Pass

    /// Whether this parser skips the repair pass, to be run again with it if the
    /// tokenizer or libxml2 meets a problem.
    var optimistic: Bool { pass != .repair }

    /// In optimistic mode: the tokenizer or libxml2 met something it does not read
    /// as the next pass would, so the document must be read again by that pass.
    var needsRepair: Bool { reader.needsRepair }

    /// Creates a parser for one document.
    public convenience init(options: FeedParser.Options = FeedParser.Options(), onEntry: ((Entry) -> Void)? = nil) {
        self.init(options: options, onEntry: onEntry, pass: .repair)
    }

    init(options: FeedParser.Options, onEntry: ((Entry) -> Void)?, pass: FeedParser.Pass) {
        self.pass = pass
        self.options = options
        self.onEntry = onEntry
        reader = FeedDocumentReader(documentURL: options.baseURL)
        reader.maxTextLength = options.maxTextLength
        reader.entryHandler = onEntry
        reader.stopsAtFirstError = pass != .repair
    }

    /// Reads the next chunk of the document.
    public func consume(_ chunk: UnsafeBufferPointer<UInt8>) {
        consume(chunk, final: false)
    }

    /// Reads the next chunk; with `final`, it is the document's last, and
    /// ``finish()`` reads nothing more. Handing libxml2 the end with the last bytes
    /// spares it looking ahead for the end of each tag and of each text, which it
    /// does while more may follow (a whole document in one chunk is the usual case).
    func consume(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool) {
        inputBytes += chunk.count
        endRead = final
        switch mode {
        case .sniffing:
            if head.isEmpty && chunk.count >= 4096 {
                // The usual case: the first chunk is enough to decide, no copy needed.
                startReading(chunk, final: final)
            } else {
                head.append(contentsOf: chunk)
                // An empty document stays unread, for finish() to report.
                if head.count >= 4096 || (final && !head.isEmpty) { startReadingHead(final: final) }
            }
        default:
            decode(chunk, final: final)
        }
    }

    /// Whether the last chunk was read (see ``consume(_:final:)``).
    private var endRead = false

    /// Ends the document and returns the feed.
    public func finish() throws(FeedParsingError) -> ParsedFeed {
        if case .sniffing = mode {
            if head.isEmpty { throw .empty }
            startReadingHead(final: true)
        } else if !endRead {
            decode(UnsafeBufferPointer(start: nil, count: 0), final: true)
        }
        var warnings = earlyWarnings
        switch mode {
        case .json:
            if jsonTooLarge { throw .tooLarge(limit: options.maxJSONLength) }
            let feed: Feed
            if let wholeJSON {
                warnings = wholeJSON.warnings
                feed = try wholeJSON.feed.get()
            } else {
                feed = try JSONFeedReader.read(json, documentURL: options.baseURL, warnings: &warnings)
            }
            if let onEntry { feed.entries.forEach(onEntry) }
            return ParsedFeed(feed: feed, warnings: warnings.all, encoding: encoding)
        case .xml, .tokenized:
            reader.finish()
            for warning in reader.warnings.all { warnings.add(warning.message, line: warning.line) }
            guard let feed = reader.makeFeed() else {
                let root = reader.rootName.map { "the root element is <\($0)>, not rss, RDF or feed" }
                throw .notAFeed(root ?? "no XML element could be read")
            }
            return ParsedFeed(feed: feed, warnings: warnings.all, encoding: encoding)
        case .sniffing, .skipping:
            throw .notAFeed("no XML or JSON in the first \(min(inputBytes, 4096)) bytes")
        }
    }

    private func startReadingHead(final: Bool) {
        let bytes = head
        head = []
        bytes.withUnsafeBufferPointer { startReading($0, final: final) }
    }

    /// Decides the encoding and the syntax from the first bytes, then starts reading.
    private func startReading(_ buffer: UnsafeBufferPointer<UInt8>, final: Bool) {
        // The first 4 KiB hold the byte-order mark and the XML declaration; reading
        // more would only re-validate bytes the repair pass checks anyway.
        let detection = CharsetDetection.detect(
            prefix: UnsafeBufferPointer(rebasing: buffer.prefix(4096)), contentType: options.contentType)
        encoding = detection.encoding
        for warning in detection.warnings { earlyWarnings.add(warning) }
        if !Self.isUTF8(detection.encoding) {
            transcoder = Transcoder(from: detection.encoding)
            if transcoder == nil {
                earlyWarnings.add("cannot decode \(detection.encoding); read as UTF-8")
                encoding = "UTF-8"
            }
        }
        do {
            let body = UnsafeBufferPointer(rebasing: buffer[min(detection.bomLength, buffer.count)...])
            toUTF8(body, final: final) { utf8 in
                // Skip anything before the document: whitespace, or junk such as a
                // server's warning text printed ahead of the XML declaration.
                let start = Self.documentStart(utf8)
                guard let start else {
                    mode = .skipping
                    return
                }
                if start.offset > 0 && !start.whitespaceOnly {
                    earlyWarnings.add("ignored \(start.offset) bytes of non-XML text before the document")
                }
                let rest = UnsafeBufferPointer(rebasing: utf8[start.offset...])
                if start.isJSON {
                    mode = .json
                    if final && json.isEmpty && !jsonTooLarge {
                        // The whole document at once (a fetched body): read in place.
                        readWholeJSON(rest)
                    } else {
                        appendJSON(rest)
                    }
                } else {
                    // The declaration names the encoding the bytes had; the reader gets
                    // UTF-8 and would otherwise trip over names it does not know.
                    let document = UnsafeBufferPointer(rebasing: rest[Self.declarationLength(rest)...])
                    if pass == .tokenizer && final {
                        mode = .tokenized
                        if !UTF8XMLTokenizer.read(document, into: reader) { reader.abandonOptimisticRead() }
                    } else {
                        mode = .xml(XMLStreamParser(reader: reader))
                        feedXML(document, final: final)
                    }
                }
            }
        }
    }

    private func decode(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool) {
        switch mode {
        case .json:
            toUTF8(chunk, final: final) { appendJSON($0) }
        case .xml:
            toUTF8(chunk, final: final) { feedXML($0, final: final) }
        case .sniffing, .skipping, .tokenized:
            break
        }
    }

    private func toUTF8(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void)
    {
        guard transcoder != nil else {
            body(chunk)
            return
        }
        utf8.removeAll(keepingCapacity: true)
        if chunk.count > 0 {
            transcoder!.convert(UnsafeRawBufferPointer(chunk), into: &utf8)
        }
        if final {
            transcoder!.finish(into: &utf8)
            if transcoder!.replacements > 0 {
                earlyWarnings.add("\(transcoder!.replacements) byte sequences invalid in \(encoding) replaced")
            }
        }
        utf8.withUnsafeBufferPointer { body($0) }
    }

    private func feedXML(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) {
        guard case .xml(let parser) = mode else { return }
        if optimistic {
            parser.push(bytes, final: final)
            return
        }
        repaired.removeAll(keepingCapacity: true)
        if repair.process(bytes, final: final, into: &repaired) {
            parser.push(bytes, final: final)
        } else {
            repaired.withUnsafeBufferPointer { parser.push($0, final: final) }
        }
        if final { reportRepairs() }
    }

    /// A JSON document read where it was given whole, with the warnings up to it and
    /// its own: what `finish` returns or throws.
    private var wholeJSON: (feed: Result<Feed, FeedParsingError>, warnings: WarningCollector)?

    private func readWholeJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= options.maxJSONLength else {
            jsonTooLarge = true
            return
        }
        // Every early warning is in by now: the document was given whole.
        var warnings = earlyWarnings
        let feed = Result { () throws(FeedParsingError) in
            try JSONFeedReader.read(bytes, documentURL: options.baseURL, warnings: &warnings)
        }
        wholeJSON = (feed, warnings)
    }

    private func appendJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !jsonTooLarge else { return }
        // Nothing follows a document given whole.
        guard wholeJSON == nil else { return }
        if json.count + bytes.count > options.maxJSONLength {
            jsonTooLarge = true
            json = []
            return
        }
        json.append(contentsOf: bytes)
    }

    private func reportRepairs() {
        let c = repair.counts
        guard !c.isEmpty else { return }
        func note(_ n: Int, _ what: String) {
            if n > 0 { earlyWarnings.add("\(n) \(what)") }
        }
        note(c.invalidUTF8, "bytes not valid in UTF-8 read as windows-1252")
        note(c.bareAmpersands, "bare '&' read as text")
        note(c.htmlEntities, "HTML entities that XML does not define read as characters")
        note(c.unknownEntities, "undefined entities kept as text")
        note(c.invalidCharacterReferences, "character references to characters XML forbids replaced")
        note(c.controlCharacters, "control characters XML forbids removed")
        note(c.strayLessThan, "'<' that starts no tag read as text")
    }

    private struct DocumentStart {
        var offset: Int
        var isJSON: Bool
        var whitespaceOnly: Bool
    }

    private static func documentStart(_ bytes: UnsafeBufferPointer<UInt8>) -> DocumentStart? {
        var i = 0
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "{") { return DocumentStart(offset: i, isJSON: true, whitespaceOnly: true) }
        let declaration = Array("<?xml".utf8)
        if bytes[i] == UInt8(ascii: "<") {
            // Markup first, but an XML declaration further on means what came before
            // it is junk (a server's warning printed ahead of the feed, say).
            if i + 5 <= bytes.count && Array(bytes[i..<(i + 5)]) == declaration {
                return DocumentStart(offset: i, isJSON: false, whitespaceOnly: true)
            }
            if let later = Self.find(declaration, in: bytes, from: i + 1) {
                return DocumentStart(offset: later, isJSON: false, whitespaceOnly: false)
            }
            return DocumentStart(offset: i, isJSON: false, whitespaceOnly: true)
        }
        // Junk first: prefer an XML declaration, else the first thing that opens markup.
        var firstTag: Int?
        var j = i
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "<") {
                if j + 5 <= bytes.count && Array(bytes[j..<(j + 5)]) == declaration {
                    return DocumentStart(offset: j, isJSON: false, whitespaceOnly: false)
                }
                if firstTag == nil, j + 1 < bytes.count,
                    XMLInputRepair.isNameStart(bytes[j + 1]) || bytes[j + 1] == UInt8(ascii: "!")
                {
                    firstTag = j
                }
            }
            j += 1
        }
        return firstTag.map { DocumentStart(offset: $0, isJSON: false, whitespaceOnly: false) }
    }

    /// The length of an XML declaration at the start of `bytes`, or 0.
    private static func declarationLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let start = Array("<?xml".utf8)
        guard bytes.count > 6, Array(bytes[0..<5]) == start,
            bytes[5] == 32 || bytes[5] == 9 || bytes[5] == 10 || bytes[5] == 13
        else { return 0 }
        guard let end = find(Array("?>".utf8), in: bytes, from: 5), end < 512 else { return 0 }
        return end + 2
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for j in start...(bytes.count - needle.count) where bytes[j] == needle[0] {
            if Array(bytes[j..<(j + needle.count)]) == needle { return j }
        }
        return nil
    }

    private static func isUTF8(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "utf-8" || lower == "utf8"
    }
}
