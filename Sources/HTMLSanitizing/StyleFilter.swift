/// The `style` attributes kept in permissive mode: a few presentational
/// properties whose values can neither fetch anything nor escape the element.
///
/// A declaration survives when its property is on the list and its value is
/// made of letters, digits, spaces, `#`, `%`, `.`, `,`, `+`, `-` and calls of
/// `rgb`/`rgba`/`hsl`/`hsla` only — so no `url(`, `expression(`, `image-set(`,
/// `var(`, no quotes, no backslash escapes and no comments. Negative margins
/// (content pulled over the page around it) are dropped too. Kept declarations
/// are written as `property: value` joined by `; `.
enum StyleFilter {
    static let properties: Set<String> = [
        "color", "background-color", "font-weight", "font-style", "text-align", "text-decoration",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style",
        "border-width", "border-radius", "border-collapse", "border-spacing", "border-top-color",
        "border-right-color", "border-bottom-color", "border-left-color", "border-top-style", "border-right-style",
        "border-bottom-style", "border-left-style", "border-top-width", "border-right-width",
        "border-bottom-width", "border-left-width", "width", "height",
    ]

    static let functions: Set<String> = ["rgb", "rgba", "hsl", "hsla"]

    /// The filtered declarations of `style`, or nil when none is left.
    static func filter(_ style: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let text = String(decoding: style, as: UTF8.self)
        var kept: [String] = []
        for declaration in text.split(separator: ";", omittingEmptySubsequences: true) {
            guard let colon = declaration.firstIndex(of: ":") else { continue }
            let property = declaration[..<colon].trimmingCharacters(in: " \t\n\u{0C}").lowercased()
            var value = declaration[declaration.index(after: colon)...].trimmingCharacters(in: " \t\n\u{0C}")
            guard properties.contains(property) else { continue }
            if value.lowercased().hasSuffix("!important") {
                value = String(value.dropLast("!important".count)).trimmingCharacters(in: " \t\n\u{0C}")
            }
            guard !value.isEmpty, isSafe(value) else { continue }
            if property.hasPrefix("margin") && value.contains("-") { continue }
            let collapsed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\u{0C}" })
                .joined(separator: " ")
            kept.append(property + ": " + collapsed)
        }
        return kept.isEmpty ? nil : Array(kept.joined(separator: "; ").utf8)
    }

    private static func isSafe(_ value: String) -> Bool {
        var identifier = ""
        var depth = 0
        for scalar in value.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z":
                identifier.unicodeScalars.append(scalar)
                continue
            case "(":
                guard depth == 0, functions.contains(identifier.lowercased()) else { return false }
                depth += 1
            case ")":
                guard depth == 1 else { return false }
                depth -= 1
            case "0"..."9", " ", "\t", "\n", "\u{0C}", "#", "%", ".", ",", "+", "-":
                break
            default:
                return false
            }
            identifier = ""
        }
        return depth == 0
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
