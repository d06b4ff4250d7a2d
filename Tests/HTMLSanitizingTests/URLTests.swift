import HTMLSanitizing
import Testing

@Suite("URLs")
struct URLTests {
    /// Each must lose its href (the link is then unwrapped).
    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
        "\tjavascript:alert(1)", "\njavascript:alert(1)", "jav\tascript:alert(1)", "jav&#x09;ascript:alert(1)",
        "jav&#x0A;ascript:alert(1)", "jav&#x0D;ascript:alert(1)", "jav&#9;ascript:alert(1)", "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "&#0000106&#0000097vascript:alert(1)", "javascript&colon;alert(1)", "javascript&#58;alert(1)",
        "javascript&#x3a;alert(1)", "&#1;javascript:alert(1)", "java&#1;script:alert(1)", "java script:alert(1)",
        "vbscript:msgbox(1)", "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,<script>alert(1)</script>",
        "livescript:alert(1)", "file:///etc/passwd", "ftp://example.com/x", "tel:+15555550123", "blob:https://x/y",
        "javascript://%0Aalert(1)", "jAvAsCrIpT:alert(1)", "  &#x0B;javascript:alert(1)", "java&Tab;script:alert(1)",
        "java&NewLine;script:alert(1)", "javascript\t:alert(1)", "view-source:https://x", "about:blank",
    ])
    func dangerousHrefRemoved(href: String) {
        let output = clean("<a href=\"\(href)\">x</a>")
        #expect(output == "x", "\(href) → \(output)")
    }

    @Test(arguments: [
        ("https://example.com/a?b=1&amp;c=2#f", "https://example.com/a?b=1&amp;c=2#f"),
        ("HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"),
        ("mailto:editor@example.com", "mailto:editor@example.com"),
        ("/world/vatican", "https://news.example.com/world/vatican"),
        ("vatican", "https://news.example.com/world/2025/vatican"),
        ("../europe/", "https://news.example.com/world/europe/"),
        ("//cdn.example.com/x", "https://cdn.example.com/x"),
        ("?page=2", "https://news.example.com/world/2025/story.html?page=2"),
        ("#section", "https://news.example.com/world/2025/story.html?id=7#section"),
        ("  /padded  ", "https://news.example.com/padded"),
        ("/a\nb", "https://news.example.com/ab"),
        ("https://example.com/caf\u{E9}", "https://example.com/caf\u{E9}"),
        ("/x?q=&quot;quoted&quot;", "https://news.example.com/x?q=&quot;quoted&quot;"),
        ("javascript-guide.html", "https://news.example.com/world/2025/javascript-guide.html"),
        ("/wiki/Java:Script", "https://news.example.com/wiki/Java:Script"),
    ])
    func safeHrefKeptAndResolved(href: String, expected: String) {
        #expect(clean("<a href=\"\(href)\">x</a>") == "<a href=\"\(expected)\">x</a>")
    }

    /// Raw control characters and NUL become U+FFFD when parsed, which no scheme
    /// can contain: the reference is relative, so harmless.
    @Test(arguments: [
        "\u{1}javascript:alert(1)", "java\u{1}script:alert(1)", "java\u{0}script:alert(1)", "\u{0B}javascript:x",
    ])
    func rawControlCharactersNeutralize(href: String) {
        let output = clean("<a href=\"\(href)\">x</a>")
        #expect(output.hasPrefix("<a href=\"https://news.example.com/world/2025/"), "\(output)")
        #expect(output.contains("\u{FFFD}"))
    }

    @Test func relativeURLsWithoutBaseStayRelative() {
        #expect(
            sanitizer.sanitize("<a href=\"/x\">x</a><img src=\"//cdn.example/i.png\">")
                == "<a href=\"/x\">x</a><img src=\"https://cdn.example/i.png\">")
    }

    @Test func resolverCanRejectAReference() {
        #expect(sanitizer.sanitize("<a href=\"/x\">x</a>", resolve: { _ in nil }) == "x")
    }

    @Test func resolverOutputIsCheckedToo() {
        #expect(sanitizer.sanitize("<a href=\"/x\">x</a>", resolve: { _ in "javascript:alert(1)" }) == "x")
    }

    @Test func everyURLAttributeIsChecked() {
        #expect(
            clean(
                "<img src=\"javascript:x\" srcset=\"javascript:y 1x\"><video poster=\"javascript:z\" src=\"/v.mp4\"></video><blockquote cite=\"javascript:q\">q</blockquote>"
            )
                == "<video src=\"https://news.example.com/v.mp4\" controls=\"\"></video><blockquote>q</blockquote>")
        #expect(
            clean("<blockquote cite=\"/source\">q</blockquote>")
                == "<blockquote cite=\"https://news.example.com/source\">q</blockquote>")
    }

    @Test func srcsetCandidatesCheckedAndResolved() {
        #expect(
            clean("<img srcset=\"a.jpg 1x, /b.jpg 2x,javascript:alert(1) 3x , https://c.example/c.jpg 640w\">")
                == "<img srcset=\"https://news.example.com/world/2025/a.jpg 1x, https://news.example.com/b.jpg 2x, https://c.example/c.jpg 640w\">"
        )
    }

    @Test func srcsetWithCommasInURLs() {
        #expect(
            clean(
                "<img srcset=\"https://img.example/w_100,h_100/a.jpg 100w, https://img.example/w_200,h_200/a.jpg 200w\">"
            )
                == "<img srcset=\"https://img.example/w_100,h_100/a.jpg 100w, https://img.example/w_200,h_200/a.jpg 200w\">"
        )
    }

    @Test func srcsetWithoutDescriptorsAndTrailingCommas() {
        #expect(
            clean("<img srcset=\"/a.jpg,, /b.jpg 2x,\">")
                == "<img srcset=\"https://news.example.com/a.jpg, https://news.example.com/b.jpg 2x\">")
    }

    @Test func srcsetAllUnsafeDropsAttribute() {
        #expect(
            clean("<img src=\"/a.jpg\" srcset=\"javascript:a 1x, data:x 2x\" sizes=\"50vw\">")
                == "<img src=\"https://news.example.com/a.jpg\" sizes=\"50vw\">")
    }

    @Test func trackingParametersStrippedFromLinks() {
        #expect(
            clean("<a href=\"https://e.example/a?utm_source=rss&amp;id=5&amp;utm_medium=feed&amp;fbclid=X#top\">x</a>")
                == "<a href=\"https://e.example/a?id=5#top\">x</a>")
        #expect(
            clean(
                "<a href=\"https://e.example/a?gclid=1&amp;mc_cid=2&amp;mc_eid=3&amp;_hsenc=4&amp;_hsmi=5&amp;UTM_Campaign=6\">x</a>"
            )
                == "<a href=\"https://e.example/a\">x</a>")
    }

    @Test func otherQueryBytesUntouched() {
        let href = "https://e.example/a?q=caf%C3%A9&amp;x=&amp;&amp;y=%2F&amp;utm_x"
        #expect(
            clean("<a href=\"\(href)\">x</a>")
                == "<a href=\"https://e.example/a?q=caf%C3%A9&amp;x=&amp;&amp;y=%2F\">x</a>")
        #expect(
            clean("<a href=\"https://e.example/a?utm=1&amp;xutm_source=2\">x</a>")
                == "<a href=\"https://e.example/a?utm=1&amp;xutm_source=2\">x</a>")
    }

    @Test func trackingParametersKeptOnImages() {
        #expect(
            clean("<img src=\"https://e.example/i.jpg?utm_source=x\">")
                == "<img src=\"https://e.example/i.jpg?utm_source=x\">")
    }

    @Test(arguments: [
        "<img src=\"https://e.example/p.gif\" width=\"1\" height=\"1\">",
        "<img src=\"/p.gif\" width=\"0\" height=\"0\">",
        "<img src=\"/p.gif\" width=\"1px\" height=\" 1 \">", "<img src=\"http://feeds.feedburner.com/~r/Foo/~4/abc\">",
        "<img src=\"https://pixel.wp.com/g.gif?v=1\">", "<img src=\"https://stats.wordpress.com/b.gif\">",
        "<img src=\"https://www.google-analytics.com/collect?v=1\">",
        "<img src=\"https://pixel.quantserve.com/pixel/p.gif\">",
        "<img src=\"https://sb.scorecardresearch.com/p?c1=2\">",
        "<img src=\"https://feeds.feedburner.com/~ff/Foo?d=1\">",
        "<img src=\"HTTPS://PIXEL.WP.COM/g.gif\">",
    ])
    func trackingPixelsRemoved(html: String) {
        #expect(clean("<p>a" + html + "</p>") == "<p>a</p>")
    }

    @Test func imagesThatAreNotPixelsStay() {
        #expect(
            clean("<img src=\"/a.gif\" width=\"1\" height=\"100\">")
                == "<img src=\"https://news.example.com/a.gif\" width=\"1\" height=\"100\">")
        #expect(
            clean("<img src=\"/a.gif\" width=\"1%\" height=\"1%\">")
                == "<img src=\"https://news.example.com/a.gif\" width=\"1%\" height=\"1%\">")
        #expect(
            clean("<img src=\"https://notpixel.wp.com.example/a.gif\">")
                == "<img src=\"https://notpixel.wp.com.example/a.gif\">")
        #expect(
            clean("<img src=\"https://feeds.feedburner.com/other.png\">")
                == "<img src=\"https://feeds.feedburner.com/other.png\">")
    }

    @Test func feedburnerFlareLinksRemovedWhenEmpty() {
        #expect(
            clean(
                "<p>x<a href=\"https://feeds.feedburner.com/~ff/Foo?a=1\"><img src=\"https://feeds.feedburner.com/~ff/Foo?d=1\"></a></p>"
            ) == "<p>x</p>")
        #expect(
            clean("<a href=\"https://feedproxy.google.com/~r/Foo/~3/abc/\">Read more</a>")
                == "<a href=\"https://feedproxy.google.com/~r/Foo/~3/abc/\">Read more</a>")
    }

    @Test func configurableTrackers() {
        let options = HTMLSanitizer.Options(trackers: ["t.example/px"])
        #expect(
            clean("<img src=\"https://t.example/px/1.gif\"><img src=\"https://t.example/a.gif\">", options: options)
                == "<img src=\"https://t.example/a.gif\">")
    }
}
