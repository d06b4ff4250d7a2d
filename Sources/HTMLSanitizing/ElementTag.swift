import CGumbo

/// An element's identity: gumbo's tag enum for the names gumbo knows, a few
/// numbers of our own past it for names it does not (`picture`), and
/// ``ElementTag/unknown`` for every other name.
struct ElementTag: Hashable, Sendable {
    let rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }
    init(_ tag: GumboTag) { rawValue = UInt16(truncatingIfNeeded: tag.rawValue) }

    static let count = 256
    static let unknown = ElementTag(GUMBO_TAG_UNKNOWN)
    /// Not in gumbo 0.10's tag list.
    static let picture = ElementTag(rawValue: 200)

    static let a = ElementTag(GUMBO_TAG_A)
    static let audio = ElementTag(GUMBO_TAG_AUDIO)
    static let iframe = ElementTag(GUMBO_TAG_IFRAME)
    static let img = ElementTag(GUMBO_TAG_IMG)
    static let pre = ElementTag(GUMBO_TAG_PRE)
    static let source = ElementTag(GUMBO_TAG_SOURCE)
    static let template = ElementTag(GUMBO_TAG_TEMPLATE)
    static let track = ElementTag(GUMBO_TAG_TRACK)
    static let video = ElementTag(GUMBO_TAG_VIDEO)
    static let br = ElementTag(GUMBO_TAG_BR)
    static let form = ElementTag(GUMBO_TAG_FORM)
    static let textarea = ElementTag(GUMBO_TAG_TEXTAREA)
    static let hr = ElementTag(GUMBO_TAG_HR)

    /// The tag for a lowercase element name.
    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> ElementTag {
        guard let base = name.baseAddress, !name.isEmpty else { return .unknown }
        let tag = base.withMemoryRebound(to: CChar.self, capacity: name.count) {
            gumbo_tagn_enum($0, UInt32(name.count))
        }
        if tag != GUMBO_TAG_UNKNOWN { return ElementTag(tag) }
        if name.elementsEqual("picture".utf8) { return .picture }
        return .unknown
    }

    /// The lowercase name; empty for ``unknown``. The bytes live as long as the process.
    var name: UnsafeBufferPointer<UInt8> {
        let table = Self.nameTable
        let start = Int(table.offsets[Int(rawValue)])
        return UnsafeBufferPointer(start: table.bytes + start, count: Int(table.offsets[Int(rawValue) + 1]) - start)
    }

    /// Every name, one after another, and where each starts (by raw value, plus the
    /// end): plain memory, allocated once and never freed. An array of arrays cost a
    /// retain and a release of a shared buffer for every end tag the sanitizer wrote,
    /// atomic writes to one cache line from both cores.
    private nonisolated(unsafe) static let nameTable: (bytes: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>) = {
        var names = [[UInt8]](repeating: [], count: count)
        for raw in 0..<Int(GUMBO_TAG_UNKNOWN.rawValue) {
            names[raw] = Array(String(cString: gumbo_normalized_tagname(GumboTag(UInt32(raw)))).utf8)
        }
        names[Int(picture.rawValue)] = Array("picture".utf8)
        let all = names.joined()
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, all.count))
        _ = UnsafeMutableBufferPointer(start: bytes, count: all.count).initialize(from: all)
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: names.count + 1)
        var offset: Int32 = 0
        for (raw, name) in names.enumerated() {
            offsets[raw] = offset
            offset += Int32(name.count)
        }
        offsets[names.count] = offset
        return (UnsafePointer(bytes), UnsafePointer(offsets))
    }()
}

/// 256 bits, one per ``ElementTag``.
struct TagSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}
    init(_ tags: [GumboTag]) {
        for tag in tags { insert(ElementTag(tag)) }
    }

    func contains(_ tag: ElementTag) -> Bool {
        let bit = UInt64(1) << UInt64(tag.rawValue & 63)
        switch tag.rawValue >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ tag: ElementTag) {
        let bit = UInt64(1) << UInt64(tag.rawValue & 63)
        switch tag.rawValue >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func remove(_ tag: ElementTag) {
        let bit = ~(UInt64(1) << UInt64(tag.rawValue & 63))
        switch tag.rawValue >> 6 {
        case 0: words.0 &= bit
        case 1: words.1 &= bit
        case 2: words.2 &= bit
        default: words.3 &= bit
        }
    }
}

enum ElementSets {
    /// Elements written without an end tag.
    static let void = TagSet([
        GUMBO_TAG_AREA, GUMBO_TAG_BASE, GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND, GUMBO_TAG_BR, GUMBO_TAG_COL,
        GUMBO_TAG_EMBED, GUMBO_TAG_FRAME, GUMBO_TAG_HR, GUMBO_TAG_IMG, GUMBO_TAG_INPUT, GUMBO_TAG_KEYGEN,
        GUMBO_TAG_LINK, GUMBO_TAG_META, GUMBO_TAG_PARAM, GUMBO_TAG_SOURCE, GUMBO_TAG_TRACK, GUMBO_TAG_WBR,
    ])

    /// Elements whose text children the HTML serializer writes unescaped.
    static let rawText = TagSet([
        GUMBO_TAG_STYLE, GUMBO_TAG_SCRIPT, GUMBO_TAG_XMP, GUMBO_TAG_IFRAME, GUMBO_TAG_NOEMBED, GUMBO_TAG_NOFRAMES,
        GUMBO_TAG_PLAINTEXT, GUMBO_TAG_NOSCRIPT,
    ])

    /// Elements removed with everything inside them, whatever the options say.
    static let dropped = TagSet([
        GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_IFRAME, GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_APPLET,
        GUMBO_TAG_FORM, GUMBO_TAG_INPUT, GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_OPTION,
        GUMBO_TAG_OPTGROUP, GUMBO_TAG_DATALIST, GUMBO_TAG_KEYGEN, GUMBO_TAG_BASE, GUMBO_TAG_META, GUMBO_TAG_LINK,
        GUMBO_TAG_SVG, GUMBO_TAG_MATH, GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_FRAME, GUMBO_TAG_FRAMESET,
        GUMBO_TAG_NOEMBED, GUMBO_TAG_NOFRAMES, GUMBO_TAG_XMP, GUMBO_TAG_PLAINTEXT, GUMBO_TAG_TITLE, GUMBO_TAG_HEAD,
        GUMBO_TAG_PARAM, GUMBO_TAG_ISINDEX, GUMBO_TAG_BGSOUND, GUMBO_TAG_MENUITEM,
    ])

    /// The default allow-list.
    static let allowed: TagSet = {
        var set = TagSet([
            GUMBO_TAG_P, GUMBO_TAG_A, GUMBO_TAG_STRONG, GUMBO_TAG_EM, GUMBO_TAG_U, GUMBO_TAG_B, GUMBO_TAG_I,
            GUMBO_TAG_S, GUMBO_TAG_STRIKE, GUMBO_TAG_SMALL, GUMBO_TAG_BIG, GUMBO_TAG_MARK, GUMBO_TAG_Q, GUMBO_TAG_CITE,
            GUMBO_TAG_ABBR, GUMBO_TAG_DFN, GUMBO_TAG_TIME, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_UL, GUMBO_TAG_OL,
            GUMBO_TAG_LI, GUMBO_TAG_DL, GUMBO_TAG_DT, GUMBO_TAG_DD, GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3,
            GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6, GUMBO_TAG_TABLE, GUMBO_TAG_THEAD, GUMBO_TAG_TBODY,
            GUMBO_TAG_TFOOT, GUMBO_TAG_TR, GUMBO_TAG_TH, GUMBO_TAG_TD, GUMBO_TAG_CAPTION, GUMBO_TAG_COLGROUP,
            GUMBO_TAG_COL, GUMBO_TAG_FIGURE, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_IMG, GUMBO_TAG_SOURCE, GUMBO_TAG_VIDEO,
            GUMBO_TAG_AUDIO, GUMBO_TAG_TRACK, GUMBO_TAG_PRE, GUMBO_TAG_CODE, GUMBO_TAG_KBD, GUMBO_TAG_SAMP,
            GUMBO_TAG_VAR, GUMBO_TAG_BR, GUMBO_TAG_HR, GUMBO_TAG_SUB, GUMBO_TAG_SUP, GUMBO_TAG_SPAN, GUMBO_TAG_DIV,
            GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE, GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER,
            GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY, GUMBO_TAG_INS, GUMBO_TAG_DEL, GUMBO_TAG_BDI, GUMBO_TAG_BDO,
            GUMBO_TAG_WBR, GUMBO_TAG_ADDRESS,
        ])
        set.insert(.picture)
        return set
    }()

    /// Elements permissive mode keeps in addition to ``allowed``: the rest of
    /// feedparser's acceptable elements except `noscript` (raw text to a browser
    /// with scripting on: a mutation-XSS carrier). Forms are among them, see
    /// ``permissiveForms``.
    static let permissiveExtra: (tags: [ElementTag], unknownNames: [String]) = (
        [
            GUMBO_TAG_ACRONYM, GUMBO_TAG_AREA, GUMBO_TAG_BUTTON, GUMBO_TAG_CANVAS, GUMBO_TAG_CENTER,
            GUMBO_TAG_DATALIST, GUMBO_TAG_DIR, GUMBO_TAG_FIELDSET, GUMBO_TAG_FONT, GUMBO_TAG_FORM, GUMBO_TAG_INPUT,
            GUMBO_TAG_KEYGEN, GUMBO_TAG_LABEL, GUMBO_TAG_LEGEND, GUMBO_TAG_MAP, GUMBO_TAG_MENU, GUMBO_TAG_METER,
            GUMBO_TAG_MULTICOL, GUMBO_TAG_NAV, GUMBO_TAG_NEXTID, GUMBO_TAG_OPTGROUP, GUMBO_TAG_OPTION,
            GUMBO_TAG_OUTPUT, GUMBO_TAG_PROGRESS, GUMBO_TAG_SELECT, GUMBO_TAG_SPACER, GUMBO_TAG_TEXTAREA,
            GUMBO_TAG_TT,
        ].map(ElementTag.init),
        // Not in gumbo 0.10's tag list.
        ["command", "datagrid", "dialog", "event-source", "m", "sound"]
    )

    /// Form elements that permissive mode takes out of ``dropped``.
    static let permissiveForms: [ElementTag] = [
        GUMBO_TAG_FORM, GUMBO_TAG_INPUT, GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_OPTION,
        GUMBO_TAG_OPTGROUP, GUMBO_TAG_DATALIST, GUMBO_TAG_KEYGEN,
    ].map(ElementTag.init)

    /// Form controls permissive mode writes with `disabled`: nothing can be
    /// typed into them, autofilled or submitted, so a kept form shows what it
    /// looked like and cannot collect anything.
    static let disabledControls = TagSet([
        GUMBO_TAG_INPUT, GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_FIELDSET, GUMBO_TAG_KEYGEN,
    ])

    /// Elements a CommonMark HTML block of type 6 may start with (the spec's list,
    /// as far as gumbo knows the names).
    static let commonMarkBlockStart: Set<String> = [
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
        "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html",
        "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option",
        "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
        "track", "ul",
    ]

    /// The length of the longest name in ``commonMarkBlockStart``.
    static let commonMarkBlockStartLongest = commonMarkBlockStart.map(\.utf8.count).max() ?? 0

    /// Elements after which plain text starts a new run of words.
    static let textBlocks = TagSet([
        GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_BR, GUMBO_TAG_CAPTION,
        GUMBO_TAG_CENTER, GUMBO_TAG_DD, GUMBO_TAG_DETAILS, GUMBO_TAG_DIR, GUMBO_TAG_DIV,
        GUMBO_TAG_DL, GUMBO_TAG_DT, GUMBO_TAG_FIELDSET, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE, GUMBO_TAG_FOOTER,
        GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6, GUMBO_TAG_HEADER,
        GUMBO_TAG_HGROUP, GUMBO_TAG_HR, GUMBO_TAG_LI, GUMBO_TAG_LISTING, GUMBO_TAG_MAIN, GUMBO_TAG_MENU,
        GUMBO_TAG_NAV, GUMBO_TAG_OL, GUMBO_TAG_P, GUMBO_TAG_PRE, GUMBO_TAG_SECTION, GUMBO_TAG_SUMMARY,
        GUMBO_TAG_TABLE, GUMBO_TAG_TBODY, GUMBO_TAG_TD, GUMBO_TAG_TFOOT, GUMBO_TAG_TH, GUMBO_TAG_THEAD,
        GUMBO_TAG_TR, GUMBO_TAG_UL, GUMBO_TAG_IMG, GUMBO_TAG_VIDEO, GUMBO_TAG_AUDIO, GUMBO_TAG_IFRAME,
    ])
}
