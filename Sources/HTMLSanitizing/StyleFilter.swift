import CGumbo

/// The `style` attributes kept in permissive mode: presentational properties
/// (feedparser's acceptable CSS properties, its `background-*`, `border-*`,
/// `margin-*` and `padding-*` families, and a few more) whose values can
/// neither fetch anything, run anything nor let the element cover the page
/// around it.
///
/// A declaration survives when its property is on the list and its value is
/// made of keywords, numbers with a known unit, `#` colours, `,` and `/`
/// separators, calls of `rgb`/`rgba`/`hsl`/`hsla` and — in `font` and
/// `font-family` only — quoted font names of letters, digits, spaces, `-` and
/// `_`. So no `url(`, `expression(`, `image-set(`, `var(`, `calc(`, no
/// backslash escapes, no comments, no `@`, no `:`, no `position`, `z-index`,
/// `top`/`left`/…/`inset`, `transform`.
///
/// Lengths are judged by an upper bound of their size in CSS pixels, and a
/// declaration with one that is negative (except in `vertical-align`, which
/// grows the line box instead of overlapping anything) or oversized is dropped:
/// over 10,000px, or over 1,000px in `padding*` and `border*` (which on an
/// inline element paint and take clicks outside its line box), or over 100% in
/// any property but `font-size` and `line-height`. `em`, `ex` and `ch` count at
/// the element's font size bound, which the sanitizer tracks along the
/// ancestors (``fontBound(for:hasFontSize:parent:)``), so that nested relative font sizes
/// cannot compound a small `em` into a huge length; `rem` counts at
/// ``pageFont``, `vw`/`vh`/`vmin`/`vmax` at 40px each, a unitless number as px
/// (what a quirks-mode page reads). A `font-size` may not raise the bound above
/// ``maximumFont``. Kept declarations are written as `property: value` joined
/// by `; `, without `!important`.
enum StyleFilter {
    /// Assumed upper bound of the reader page's font size (twice the usual 16px).
    static let pageFont = 32.0
    /// The largest font size a `font-size` declaration may set.
    static let maximumFont = 256.0
    static let maximumLength = 10_000.0
    /// For `padding*` and `border*`.
    static let maximumPaintedLength = 1_000.0
    static let maximumPercentage = 100.0
    /// px per `vw`/`vh`/`vmin`/`vmax`: a viewport of at most 4,000px.
    static let viewportUnit = 40.0

    static let properties: Set<String> = [
        "color", "background-color", "font-weight", "font-style", "text-align", "text-decoration",
        "width", "height", "azimuth", "clear", "cursor", "direction", "display", "elevation", "float", "font",
        "font-family", "font-size", "font-variant", "letter-spacing", "line-height", "overflow", "pause",
        "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header", "speak-numeral",
        "speak-punctuation", "speech-rate", "stress", "text-indent", "unicode-bidi", "vertical-align",
        "voice-family", "volume", "white-space",
    ]

    /// Every property of these families is kept (feedparser's rule).
    static let families = ["background", "border", "margin", "padding"]

    static let functions: Set<String> = ["rgb", "rgba", "hsl", "hsla"]

    static func isAllowed(property: String) -> Bool {
        if properties.contains(property) { return true }
        for family in families where property == family || property.hasPrefix(family + "-") { return true }
        return false
    }

    /// The font size bound of an element whose style sets none: the parent's,
    /// scaled as the browser's own style sheet scales it (`big`, `h1`–`h3`), or
    /// the bound of a `<font size>` (at most `xxx-large`).
    static func fontBound(for tag: ElementTag, hasFontSize: Bool, parent: Double) -> Double {
        if hasFontSize { return 3 * pageFont }
        switch tag {
        case ElementTag(GUMBO_TAG_BIG): return parent * 1.5
        case ElementTag(GUMBO_TAG_H1): return parent * 2
        case ElementTag(GUMBO_TAG_H2): return parent * 1.5
        case ElementTag(GUMBO_TAG_H3): return parent * 1.2
        default: return parent
        }
    }

    /// The filtered declarations of `style`, or nil when none is left, and the
    /// element's font size bound: `font` (what it is without a `font-size`),
    /// or what the kept `font-size`/`font` declarations set, computed from
    /// `parentFont`.
    static func filter(_ style: UnsafeBufferPointer<UInt8>, parentFont: Double, font: Double) -> (
        css: [UInt8]?, font: Double
    ) {
        let text = String(decoding: style, as: UTF8.self)
        var declarations: [(property: String, value: String)] = []
        for declaration in text.split(separator: ";", omittingEmptySubsequences: true) {
            guard let colon = declaration.firstIndex(of: ":") else { continue }
            let property = declaration[..<colon].trimmingCharacters(in: " \t\n\r\u{0C}").lowercased()
            var value = declaration[declaration.index(after: colon)...].trimmingCharacters(in: " \t\n\r\u{0C}")
            guard isAllowed(property: property) else { continue }
            if let bang = value.lastIndex(of: "!") {
                guard
                    value[value.index(after: bang)...].trimmingCharacters(in: " \t\n\r\u{0C}").lowercased()
                        == "important"
                else { continue }
                value = value[..<bang].trimmingCharacters(in: " \t\n\r\u{0C}")
            }
            guard !value.isEmpty else { continue }
            declarations.append((property, value))
        }
        // The font size first: em lengths of the other declarations count at it.
        var ownFont: Double?
        for (property, value) in declarations where property == "font-size" || property == "font" {
            var check = ValueCheck(property: property, parentFont: parentFont, font: font)
            if check.accepts(value), let set = check.fontSet { ownFont = max(ownFont ?? 0, set) }
        }
        let bound = ownFont ?? font
        var kept: [String] = []
        for (property, value) in declarations {
            var check = ValueCheck(property: property, parentFont: parentFont, font: bound)
            guard check.accepts(value) else { continue }
            let collapsed = value.split(whereSeparator: {
                $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}"
            })
            .joined(separator: " ")
            kept.append(property + ": " + collapsed)
        }
        return (kept.isEmpty ? nil : Array(kept.joined(separator: "; ").utf8), bound)
    }

    /// One declaration's value, token by token.
    private struct ValueCheck {
        let property: String
        let parentFont: Double
        /// The element's font size bound (em lengths count at it).
        let font: Double
        /// The font size bound a `font-size` or `font` declaration sets.
        var fontSet: Double?
        /// In `font`: the size is read, and a `/` followed it (line height next).
        private var sawFontSize = false
        private var afterSlash = false

        init(property: String, parentFont: Double, font: Double) {
            self.property = property
            self.parentFont = parentFont
            self.font = font
        }

        static let absoluteUnits: [String: Double] = [
            "px": 1, "pt": 4.0 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6,
        ]
        /// Units that are not lengths (angles, times, frequencies: aural
        /// properties and hsl()).
        static let otherUnits: Set<String> = ["deg", "grad", "rad", "turn", "s", "ms", "hz", "khz"]
        static let fontSizeKeywords: [String: Double] = [
            "xx-small": 0.6, "x-small": 0.75, "small": 0.89, "medium": 1, "large": 1.2, "x-large": 1.5,
            "xx-large": 2, "xxx-large": 3,
        ]

        var isFontSize: Bool { property == "font-size" }
        var isLineHeight: Bool { property == "line-height" }
        var allowsStrings: Bool { property == "font-family" || property == "font" }
        var lengthLimit: Double {
            property.hasPrefix("padding") || property.hasPrefix("border")
                ? StyleFilter.maximumPaintedLength : StyleFilter.maximumLength
        }

        mutating func accepts(_ value: String) -> Bool {
            let scalars = Array(value.unicodeScalars)
            var index = 0
            while index < scalars.count {
                let c = scalars[index]
                switch c {
                case " ", "\t", "\n", "\r", "\u{0C}", ",":
                    index += 1
                case "/":
                    if property == "font" && sawFontSize { afterSlash = true }
                    index += 1
                case "#":
                    var end = index + 1
                    while end < scalars.count, scalars[end].properties.isASCIIHexDigit { end += 1 }
                    guard end > index + 1, end == scalars.count || Self.endsToken(scalars[end]) else { return false }
                    index = end
                case "'", "\"":
                    guard allowsStrings else { return false }
                    var end = index + 1
                    while end < scalars.count && scalars[end] != c {
                        let s = scalars[end]
                        guard s.properties.isAlphabetic || ("0"..."9").contains(s) || s == " " || s == "-" || s == "_"
                        else { return false }
                        end += 1
                    }
                    guard end < scalars.count, end > index + 1 else { return false }
                    index = end + 1
                    guard index == scalars.count || Self.endsToken(scalars[index]) else { return false }
                case _ where Self.startsNumber(scalars, at: index):
                    guard let end = number(scalars, at: index) else { return false }
                    index = end
                default:
                    guard Self.isNameStart(c) else { return false }
                    var end = index
                    while end < scalars.count && Self.isNameCharacter(scalars[end]) { end += 1 }
                    var name = ""
                    name.unicodeScalars.append(contentsOf: scalars[index..<end])
                    name = name.lowercased()
                    if end < scalars.count && scalars[end] == "(" {
                        guard StyleFilter.functions.contains(name) else { return false }
                        end += 1
                        while end < scalars.count && scalars[end] != ")" {
                            let s = scalars[end]
                            guard s.isASCII,
                                s.properties.isAlphabetic || ("0"..."9").contains(s)
                                    || " \t.,%/+-".unicodeScalars.contains(s)
                            else { return false }
                            end += 1
                        }
                        guard end < scalars.count else { return false }
                        end += 1
                    } else if !keyword(name) {
                        return false
                    }
                    guard end == scalars.count || Self.endsToken(scalars[end]) else { return false }
                    index = end
                }
            }
            return true
        }

        static func endsToken(_ c: Unicode.Scalar) -> Bool {
            c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || c == "," || c == "/"
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            c == "-" || c == "_" || c.properties.isAlphabetic
        }

        static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
            isNameStart(c) || ("0"..."9").contains(c)
        }

        static func startsNumber(_ s: [Unicode.Scalar], at index: Int) -> Bool {
            var i = index
            if s[i] == "+" || s[i] == "-" { i += 1 }
            if i < s.count && s[i] == "." { i += 1 }
            return i < s.count && ("0"..."9").contains(s[i])
        }

        /// A keyword; in `font-size` (or as the size in `font`), it sets the bound.
        mutating func keyword(_ name: String) -> Bool {
            let sizesFont = isFontSize || (property == "font" && !sawFontSize && !afterSlash)
            guard sizesFont else { return true }
            var size: Double?
            if let factor = Self.fontSizeKeywords[name] {
                size = factor * StyleFilter.pageFont
            } else if name == "larger" {
                size = parentFont * 1.5
            } else if name == "smaller" || name == "inherit" || name == "unset" {
                size = parentFont
            } else if name == "initial" {
                size = StyleFilter.pageFont
            }
            guard let size else { return !isFontSize }  // other keywords of `font` (bold, serif…)
            return setFont(size)
        }

        mutating func setFont(_ size: Double) -> Bool {
            guard size <= max(StyleFilter.maximumFont, parentFont) else { return false }
            fontSet = max(fontSet ?? 0, size)
            if property == "font" { sawFontSize = true }
            return true
        }

        /// Reads a number and its unit at `index`; nil when the declaration must go.
        mutating func number(_ s: [Unicode.Scalar], at index: Int) -> Int? {
            var i = index
            var text = ""
            if s[i] == "+" || s[i] == "-" {
                text.unicodeScalars.append(s[i])
                i += 1
            }
            while i < s.count && (("0"..."9").contains(s[i]) || s[i] == ".") {
                text.unicodeScalars.append(s[i])
                i += 1
            }
            guard let value = Double(text), value.isFinite else { return nil }
            var unit = ""
            if i < s.count && s[i] == "%" {
                unit = "%"
                i += 1
            } else {
                while i < s.count && s[i].isASCII && s[i].properties.isAlphabetic {
                    unit.unicodeScalars.append(s[i])
                    i += 1
                }
                unit = unit.lowercased()
            }
            guard i == s.count || Self.endsToken(s[i]) else { return nil }
            if Self.otherUnits.contains(unit) { return i }
            // In `font`: a unitless number before the size is a weight.
            if property == "font" && unit.isEmpty && !afterSlash { return i }
            let sizesFont = isFontSize || (property == "font" && !sawFontSize && !afterSlash)
            let heightOfLine = isLineHeight || (property == "font" && afterSlash)
            guard value >= 0 || (property == "vertical-align" && !sizesFont) else { return nil }
            let magnitude = abs(value)
            let px: Double
            switch unit {
            case "":
                px = heightOfLine ? magnitude * emBase(lineHeight: true) : magnitude
            case "%":
                if sizesFont {
                    px = magnitude / 100 * parentFont
                } else if heightOfLine {
                    px = magnitude / 100 * emBase(lineHeight: true)
                } else {
                    guard magnitude <= StyleFilter.maximumPercentage else { return nil }
                    return i
                }
            case "em", "ex", "ch":
                px = magnitude * (sizesFont ? parentFont : emBase(lineHeight: heightOfLine))
            case "rem":
                px = magnitude * StyleFilter.pageFont
            case "vw", "vh", "vmin", "vmax":
                px = magnitude * StyleFilter.viewportUnit
            default:
                guard let factor = Self.absoluteUnits[unit] else { return nil }
                px = magnitude * factor
            }
            if sizesFont { return setFont(px) ? i : nil }
            guard px <= lengthLimit else { return nil }
            return i
        }

        /// The font size em lengths count at; in `font`, the line height counts
        /// at the size the shorthand just set.
        func emBase(lineHeight: Bool) -> Double {
            if property == "font" && lineHeight, let fontSet { return fontSet }
            return font
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let scalars = Array(unicodeScalars)
        var low = 0
        var high = scalars.count
        while low < high && set.unicodeScalars.contains(scalars[low]) { low += 1 }
        while high > low && set.unicodeScalars.contains(scalars[high - 1]) { high -= 1 }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[low..<high])
        return result
    }
}
