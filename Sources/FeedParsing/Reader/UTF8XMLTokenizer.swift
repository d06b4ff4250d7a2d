import CLibXML2
import CXMLScan
import Foundation

/// Reads a whole UTF-8 XML document that is well-formed and plain (most feeds are)
/// and gives a ``FeedDocumentReader`` the events libxml2's SAX2 push parser gives
/// for it: start tags with namespaces resolved and attribute values decoded and
/// normalized, end tags, and text with references decoded and line ends
/// normalized. Names and namespace URIs are interned, as libxml2's dictionary
/// interns them, so one string is one pointer for the whole document (the reader
/// caches on pointers).
///
/// It gives up (``read(_:into:)`` returns false) at the first thing it does not
/// read exactly as libxml2 would: anything not well-formed, a document type with
/// an internal subset, an entity other than XML's five, a name that is not ASCII,
/// a namespace declaration that is not an absolute URI, a carriage return that
/// does not end a line with a line feed, text the reader would cut, nesting
/// deeper than 256 elements. The caller then reads the document again with
/// libxml2, from the start and with a new reader.
///
/// Why: libxml2 was a ninth of a first sync's CPU, with every byte read through
/// `xmlCurrentChar` and copied into its input buffer; this reads each byte once.
struct UTF8XMLTokenizer: ~Copyable {
    /// How deep elements may nest before the tokenizer hands over to libxml2.
    static let maxDepth = 256
    /// libxml2's limits without `XML_PARSE_HUGE`: longer names or values are errors.
    private static let maxNameLength = 50_000
    private static let maxValueLength = 10_000_000

    private let p: UnsafePointer<UInt8>
    private let end: Int
    private let reader: FeedDocumentReader
    private let lines: LineCounter
    private var names = NameDictionary()
    /// Open elements: where their qualified name is in the input, and how many
    /// namespace bindings they declared.
    private var elements: [(start: Int, length: Int, bindings: Int)] = []
    /// In-scope namespace bindings (interned prefix, nil for the default; interned
    /// URI, nil when the default is undeclared), innermost last.
    private var bindings: [(prefix: UnsafePointer<UInt8>?, uri: UnsafePointer<UInt8>?)] = []
    /// The current start tag's attributes and namespace declarations.
    private var rawAttributes: [RawAttribute] = []
    /// Decoded attribute values (those with references, tabs or line ends).
    private var values: TextBuffer
    /// libxml2's five pointers per attribute, passed to the reader.
    private var attributePointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private var attributeCapacity = 16
    /// A decoded character reference's UTF-8.
    private let referenceBytes: UnsafeMutablePointer<UInt8>
    /// Namespace URIs checked with libxml2's URI parser.
    private var checkedURIs: [(uri: UnsafePointer<UInt8>, valid: Bool)] = []
    private let xmlPrefix: UnsafePointer<UInt8>
    private let xmlnsName: UnsafePointer<UInt8>
    private let xmlNamespace: UnsafePointer<UInt8>
    private var rootSeen = false
    private var doctypeSeen = false

    private struct RawAttribute {
        var name: QualifiedName
        /// Offsets in the input, or in `values` when `decoded`.
        var valueStart: Int
        var valueEnd: Int
        var decoded: Bool
    }

    /// Reads `document` (UTF-8, the XML declaration and anything before it already
    /// removed) into `reader`. True when the whole document was read (or the reader
    /// stopped it); false when the tokenizer gave up, leaving `reader` half-fed:
    /// it must then be discarded.
    static func read(_ document: UnsafeBufferPointer<UInt8>, into reader: FeedDocumentReader) -> Bool {
        guard let base = document.baseAddress, document.count > 0 else { return false }
        var tokenizer = UTF8XMLTokenizer(base: base, count: document.count, reader: reader)
        reader.tokenizerLine = { [lines = tokenizer.lines] in lines.line() }
        let done = tokenizer.run()
        // The input goes away with this call. No event follows a document read to
        // its end, and only events ask for a line: counting each document's lines
        // just in case was 0.4% of a first sync.
        reader.tokenizerLine = nil
        tokenizer.release()
        return done
    }

    private init(base: UnsafePointer<UInt8>, count: Int, reader: FeedDocumentReader) {
        p = base
        end = count
        self.reader = reader
        lines = LineCounter(base: base)
        values = TextBuffer(capacity: 256)
        attributePointers = .allocate(capacity: 5 * attributeCapacity)
        referenceBytes = .allocate(capacity: 4)
        xmlPrefix = names.intern(staticString: "xml")
        xmlnsName = names.intern(staticString: "xmlns")
        xmlNamespace = names.intern(staticString: "http://www.w3.org/XML/1998/namespace")
        bindings.append((xmlPrefix, xmlNamespace))
        elements.reserveCapacity(16)
        rawAttributes.reserveCapacity(16)
    }

    private consuming func release() {
        names.deallocate()
        values.deallocate()
        attributePointers.deallocate()
        referenceBytes.deallocate()
    }

    // MARK: Content

    private mutating func run() -> Bool {
        let classes = ByteClass.text
        var i = 0
        var runStart = 0
        while true {
            i = skipPlain(from: i, classes, markup: true)
            guard i < end else {
                guard flushText(runStart, i) else { return false }
                return rootSeen && elements.isEmpty
            }
            switch classes[Int(p[i])] {
            case ByteClass.lessThan:
                guard flushText(runStart, i), markup(&i) else { return false }
                if reader.stopRequested { return true }
                runStart = i
            case ByteClass.ampersand:
                guard flushText(runStart, i), !elements.isEmpty, let (length, scalar) = reference(at: i) else {
                    return false
                }
                let count = encode(scalar, into: referenceBytes)
                guard deliver(UnsafePointer(referenceBytes), count) else { return false }
                i &+= length
                runStart = i
            case ByteClass.bracket:
                // "]]>" may not appear in text.
                if i &+ 2 < end && p[i &+ 1] == UInt8(ascii: "]") && p[i &+ 2] == UInt8(ascii: ">") { return false }
                i &+= 1
            case ByteClass.carriageReturn:
                // A line end "\r\n" is read as "\n"; a lone "\r" is left to libxml2.
                guard i &+ 1 < end, p[i &+ 1] == 10, flushText(runStart, i) else { return false }
                i &+= 1
                runStart = i
            case ByteClass.nonASCII:
                // A run of them at once (a word of Cyrillic or Chinese), not one per
                // trip through the plain-text scan.
                repeat {
                    let length = utf8Length(at: i)
                    guard length > 0 else { return false }
                    i &+= length
                } while i < end && p[i] >= 0x80
            default:
                return false
            }
        }
    }

    /// Hands text `start..<end` to the reader if it wants it. Outside the root
    /// element only whitespace may appear, and libxml2 reports none of it.
    @inline(__always)
    private func flushText(_ start: Int, _ end: Int) -> Bool {
        guard start < end else { return true }
        guard !elements.isEmpty else {
            for k in start..<end {
                let c = p[k]
                guard c == 32 || c == 10 || c == 9 else { return false }
            }
            return true
        }
        return deliver(p + start, end &- start)
    }

    @inline(__always)
    private func deliver(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard reader.wantsText else { return true }
        // The reader would cut the text and warn with libxml2's notion of the line.
        guard !reader.textWouldBeCut(adding: count) else { return false }
        reader.characters(bytes, count: count)
        return true
    }

    /// Reads the markup at `i` (a "<"), leaving `i` after it.
    private mutating func markup(_ i: inout Int) -> Bool {
        guard i &+ 1 < end else { return false }
        switch p[i &+ 1] {
        case UInt8(ascii: "/"):
            return endTag(&i)
        case UInt8(ascii: "!"):
            if matches("<!--", at: i) { return comment(&i) }
            if matches("<![CDATA[", at: i) { return !elements.isEmpty && cdata(&i) }
            if matches("<!DOCTYPE", at: i) { return !rootSeen && !doctypeSeen && doctype(&i) }
            return false
        case UInt8(ascii: "?"):
            return processingInstruction(&i)
        default:
            // A second root element is not well-formed.
            guard !(rootSeen && elements.isEmpty) else { return false }
            return startTag(&i)
        }
    }

    // MARK: Tags

    private mutating func startTag(_ i: inout Int) -> Bool {
        var j = i &+ 1
        guard let element = qualifiedName(&j) else { return false }
        let qnameStart = i &+ 1
        let qnameLength = j &- qnameStart
        rawAttributes.removeAll(keepingCapacity: true)
        values.removeAll()
        var empty = false
        while true {
            let spaced = skipSpace(&j)
            guard j < end else { return false }
            let c = p[j]
            if c == UInt8(ascii: ">") {
                j &+= 1
                break
            }
            if c == UInt8(ascii: "/") {
                guard j &+ 1 < end, p[j &+ 1] == UInt8(ascii: ">") else { return false }
                j &+= 2
                empty = true
                break
            }
            guard spaced, let name = qualifiedName(&j) else { return false }
            _ = skipSpace(&j)
            guard j < end, p[j] == UInt8(ascii: "=") else { return false }
            j &+= 1
            _ = skipSpace(&j)
            guard j < end, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") else { return false }
            guard let value = attributeValue(&j) else { return false }
            rawAttributes.append(
                RawAttribute(
                    name: name, valueStart: value.start, valueEnd: value.end,
                    decoded: value.decoded))
        }
        guard elements.count < Self.maxDepth else { return false }
        return open(element, qnameStart: qnameStart, qnameLength: qnameLength, empty: empty, tagEnd: j, &i)
    }

    /// Resolves the start tag just read, hands it to the reader, and ends it at once
    /// when it is empty.
    private mutating func open(
        _ element: QualifiedName, qnameStart: Int, qnameLength: Int, empty: Bool, tagEnd: Int, _ i: inout Int
    ) -> Bool {
        // Namespace declarations first: they apply to the element and its attributes.
        let outerBindings = bindings.count
        var attributeCount = 0
        for index in rawAttributes.indices {
            let attribute = rawAttributes[index]
            let prefix: UnsafePointer<UInt8>?
            if attribute.name.prefixLength == 0 && isXMLNS(attribute.name.localStart, attribute.name.localLength) {
                prefix = nil
            } else if attribute.name.prefixLength > 0
                && isXMLNS(attribute.name.prefixStart, attribute.name.prefixLength)
            {
                prefix = names.intern(p + attribute.name.localStart, attribute.name.localLength)
                // Binding `xml` or `xmlns`, or undeclaring a prefix, is left to libxml2.
                guard prefix != xmlPrefix, prefix != xmlnsName, attribute.valueEnd > attribute.valueStart else {
                    return false
                }
            } else {
                attributeCount &+= 1
                continue
            }
            var uri: UnsafePointer<UInt8>? = nil
            if attribute.valueEnd > attribute.valueStart {
                let bytes = attribute.decoded ? UnsafePointer(values.base) : p
                let interned = names.intern(bytes + attribute.valueStart, attribute.valueEnd &- attribute.valueStart)
                guard interned != xmlNamespace, isAbsoluteURI(interned) else { return false }
                uri = interned
            }
            for k in outerBindings..<bindings.count where bindings[k].prefix == prefix { return false }
            bindings.append((prefix, uri))
        }
        let declared = bindings.count &- outerBindings

        // The element's namespace: a prefix must be declared; no prefix takes the default.
        let elementPrefix = element.prefixLength > 0 ? names.intern(p + element.prefixStart, element.prefixLength) : nil
        if let elementPrefix, elementPrefix == xmlPrefix || elementPrefix == xmlnsName { return false }
        let elementURI = lookup(elementPrefix)
        if elementPrefix != nil && elementURI == nil { return false }
        let localname = names.intern(p + element.localStart, element.localLength)

        // Attributes: libxml2's five pointers each (local name, prefix, URI, value start, end).
        if attributeCount > attributeCapacity {
            attributePointers.deallocate()
            attributeCapacity = attributeCount * 2
            attributePointers = .allocate(capacity: 5 * attributeCapacity)
        }
        var slot = attributePointers
        for attribute in rawAttributes {
            let prefix =
                attribute.name.prefixLength > 0
                ? names.intern(p + attribute.name.prefixStart, attribute.name.prefixLength) : nil
            if prefix == nil && isXMLNS(attribute.name.localStart, attribute.name.localLength) { continue }
            if prefix == xmlnsName { continue }
            var uri: UnsafePointer<UInt8>? = nil
            if let prefix {
                uri = prefix == xmlPrefix ? xmlNamespace : lookup(prefix)
                guard uri != nil else { return false }
            }
            let local = names.intern(p + attribute.name.localStart, attribute.name.localLength)
            // The same name twice, or two prefixes for one namespace, is not well-formed.
            var other = attributePointers
            while other < slot {
                if other[0] == local && (other[1] == prefix || (uri != nil && other[2] == uri)) { return false }
                other += 5
            }
            let bytes = attribute.decoded ? UnsafePointer(values.base) : p
            slot[0] = local
            slot[1] = prefix
            slot[2] = uri
            slot[3] = bytes + attribute.valueStart
            slot[4] = bytes + attribute.valueEnd
            slot += 5
        }

        if !reader.sawRootElement {
            for k in outerBindings..<bindings.count {
                if let uri = bindings[k].uri { reader.noteDeclaredNamespace(uri) }
            }
        }
        rootSeen = true
        // libxml2 reports the start tag before reading its ">" (or "/>").
        lines.position = tagEnd &- (empty ? 2 : 1)
        reader.startElement(
            localname: localname, prefix: elementPrefix, uri: elementURI,
            attributes: Attributes(base: attributePointers, count: attributeCount))
        elements.append((qnameStart, qnameLength, declared))
        i = tagEnd
        if empty && !reader.stopRequested { close(at: tagEnd) }
        return true
    }

    private mutating func endTag(_ i: inout Int) -> Bool {
        guard let open = elements.last else { return false }
        var j = i &+ 2
        guard j &+ open.length <= end, memcmp(p + j, p + open.start, open.length) == 0 else { return false }
        j &+= open.length
        _ = skipSpace(&j)
        guard j < end, p[j] == UInt8(ascii: ">") else { return false }
        j &+= 1
        close(at: j)
        i = j
        return true
    }

    private mutating func close(at position: Int) {
        lines.position = position
        reader.endElement()
        let open = elements.removeLast()
        bindings.removeLast(open.bindings)
    }

    // MARK: Other markup

    private func comment(_ i: inout Int) -> Bool {
        var j = i &+ 4
        while j < end {
            let c = p[j]
            if c == UInt8(ascii: "-") {
                guard j &+ 1 < end else { return false }
                if p[j &+ 1] == UInt8(ascii: "-") {
                    // "--" only ends a comment.
                    guard j &+ 2 < end, p[j &+ 2] == UInt8(ascii: ">") else { return false }
                    i = j &+ 3
                    return true
                }
                j &+= 1
            } else {
                guard let next = character(at: j) else { return false }
                j = next
            }
        }
        return false
    }

    private func cdata(_ i: inout Int) -> Bool {
        let start = i &+ 9
        var j = start
        let classes = ByteClass.cdata
        while true {
            j = skipPlain(from: j, classes, markup: false)
            guard j < end else { return false }
            let c = p[j]
            if c == UInt8(ascii: "]") && j &+ 2 < end && p[j &+ 1] == UInt8(ascii: "]")
                && p[j &+ 2] == UInt8(ascii: ">")
            {
                guard deliver(p + start, j &- start) else { return false }
                i = j &+ 3
                return true
            }
            // libxml2's push parser passes a section's bytes as they are: line ends
            // in it are left to libxml2.
            guard c != 13, let next = character(at: j) else { return false }
            j = next
            // A run of non-ASCII characters at once.
            while j < end && p[j] >= 0x80 {
                let length = utf8Length(at: j)
                guard length > 0 else { return false }
                j &+= length
            }
        }
    }

    /// The first index from `i` whose byte is not plain in `classes`: eight bytes
    /// at a time while none is a control character, non-ASCII, "]", or (in
    /// `markup`) "<" or "&"; tabs and line feeds, plain but found by that test,
    /// are passed by the table.
    @inline(__always)
    private func skipPlain(from start: Int, _ classes: UnsafePointer<UInt8>, markup: Bool) -> Int {
        Self.plainEnd(p, from: start, end: end, classes, markup: markup)
    }

    /// ``skipPlain(from:_:markup:)`` over `p[start..<end]`.
    @inline(__always)
    static func plainEnd(
        _ p: UnsafePointer<UInt8>, from start: Int, end: Int, _ classes: UnsafePointer<UInt8>, markup: Bool
    ) -> Int {
        #if arch(x86_64)
            // Sixteen bytes at a time (`CXMLScan`), then the last few by the table.
            var i = tidings_xml_plain_end(p, start, end, markup ? 1 : 0)
            while i < end && classes[Int(p[i])] == ByteClass.plain { i &+= 1 }
            return i
        #else
            return plainEndByWords(p, from: start, end: end, classes, markup: markup)
        #endif
    }

    /// ``plainEnd(_:from:end:_:markup:)`` eight bytes at a time: the scan where
    /// `CXMLScan` has no vector version (compiled everywhere, and tested against it).
    @inline(__always)
    static func plainEndByWords(
        _ p: UnsafePointer<UInt8>, from start: Int, end: Int, _ classes: UnsafePointer<UInt8>, markup: Bool
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & high != 0 }
        var i = start
        while true {
            while i &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                // Non-ASCII, or below 0x20 (exact while no byte is non-ASCII).
                if (word | ((word &- ones &* 0x20) & ~word)) & high != 0 { break }
                if hasZero(word ^ (ones &* 0x5D)) { break }
                if markup && (hasZero(word ^ (ones &* 0x3C)) || hasZero(word ^ (ones &* 0x26))) { break }
                i &+= 8
            }
            let limit = min(i &+ 8, end)
            while i < limit && classes[Int(p[i])] == ByteClass.plain { i &+= 1 }
            if i < limit || i >= end { return i }
        }
    }

    /// For tests: where a run of plain text starting at `start` ends in `bytes`, in
    /// character data (`cdata` false: "<" and "&" end it too) or in a CDATA section,
    /// by the scan this processor uses (`byWords` false) or by the word scan.
    static func plainEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, cdata: Bool, byWords: Bool) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let classes = cdata ? ByteClass.cdata : ByteClass.text
        return byWords
            ? plainEndByWords(base, from: start, end: bytes.count, classes, markup: !cdata)
            : plainEnd(base, from: start, end: bytes.count, classes, markup: !cdata)
    }

    private func processingInstruction(_ i: inout Int) -> Bool {
        var j = i &+ 2
        let nameStart = j
        guard j < end, ByteClass.name[Int(p[j])] == ByteClass.nameStart else { return false }
        while j < end && ByteClass.name[Int(p[j])] != 0 { j &+= 1 }
        // The target "xml" (any case) is reserved; a colon would be a namespace error.
        if j &- nameStart == 3 && (p[nameStart] | 0x20) == UInt8(ascii: "x")
            && (p[nameStart &+ 1] | 0x20) == UInt8(ascii: "m")
            && (p[nameStart &+ 2] | 0x20) == UInt8(ascii: "l")
        {
            return false
        }
        guard j &+ 1 < end else { return false }
        if p[j] == UInt8(ascii: "?") && p[j &+ 1] == UInt8(ascii: ">") {
            i = j &+ 2
            return true
        }
        guard skipSpace(&j) else { return false }
        while j &+ 1 < end {
            if p[j] == UInt8(ascii: "?") && p[j &+ 1] == UInt8(ascii: ">") {
                i = j &+ 2
                return true
            }
            guard let next = character(at: j) else { return false }
            j = next
        }
        return false
    }

    /// A document type declaration with no internal subset (an RSS 0.91 feed's
    /// reference to Netscape's DTD, say), which libxml2 reads and does not load.
    private mutating func doctype(_ i: inout Int) -> Bool {
        var j = i &+ 9
        guard skipSpace(&j), qualifiedName(&j) != nil else { return false }
        let spaced = skipSpace(&j)
        if spaced && matches("SYSTEM", at: j) {
            j &+= 6
            guard skipSpace(&j), literal(&j, publicID: false) else { return false }
        } else if spaced && matches("PUBLIC", at: j) {
            j &+= 6
            guard skipSpace(&j), literal(&j, publicID: true), skipSpace(&j), literal(&j, publicID: false) else {
                return false
            }
        }
        _ = skipSpace(&j)
        guard j < end, p[j] == UInt8(ascii: ">") else { return false }
        doctypeSeen = true
        i = j &+ 1
        return true
    }

    /// A quoted system or public identifier.
    private func literal(_ j: inout Int, publicID: Bool) -> Bool {
        guard j < end, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") else { return false }
        let quote = p[j]
        var k = j &+ 1
        while k < end && p[k] != quote {
            if publicID {
                guard ByteClass.isPublicIDCharacter(p[k]) else { return false }
                k &+= 1
            } else {
                guard let next = character(at: k) else { return false }
                k = next
            }
        }
        guard k < end else { return false }
        j = k &+ 1
        return true
    }

    // MARK: Pieces

    private struct QualifiedName {
        var prefixStart: Int
        var prefixLength: Int
        var localStart: Int
        var localLength: Int
    }

    /// An ASCII name with at most one colon, not at either end; `j` is left after it.
    @inline(__always)
    private func qualifiedName(_ j: inout Int) -> QualifiedName? {
        let names = ByteClass.name
        let start = j
        guard j < end, names[Int(p[j])] == ByteClass.nameStart else { return nil }
        j &+= 1
        while j < end && names[Int(p[j])] != 0 { j &+= 1 }
        var name = QualifiedName(prefixStart: start, prefixLength: 0, localStart: start, localLength: j &- start)
        if j < end && p[j] == UInt8(ascii: ":") {
            j &+= 1
            let local = j
            guard j < end, names[Int(p[j])] == ByteClass.nameStart else { return nil }
            j &+= 1
            while j < end && names[Int(p[j])] != 0 { j &+= 1 }
            guard j >= end || p[j] != UInt8(ascii: ":") else { return nil }
            name = QualifiedName(
                prefixStart: start, prefixLength: local &- 1 &- start, localStart: local, localLength: j &- local)
        }
        guard j < end, p[j] < 0x80, j &- start <= Self.maxNameLength else { return nil }
        return name
    }

    /// Skips whitespace; false when there was none. A lone carriage return is left
    /// to libxml2, which counts lines differently around it.
    @inline(__always)
    private func skipSpace(_ j: inout Int) -> Bool {
        let start = j
        while j < end {
            let c = p[j]
            if c == 32 || c == 10 || c == 9 {
                j &+= 1
            } else if c == 13 && j &+ 1 < end && p[j &+ 1] == 10 {
                j &+= 2
            } else {
                break
            }
        }
        return j > start
    }

    /// An attribute value at `j` (its opening quote), leaving `j` after the closing
    /// quote. Values with nothing to decode point into the input; the others are
    /// decoded into `values`: references replaced, and each tab, line feed and line
    /// end made a space (XML's attribute-value normalization).
    private mutating func attributeValue(_ j: inout Int) -> (start: Int, end: Int, decoded: Bool)? {
        let quote = p[j]
        let start = j &+ 1
        var k = start
        while k < end {
            let c = p[k]
            if c == quote {
                guard k &- start <= Self.maxValueLength else { return nil }
                j = k &+ 1
                return (start, k, false)
            }
            if c == UInt8(ascii: "&") || c == 9 || c == 10 || c == 13 { break }
            guard c != UInt8(ascii: "<"), let next = character(at: k) else { return nil }
            k = next
        }
        guard k < end else { return nil }
        let decodedStart = values.count
        values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: k &- start))
        while k < end {
            let c = p[k]
            if c == quote {
                guard values.count &- decodedStart <= Self.maxValueLength else { return nil }
                j = k &+ 1
                return (decodedStart, values.count, true)
            }
            switch c {
            case UInt8(ascii: "&"):
                guard let (length, scalar) = reference(at: k) else { return nil }
                let count = encode(scalar, into: referenceBytes)
                values.append(contentsOf: UnsafeBufferPointer(start: referenceBytes, count: count))
                k &+= length
            case 9, 10:
                values.append(32)
                k &+= 1
            case 13:
                guard k &+ 1 < end, p[k &+ 1] == 10 else { return nil }
                values.append(32)
                k &+= 2
            case UInt8(ascii: "<"):
                return nil
            default:
                guard let next = character(at: k) else { return nil }
                values.append(contentsOf: UnsafeBufferPointer(start: p + k, count: next &- k))
                k = next
            }
        }
        return nil
    }

    /// A reference at `i` (an "&"): its length and the character it stands for.
    /// Only XML's five entities and character references to XML characters.
    private func reference(at i: Int) -> (Int, UInt32)? {
        var j = i &+ 1
        guard j < end else { return nil }
        if p[j] == UInt8(ascii: "#") {
            j &+= 1
            var value: UInt32 = 0
            var digits = 0
            if j < end && p[j] == UInt8(ascii: "x") {
                j &+= 1
                while j < end, digits <= 8 {
                    let c = p[j]
                    let digit: UInt8
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
                    default: digit = 255
                    }
                    if digit == 255 { break }
                    value = value &* 16 &+ UInt32(digit)
                    digits &+= 1
                    j &+= 1
                }
            } else {
                while j < end, digits <= 8, p[j] >= UInt8(ascii: "0"), p[j] <= UInt8(ascii: "9") {
                    value = value &* 10 &+ UInt32(p[j] &- UInt8(ascii: "0"))
                    digits &+= 1
                    j &+= 1
                }
            }
            guard digits > 0, digits <= 8, j < end, p[j] == UInt8(ascii: ";"), Self.isXMLCharacter(value) else {
                return nil
            }
            return (j &+ 1 &- i, value)
        }
        let start = j
        while j < end && j &- start < 5 && p[j] != UInt8(ascii: ";") { j &+= 1 }
        guard j < end, p[j] == UInt8(ascii: ";") else { return nil }
        let scalar: UInt32
        switch j &- start {
        case 2 where p[start &+ 1] == UInt8(ascii: "t"):
            switch p[start] {
            case UInt8(ascii: "l"): scalar = 0x3C
            case UInt8(ascii: "g"): scalar = 0x3E
            default: return nil
            }
        case 3 where matches("amp", at: start): scalar = 0x26
        case 4 where matches("apos", at: start): scalar = 0x27
        case 4 where matches("quot", at: start): scalar = 0x22
        default: return nil
        }
        return (j &+ 1 &- i, scalar)
    }

    private static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | (scalar >> 12))
            out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        default:
            out[0] = UInt8(0xF0 | (scalar >> 18))
            out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[3] = UInt8(0x80 | (scalar & 0x3F))
            return 4
        }
    }

    /// The index after the XML character at `i` (not a line end), or nil when the
    /// bytes there are not one: a control character, ill-formed UTF-8, or
    /// U+FFFE/U+FFFF.
    @inline(__always)
    private func character(at i: Int) -> Int? {
        let c = p[i]
        if c < 0x80 {
            return c >= 0x20 || c == 9 || c == 10 ? i &+ 1 : (c == 13 && i &+ 1 < end && p[i &+ 1] == 10 ? i &+ 2 : nil)
        }
        let length = utf8Length(at: i)
        return length > 0 ? i &+ length : nil
    }

    /// The length of the UTF-8 sequence at `i` (a byte of 0x80 or more), or 0 when
    /// it is ill-formed (Unicode's table 3-7) or encodes U+FFFE or U+FFFF, which XML
    /// excludes.
    @inline(__always)
    private func utf8Length(at i: Int) -> Int {
        let lead = p[i]
        switch lead {
        case 0xC2...0xDF:
            return i &+ 1 < end && p[i &+ 1] & 0xC0 == 0x80 ? 2 : 0
        case 0xE0...0xEF:
            guard i &+ 2 < end else { return 0 }
            let second = p[i &+ 1]
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard second >= low, second <= high, p[i &+ 2] & 0xC0 == 0x80 else { return 0 }
            if lead == 0xEF && second == 0xBF && p[i &+ 2] >= 0xBE { return 0 }
            return 3
        case 0xF0...0xF4:
            guard i &+ 3 < end else { return 0 }
            let second = p[i &+ 1]
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard second >= low, second <= high, p[i &+ 2] & 0xC0 == 0x80, p[i &+ 3] & 0xC0 == 0x80 else { return 0 }
            return 4
        default:
            return 0
        }
    }

    @inline(__always)
    private func matches(_ literal: StaticString, at i: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        return i &+ count <= end && memcmp(p + i, literal.utf8Start, count) == 0
    }

    private func isXMLNS(_ start: Int, _ length: Int) -> Bool {
        length == 5 && matches("xmlns", at: start)
    }

    private func lookup(_ prefix: UnsafePointer<UInt8>?) -> UnsafePointer<UInt8>? {
        var k = bindings.count &- 1
        while k >= 0 {
            if bindings[k].prefix == prefix { return bindings[k].uri }
            k &-= 1
        }
        return nil
    }

    /// Whether libxml2 takes `uri` as a namespace name without complaint: its URI
    /// parser reads it, and it has a scheme (a relative one draws a warning).
    private mutating func isAbsoluteURI(_ uri: UnsafePointer<UInt8>) -> Bool {
        for checked in checkedURIs where checked.uri == uri { return checked.valid }
        var valid = false
        if let parsed = xmlParseURI(UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self)) {
            valid = parsed.pointee.scheme != nil
            xmlFreeURI(parsed)
        }
        checkedURIs.append((uri, valid))
        return valid
    }
}

/// The line of the tokenizer's current event, counted when a warning asks for it.
final class LineCounter {
    private let base: UnsafePointer<UInt8>
    /// Where the current event is in the input.
    var position = 0
    private var counted = 0
    private var lineCount = 1

    init(base: UnsafePointer<UInt8>) { self.base = base }

    /// 1 plus the line feeds before ``position``.
    func line() -> Int {
        if position < counted {
            counted = 0
            lineCount = 1
        }
        var k = counted
        while k < position, let found = memchr(base + k, 10, position - k) {
            lineCount += 1
            k = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        counted = position
        return lineCount
    }
}

/// Byte classes for the tokenizer's loops, in tables allocated once (reading a
/// global array would retain and release it).
private enum ByteClass {
    static let plain: UInt8 = 0
    static let lessThan: UInt8 = 1
    static let ampersand: UInt8 = 2
    static let bracket: UInt8 = 3
    static let carriageReturn: UInt8 = 4
    static let nonASCII: UInt8 = 5
    static let control: UInt8 = 6

    /// What stops a run of text.
    nonisolated(unsafe) static let text: UnsafePointer<UInt8> = table { textClass($0, inCDATA: false) }

    /// What stops a run of a CDATA section: the same but for markup and references.
    nonisolated(unsafe) static let cdata: UnsafePointer<UInt8> = table { textClass($0, inCDATA: true) }

    private static func textClass(_ byte: UInt8, inCDATA: Bool) -> UInt8 {
        switch byte {
        case UInt8(ascii: "<") where !inCDATA: lessThan
        case UInt8(ascii: "&") where !inCDATA: ampersand
        case UInt8(ascii: "]"): bracket
        case 13: carriageReturn
        case 9, 10: plain
        case 0..<0x20: control
        case 0x80...: nonASCII
        default: plain
        }
    }

    static let nameStart: UInt8 = 1
    static let nameCharacter: UInt8 = 2

    /// ASCII name characters (a colon is read apart, as the prefix separator).
    nonisolated(unsafe) static let name: UnsafePointer<UInt8> = table { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): nameStart
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): nameCharacter
        default: 0
        }
    }

    static func isPublicIDCharacter(_ c: UInt8) -> Bool {
        switch c {
        case 0x20, 0xD, 0xA, UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-'()+,./:=?;!*#@$_%".utf8.contains(c)
        }
    }

    private static func table(_ classify: (UInt8) -> UInt8) -> UnsafePointer<UInt8> {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0...255 { table[byte] = classify(UInt8(byte)) }
        return UnsafePointer(table)
    }
}

/// Interned NUL-terminated strings, as libxml2's dictionary keeps names: one
/// pointer per distinct string, valid until ``deallocate()``.
private struct NameDictionary: ~Copyable {
    /// Each slot points past an entry's 8-byte header (length, hash) to its bytes.
    private var slots: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    private var mask: Int
    private var count = 0
    private var blocks: [UnsafeMutableRawPointer] = []
    private var free: UnsafeMutableRawPointer?
    private var freeBytes = 0
    private static let blockSize = 16 * 1024

    init() {
        mask = 255
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: nil, count: mask + 1)
    }

    func deallocate() {
        slots.deallocate()
        for block in blocks { block.deallocate() }
    }

    mutating func intern(staticString: StaticString) -> UnsafePointer<UInt8> {
        intern(staticString.utf8Start, staticString.utf8CodeUnitCount)
    }

    mutating func intern(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> UnsafePointer<UInt8> {
        var hash: UInt32 = 2_166_136_261
        for k in 0..<length { hash = (hash ^ UInt32(bytes[k])) &* 16_777_619 }
        var slot = Int(hash) & mask
        while let entry = slots[slot] {
            let header = UnsafeRawPointer(entry - 8)
            if header.load(fromByteOffset: 4, as: UInt32.self) == hash
                && Int(header.load(as: UInt32.self)) == length && memcmp(entry, bytes, length) == 0
            {
                return UnsafePointer(entry)
            }
            slot = (slot &+ 1) & mask
        }
        let entry = store(bytes, length, hash)
        slots[slot] = entry
        count &+= 1
        if count * 2 > mask { grow() }
        return UnsafePointer(entry)
    }

    private mutating func store(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ hash: UInt32)
        -> UnsafeMutablePointer<UInt8>
    {
        let size = (8 + length + 1 + 7) & ~7
        if size > freeBytes {
            let blockSize = max(Self.blockSize, size)
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 8)
            blocks.append(block)
            free = block
            freeBytes = blockSize
        }
        let header = free!
        free = header + size
        freeBytes -= size
        header.storeBytes(of: UInt32(length), as: UInt32.self)
        header.storeBytes(of: hash, toByteOffset: 4, as: UInt32.self)
        let entry = (header + 8).assumingMemoryBound(to: UInt8.self)
        entry.update(from: bytes, count: length)
        entry[length] = 0
        return entry
    }

    private mutating func grow() {
        let oldSlots = slots
        let oldCount = mask + 1
        mask = oldCount * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: nil, count: mask + 1)
        for k in 0..<oldCount {
            guard let entry = oldSlots[k] else { continue }
            let hash = UnsafeRawPointer(entry - 8).load(fromByteOffset: 4, as: UInt32.self)
            var slot = Int(hash) & mask
            while slots[slot] != nil { slot = (slot &+ 1) & mask }
            slots[slot] = entry
        }
        oldSlots.deallocate()
    }
}
