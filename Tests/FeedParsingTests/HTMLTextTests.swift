import Testing

@testable import FeedParsing

struct HTMLTextTests {
    @Test func plainTextFromHTML() {
        #expect(HTMLText.plainText(fromHTML: "<p>Hello <b>World</b></p><p>Again</p>") == "Hello World Again")
        #expect(HTMLText.plainText(fromHTML: "A &amp; B &eacute; &#8217; &#x2014;") == "A & B é ’ —")
        #expect(HTMLText.plainText(fromHTML: "x<script>alert('<p>')</script>y<style>p{}</style>z") == "xyz")
        #expect(HTMLText.plainText(fromHTML: "a<!-- <b>hidden</b> -->b") == "ab")
        #expect(HTMLText.plainText(fromHTML: "1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
        #expect(HTMLText.plainText(fromHTML: "<a href=\"x>y\">link</a>") == "link")
        #expect(HTMLText.plainText(fromHTML: "  spaced \n\t out&nbsp; ") == "spaced out")
    }

    @Test func looksLikeHTML() {
        #expect(HTMLText.looksLikeHTML("<b>bold</b>"))
        #expect(HTMLText.looksLikeHTML("AT&amp;T"))
        #expect(!HTMLText.looksLikeHTML("Use the <b> tag"))
        #expect(!HTMLText.looksLikeHTML("5 < 6"))
        #expect(!HTMLText.looksLikeHTML("<madeup>x</madeup>"))
        #expect(!HTMLText.looksLikeHTML("plain"))
    }

    @Test func escape() {
        #expect(HTMLText.escape("a < b & c > d \"q\"") == "a &lt; b &amp; c &gt; d \"q\"")
        #expect(HTMLText.escape("none") == "none")
    }
}
