import Testing

@testable import FeedParsing

struct XMLInputRepairTests {
    func repaired(_ input: [UInt8], chunk: Int = .max) -> (String, RepairCounts) {
        var repair = XMLInputRepair()
        var out: [UInt8] = []
        var offset = 0
        input.withUnsafeBufferPointer { buffer in
            repeat {
                let end = min(buffer.count, offset + min(chunk, buffer.count))
                let slice = UnsafeBufferPointer(rebasing: buffer[offset..<end])
                if repair.process(slice, final: end == buffer.count, into: &out) {
                    out.append(contentsOf: slice)  // clean: used as it is
                }
                offset = end
            } while offset < buffer.count
        }
        return (String(decoding: out, as: UTF8.self), repair.counts)
    }

    func repaired(_ input: String, chunk: Int = .max) -> String { repaired(Array(input.utf8), chunk: chunk).0 }

    @Test(arguments: [
        ("a & b", "a &amp; b"),
        ("AT&T", "AT&amp;T"),
        ("x=1&y=2", "x=1&amp;y=2"),
        ("&amp; &lt; &gt; &quot; &apos;", "&amp; &lt; &gt; &quot; &apos;"),
        ("&#38; &#x26; &#8217;", "&#38; &#x26; &#8217;"),
        ("&nbsp;", "\u{A0}"),
        ("caf&eacute;", "café"),
        ("&LT;b&GT;", "&#60;b&#62;"),
        ("&hellip;&mdash;", "…—"),
        ("&nosuch;", "&amp;nosuch;"),
        ("&#146;", "\u{2019}"),
        ("&#x80;", "€"),
        ("&#0;", "\u{FFFD}"),
        ("&#xD800;", "\u{FFFD}"),
        ("&#;", "&amp;#;"),
        ("& ", "&amp; "),
        ("&", "&amp;"),
        ("a < b", "a &lt; b"),
        ("<3 <= 4", "&lt;3 &lt;= 4"),
        ("<p>ok</p>", "<p>ok</p>"),
        ("<![CDATA[a & b <c> &nbsp;]]> & d", "<![CDATA[a & b <c> &nbsp;]]> &amp; d"),
        ("<!-- a & b --> &", "<!-- a & b --> &amp;"),
        ("<?pi a & b?>&", "<?pi a & b?>&amp;"),
        ("bell\u{07}tab\tnl\n", "belltab\tnl\n"),
    ])
    func repairs(_ input: String, _ expected: String) {
        #expect(repaired(input) == expected)
    }

    @Test func splitAtEveryOffsetGivesTheSameResult() {
        let input = "<t a=\"x&y\">caf&eacute; &#146; AT&T <![CDATA[&nbsp;]]> é€😀 <!-- & --> a < b</t>"
        let whole = repaired(input)
        for chunk in 1...12 {
            #expect(repaired(input, chunk: chunk) == whole, "chunk size \(chunk)")
        }
    }

    @Test func invalidUTF8IsReadAsWindows1252() {
        let (text, counts) = repaired([0x43, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94, 0x20, 0xE2, 0x80, 0x94])
        #expect(text == "Café “q” —")
        #expect(counts.invalidUTF8 == 3)
    }

    @Test func overlongAndSurrogateEncodingsAreInvalid() {
        let (text, counts) = repaired([0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80])
        #expect(counts.invalidUTF8 == 9)
        #expect(!text.isEmpty)
    }

    @Test func nonCharactersAreReplaced() {
        let (text, _) = repaired([0x61, 0xEF, 0xBF, 0xBF, 0x62])
        #expect(text == "a\u{FFFD}b")
    }

    @Test func truncatedSequenceAtEndOfInput() {
        let (text, counts) = repaired([0x61, 0xE2, 0x80])
        #expect(counts.invalidUTF8 == 2)
        #expect(text.hasPrefix("a"))
    }
}

extension XMLInputRepairTests {
    @Test func upperCaseHexReferencesBecomeXML() {
        #expect(repaired("&#X41;&#X26;") == "A&#x26;")
    }
}
