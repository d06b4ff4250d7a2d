import Foundation
import HTMLSanitizing
import TestSupport
import Testing

@Suite("Fixed point and tree builders")
struct PropertyTests {
    /// sanitize(sanitize(x)) == sanitize(x) over generated markup.
    @Test(arguments: 0..<8)
    func fixedPoint(seed: Int) {
        var rng = SplitMix(state: UInt64(seed) &* 7919 &+ 1)
        for _ in 0..<60 {
            let html = MarkupGenerator.fragment(&rng, size: 5 + rng.below(60))
            let once = clean(html)
            let twice = clean(once)
            #expect(twice == once, "input: \(html.debugDescription)")
        }
    }

    @Test(arguments: 0..<4)
    func fixedPointPermissiveAndForcedTargets(seed: Int) {
        let options = HTMLSanitizer.Options(linkTargets: .forceBlank, permissive: true)
        var rng = SplitMix(state: UInt64(seed) &+ 1000)
        for _ in 0..<50 {
            let html = MarkupGenerator.fragment(&rng, size: 5 + rng.below(40))
            let once = clean(html, options: options)
            #expect(clean(once, options: options) == once, "input: \(html.debugDescription)")
        }
    }

    /// The fast reader, where it accepts the input, builds the tree gumbo builds.
    @Test(arguments: 0..<6)
    func fastReaderAgreesWithGumbo(seed: Int) {
        var rng = SplitMix(state: UInt64(seed) &+ 500)
        var accepted = 0
        for index in 0..<150 {
            let html =
                index % 2 == 0
                ? MarkupGenerator.wellNested(&rng) : MarkupGenerator.fragment(&rng, size: 3 + rng.below(25))
            let gumbo = sanitizer.sanitize(html, engine: .gumbo, resolve: resolver())
            guard let fast = sanitizer.sanitize(html, engine: .fastOnly, resolve: resolver()) else { continue }
            accepted += 1
            #expect(fast == gumbo, "input: \(html.debugDescription)")
        }
        #expect(accepted > 25)
    }

    @Test func fastReaderAgreesOnTrickyTokens() {
        let cases = [
            "<p>a &amp b &copy; &#169; &#xA9; &#128; &#0; &#x110000; &#xD800; &am &;</p>",
            "<a href='/x?a=1&b=2&copy=3&not=4&notit=5&amp;lt'>x</a>", "<p title=a&amp;b alt=\"x\"/>x</p>",
            "<img src=x.png/>",
            "<p>x<!---->y<!-- a -- b -->z</p>", "<script>if (a<b) x = '</scr' + 'ipt>';</script>p",
            "<div><p>one</p><p>two</div>", "<pre>\nx</pre>", "<pre>\r\nx</pre>",
            "<ul><li>a<ul><li>b</li></ul></li></ul>",
            "<b><b><b><b>x</b></b></b></b>", "<h1>a<span><h2>b</h2></span></h1>", "<p>a</P><P>b</p>",
            "<A HREF=\"/x\">X</A>",
            "<p dir=rtl lang=he title='\"q\"'>x</p>", "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
            "a < b > c & d", "<p>\u{A0}\u{85}\u{2028}</p>", "<x-y><z-w>q</z-w></x-y>",
            "<picture><source srcset=\"a 1x\"><img src=b></picture>",
            "<video><source src=v.mp4></video>", "<p>a<br/>b<wbr>c<hr></p>", "<dl><dt>a</dt><dd>b</dd></dl>",
            "<style>p{}</style>x",
        ]
        for html in cases {
            let gumbo = sanitizer.sanitize(html, engine: .gumbo, resolve: resolver())
            if let fast = sanitizer.sanitize(html, engine: .fastOnly, resolve: resolver()) {
                #expect(fast == gumbo, "input: \(html.debugDescription)")
            }
        }
    }

    @Test func fastReaderTakesTypicalArticles() {
        let article =
            "<p>Text with <a href=\"https://e.example/x?utm_source=rss\" target=\"_blank\" rel=\"noopener\">a link</a> &amp; <em>emphasis</em>.</p>\n<figure><img src=\"//cdn.example/a.jpg\" alt=\"A\" width=\"600\" height=\"400\"><figcaption>Caption &mdash; credit</figcaption></figure>\n<ul><li>one</li><li>two</li></ul><blockquote><p>Quote</p></blockquote><h2>Heading</h2><script async src=\"x.js\"></script>"
        #expect(sanitizer.sanitize(article, engine: .fastOnly, resolve: resolver()) != nil)
        #expect(
            sanitizer.sanitize(article, engine: .fastOnly, resolve: resolver())
                == sanitizer.sanitize(article, engine: .gumbo, resolve: resolver()))
    }

    @Test func outputHasNoScriptableSurface() throws {
        let urlAttribute = try Regex(#"(href|src|poster|cite)="([^"]*)""#)
        let eventHandler = try Regex(#"<[^>]*\son[a-z]*="#)
        var rng = SplitMix(state: 4242)
        for _ in 0..<300 {
            let output = clean(MarkupGenerator.fragment(&rng, size: 40))
            let lowered = output.lowercased()
            for tag in [
                "<script", "<style", "<svg", "<math", "<object", "<embed", "<form", "<!--", "<textarea", "<template",
            ] {
                #expect(!lowered.contains(tag))
            }
            #expect(output.firstMatch(of: eventHandler) == nil)
            for match in output.matches(of: urlAttribute) {
                let value = String(match.output[2].substring ?? "")
                #expect(
                    value.hasPrefix("https://") || value.hasPrefix("http://") || value.hasPrefix("mailto:"), "\(output)"
                )
            }
        }
    }
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test func deepNesting100k() {
        let depth = 100_000
        let html = String(repeating: "<div>", count: depth) + "x" + String(repeating: "</div>", count: depth)
        let output = sanitizer.sanitize(html)
        #expect(output.hasPrefix("<div><div>"))
        #expect(output.contains("x"))
        #expect(output.components(separatedBy: "<div>").count - 1 <= 256)
        #expect(sanitizer.sanitize(output) == output)
    }

    @Test func deepUnclosedMisnesting() {
        let html = String(repeating: "<b><i><table><td>", count: 3_000) + "x"
        let output = sanitizer.sanitize(html)
        #expect(!output.isEmpty)
        #expect(sanitizer.plainText(html: html) == "x")
    }

    @Test func deepNestingThroughGumbo() async {
        let html = String(repeating: "<span><font>", count: 50_000)
        let output = await offPool { sanitizer.sanitize(html, engine: .gumbo) }
        #expect(output == String(repeating: "<span>", count: 256) + String(repeating: "</span>", count: 256))
    }

    @Test func fiveMegabytes() {
        var rng = SplitMix(state: 5)
        var html = ""
        while html.utf8.count < 5_000_000 {
            html += MarkupGenerator.wellNested(&rng) + "<p>" + String(repeating: "news ", count: 200) + "</p>"
        }
        let output = sanitizer.sanitize(html, resolve: resolver())
        #expect(output.utf8.count > 1_000_000)
        #expect(!output.contains("<script"))
    }

    @Test func binaryGarbage() {
        var rng = SplitMix(state: 77)
        for size in [1, 10, 1000, 100_000] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let output = sanitizer.sanitize(bytes: bytes)
            #expect(!output.contains("<script"))
            #expect(sanitizer.sanitize(output) == output)
            _ = sanitizer.plainText(html: String(decoding: bytes, as: UTF8.self))
            _ = sanitizer.firstImage(html: String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func markupLikeGarbage() {
        var rng = SplitMix(state: 78)
        let alphabet = Array("<>/=\"'&#;!-abcdeiprst \n\t\0\u{1}é".unicodeScalars)
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<(1 + rng.below(200)) { text.unicodeScalars.append(alphabet[rng.below(alphabet.count)]) }
            let output = sanitizer.sanitize(text)
            #expect(sanitizer.sanitize(output) == output, "input: \(text.debugDescription)")
        }
    }

    @Test func emptyAndTrivialInputs() {
        #expect(sanitizer.sanitize("") == "")
        #expect(sanitizer.sanitize("   ") == "")
        #expect(sanitizer.sanitize("<") == "&lt;")
        #expect(sanitizer.sanitize("&") == "&amp;")
        #expect(sanitizer.sanitize("</p>") == "<p></p>")
        #expect(sanitizer.plainText(html: "") == "")
        #expect(sanitizer.firstImage(html: "") == nil)
    }

    @Test func manyAttributesAndLongValues() async {
        let attributes = (0..<5_000).map { " a\($0)=\"\($0)\"" }.joined()
        let long = String(repeating: "x", count: 1_000_000)
        let output = await offPool { sanitizer.sanitize("<p\(attributes) title=\"\(long)\">y</p>") }
        #expect(output == "<p title=\"\(long)\">y</p>")
    }

    @Test func concurrentUse() async {
        let html = "<p>a <a href=\"/x\">b</a></p><script>x</script>"
        await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { sanitizer.sanitize(html, resolve: resolver()) } }
            for await output in group { #expect(output == "<p>a <a href=\"https://news.example.com/x\">b</a></p>") }
        }
    }
}
