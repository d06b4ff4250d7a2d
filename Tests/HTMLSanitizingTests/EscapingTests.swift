import HTMLSanitizing
import Testing

@Suite("Serialization and escaping")
struct EscapingTests {
    @Test func textEscapesOnlyAmpLtGt() {
        #expect(clean("<p>a &amp; b &lt; c &gt; d \"q\" 'a'</p>") == "<p>a &amp; b &lt; c &gt; d \"q\" 'a'</p>")
    }

    @Test func bareSpecialCharactersInText() {
        #expect(clean("<p>1 < 2 & 3 > 2</p>") == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>")
    }

    @Test func attributeEscapesOnlyAmpAndQuote() {
        #expect(
            clean("<p title='a \"b\" &amp; <c> &#39;d&#39;'>x</p>")
                == "<p title=\"a &quot;b&quot; &amp; <c> 'd'\">x</p>")
    }

    @Test func nbspStaysRawInTextAndAttributes() {
        #expect(clean("<p title=\"a&nbsp;b\">c&nbsp;d\u{A0}e</p>") == "<p title=\"a\u{A0}b\">c\u{A0}d\u{A0}e</p>")
    }

    @Test func unicodeStaysRaw() {
        #expect(clean("<p>caf&eacute; — “q” \u{1F600} &#x1F600;</p>") == "<p>café — “q” \u{1F600} \u{1F600}</p>")
    }

    @Test func carriageReturnReference() {
        #expect(clean("<p>a&#13;b</p>") == "<p>a&#13;b</p>")
        #expect(clean("<p>a\r\nb\rc</p>") == "<p>a\nb\nc</p>")
    }

    @Test func attributesAlwaysDoubleQuoted() {
        #expect(clean("<img src=a.png alt=x>") == "<img src=\"https://news.example.com/world/2025/a.png\" alt=\"x\">")
    }

    @Test func namesLowercased() {
        #expect(clean("<P TITLE=\"x\">a</P>") == "<p title=\"x\">a</p>")
    }

    @Test(arguments: ["br", "hr", "wbr"])
    func voidElementsHaveNoEndTag(tag: String) {
        #expect(
            clean("<p>a<\(tag)>b<\(tag)/>c</p>") == "<p>a<\(tag)>b<\(tag)>c</p>"
                || clean("<p>a<\(tag)>b<\(tag)/>c</p>").hasPrefix("<p>a</p><hr>"))
    }

    @Test func voidElementsInContext() {
        #expect(
            clean("<p>a<br>b</p><hr><p><img src=\"/i.png\"><wbr></p>")
                == "<p>a<br>b</p><hr><p><img src=\"https://news.example.com/i.png\"><wbr></p>")
        #expect(
            clean("<table><colgroup><col width=\"2\"></colgroup></table>")
                == "<table><colgroup><col width=\"2\"></colgroup></table>")
    }

    @Test func strayEndBrBecomesBr() {
        #expect(clean("a</br>b") == "a<br>b")
    }

    @Test func commentsRemoved() {
        #expect(clean("<p>a<!-- secret -->b<!--[if IE]><script>x</script><![endif]--></p>") == "<p>ab</p>")
    }

    @Test func preLeadingNewlineSurvives() {
        let once = clean("<pre>\n\ncode</pre>")
        #expect(once == "<pre>\n\ncode</pre>")
        #expect(clean(once) == once)
    }

    @Test func outputTrimmed() {
        #expect(clean("\n  <p>x</p>\n\n") == "<p>x</p>")
    }

    @Test func entitiesDecodedAsBrowsersDo() {
        #expect(clean("<p>&copy 2025 &notit; &ampx &#65;&#x42;</p>") == "<p>© 2025 ¬it; &amp;x AB</p>")
        #expect(
            clean("<a href=\"/s?a=1&copy=2&lang=en\">x</a>")
                == "<a href=\"https://news.example.com/s?a=1&amp;copy=2&amp;lang=en\">x</a>")
    }

    @Test func nulDropped() {
        #expect(clean("<p>a\u{0}b</p>") == "<p>ab</p>")
    }
}

/// Found by the fuzz target: characters the HTML parser reads back as U+FFFD
/// are written as U+FFFD, so the output is a fixed point.
@Test(arguments: ["a&#6;b", "a&#x7f;b", "<p title=\"&#1;\">x</p>", "a&#xFDD0;b", "a&#xFFFE;b", "a\u{85}b"])
func unreadableCharactersAreWrittenAsReplacement(_ input: String) {
    let sanitizer = HTMLSanitizer()
    let once = sanitizer.sanitize(input)
    #expect(once.contains("\u{FFFD}"), "\(once)")
    #expect(sanitizer.sanitize(once) == once)
}
