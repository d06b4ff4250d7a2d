import Foundation
import HTMLSanitizing
import TestSupport
import Testing

/// RFC 3986 §5 resolution, enough for the tests (Tidings passes FeedParsing's
/// `URLResolver.resolve(_:against:)` instead).
func resolveReference(_ reference: String, against base: String) -> String {
    if reference.firstIndex(of: ":").map({ colon in
        let scheme = reference[..<colon]
        return !scheme.isEmpty && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }) == true {
        return reference
    }
    guard let schemeEnd = base.range(of: "://") else { return reference }
    let scheme = String(base[..<schemeEnd.lowerBound])
    let afterScheme = base[schemeEnd.upperBound...]
    let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
    let authority = String(afterScheme[..<authorityEnd])
    var rest = String(afterScheme[authorityEnd...])
    if let hash = rest.firstIndex(of: "#") { rest = String(rest[..<hash]) }
    let basePath: String
    let baseQuery: String
    if let question = rest.firstIndex(of: "?") {
        basePath = String(rest[..<question])
        baseQuery = String(rest[question...])
    } else {
        basePath = rest
        baseQuery = ""
    }
    if reference.hasPrefix("//") { return scheme + ":" + reference }
    if reference.isEmpty { return scheme + "://" + authority + basePath + baseQuery }
    if reference.hasPrefix("#") { return scheme + "://" + authority + basePath + baseQuery + reference }
    if reference.hasPrefix("?") { return scheme + "://" + authority + basePath + reference }
    let split = reference.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? reference.endIndex
    let refPath = String(reference[..<split])
    let suffix = String(reference[split...])
    var merged: String
    if refPath.hasPrefix("/") {
        merged = refPath
    } else if let slash = basePath.lastIndex(of: "/") {
        merged = String(basePath[...slash]) + refPath
    } else {
        merged = "/" + refPath
    }
    var output: [Substring] = []
    let segments = merged.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    for (index, segment) in segments.enumerated() {
        let isLast = index == segments.count - 1
        if segment == "." {
            if isLast { output.append("") }
        } else if segment == ".." {
            if !output.isEmpty { output.removeLast() }
            if isLast { output.append("") }
        } else {
            output.append(segment)
        }
    }
    merged = "/" + output.joined(separator: "/")
    return scheme + "://" + authority + merged + suffix
}

let testBase = "https://news.example.com/world/2025/story.html?id=7"

func resolver(_ base: String = testBase) -> (String) -> String? {
    { resolveReference($0, against: base) }
}

let sanitizer = HTMLSanitizer()

func clean(_ html: String, options: HTMLSanitizer.Options? = nil, base: String = testBase) -> String {
    let chosen = options.map { HTMLSanitizer(options: $0) } ?? sanitizer
    return chosen.sanitize(html, resolve: resolver(base))
}

/// The golden folder: `shared/golden` beside the repository (as CI lays it out),
/// else the workspace's.
func goldenDirectory() -> URL? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let candidates = [
        url.deletingLastPathComponent().appendingPathComponent("shared/golden"),
        URL(fileURLWithPath: "/work/shared/golden"),
    ]
    return candidates.first {
        FileManager.default.fileExists(atPath: $0.appendingPathComponent("pope-expected.md").path)
    }
}

/// Random markup over the tags, attributes and text that matter to the
/// sanitizer and the tree builders: misnesting, implied end tags, tables,
/// foreign content, raw text, references, hostile URLs.
enum MarkupGenerator {
    static let tags = [
        "p", "div", "span", "a", "b", "i", "em", "strong", "u", "s", "font", "center", "marquee", "table", "tr",
        "td", "th", "tbody", "caption", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "pre", "code",
        "blockquote", "figure", "figcaption", "img", "br", "hr", "wbr", "picture", "source", "video", "audio",
        "iframe", "script", "style", "svg", "math", "object", "form", "button", "select", "option", "textarea",
        "title", "noscript", "template", "xmp", "nobr", "custom-el", "foo", "section", "details", "summary",
        "sub", "sup", "q", "cite", "abbr", "time", "mark", "small", "big", "tt", "ins", "del", "label", "body",
    ]
    static let attributes = [
        "href", "src", "srcset", "alt", "title", "width", "height", "style", "onclick", "onerror", "class", "id",
        "target", "rel", "poster", "cite", "data-src", "lang", "dir", "colspan", "type", "controls",
    ]
    static let values = [
        "/a/b", "../up.jpg", "x.png 1x, y.png 2x", "javascript:alert(1)", "jav&#x09;ascript:x",
        "https://ok.example/p?utm_source=x&amp;k=1",
        "1", "0", "_blank", "noopener", "https://www.youtube.com/embed/v", "data:text/html,x", "//cdn.example/i.png",
        "color: red; background: url(x)", "a\"b", "a&b", "&amp;&lt;", "  spaced  ", "mailto:a@b.c", "",
        "https://pixel.wp.com/t.gif", "&#10;x", "caf\u{E9}", "\u{A0}",
    ]
    static let texts = [
        "hello", " ", "\n", "a & b", "1 < 2", "x > y", "&amp;", "&lt;tag&gt;", "&nbsp;", "\u{A0}", "caf\u{E9}",
        "&copy", "&notit;", "&#x41;", "&#128;", "\r\n", "\t", "<", "&", "\"quoted\"", "it's", "&mdash;", "<!-- c -->",
        "]]>", "x\u{0}y", "&#0;", "\u{1F600}",
    ]

    static func fragment(_ rng: inout SplitMix, size: Int) -> String {
        var html = ""
        var open: [String] = []
        for _ in 0..<size {
            switch rng.below(10) {
            case 0...3:
                let tag = rng.pick(tags)
                html += "<" + (rng.below(7) == 0 ? tag.uppercased() : tag)
                for _ in 0..<rng.below(3) {
                    html += " " + rng.pick(attributes)
                    switch rng.below(4) {
                    case 0: html += "=\"" + rng.pick(values) + "\""
                    case 1: html += "='" + rng.pick(values).replacingOccurrences(of: "'", with: "") + "'"
                    case 2: html += "=" + rng.pick(["x", "1", "/p", "a&b"])
                    default: break
                    }
                }
                html += rng.below(9) == 0 ? "/>" : ">"
                open.append(tag)
            case 4...5:
                if let tag = open.popLast() {
                    html += "</" + tag + ">"
                } else {
                    html += "</" + rng.pick(tags) + ">"
                }
            case 6:
                html += "</" + rng.pick(tags) + ">"
            default:
                html += rng.pick(texts)
            }
        }
        return html
    }

    /// Well-nested markup of the kind the fast reader accepts.
    static func wellNested(_ rng: inout SplitMix, depth: Int = 0) -> String {
        let blocks = ["p", "div", "blockquote", "section", "figure", "ul", "h2", "pre", "details"]
        let inline = ["a", "b", "em", "strong", "span", "i", "code", "sub", "q", "x-y", "font", "mark"]
        var html = ""
        for _ in 0..<(1 + rng.below(4)) {
            switch rng.below(7) {
            case 0 where depth < 4:
                let tag = rng.pick(blocks)
                if tag == "ul" {
                    html +=
                        "<ul>"
                        + (0..<(1 + rng.below(3))).map { _ in "<li>\(wellNested(&rng, depth: depth + 1))</li>" }
                        .joined()
                        + "</ul>"
                } else {
                    html += "<\(tag)>\(wellNested(&rng, depth: depth + 1))</\(tag)>"
                }
            case 1 where depth < 6:
                let tag = rng.pick(inline)
                let attribute =
                    tag == "a"
                    ? " href=\"\(rng.pick(values))\"" : rng.below(3) == 0 ? " title=\"\(rng.pick(values))\"" : ""
                html += "<\(tag)\(attribute)>\(rng.pick(texts))</\(tag)>"
            case 2:
                html += rng.pick([
                    "<br>", "<img src=\"\(rng.pick(values))\" alt=\"a\">", "<wbr>", "<script>x<y</script>",
                    "<iframe src=\"\(rng.pick(values))\"></iframe>",
                ])
            default:
                html += rng.pick(texts.filter { !$0.contains("\u{0}") && !$0.contains("<") })
            }
        }
        return html
    }
}
