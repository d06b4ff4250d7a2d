import HTMLSanitizing
import Testing

@Suite("Elements")
struct ElementPolicyTests {
    @Test(arguments: [
        "<script>alert(1)</script>", "<style>p{color:red}</style>", "<iframe src=\"https://evil.example/\">x</iframe>",
        "<object data=\"x.swf\"><p>fallback</p></object>", "<embed src=\"x.swf\">", "<applet code=\"x\">y</applet>",
        "<form action=\"/x\"><p>in form</p></form>", "<input value=\"x\">", "<button>click</button>",
        "<select><option>o</option></select>", "<textarea>t</textarea>", "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=x\">", "<link rel=\"stylesheet\" href=\"x.css\">",
        "<svg><script>alert(1)</script><text>t</text></svg>", "<math><mi>x</mi></math>",
        "<noscript><p>enable js</p></noscript>", "<template><p>t</p></template>", "<frameset><frame src=x></frameset>",
        "<noembed>n</noembed>", "<noframes>n</noframes>", "<xmp><b>x</b></xmp>", "<title>t</title>",
        "<plaintext>everything after",
    ])
    func droppedWithContent(html: String) {
        #expect(clean("<p>keep</p>" + html) == "<p>keep</p>")
    }

    @Test(arguments: [
        ("<font color=\"red\">red</font>", "red"), ("<center>c</center>", "c"), ("<custom-el>c</custom-el>", "c"),
        ("<marquee>m</marquee>", "m"), ("<nobr>n</nobr>", "n"), ("<label>l</label>", "l"), ("<blink>b</blink>", "b"),
        ("<tt>t</tt>", "t"), ("<ruby>漢<rt>kan</rt></ruby>", "漢kan"), ("<main><p>m</p></main>", "<p>m</p>"),
        ("<nav><a href=\"/x\">x</a></nav>", "<a href=\"https://news.example.com/x\">x</a>"),
        ("<fieldset><legend>l</legend>f</fieldset>", "lf"), ("<body><p>b</p></body>", "<p>b</p>"),
    ])
    func unwrapped(html: String, expected: String) {
        #expect(clean(html) == expected)
    }

    @Test(arguments: [
        "<p>p</p>", "<blockquote>q</blockquote>", "<ul><li>a</li></ul>",
        "<ol start=\"3\" reversed=\"\"><li>a</li></ol>",
        "<dl><dt>t</dt><dd>d</dd></dl>", "<h1>h</h1>", "<h6>h</h6>", "<figure><figcaption>c</figcaption></figure>",
        "<table><caption>c</caption><thead><tr><th scope=\"col\">h</th></tr></thead><tbody><tr><td colspan=\"2\">d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
        "<pre><code>x</code></pre>", "<p><kbd>k</kbd><samp>s</samp><var>v</var><sub>1</sub><sup>2</sup></p>",
        "<section><article><aside><header>h</header><footer>f</footer></aside></article></section>",
        "<details open=\"\"><summary>s</summary>d</details>", "<p><ins datetime=\"2025\">i</ins><del>d</del></p>",
        "<p><bdi>b</bdi><bdo dir=\"rtl\">o</bdo><mark>m</mark><q>q</q><cite>c</cite><abbr title=\"t\">a</abbr><dfn>d</dfn></p>",
        "<p><time datetime=\"2025-12-25\">Christmas</time><small>s</small><big>b</big><s>s</s><strike>s</strike></p>",
        "<address>a</address>", "<div><span lang=\"fr\">oui</span></div>",
    ])
    func keptAsIs(html: String) {
        #expect(clean(html) == html)
    }

    @Test func eventHandlersAndStyleDropped() {
        #expect(
            clean("<p onclick=\"steal()\" onmouseover=x style=\"color:red\" class=\"c\" id=\"i\">x</p>") == "<p>x</p>")
        #expect(clean("<img src=\"/a.png\" onerror=\"alert(1)\">") == "<img src=\"https://news.example.com/a.png\">")
    }

    @Test func attributesOnlyWhereTheyMeanSomething() {
        #expect(clean("<p href=\"/x\" src=\"/y\" alt=\"z\" type=\"t\">x</p>") == "<p>x</p>")
        #expect(
            clean("<ol type=\"a\"><li>x</li></ol><ul type=\"disc\"><li>y</li></ul>")
                == "<ol type=\"a\"><li>x</li></ol><ul><li>y</li></ul>")
    }

    @Test func sourceOnlyInsideMedia() {
        #expect(clean("<p><source src=\"/a.mp4\">x</p>") == "<p>x</p>")
        #expect(
            clean(
                "<picture><source srcset=\"/a.webp\" type=\"image/webp\" media=\"(min-width: 600px)\"><img src=\"/a.jpg\"></picture>"
            )
                == "<picture><source srcset=\"https://news.example.com/a.webp\" type=\"image/webp\" media=\"(min-width: 600px)\"><img src=\"https://news.example.com/a.jpg\"></picture>"
        )
        #expect(
            clean(
                "<video poster=\"/p.jpg\" autoplay><source src=\"/v.mp4\" type=\"video/mp4\"><track kind=\"captions\" src=\"/c.vtt\" srclang=\"en\" label=\"English\"></video>"
            )
                == "<video poster=\"https://news.example.com/p.jpg\" controls=\"\"><source src=\"https://news.example.com/v.mp4\" type=\"video/mp4\"><track kind=\"captions\" src=\"https://news.example.com/c.vtt\" srclang=\"en\" label=\"English\"></video>"
        )
    }

    @Test func audioKeepsControls() {
        #expect(
            clean("<audio src=\"/a.mp3\" controls loop muted></audio>")
                == "<audio src=\"https://news.example.com/a.mp3\" controls=\"\" loop=\"\" muted=\"\"></audio>")
    }

    @Test func imageWithoutUsableSourceRemoved() {
        #expect(clean("<p><img alt=\"x\">a<img src=\"javascript:alert(1)\"></p>") == "<p>a</p>")
    }

    @Test func lazyImagesUseDataSrc() {
        #expect(
            clean("<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"/real.jpg\" alt=\"r\">")
                == "<img alt=\"r\" src=\"https://news.example.com/real.jpg\">")
    }

    @Test func linkWithoutSafeHrefUnwrapped() {
        #expect(clean("<a href=\"javascript:alert(1)\">click <b>me</b></a>") == "click <b>me</b>")
        #expect(clean("<a name=\"anchor\">x</a>") == "x")
    }

    @Test func extraAllowedElementsAndAttributes() {
        let options = HTMLSanitizer.Options(
            extraAllowedElements: ["ruby", "rt", "x-note", "script"],
            extraAllowedAttributes: ["class", "onclick", "data-id"])
        #expect(
            clean(
                "<ruby class=\"r\" onclick=\"x\">漢<rt>kan</rt></ruby><x-note data-id=\"1\">n</x-note><script>x</script>",
                options: options)
                == "<ruby class=\"r\">漢<rt>kan</rt></ruby><x-note data-id=\"1\">n</x-note>")
    }

    @Test func misnestedMarkupRepairedLikeABrowser() {
        #expect(clean("<b>bold <i>both</b> italic</i>") == "<b>bold <i>both</i></b><i> italic</i>")
        #expect(clean("<p>one<p>two") == "<p>one</p><p>two</p>")
        #expect(clean("<ul><li>a<li>b</ul>") == "<ul><li>a</li><li>b</li></ul>")
        #expect(clean("<table><tr><td>x</td></tr></table>") == "<table><tbody><tr><td>x</td></tr></tbody></table>")
    }

    @Test func unwrappingThatWouldReparseDifferentlyIsSettled() {
        let once = clean("<h1><font><h2>x</h2></font></h1>")
        #expect(clean(once) == once)
        let twice = clean("<p>a<marquee><p>b</p></marquee>c</p>")
        #expect(clean(twice) == twice)
    }

    @Test func depthIsCapped() {
        let options = HTMLSanitizer.Options(maximumDepth: 3)
        #expect(
            clean("<div><div><div><div><div>x</div></div></div></div></div>", options: options)
                == "<div><div><div>x</div></div></div>")
    }
}
