import CGumbo

/// ``HTMLSanitizer/Options`` compiled into tables the sinks consult per node.
struct SanitizerPolicy: Sendable {
    enum AttributeKind: UInt8, Sendable {
        case plain, url, srcset, style, target, rel
        /// Permissive mode: a name in the document's id namespace (`id`, `name`)
        /// or a reference to one (`for`, `form`, `list`), prefixed with
        /// ``SanitizerPolicy/idPrefix``.
        case idref
        /// Permissive mode: a space-separated list of such names (`class`,
        /// `headers`), each prefixed.
        case idrefs
        /// Permissive mode: `tabindex`, kept unless it is a positive integer.
        case tabindex
        /// Permissive mode: a space-separated list of URLs (`ping`), each checked.
        case urlList
    }

    struct AttributeRule: Sendable {
        var kind: AttributeKind
        /// Elements the attribute is kept on; nil for every element.
        var elements: TagSet?
    }

    /// Up to 16 bytes of a lowercase name, packed.
    struct NameKey: Hashable, Sendable {
        var low: UInt64
        var high: UInt64
        var count: Int

        init?(_ name: UnsafeBufferPointer<UInt8>) {
            guard name.count <= 16 else { return nil }
            low = 0
            high = 0
            count = name.count
            for (offset, byte) in name.enumerated() {
                if offset < 8 {
                    low |= UInt64(byte) << UInt64(offset * 8)
                } else {
                    high |= UInt64(byte) << UInt64((offset - 8) * 8)
                }
            }
        }

        init?(_ name: String) {
            var copy = Array(name.utf8)
            guard let key = copy.withUnsafeMutableBufferPointer({ NameKey(UnsafeBufferPointer($0)) }) else {
                return nil
            }
            self = key
        }

        /// A slot number for ``AttributeTable``: a multiplicative hash, where
        /// `Hasher`'s SipHash cost more than the rest of the attribute's lookup.
        @inline(__always)
        var slot: Int {
            let mixed =
                (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: count)
            return Int(truncatingIfNeeded: mixed >> 32)
        }
    }

    /// The attribute rules by name, looked up for every attribute of every
    /// element: open addressing with linear probing, at most a quarter full.
    struct AttributeTable: Sendable {
        private var slots: [(key: NameKey, rule: AttributeRule)?]
        private let mask: Int

        init(_ rules: [NameKey: AttributeRule]) {
            var size = 64
            while size < rules.count * 4 { size *= 2 }
            mask = size - 1
            slots = Array(repeating: nil, count: size)
            for (key, rule) in rules {
                var index = key.slot & mask
                while slots[index] != nil { index = (index + 1) & mask }
                slots[index] = (key, rule)
            }
        }

        subscript(key: NameKey) -> AttributeRule? {
            var index = key.slot & mask
            while let slot = slots[index] {
                if slot.key == key { return slot.rule }
                index = (index + 1) & mask
            }
            return nil
        }
    }

    /// A lowercase scheme of at most 16 bytes, packed.
    struct PackedScheme: Hashable, Sendable {
        var low: UInt64
        var high: UInt64
        var count: Int

        init(low: UInt64, high: UInt64, count: Int) {
            (self.low, self.high, self.count) = (low, high, count)
        }

        init?(_ scheme: String) {
            let bytes = Array(scheme.lowercased().utf8)
            guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
            (low, high, count) = (0, 0, bytes.count)
            for (offset, byte) in bytes.enumerated() {
                if offset < 8 {
                    low |= UInt64(byte) << UInt64(offset * 8)
                } else {
                    high |= UInt64(byte) << UInt64((offset - 8) * 8)
                }
            }
        }
    }

    struct HostPattern: Sendable {
        var host: [UInt8]
        var pathPrefix: [UInt8]

        init(_ pattern: String) {
            var bytes = Array(pattern.utf8)
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) {
                bytes.removeFirst(colon + 3)
            }
            let slash = bytes.firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
            host = bytes[..<slash].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            pathPrefix = Array(bytes[slash...])
        }

        /// Whether the URL with host `candidate` (compared ignoring ASCII case),
        /// followed by `rest` (path, query, fragment), is matched: the path, which
        /// ends at the first `?` or `#`, must start with ``pathPrefix``.
        func matches(host candidate: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) -> Bool {
            guard candidate.count >= host.count else { return false }
            var position = candidate.endIndex - host.count
            for byte in host {
                let c = candidate[position]
                guard (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) == byte else { return false }
                position += 1
            }
            if candidate.count > host.count && candidate[candidate.endIndex - host.count - 1] != UInt8(ascii: ".") {
                return false
            }
            // The path starts with the prefix when the rest does and the prefix
            // holds neither `?` nor `#` (then neither byte ended the path before).
            return rest.starts(with: pathPrefix) && !pathPrefix.contains(where: { $0 == 0x3F || $0 == 0x23 })
        }
    }

    let allowedElements: TagSet
    let droppedElements: TagSet
    let linkTargets: HTMLSanitizer.LinkTargetPolicy
    let permissive: Bool
    let maximumDepth: Int
    /// Permissive mode: form controls, written with `disabled` forced on.
    let disabledControls: TagSet

    /// The policy's tables, shared by its copies. Each sink and URL filter holds a copy,
    /// and every body makes several: with the tables stored in the policy itself, each
    /// copy retained seven objects that every thread shares (and released them after),
    /// atomics on cache lines the two cores passed back and forth.
    private final class Tables: Sendable {
        let allowedUnknownNames: Set<[UInt8]>
        let attributes: AttributeTable
        let longAttributes: Set<[UInt8]>
        let iframeHosts: [HostPattern]
        let trackers: [HostPattern]
        let trackingParameters: [(name: [UInt8], isPrefix: Bool)]
        let schemes: [PackedScheme]

        init(
            allowedUnknownNames: Set<[UInt8]>, attributes: AttributeTable, longAttributes: Set<[UInt8]>,
            iframeHosts: [HostPattern], trackers: [HostPattern], trackingParameters: [(name: [UInt8], isPrefix: Bool)],
            schemes: [PackedScheme]
        ) {
            self.allowedUnknownNames = allowedUnknownNames
            self.attributes = attributes
            self.longAttributes = longAttributes
            self.iframeHosts = iframeHosts
            self.trackers = trackers
            self.trackingParameters = trackingParameters
            self.schemes = schemes
        }
    }

    private let tables: Tables

    /// Allowed names gumbo has no tag for.
    var allowedUnknownNames: Set<[UInt8]> { _read { yield tables.allowedUnknownNames } }
    var attributes: AttributeTable { _read { yield tables.attributes } }
    /// Extra attribute names longer than a ``NameKey`` holds.
    var longAttributes: Set<[UInt8]> { _read { yield tables.longAttributes } }
    var iframeHosts: [HostPattern] { _read { yield tables.iframeHosts } }
    var trackers: [HostPattern] { _read { yield tables.trackers } }
    var trackingParameters: [(name: [UInt8], isPrefix: Bool)] { _read { yield tables.trackingParameters } }
    var schemes: [PackedScheme] { _read { yield tables.schemes } }

    /// What permissive mode puts before ids, names and classes, so that feed
    /// content can neither clobber the reader page's globals (`window.x`,
    /// `document.x`) nor take on the page's own CSS classes.
    static let idPrefix: [UInt8] = Array("user-content-".utf8)

    static let urlAttributeNames: Set<String> = [
        "href", "src", "cite", "poster", "action", "formaction", "background", "longdesc", "lowsrc", "dynsrc",
        "usemap", "data", "ping", "codebase", "manifest", "icon", "profile", "xlink:href", "xml:base",
    ]

    /// URL attributes feedparser keeps, checked like `href` in permissive mode.
    static let permissiveURLAttributes: Set<String> = [
        "href", "src", "cite", "poster", "action", "background", "longdesc", "lowsrc", "dynsrc", "usemap", "data",
        "datasrc", "icon", "vrml",
    ]

    init(_ options: HTMLSanitizer.Options) {
        var allowed = ElementSets.allowed
        var unknownNames: Set<[UInt8]> = []
        var dropped = ElementSets.dropped
        if options.permissive {
            for tag in ElementSets.permissiveExtra.tags { allowed.insert(tag) }
            for name in ElementSets.permissiveExtra.unknownNames { unknownNames.insert(Array(name.utf8)) }
            // Forms are kept, their controls disabled (see ElementSets.disabledControls).
            for tag in ElementSets.permissiveForms { dropped.remove(tag) }
        }
        for name in options.extraAllowedElements {
            var bytes = Array(name.lowercased().utf8)
            let tag = bytes.withUnsafeMutableBufferPointer { ElementTag.lookup(UnsafeBufferPointer($0)) }
            if tag == .unknown { unknownNames.insert(bytes) } else { allowed.insert(tag) }
        }
        for raw in 0..<ElementTag.count where dropped.contains(ElementTag(rawValue: UInt16(raw))) {
            allowed.remove(ElementTag(rawValue: UInt16(raw)))
        }
        allowedElements = allowed
        droppedElements = dropped
        disabledControls = options.permissive ? ElementSets.disabledControls : TagSet()

        func tags(_ list: [GumboTag]) -> TagSet { TagSet(list) }
        var rules: [NameKey: AttributeRule] = [:]
        func add(_ names: [String], _ kind: AttributeKind, _ elements: TagSet? = nil) {
            for name in names { rules[NameKey(name)!] = AttributeRule(kind: kind, elements: elements) }
        }
        var images = tags([GUMBO_TAG_IMG, GUMBO_TAG_SOURCE])
        images.insert(.picture)
        add(["href"], .url, tags([GUMBO_TAG_A]))
        add(["src"], .url, tags([GUMBO_TAG_IMG, GUMBO_TAG_SOURCE, GUMBO_TAG_VIDEO, GUMBO_TAG_AUDIO, GUMBO_TAG_TRACK]))
        add(["srcset"], .srcset, tags([GUMBO_TAG_IMG, GUMBO_TAG_SOURCE]))
        add(["sizes"], .plain, tags([GUMBO_TAG_IMG, GUMBO_TAG_SOURCE]))
        add(["media"], .plain, tags([GUMBO_TAG_SOURCE]))
        add(["poster"], .url, tags([GUMBO_TAG_VIDEO]))
        add(["cite"], .url, tags([GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_Q, GUMBO_TAG_INS, GUMBO_TAG_DEL]))
        add(["alt"], .plain, tags([GUMBO_TAG_IMG]))
        add(["title", "lang", "dir", "width", "height"], .plain)
        add(["colspan", "rowspan", "headers", "scope", "abbr"], .plain, tags([GUMBO_TAG_TD, GUMBO_TAG_TH]))
        add(["datetime"], .plain, tags([GUMBO_TAG_TIME, GUMBO_TAG_INS, GUMBO_TAG_DEL]))
        add(["start", "reversed"], .plain, tags([GUMBO_TAG_OL]))
        add(["type"], .plain, tags([GUMBO_TAG_OL, GUMBO_TAG_SOURCE]))
        add(["controls", "loop", "muted"], .plain, tags([GUMBO_TAG_VIDEO, GUMBO_TAG_AUDIO]))
        add(["kind", "srclang", "label"], .plain, tags([GUMBO_TAG_TRACK]))
        add(["open"], .plain, tags([GUMBO_TAG_DETAILS]))
        add(["target"], .target, tags([GUMBO_TAG_A]))
        add(["rel"], .rel, tags([GUMBO_TAG_A]))
        if options.permissive {
            add(["style"], .style)
            // feedparser's acceptable attributes, kept on every element as
            // feedparser keeps them, less those that steal focus or keyboard
            // shortcuts from the reader's page (accesskey, autofocus). URLs are
            // checked like href; ids and classes are prefixed.
            add(
                [
                    "abbr", "accept", "accept-charset", "align", "alt", "autocomplete", "axis", "balance", "bgcolor",
                    "bgproperties", "border", "bordercolor", "bordercolordark", "bordercolorlight", "bottompadding",
                    "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff", "charset", "checked", "choff",
                    "clear", "color", "cols", "colspan", "compact", "contenteditable", "controls", "coords",
                    "datafld", "datapagesize", "datetime", "default", "delay", "dir", "disabled", "draggable",
                    "enctype", "end", "face", "frame", "galleryimg", "gutter", "height", "hidden", "hidefocus",
                    "high", "hreflang", "hspace", "inputmode", "ismap", "keytype", "label", "lang", "leftspacing",
                    "loop", "loopcount", "loopend", "loopstart", "low", "max", "maxlength", "media", "method", "min",
                    "multiple", "nohref", "noshade", "nowrap", "open", "optimum", "pattern", "point-size", "pqg",
                    "preload", "prompt", "radiogroup", "readonly", "repeat-max", "repeat-min", "replace", "required",
                    "rev", "rightspacing", "rows", "rowspan", "rules", "scope", "selected", "shape", "size", "span",
                    "start", "step", "summary", "suppress", "template", "title", "toppadding", "type", "unselectable",
                    "urn", "valign", "value", "variable", "volume", "vspace", "width", "wrap", "xml:lang",
                ], .plain)
            add(Array(Self.permissiveURLAttributes), .url)
            add(["ping"], .urlList)
            add(["id", "name", "for", "form", "list"], .idref)
            add(["class", "headers"], .idrefs)
            add(["tabindex"], .tabindex)
            add(["target"], .target)
            add(["rel"], .rel)
        }
        var long: Set<[UInt8]> = []
        for name in options.extraAllowedAttributes {
            let lower = name.lowercased()
            if lower.hasPrefix("on") || lower == "style" || lower.isEmpty { continue }
            let kind: AttributeKind = Self.urlAttributeNames.contains(lower) ? .url : .plain
            if let key = NameKey(lower) {
                if rules[key] == nil || kind == .url {
                    rules[key] = AttributeRule(kind: kind, elements: nil)
                }
                // A built-in rule restricted to some elements widens to all.
                else {
                    rules[key]!.elements = nil
                }
            } else {
                long.insert(Array(lower.utf8))
            }
        }
        let trackingParameters = options.trackingParameters.map { name in
            name.hasSuffix("*")
                ? (Array(name.dropLast().lowercased().utf8), true) : (Array(name.lowercased().utf8), false)
        }
        tables = Tables(
            allowedUnknownNames: unknownNames, attributes: AttributeTable(rules), longAttributes: long,
            iframeHosts: options.iframeHosts.map(HostPattern.init), trackers: options.trackers.map(HostPattern.init),
            trackingParameters: trackingParameters, schemes: options.allowedSchemes.compactMap { PackedScheme($0) })
        linkTargets = options.linkTargets
        permissive = options.permissive
        maximumDepth = max(1, options.maximumDepth)
    }

    func rule(for name: UnsafeBufferPointer<UInt8>) -> AttributeRule? {
        if let key = NameKey(name) { return attributes[key] }
        if !longAttributes.isEmpty && longAttributes.contains(Array(name)) {
            return AttributeRule(kind: .plain, elements: nil)
        }
        return nil
    }

    /// What happens to an element.
    enum ElementAction { case keep, unwrap, drop, iframe }

    func action(for element: ElementToken) -> ElementAction {
        guard element.isHTML else { return .drop }
        let tag = element.tag
        if tag == .iframe { return .iframe }
        if droppedElements.contains(tag) { return .drop }
        if tag == .unknown {
            return !allowedUnknownNames.isEmpty && allowedUnknownNames.contains(Array(element.name)) ? .keep : .unwrap
        }
        return allowedElements.contains(tag) ? .keep : .unwrap
    }
}
