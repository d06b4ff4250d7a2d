import CGumbo

/// A tokenizer and tree builder for the markup most feed bodies are made of:
/// well-nested elements, quoted attributes, common character references.
///
/// For such input the HTML5 fragment algorithm builds exactly the tree the
/// tokens describe, so events can be delivered as they are read, with no tree.
/// At the first construct where the algorithm would do more — an implied end
/// tag, a misnested or stray end tag, tables, forms, foreign content, an unknown
/// character reference, a control character — the reader gives up and the
/// caller parses the fragment with gumbo instead. Tests compare the two on
/// generated markup.
struct FastFragmentReader {
    /// Delivers `input` to `sink`; false when the reader gave up (the sink has
    /// then seen part of the fragment and must be restarted).
    static func read<Sink: FragmentSink>(_ input: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> Bool {
        if ByteSearch.contains(13, in: input) {
            // The input stream preprocessor: CRLF and lone CR become LF.
            var normalized: [UInt8] = []
            normalized.reserveCapacity(input.count)
            var index = 0
            while index < input.count {
                let byte = input[index]
                if byte == 13 {
                    normalized.append(10)
                    if index + 1 < input.count && input[index + 1] == 10 { index += 1 }
                } else {
                    normalized.append(byte)
                }
                index += 1
            }
            return normalized.withUnsafeBufferPointer { buffer in
                var reader = FastFragmentReader(input: buffer)
                return reader.run(&sink)
            }
        }
        var reader = FastFragmentReader(input: input)
        return reader.run(&sink)
    }

    private struct OpenElement {
        var tag: ElementTag
        var nameStart: Int
        var nameCount: Int
        var category: Category
    }

    private enum Category: UInt8 {
        case closesParagraph, heading, pre, listItem, definition, anchor, formatting, ordinary, voidElement
        case closingVoid, rawText, unsupported

        var isSpecial: Bool {
            switch self {
            case .closesParagraph, .heading, .pre, .listItem, .definition: return true
            default: return false
            }
        }
    }

    private static let categories: [Category] = {
        var table = [Category](repeating: .unsupported, count: ElementTag.count)
        func set(_ tags: [GumboTag], _ category: Category) {
            for tag in tags { table[Int(ElementTag(tag).rawValue)] = category }
        }
        set(
            [
                GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_CENTER,
                GUMBO_TAG_DETAILS, GUMBO_TAG_DIV, GUMBO_TAG_DL, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,
                GUMBO_TAG_FOOTER, GUMBO_TAG_HEADER, GUMBO_TAG_MAIN, GUMBO_TAG_NAV, GUMBO_TAG_OL, GUMBO_TAG_P,
                GUMBO_TAG_SECTION, GUMBO_TAG_SUMMARY, GUMBO_TAG_UL,
            ], .closesParagraph)
        set([GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6], .heading)
        set([GUMBO_TAG_PRE], .pre)
        set([GUMBO_TAG_LI], .listItem)
        set([GUMBO_TAG_DD, GUMBO_TAG_DT], .definition)
        set([GUMBO_TAG_A], .anchor)
        set(
            [
                GUMBO_TAG_B, GUMBO_TAG_BIG, GUMBO_TAG_CODE, GUMBO_TAG_EM, GUMBO_TAG_FONT, GUMBO_TAG_I, GUMBO_TAG_S,
                GUMBO_TAG_SMALL, GUMBO_TAG_STRIKE, GUMBO_TAG_STRONG, GUMBO_TAG_TT, GUMBO_TAG_U,
            ], .formatting)
        set(
            [
                GUMBO_TAG_SPAN, GUMBO_TAG_ABBR, GUMBO_TAG_BDI, GUMBO_TAG_BDO, GUMBO_TAG_CITE, GUMBO_TAG_DFN,
                GUMBO_TAG_KBD, GUMBO_TAG_MARK, GUMBO_TAG_Q, GUMBO_TAG_SAMP, GUMBO_TAG_SUB, GUMBO_TAG_SUP,
                GUMBO_TAG_TIME, GUMBO_TAG_VAR, GUMBO_TAG_INS, GUMBO_TAG_DEL, GUMBO_TAG_VIDEO, GUMBO_TAG_AUDIO,
                GUMBO_TAG_DATA, GUMBO_TAG_ACRONYM, GUMBO_TAG_UNKNOWN,
            ], .ordinary)
        table[Int(ElementTag.picture.rawValue)] = .ordinary
        set([GUMBO_TAG_BR, GUMBO_TAG_IMG, GUMBO_TAG_WBR, GUMBO_TAG_SOURCE, GUMBO_TAG_TRACK], .voidElement)
        set([GUMBO_TAG_HR], .closingVoid)
        set([GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_IFRAME], .rawText)
        return table
    }()

    private let input: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Pending text as written in the input, delivered without a copy while no
    /// character reference or stray `<` joins it…
    private var verbatim = 0..<0
    /// …and as bytes once one does.
    private var text: [UInt8] = []
    /// No reference in `text` decoded to `&`, `<` or CR and no stray `<` joined it.
    private var textIsChecked = true
    private var stack: [OpenElement] = []
    /// Lowercase names of open unknown elements.
    private var names: [UInt8] = []
    /// Index in `stack` of the element whose subtree the sink declined, or -1.
    private var skipFrom = -1
    private var openParagraphs = 0
    private var openAnchors = 0
    // The tag being read: lowercase name, then attribute names and decoded values.
    private var tagBytes: [UInt8] = []
    private var attributeRanges: [(name: Range<Int>, value: Range<Int>)] = []
    private var attributes: [RawAttribute] = []

    private init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
        tagBytes.reserveCapacity(256)
    }

    private mutating func run<Sink: FragmentSink>(_ sink: inout Sink) -> Bool {
        let count = input.count
        while index < count {
            if sink.isFinished { return true }
            let byte = input[index]
            if byte == UInt8(ascii: "<") {
                guard readMarkup(&sink) else { return false }
                continue
            }
            if byte == UInt8(ascii: "&") {
                bufferVerbatimText()
                let decoded = text.count
                guard let next = Self.decodeReference(input, at: index, inAttribute: false, into: &text) else {
                    return false
                }
                for byte in text[decoded...] where byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == 13
                {
                    textIsChecked = false
                }
                index = next
                continue
            }
            var end = index
            while true {
                end = ByteSearch.firstMarkupOrUnusual(in: input, from: end, delimiter: UInt8(ascii: "<"))
                guard end < count else { break }
                let c = input[end]
                if c == UInt8(ascii: "<") || c == UInt8(ascii: "&") { break }
                guard Self.isPlain(input, at: end) else { return false }
                end += 1
            }
            if text.isEmpty && (verbatim.isEmpty || verbatim.upperBound == index) {
                verbatim = (verbatim.isEmpty ? index : verbatim.lowerBound)..<end
            } else {
                bufferVerbatimText()
                text.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<end]))
            }
            index = end
        }
        flushText(&sink)
        while !stack.isEmpty { pop(&sink) }
        return true
    }

    /// Whether the byte at `offset` (a control or non-ASCII byte) is one gumbo
    /// passes through unchanged: not a C0/C1 control other than tab, LF and FF,
    /// not DEL, not a noncharacter. Input is valid UTF-8.
    @inline(__always)
    private static func isPlain(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let c = input[offset]
        if c < 0x20 { return c == 9 || c == 10 || c == 12 }
        if c == 0x7F { return false }
        if c == 0xC2 { return offset + 1 < input.count && input[offset + 1] >= 0xA0 }
        if c == 0xEF && offset + 2 < input.count {
            let c1 = input[offset + 1]
            let c2 = input[offset + 2]
            if c1 == 0xB7 && c2 >= 0x90 && c2 <= 0xAF { return false }
            if c1 == 0xBF && c2 >= 0xBE { return false }
        }
        if c >= 0xF0 && offset + 3 < input.count && input[offset + 2] == 0xBF && input[offset + 3] >= 0xBE {
            return false
        }
        return true
    }

    // MARK: Events

    private mutating func flushText<Sink: FragmentSink>(_ sink: inout Sink) {
        if !verbatim.isEmpty {
            if skipFrom < 0 { sink.text(UnsafeBufferPointer(rebasing: input[verbatim]), isChecked: true) }
            verbatim = 0..<0
            return
        }
        guard !text.isEmpty else { return }
        if skipFrom < 0 { text.withUnsafeBufferPointer { sink.text($0, isChecked: textIsChecked) } }
        text.removeAll(keepingCapacity: true)
        textIsChecked = true
    }

    /// Moves pending verbatim text into `text`, before something that is not
    /// verbatim (or not adjacent in the input) is added.
    @inline(__always)
    private mutating func bufferVerbatimText() {
        guard !verbatim.isEmpty else { return }
        text.append(contentsOf: UnsafeBufferPointer(rebasing: input[verbatim]))
        verbatim = 0..<0
    }

    /// Delivers the start tag in `tagBytes`/`attributeRanges`; pushes it unless
    /// `isVoid`, in which case its end follows at once.
    private mutating func open<Sink: FragmentSink>(
        _ tag: ElementTag, nameCount: Int, category: Category, isVoid: Bool, _ sink: inout Sink
    ) {
        flushText(&sink)
        var descend = false
        if skipFrom < 0 {
            attributes.removeAll(keepingCapacity: true)
            if attributes.capacity < attributeRanges.count {
                attributes.reserveCapacity(max(16, attributeRanges.count))
            }
            descend = tagBytes.withUnsafeBufferPointer { bytes in
                for range in attributeRanges {
                    attributes.append(
                        RawAttribute(
                            name: UnsafeBufferPointer(rebasing: bytes[range.name]),
                            value: UnsafeBufferPointer(rebasing: bytes[range.value])))
                }
                return attributes.withUnsafeBufferPointer { attributeBuffer in
                    sink.startElement(
                        ElementToken(
                            tag: tag, name: UnsafeBufferPointer(rebasing: bytes[0..<nameCount]), isHTML: true,
                            attributes: attributeBuffer, irregular: false))
                }
            }
        }
        if isVoid {
            if descend { sink.endElement() }
            return
        }
        var element = OpenElement(tag: tag, nameStart: names.count, nameCount: 0, category: category)
        if tag == .unknown {
            names.append(contentsOf: tagBytes[0..<nameCount])
            element.nameCount = nameCount
        }
        if skipFrom < 0 && !descend { skipFrom = stack.count }
        if stack.capacity == 0 { stack.reserveCapacity(32) }
        stack.append(element)
        if tag == ElementTag(GUMBO_TAG_P) { openParagraphs += 1 }
        if tag == .a { openAnchors += 1 }
    }

    private mutating func pop<Sink: FragmentSink>(_ sink: inout Sink) {
        flushText(&sink)
        let element = stack.removeLast()
        if element.tag == .unknown { names.removeLast(element.nameCount) }
        if element.tag == ElementTag(GUMBO_TAG_P) { openParagraphs -= 1 }
        if element.tag == .a { openAnchors -= 1 }
        if skipFrom == stack.count {
            skipFrom = -1
        } else if skipFrom < 0 {
            sink.endElement()
        }
    }

    // MARK: Markup

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 9 || c == 12 }
    @inline(__always)
    private static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always)
    private static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || (c >= 0x30 && c <= 0x39) }

    private mutating func readMarkup<Sink: FragmentSink>(_ sink: inout Sink) -> Bool {
        let count = input.count
        guard index + 1 < count else {
            bufferVerbatimText()
            text.append(UInt8(ascii: "<"))
            textIsChecked = false
            index += 1
            return true
        }
        let next = input[index + 1]
        if Self.isAlpha(next) { return readStartTag(&sink) }
        if next == UInt8(ascii: "/") {
            guard index + 2 < count, Self.isAlpha(input[index + 2]) else { return false }
            return readEndTag(&sink)
        }
        if next == UInt8(ascii: "!") { return skipComment() }
        if next == UInt8(ascii: "?") { return false }
        bufferVerbatimText()
        text.append(UInt8(ascii: "<"))
        textIsChecked = false
        index += 1
        return true
    }

    private mutating func skipComment() -> Bool {
        let count = input.count
        let start = index + 4
        guard start <= count, input[index + 2] == UInt8(ascii: "-"), input[index + 3] == UInt8(ascii: "-") else {
            return false
        }
        guard start < count, input[start] != UInt8(ascii: ">") else { return false }
        if input[start] == UInt8(ascii: "-") && start + 1 < count && input[start + 1] == UInt8(ascii: ">") {
            return false
        }
        var position = start
        while position + 2 < count {
            if input[position] == UInt8(ascii: "-") && input[position + 1] == UInt8(ascii: "-") {
                if input[position + 2] == UInt8(ascii: ">") {
                    index = position + 3
                    return true
                }
                if input[position + 2] == UInt8(ascii: "!") { return false }
            }
            guard input[position] >= 0x20 || Self.isPlain(input, at: position) else { return false }
            position += 1
        }
        return false
    }

    /// Reads a tag name at `index` into `tagBytes` (lowercase); the count, or nil
    /// for a name gumbo might treat differently.
    private mutating func readTagName() -> Int? {
        let count = input.count
        tagBytes.removeAll(keepingCapacity: true)
        let start = index
        var hasUppercase = false
        while index < count {
            let c = input[index]
            if Self.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") { break }
            guard Self.isAlnum(c) || c == UInt8(ascii: "-") else { return nil }
            if c <= 0x5A && c >= 0x41 { hasUppercase = true }
            index += 1
        }
        appendName(from: start, lowercasing: hasUppercase)
        return index < count ? tagBytes.count : nil
    }

    /// Appends `input[start..<index]` to `tagBytes`, ASCII letters lowercased
    /// when `lowercasing`.
    @inline(__always)
    private mutating func appendName(from start: Int, lowercasing: Bool) {
        let first = tagBytes.count
        tagBytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        guard lowercasing else { return }
        for position in first..<tagBytes.count where tagBytes[position] >= 0x41 && tagBytes[position] <= 0x5A {
            tagBytes[position] |= 0x20
        }
    }

    private mutating func readStartTag<Sink: FragmentSink>(_ sink: inout Sink) -> Bool {
        index += 1
        guard let nameCount = readTagName() else { return false }
        attributeRanges.removeAll(keepingCapacity: true)
        guard readAttributes(nameCount: nameCount) else { return false }
        let tag = tagBytes.withUnsafeBufferPointer {
            ElementTag.lookup(UnsafeBufferPointer(rebasing: $0[0..<nameCount]))
        }
        let category = Self.categories[Int(tag.rawValue)]
        switch category {
        case .closesParagraph:
            guard openParagraphs == 0 else { return false }
        case .heading:
            guard openParagraphs == 0, stack.last?.category != .heading else { return false }
        case .pre:
            guard openParagraphs == 0 else { return false }
        case .listItem, .definition:
            for element in stack.reversed() {
                if category == .listItem ? element.category == .listItem : element.category == .definition {
                    return false
                }
                if element.category.isSpecial && element.tag != ElementTag(GUMBO_TAG_ADDRESS)
                    && element.tag != ElementTag(GUMBO_TAG_DIV) && element.tag != ElementTag(GUMBO_TAG_P)
                {
                    break
                }
            }
            guard openParagraphs == 0 else { return false }
        case .anchor:
            guard openAnchors == 0 else { return false }
        case .formatting, .ordinary:
            break
        case .voidElement:
            open(tag, nameCount: nameCount, category: category, isVoid: true, &sink)
            return true
        case .closingVoid:
            guard openParagraphs == 0 else { return false }
            open(tag, nameCount: nameCount, category: category, isVoid: true, &sink)
            return true
        case .rawText:
            return readRawText(tag, nameCount: nameCount, category: category, &sink)
        case .unsupported:
            return false
        }
        open(tag, nameCount: nameCount, category: category, isVoid: false, &sink)
        if category == .pre && index < input.count {
            // A newline right after <pre> is not part of its content.
            if input[index] == 10 { index += 1 } else if input[index] == UInt8(ascii: "&") { return false }
        }
        return true
    }

    /// Skips the content of a raw-text element up to its end tag.
    private mutating func readRawText<Sink: FragmentSink>(
        _ tag: ElementTag, nameCount: Int, category: Category, _ sink: inout Sink
    ) -> Bool {
        let count = input.count
        let name = Array(tagBytes[0..<nameCount])
        let isScript = tag == ElementTag(GUMBO_TAG_SCRIPT)
        var position = index
        while position + 1 < count {
            if input[position] == UInt8(ascii: "<") {
                if input[position + 1] == UInt8(ascii: "/") && position + 2 + nameCount < count {
                    var matches = true
                    for offset in 0..<nameCount where input[position + 2 + offset] | 0x20 != name[offset] {
                        matches = false
                        break
                    }
                    let after = input[position + 2 + nameCount]
                    if matches && (Self.isSpace(after) || after == UInt8(ascii: ">") || after == UInt8(ascii: "/")) {
                        var end = position + 2 + nameCount
                        while end < count && Self.isSpace(input[end]) { end += 1 }
                        guard end < count, input[end] == UInt8(ascii: ">") else { return false }
                        open(tag, nameCount: nameCount, category: category, isVoid: false, &sink)
                        index = end + 1
                        pop(&sink)
                        return true
                    }
                } else if isScript && input[position + 1] == UInt8(ascii: "!") {
                    return false  // "<!--" in a script switches the tokenizer to its escaped states.
                }
            }
            position += 1
        }
        return false
    }

    private mutating func readAttributes(nameCount: Int) -> Bool {
        let count = input.count
        while true {
            while index < count && Self.isSpace(input[index]) { index += 1 }
            guard index < count else { return false }
            let c = input[index]
            if c == UInt8(ascii: ">") {
                index += 1
                return true
            }
            if c == UInt8(ascii: "/") {
                guard index + 1 < count, input[index + 1] == UInt8(ascii: ">") else { return false }
                index += 2
                return true
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "<") || c == UInt8(ascii: "=") {
                return false
            }
            // Name.
            let nameStart = tagBytes.count
            let nameInputStart = index
            var hasUppercase = false
            while index < count {
                let b = input[index]
                if Self.isSpace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=") {
                    break
                }
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "<") { return false }
                if b < 0x20 || b >= 0x7F {
                    guard Self.isPlain(input, at: index) else { return false }
                }
                if b <= 0x5A && b >= 0x41 { hasUppercase = true }
                index += 1
            }
            appendName(from: nameInputStart, lowercasing: hasUppercase)
            let nameRange = nameStart..<tagBytes.count
            while index < count && Self.isSpace(input[index]) { index += 1 }
            guard index < count else { return false }
            let valueStart = tagBytes.count
            if input[index] == UInt8(ascii: "=") {
                index += 1
                while index < count && Self.isSpace(input[index]) { index += 1 }
                guard index < count else { return false }
                let quote = input[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    index += 1
                    var runStart = index
                    while true {
                        index = ByteSearch.firstMarkupOrUnusual(in: input, from: index, delimiter: quote)
                        guard index < count else { return false }
                        let b = input[index]
                        if b != quote && b != UInt8(ascii: "&") {
                            guard Self.isPlain(input, at: index) else { return false }
                            index += 1
                            continue
                        }
                        if index > runStart {
                            tagBytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
                        }
                        if b == quote {
                            index += 1
                            break
                        }
                        guard let next = Self.decodeReference(input, at: index, inAttribute: true, into: &tagBytes)
                        else { return false }
                        index = next
                        runStart = index
                    }
                    guard index < count else { return false }
                    let after = input[index]
                    guard Self.isSpace(after) || after == UInt8(ascii: ">") || after == UInt8(ascii: "/") else {
                        return false
                    }
                } else if quote == UInt8(ascii: ">") {
                    return false
                } else {
                    while true {
                        guard index < count else { return false }
                        let b = input[index]
                        if Self.isSpace(b) || b == UInt8(ascii: ">") { break }
                        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "<")
                            || b == UInt8(ascii: "=") || b == UInt8(ascii: "`")
                        {
                            return false
                        }
                        if b == UInt8(ascii: "&") {
                            guard let next = Self.decodeReference(input, at: index, inAttribute: true, into: &tagBytes)
                            else { return false }
                            index = next
                            continue
                        }
                        if b < 0x20 || b >= 0x7F {
                            guard Self.isPlain(input, at: index) else { return false }
                        }
                        tagBytes.append(b)
                        index += 1
                    }
                }
            }
            let valueRange = valueStart..<tagBytes.count
            // The first of duplicate attributes wins.
            var duplicate = false
            for existing in attributeRanges
            where existing.name.count == nameRange.count
                && tagBytes[existing.name].elementsEqual(tagBytes[nameRange])
            {
                duplicate = true
                break
            }
            if duplicate {
                tagBytes.removeLast(tagBytes.count - nameStart)
            } else {
                if attributeRanges.capacity == 0 { attributeRanges.reserveCapacity(16) }
                attributeRanges.append((nameRange, valueRange))
            }
        }
    }

    private mutating func readEndTag<Sink: FragmentSink>(_ sink: inout Sink) -> Bool {
        index += 2
        // The name is read where it lies when it is lowercase (nearly always),
        // else lowercased into `tagBytes` as readTagName does.
        let count = input.count
        let nameStart = index
        var hasUppercase = false
        while index < count {
            let c = input[index]
            if Self.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") { break }
            guard Self.isAlnum(c) || c == UInt8(ascii: "-") else { return false }
            if c <= 0x5A && c >= 0x41 { hasUppercase = true }
            index += 1
        }
        guard index < count else { return false }
        let nameEnd = index
        if hasUppercase {
            tagBytes.removeAll(keepingCapacity: true)
            appendName(from: nameStart, lowercasing: true)
        }
        while index < count && Self.isSpace(input[index]) { index += 1 }
        guard index < count, input[index] == UInt8(ascii: ">") else { return false }
        index += 1
        guard let top = stack.last else { return false }
        let isTop =
            hasUppercase
            ? tagBytes.withUnsafeBufferPointer { Self.closes(top, name: $0, names: names) }
            : Self.closes(top, name: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]), names: names)
        guard isTop else { return false }
        pop(&sink)
        return true
    }

    /// Whether an end tag named `name` (lowercase) closes `top`.
    @inline(__always)
    private static func closes(_ top: OpenElement, name: UnsafeBufferPointer<UInt8>, names: [UInt8]) -> Bool {
        let tag = ElementTag.lookup(name)
        guard tag == top.tag else { return false }
        return tag != .unknown || (top.nameCount == name.count && names[top.nameStart...].elementsEqual(name))
    }

    // MARK: Character references

    /// Decodes the reference at `start` (an `&`) into `out`, or copies the `&`
    /// when it starts none; the index after what was read, or nil when gumbo must
    /// decide.
    private static func decodeReference(
        _ input: UnsafeBufferPointer<UInt8>, at start: Int, inAttribute: Bool, into out: inout [UInt8]
    ) -> Int? {
        let count = input.count
        guard start + 1 < count else {
            out.append(UInt8(ascii: "&"))
            return start + 1
        }
        let first = input[start + 1]
        if first == UInt8(ascii: "#") {
            var position = start + 2
            var isHex = false
            if position < count && input[position] | 0x20 == UInt8(ascii: "x") {
                isHex = true
                position += 1
            }
            let digitsStart = position
            var value: UInt32 = 0
            while position < count {
                let c = input[position]
                let digit: UInt32
                if c >= 0x30 && c <= 0x39 {
                    digit = UInt32(c - 0x30)
                } else if isHex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 {
                    digit = UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                value = min(value &* (isHex ? 16 : 10) &+ digit, 0x11_0000)
                position += 1
            }
            if position == digitsStart {
                out.append(UInt8(ascii: "&"))
                return start + 1
            }
            guard position < count, input[position] == UInt8(ascii: ";") else { return nil }
            switch value {
            case 9, 10, 12, 13, 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFDCF, 0xFDF0...0xFFFD, 0x1_0000...0x10_FFFF:
                if value > 0xFFFF && value & 0xFFFE == 0xFFFE { return nil }
                CharacterReferences.appendUTF8(value, to: &out)
                return position + 1
            default:
                return nil
            }
        }
        guard isAlnum(first) else {
            out.append(UInt8(ascii: "&"))
            return start + 1
        }
        var position = start + 1
        while position < count && isAlnum(input[position]) { position += 1 }
        let run = UnsafeBufferPointer(rebasing: input[(start + 1)..<position])
        if position < count && input[position] == UInt8(ascii: ";") {
            guard run.count <= 8, let scalar = CharacterReferences.common[CharacterReferences.pack(run)] else {
                return nil
            }
            CharacterReferences.appendUTF8(scalar, to: &out)
            return position + 1
        }
        if inAttribute {
            // A legacy name followed by "=" or an alphanumeric stays as written.
            if run.count <= 6 && CharacterReferences.legacy.contains(CharacterReferences.pack(run)) {
                guard position < count, input[position] == UInt8(ascii: "=") else { return nil }
            }
        } else if CharacterReferences.hasLegacyPrefix(run) {
            return nil
        }
        out.append(UInt8(ascii: "&"))
        return start + 1
    }
}
