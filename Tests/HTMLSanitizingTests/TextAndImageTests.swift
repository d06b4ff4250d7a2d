import HTMLSanitizing
import TestSupport
import Testing

@Suite("Plain text and first image")
struct TextAndImageTests {
    @Test func tagsStrippedEntitiesDecoded() {
        #expect(
            sanitizer.plainText(html: "<p>Fish &amp; <b>chips</b> &lt;3&nbsp;&mdash; caf&eacute;</p>")
                == "Fish & chips <3 — café")
    }

    @Test func whitespaceCollapsed() {
        #expect(sanitizer.plainText(html: "  a \n\t b\u{A0}\u{A0}c\u{2003}d  ") == "a b c d")
    }

    @Test func blocksSeparatedBySpace() {
        #expect(
            sanitizer.plainText(html: "<p>one</p><p>two</p><ul><li>a</li><li>b</li></ul>x<br>y<h2>z</h2>")
                == "one two a b x y z")
    }

    @Test func inlineElementsDoNotSeparate() {
        #expect(sanitizer.plainText(html: "un<b>believ</b><i>able</i>") == "unbelievable")
    }

    @Test func droppedContentLeftOut() {
        #expect(
            sanitizer.plainText(
                html:
                    "<p>a</p><script>var x = 1;</script><style>p{}</style><noscript>n</noscript><template>t</template>b"
            ) == "a b")
    }

    @Test func shortTextNotCut() {
        #expect(sanitizer.plainText(html: "<p>exactly ten</p>", limit: 11) == "exactly ten")
        #expect(sanitizer.plainText(html: "", limit: 10) == "")
    }

    @Test func cutAtWordBoundaryWithEllipsis() {
        #expect(sanitizer.plainText(html: "<p>The quick brown fox jumps</p>", limit: 12) == "The quick…")
        #expect(sanitizer.plainText(html: "<p>The quick brown fox jumps</p>", limit: 9) == "The quick…")
        #expect(sanitizer.plainText(html: "<p>The quick brown fox jumps</p>", limit: 10) == "The quick…")
    }

    @Test func longWordCutHard() {
        #expect(sanitizer.plainText(html: "Supercalifragilistic", limit: 5) == "Super…")
    }

    @Test func trailingPunctuationBeforeEllipsis() {
        #expect(sanitizer.plainText(html: "one, two, three", limit: 7) == "one…")
    }

    @Test func countsCharactersNotBytes() {
        #expect(sanitizer.plainText(html: "é é é é é", limit: 9) == "é é é é é")
        #expect(sanitizer.plainText(html: "👍🏽 👍🏽 👍🏽", limit: 3) == "👍🏽 👍🏽…")
    }

    /// The cut works on bytes where every character up to it is one scalar that
    /// no grapheme rule joins to another; around marks, joiners, variation
    /// selectors, Hangul and canonically equivalent punctuation (U+037E is `;`)
    /// it must still cut where Characters say.
    @Test(arguments: [
        "e\u{301}e\u{301} cafe\u{301}, x\u{301}", "a\u{200D}b c\u{200D}", "©\u{FE0F} ok ©", "x\u{37E} y;",
        "👍🏽 a b 👍🏽", "한국어 텍스트 조각", "abc\u{308} d", "— “quoted” … €5, done: yes", "a,b;c:d e",
        "ab\u{20DD} cd", "\u{2027}x\u{2060}y z", "aa\u{300}a bb", "ǅ ß ÿ, Ā ɐ ʰ˥",
        "Привет мир, как дела? а\u{483}б в", "Ά ΐ; Ω\u{37E} ω\u{342}", "日本語の文章、です。か\u{3099}き ok",
        "\u{1100}한 글 가\u{11A8}나", "ＡＢ，ＣＤ： ｅｆ\u{FF9E}ｇ", "\u{302A}々〆 〇\u{302E}〡",
    ])
    func cutCountsCharactersAtEveryLimit(text: String) {
        for limit in 1...(text.unicodeScalars.count + 2) {
            #expect(sanitizer.plainText(html: text, limit: limit) == Self.characterCut(text, limit: limit))
        }
    }

    /// The cut as ``HTMLSanitizer/plainText(html:limit:)`` documents it, on Characters.
    static func characterCut(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        let prefix = Array(text.prefix(limit))
        var cutAt = prefix.count
        if text[text.index(text.startIndex, offsetBy: limit)] != " " {
            if let space = prefix.lastIndex(of: " ") { cutAt = space }
        }
        var result = prefix[..<cutAt]
        while let last = result.last, last == " " || last == "," || last == ";" || last == ":" {
            result = result.dropLast()
        }
        if result.isEmpty { result = prefix[...] }
        return String(result) + "…"
    }

    @Test func defaultLimitIs300() {
        let text = sanitizer.plainText(html: String(repeating: "word ", count: 200))
        #expect(text.hasSuffix("…"))
        #expect(text.count <= 301)
        #expect(text.count > 290)
    }

    @Test func hugeInputStopsEarly() {
        let big = "<p>" + String(repeating: "lorem ipsum ", count: 500_000) + "</p>"
        #expect(sanitizer.plainText(html: big, limit: 20) == "lorem ipsum lorem…")
    }

    @Test func firstImageIsAbsolute() {
        #expect(
            sanitizer.firstImage(html: "<p>x</p><img src=\"/a.jpg\"><img src=\"/b.jpg\">", resolve: resolver())
                == "https://news.example.com/a.jpg")
    }

    @Test func firstImageSkipsPixelsTrackersAndUnsafe() {
        let html =
            "<img src=\"/p.gif\" width=\"1\" height=\"1\"><img src=\"https://pixel.wp.com/x.gif\"><img src=\"javascript:x\"><img src=\"data:image/png;base64,AAAA\"><figure><img src=\"//cdn.example/real.jpg\"></figure>"
        #expect(sanitizer.firstImage(html: html, resolve: resolver()) == "https://cdn.example/real.jpg")
    }

    @Test func firstImageIgnoresDroppedSubtrees() {
        #expect(
            sanitizer.firstImage(
                html:
                    "<noscript><img src=\"/n.jpg\"></noscript><svg><image href=\"/s.jpg\"/></svg><template><img src=\"/t.jpg\"></template><img src=\"/ok.jpg\">",
                resolve: resolver())
                == "https://news.example.com/ok.jpg")
    }

    @Test func firstImageFromLazyOrSrcset() {
        #expect(
            sanitizer.firstImage(html: "<img data-src=\"/lazy.jpg\">", resolve: resolver())
                == "https://news.example.com/lazy.jpg")
        #expect(
            sanitizer.firstImage(html: "<img srcset=\"/s1.jpg 1x, /s2.jpg 2x\">", resolve: resolver())
                == "https://news.example.com/s1.jpg")
    }

    @Test func firstImageNoneFound() {
        #expect(sanitizer.firstImage(html: "<p>no images</p><img>") == nil)
    }
}

@Suite("Hugo body shape")
struct HugoBodyTests {
    @Test func blockStartKept() {
        #expect(HTMLSanitizer.hugoSafeBody(sanitized: "<p>x</p>") == "<p>x</p>")
        #expect(
            HTMLSanitizer.hugoSafeBody(sanitized: "<figure><img src=\"a\"></figure>")
                == "<figure><img src=\"a\"></figure>")
    }

    @Test(arguments: [
        "text only", "<a href=\"x\">link</a> text", "<img src=\"a\">", "<pre>x</pre>\n[x](javascript:alert(1))",
        "<span>s</span>", "<video src=\"v\"></video>",
    ])
    func nonBlockStartWrapped(html: String) {
        let body = HTMLSanitizer.hugoSafeBody(sanitized: html)
        #expect(body.hasPrefix("<div>"))
        #expect(body.hasSuffix("</div>"))
    }

    @Test func blankLinesEncoded() {
        #expect(
            HTMLSanitizer.hugoSafeBody(sanitized: "<pre>a\n\nb\n  \n\tc</pre>")
                == "<div><pre>a&#10;\nb&#10;  \n\tc</pre></div>")
    }

    @Test func noBlankLineEverSurvives() {
        var rng = SplitMix(state: 99)
        for _ in 0..<200 {
            let html = MarkupGenerator.fragment(&rng, size: 30) + "<pre>\n\n \n[x](javascript:alert(1))\n\n</pre>"
            let body = sanitizer.hugoSafeBody(html, resolve: resolver())
            if body.isEmpty { continue }
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!lines.contains { $0.allSatisfy { $0 == " " || $0 == "\t" } }, "\(body)")
            #expect(!body.contains("\r"))
            #expect(HTMLSanitizer.hugoSafeBody(sanitized: body) == body)
        }
    }

    @Test func encodedNewlinesMeanTheSame() {
        let sanitized = clean("<pre>a\n\n\nb</pre>")
        let body = HTMLSanitizer.hugoSafeBody(sanitized: sanitized)
        #expect(clean(body) == clean("<div>" + sanitized + "</div>"))
    }

    @Test func emptyStaysEmpty() {
        #expect(HTMLSanitizer.hugoSafeBody(sanitized: "") == "")
        #expect(sanitizer.hugoSafeBody("<script>x</script>  \n") == "")
    }
}
