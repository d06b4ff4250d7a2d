import CGumbo

/// Applies the policy to the events of a fragment and serializes what is kept
/// into one byte buffer.
struct SanitizingSink: FragmentSink {
    private enum FrameKind { case written, unwrapped, writtenDropIfEmpty }

    private struct Frame {
        var kind: FrameKind
        var tag: ElementTag
        /// Name of a written element gumbo has no tag for, in `names`.
        var nameStart: Int
        var nameCount: Int
        /// For unwrapped frames, `writtenCount` at the start; for the others, the
        /// output position before the start tag.
        var mark: Int
        var contentStart: Int
    }

    private struct PendingAttribute {
        var name: UnsafeBufferPointer<UInt8>
        var value: Range<Int>
    }

    let policy: SanitizerPolicy
    let urls: URLFilter
    private(set) var output: [UInt8] = []
    /// Something was unwrapped around written elements, or gumbo repaired
    /// misnested markup: the output may read back as a different tree, so the
    /// caller sanitizes it again until it no longer changes.
    private(set) var needsVerification = false
    private var frames: [Frame] = []
    private var writtenTags: [ElementTag] = []
    private var writtenCount = 0
    private var names: [UInt8] = []
    private var scratch: [UInt8] = []
    private var pending: [PendingAttribute] = []
    private var preContentStart = -1
    /// Permissive mode: the font size bound of each written open element
    /// (see ``StyleFilter``), parallel to `writtenTags`.
    private var fontBounds: [Double] = []
    /// The bound of the element being kept, set by `collectAttributes`.
    private var elementFont = StyleFilter.pageFont

    var isFinished: Bool { false }

    init(policy: SanitizerPolicy, urls: URLFilter, capacity: Int) {
        self.policy = policy
        self.urls = urls
        output.reserveCapacity(capacity)
        // Room for what a typical body needs, so that these grow once at most
        // rather than doubling up from nothing in every body.
        frames.reserveCapacity(32)
        writtenTags.reserveCapacity(32)
        pending.reserveCapacity(16)
        scratch.reserveCapacity(512)
    }

    mutating func restart() {
        output.removeAll(keepingCapacity: true)
        needsVerification = false
        frames.removeAll(keepingCapacity: true)
        writtenTags.removeAll(keepingCapacity: true)
        writtenCount = 0
        names.removeAll(keepingCapacity: true)
        preContentStart = -1
        fontBounds.removeAll(keepingCapacity: true)
    }

    mutating func noteIrregularTree() { needsVerification = true }

    mutating func text(_ text: UnsafeBufferPointer<UInt8>, isChecked: Bool) {
        guard !text.isEmpty else { return }
        // A newline first in <pre> is dropped when read back: double it.
        if preContentStart == output.count && text[0] == 10 { output.append(10) }
        if isChecked {
            HTMLEscaping.appendCheckedText(text, to: &output)
        } else {
            HTMLEscaping.appendText(text, to: &output)
        }
    }

    mutating func startElement(_ element: ElementToken) -> Bool {
        if element.irregular { needsVerification = true }
        switch policy.action(for: element) {
        case .drop:
            return false
        case .iframe:
            writeFrame(element)
            return false
        case .unwrap:
            unwrap(element)
            return true
        case .keep:
            return keep(element)
        }
    }

    mutating func endElement() {
        let frame = frames.removeLast()
        switch frame.kind {
        case .unwrapped:
            if writtenCount != frame.mark { needsVerification = true }
            return
        case .written:
            break
        case .writtenDropIfEmpty:
            if output[frame.contentStart...].allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 12 }) {
                output.removeLast(output.count - frame.mark)
                writtenTags.removeLast()
                if policy.permissive { fontBounds.removeLast() }
                return
            }
        }
        writtenTags.removeLast()
        if policy.permissive { fontBounds.removeLast() }
        if frame.tag == .pre || frame.tag == .textarea { preContentStart = -1 }
        // gumbo 0.10 inserts text that ends a form after the form (its </form>
        // takes the form off the stack before the pending text is flushed); an
        // empty element in between keeps the text where the browser puts it and
        // the output a fixed point.
        // (Text ends with anything but `>`, which it escapes.)
        if frame.tag == ElementTag(GUMBO_TAG_FORM) && output.last != UInt8(ascii: ">") {
            output.append(contentsOf: "<span></span>".utf8)
        }
        output.append(UInt8(ascii: "<"))
        output.append(UInt8(ascii: "/"))
        if frame.tag == .unknown {
            output.append(contentsOf: names[frame.nameStart..<(frame.nameStart + frame.nameCount)])
            names.removeLast(frame.nameCount)
        } else {
            output.append(contentsOf: frame.tag.name)
        }
        output.append(UInt8(ascii: ">"))
    }

    private mutating func unwrap(_ element: ElementToken) {
        frames.append(
            Frame(kind: .unwrapped, tag: element.tag, nameStart: 0, nameCount: 0, mark: writtenCount, contentStart: 0))
    }

    private mutating func keep(_ element: ElementToken) -> Bool {
        let tag = element.tag
        let isVoid = ElementSets.void.contains(tag)
        if tag == .source && !policy.permissive {
            guard let parent = writtenTags.last, parent == .picture || parent == .video || parent == .audio else {
                return false
            }
        }
        if !isVoid && writtenTags.count >= policy.maximumDepth {
            unwrap(element)
            return true
        }
        // A form inside a form (which the tree builder makes of
        // `<form><div></form><form>`) is ignored when the output is read again.
        if tag == .form && writtenTags.contains(.form) {
            unwrap(element)
            return true
        }
        collectAttributes(element)
        var dropIfEmpty = false
        switch tag {
        case .img, .source:
            var src: Range<Int>?
            var hasSrcset = false
            for attribute in pending {
                if attribute.name.equals("src") { src = attribute.value }
                if attribute.name.equals("srcset") { hasSrcset = true }
            }
            if src == nil, let value = lazyValue(element, ["data-src", "data-lazy-src", "data-original"]) {
                let start = scratch.count
                if urls.append(value, stripTracking: false, to: &scratch) {
                    src = start..<scratch.count
                    pending.append(PendingAttribute(name: Self.staticBuffer("src"), value: start..<scratch.count))
                }
            }
            if !hasSrcset, let value = lazyValue(element, ["data-srcset", "data-lazy-srcset"]) {
                let start = scratch.count
                if urls.appendSrcset(value, to: &scratch) {
                    hasSrcset = true
                    pending.append(PendingAttribute(name: Self.staticBuffer("srcset"), value: start..<scratch.count))
                }
            }
            // Without a URL it shows nothing; permissive mode keeps it as
            // feedparser does (it fetches nothing either).
            guard src != nil || hasSrcset || policy.permissive else { return false }
            if tag == .img {
                if let src, urls.isTracker(scratch[src]) { return false }
                if Self.isPixelSized(element) { return false }
            }
        case .a:
            guard let href = pending.first(where: { $0.name.equals("href") }) else {
                // A named anchor (its id and name prefixed in permissive mode).
                if policy.permissive { break }
                unwrap(element)
                return true
            }
            dropIfEmpty = urls.isTracker(scratch[href.value])
            if policy.linkTargets == .forceBlank { addBlankTarget(element) }
        case ElementTag(GUMBO_TAG_AREA):
            if policy.linkTargets == .forceBlank && pending.contains(where: { $0.name.equals("href") }) {
                addBlankTarget(element)
            }
        case .video, .audio:
            if !pending.contains(where: { $0.name.equals("controls") }) {
                pending.append(PendingAttribute(name: Self.staticBuffer("controls"), value: 0..<0))
            }
        case .unknown where element.name.equals("dialog"):
            // An open or displayed <dialog> is positioned over the page by the
            // browser's style sheet: keep it closed (display: none).
            pending.removeAll { $0.name.equals("open") || $0.name.equals("style") }
        default:
            break
        }
        if policy.disabledControls.contains(tag) && !pending.contains(where: { $0.name.equals("disabled") }) {
            pending.append(PendingAttribute(name: Self.staticBuffer("disabled"), value: 0..<0))
        }
        let mark = output.count
        output.append(UInt8(ascii: "<"))
        output.append(contentsOf: element.name)
        writePendingAttributes()
        output.append(UInt8(ascii: ">"))
        writtenCount += 1
        if isVoid { return false }
        var frame = Frame(
            kind: dropIfEmpty ? .writtenDropIfEmpty : .written, tag: tag, nameStart: 0, nameCount: 0, mark: mark,
            contentStart: output.count)
        if tag == .unknown {
            frame.nameStart = names.count
            frame.nameCount = element.name.count
            names.append(contentsOf: element.name)
        }
        frames.append(frame)
        writtenTags.append(tag)
        if policy.permissive { fontBounds.append(elementFont) }
        // The parser drops a newline right after <pre> (and <textarea>).
        if tag == .pre || tag == .textarea { preContentStart = output.count }
        return true
    }

    /// Fills `pending`/`scratch` with the attributes the policy keeps, values
    /// made safe.
    private mutating func collectAttributes(_ element: ElementToken) {
        pending.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        let parentFont = fontBounds.last ?? StyleFilter.pageFont
        if policy.permissive {
            elementFont = StyleFilter.fontBound(
                for: element.tag,
                hasFontSize: element.tag == ElementTag(GUMBO_TAG_FONT) && element.attribute("size") != nil,
                parent: parentFont)
        }
        for attribute in element.attributes {
            guard let rule = policy.rule(for: attribute.name) else { continue }
            if let elements = rule.elements, !elements.contains(element.tag) { continue }
            let start = scratch.count
            switch rule.kind {
            case .plain:
                scratch.append(contentsOf: attribute.value)
            case .url:
                let isHref =
                    (element.tag == .a || element.tag == ElementTag(GUMBO_TAG_AREA))
                    && attribute.name.equals("href")
                guard urls.append(attribute.value, stripTracking: isHref, to: &scratch) else { continue }
                // Permissive mode: what fetches from a tracker is dropped, as
                // tracking pixels are.
                if policy.permissive && element.tag != .img && Self.fetches(attribute.name)
                    && urls.isTracker(scratch[start...])
                {
                    scratch.removeLast(scratch.count - start)
                    continue
                }
            case .srcset:
                guard urls.appendSrcset(attribute.value, to: &scratch) else { continue }
            case .style:
                let filtered = StyleFilter.filter(attribute.value, parentFont: parentFont, font: elementFont)
                elementFont = filtered.font
                guard let css = filtered.css else { continue }
                scratch.append(contentsOf: css)
            case .target:
                guard policy.linkTargets == .keep else { continue }
                scratch.append(contentsOf: attribute.value)
            case .rel:
                scratch.append(contentsOf: attribute.value)
            case .idref:
                // A map's name is no property of window or document, and
                // `usemap` (an absolute URL by now) refers to it unprefixed.
                if element.tag != ElementTag(GUMBO_TAG_MAP) || !attribute.name.equals("name") {
                    Self.appendPrefixed(attribute.value, to: &scratch)
                } else {
                    scratch.append(contentsOf: attribute.value)
                }
            case .idrefs:
                var first = true
                for token in attribute.value.split(whereSeparator: {
                    $0 == 32 || $0 == 9 || $0 == 10 || $0 == 12 || $0 == 13
                }) {
                    if !first { scratch.append(32) }
                    first = false
                    Self.appendPrefixed(UnsafeBufferPointer(rebasing: token), to: &scratch)
                }
            case .tabindex:
                // A positive tabindex moves the element ahead of the page's own
                // controls in the focus order; 0, negative and invalid values
                // leave that order alone.
                if let number = Self.htmlInteger(attribute.value), number > 0 { continue }
                scratch.append(contentsOf: attribute.value)
            case .urlList:
                var first = true
                func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }
                let tokens = attribute.value.split(whereSeparator: isSpace)
                for token in tokens {
                    let candidate = scratch.count
                    if !first { scratch.append(32) }
                    let urlStart = scratch.count
                    if !urls.append(UnsafeBufferPointer(rebasing: token), stripTracking: false, to: &scratch)
                        || scratch[urlStart...].contains(where: isSpace)
                    {
                        scratch.removeLast(scratch.count - candidate)
                        continue
                    }
                    first = false
                }
                if !tokens.isEmpty && first { continue }
            }
            pending.append(PendingAttribute(name: attribute.name, value: start..<scratch.count))
        }
    }

    /// `target="_blank"`, and `noopener` added to `rel`.
    private mutating func addBlankTarget(_ element: ElementToken) {
        var relTokens: [ArraySlice<UInt8>] = []
        if let index = pending.firstIndex(where: { $0.name.equals("rel") }) {
            relTokens = scratch[pending[index].value].split(whereSeparator: { $0 <= 0x20 })
            pending.remove(at: index)
        }
        if !relTokens.contains(where: { $0.lazy.map { $0 | 0x20 }.elementsEqual("noopener".utf8) }) {
            relTokens.append(ArraySlice("noopener".utf8))
        }
        var start = scratch.count
        scratch.append(contentsOf: "_blank".utf8)
        pending.append(PendingAttribute(name: Self.staticBuffer("target"), value: start..<scratch.count))
        start = scratch.count
        for (offset, token) in relTokens.enumerated() {
            if offset > 0 { scratch.append(32) }
            scratch.append(contentsOf: token)
        }
        pending.append(PendingAttribute(name: Self.staticBuffer("rel"), value: start..<scratch.count))
    }

    private mutating func writePendingAttributes() {
        scratch.withUnsafeBufferPointer { values in
            for attribute in pending {
                output.append(32)
                output.append(contentsOf: attribute.name)
                output.append(UInt8(ascii: "="))
                output.append(UInt8(ascii: "\""))
                HTMLEscaping.appendAttributeValue(UnsafeBufferPointer(rebasing: values[attribute.value]), to: &output)
                output.append(UInt8(ascii: "\""))
            }
        }
    }

    /// An embed from an allowed host, sandboxed, with nothing else of it kept.
    private mutating func writeFrame(_ element: ElementToken) {
        guard let src = element.attribute("src") else { return }
        pending.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        guard urls.append(src, stripTracking: false, to: &scratch), urls.isAllowedFrame(scratch[...]) else { return }
        pending.append(PendingAttribute(name: Self.staticBuffer("src"), value: 0..<scratch.count))
        for attribute in element.attributes {
            let name = attribute.name
            guard
                name.equals("width") || name.equals("height")
                    || name.equals("allowfullscreen") || name.equals("title")
            else { continue }
            let start = scratch.count
            scratch.append(contentsOf: attribute.value)
            pending.append(PendingAttribute(name: name, value: start..<scratch.count))
        }
        let start = scratch.count
        scratch.append(contentsOf: "allow-scripts allow-same-origin allow-popups".utf8)
        pending.append(PendingAttribute(name: Self.staticBuffer("sandbox"), value: start..<scratch.count))
        output.append(contentsOf: "<iframe".utf8)
        writePendingAttributes()
        output.append(contentsOf: "></iframe>".utf8)
        writtenCount += 1
    }

    private func lazyValue(_ element: ElementToken, _ names: [StaticString]) -> UnsafeBufferPointer<UInt8>? {
        for name in names {
            if let value = element.attribute(name) { return value }
        }
        return nil
    }

    /// An image declared at most 1×1 pixel.
    static func isPixelSized(_ element: ElementToken) -> Bool {
        guard let width = element.attribute("width").flatMap(dimension),
            let height = element.attribute("height").flatMap(dimension)
        else { return false }
        return width <= 1 && height <= 1
    }

    /// An HTML dimension: leading digits (and a fraction) after optional spaces;
    /// nil for percentages and non-numbers.
    static func dimension(_ value: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        while index < value.count && (value[index] == 32 || value[index] == 9 || value[index] == 10) { index += 1 }
        let start = index
        while index < value.count && ((value[index] >= 0x30 && value[index] <= 0x39) || value[index] == 0x2E) {
            index += 1
        }
        guard index > start else { return nil }
        if index < value.count && value[index] == UInt8(ascii: "%") { return nil }
        // Whole numbers (nearly every width and height) without a String: up to
        // 15 digits a Double holds them exactly, as Double(_:) would read them.
        if index - start <= 15 {
            var number = 0
            for digit in value[start..<index] {
                guard digit != 0x2E else {
                    return Double(String(decoding: UnsafeBufferPointer(rebasing: value[start..<index]), as: UTF8.self))
                }
                number = number * 10 + Int(digit - 0x30)
            }
            return Double(number)
        }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: value[start..<index]), as: UTF8.self))
    }

    /// Attributes whose URL the browser fetches by itself.
    static func fetches(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let fetching: [StaticString] = [
            "src", "poster", "background", "lowsrc", "dynsrc", "data", "datasrc", "icon", "vrml",
        ]
        return fetching.contains { name.equals($0) }
    }

    /// `value` with ``SanitizerPolicy/idPrefix`` in front, unless it is empty
    /// (it names nothing) or already has it (so that output is a fixed point).
    static func appendPrefixed(_ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if !value.isEmpty && !value.starts(with: SanitizerPolicy.idPrefix) {
            out.append(contentsOf: SanitizerPolicy.idPrefix)
        }
        out.append(contentsOf: value)
    }

    /// HTML's rules for parsing integers: nil when `value` holds none.
    static func htmlInteger(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < value.count
            && (value[index] == 32 || value[index] == 9 || value[index] == 10
                || value[index] == 12 || value[index] == 13)
        { index += 1 }
        var sign = 1
        if index < value.count && (value[index] == UInt8(ascii: "-") || value[index] == UInt8(ascii: "+")) {
            if value[index] == UInt8(ascii: "-") { sign = -1 }
            index += 1
        }
        var number = 0
        var digits = 0
        while index < value.count && value[index] >= 0x30 && value[index] <= 0x39 {
            number = min(number * 10 + Int(value[index] - 0x30), 1 << 40)
            digits += 1
            index += 1
        }
        return digits > 0 ? sign * number : nil
    }

    static func staticBuffer(_ string: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount)
    }
}
