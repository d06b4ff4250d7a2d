import Foundation
import TestSupport
import Testing

@testable import FeedParsing

/// ``UTF8XMLTokenizer`` against libxml2: every document must give the same feed,
/// warnings (with their lines) and encoding whether the tokenizer reads it or
/// libxml2 does, and plain well-formed documents must be read by the tokenizer.
struct TokenizerDifferentialTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Parses `bytes` both ways, records any difference, and returns the pass that
    /// read it with the tokenizer on.
    @discardableResult
    static func compare(_ bytes: [UInt8], _ name: String, baseURL: String? = "http://example.test/feed")
        -> FeedParser.Pass?
    {
        let on = FeedParser.Options(baseURL: baseURL)
        var off = on
        off.usesTokenizer = false
        var withTokenizer: (feed: ParsedFeed, pass: FeedParser.Pass)?
        var withLibXML2: ParsedFeed?
        var errors: [String] = []
        do { withTokenizer = try FeedParser.parseWholeReportingPass(bytes, options: on) } catch {
            errors.append("\(error)")
        }
        do { withLibXML2 = try FeedParser.parseWholeReportingPass(bytes, options: off).feed } catch {
            errors.append("\(error)")
        }
        switch (withTokenizer, withLibXML2) {
        case (let a?, let b?):
            #expect(a.feed.feed == b.feed, "\(name): the feeds differ (read by \(a.pass))")
            #expect(a.feed.warnings == b.warnings, "\(name): warnings \(a.feed.warnings) vs \(b.warnings)")
            #expect(a.feed.encoding == b.encoding, "\(name): encodings differ")
            return a.pass
        case (nil, nil):
            #expect(errors[0] == errors[1], "\(name): errors differ")
            return nil
        default:
            Issue.record("\(name): one way failed: \(errors)")
            return nil
        }
    }

    @Test func bundledSamplesAndFixtures() throws {
        var read = 0
        var byTokenizer = 0
        for folder in ["samples", "Tests/FeedParsingTests/Fixtures/parse", "../shared/golden"] {
            let url = Self.repository.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            for name in names where [".xml", ".atom", ".rdf", ".rss", ".json"].contains(where: name.hasSuffix) {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                read += 1
                if Self.compare(bytes, "\(folder)/\(name)") == .tokenizer { byTokenizer += 1 }
            }
        }
        #expect(read > 40)
        #expect(byTokenizer > read / 3, "the tokenizer read \(byTokenizer) of \(read)")
    }

    /// feedparser's test corpus, which `scripts/feedparser-conformance` fetches
    /// (`scripts/test` runs it first and sets `TIDINGS_FEEDPARSER_CORPUS`, so there
    /// the corpus must be present).
    @Test func feedparserCorpus() throws {
        let environment = ProcessInfo.processInfo.environment["TIDINGS_FEEDPARSER_CORPUS"]
        let root = environment ?? Self.repository.appendingPathComponent(".build/feedparser-tests/tests").path
        guard FileManager.default.fileExists(atPath: root) else {
            #expect(environment == nil, "TIDINGS_FEEDPARSER_CORPUS names no folder: \(root)")
            return
        }
        var read = 0
        var byTokenizer = 0
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
        for file in files.sorted() where file.hasSuffix(".xml") {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root).appendingPathComponent(file)))
            read += 1
            if Self.compare(bytes, file) == .tokenizer { byTokenizer += 1 }
        }
        #expect(read > 2000)
        // Most of the corpus is well-formed; the rest tests what libxml2 and the
        // repair pass do.
        #expect(byTokenizer > read / 2, "the tokenizer read \(byTokenizer) of \(read)")
    }

    /// Random well-formed feeds with every construct the tokenizer reads: the
    /// tokenizer must read each one, the same way libxml2 does.
    @Test func generatedWellFormedFeeds() {
        var random = SplitMix(seed: 0x7A0C_3E11)
        for index in 0..<400 {
            let document = Self.feed(&random, wellFormed: true)
            let pass = Self.compare(Array(document.utf8), "generated #\(index):\n\(document)")
            #expect(pass == .tokenizer, "generated #\(index) was read by \(String(describing: pass)):\n\(document)")
        }
    }

    /// The same with constructs the tokenizer leaves to libxml2, and damage: the
    /// result must not depend on which pass read it.
    @Test func generatedUnusualAndDamagedFeeds() {
        var random = SplitMix(seed: 0x51DE_CA75)
        var byTokenizer = 0
        for index in 0..<600 {
            var document = Array(Self.feed(&random, wellFormed: false).utf8)
            for _ in 0..<random.below(3) {
                let at = random.below(document.count)
                switch random.below(4) {
                case 0: document.remove(at: at)
                case 1: document.insert(random.pick(Array("<>&]\r\0;\"'/:".utf8)), at: at)
                case 2: document.insert(contentsOf: random.pick(Self.oddities).utf8, at: at)
                default: document[at] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            if Self.compare(document, "damaged #\(index):\n\(String(decoding: document, as: UTF8.self))") == .tokenizer
            {
                byTokenizer += 1
            }
        }
        // Damage often leaves a document well-formed (in a text, say).
        #expect(byTokenizer > 30)
    }

    /// Random strings of markup pieces inside an item: mostly not well-formed, so
    /// every place the tokenizer gives up is met, and whatever reads each one, the
    /// result must be the same.
    @Test func randomMarkupInsideAnItem() {
        var random = SplitMix(seed: 0x0DD5_EED5)
        var byTokenizer = 0
        for index in 0..<2_000 {
            var body = ""
            for _ in 0..<random.below(24) { body += random.pick(Self.markupPieces) }
            let document =
                "<rss version=\"2.0\" xmlns:p=\"http://example.test/p\"><channel><item><title>"
                + body + "</title><description>" + body + "</description></item></channel></rss>"
            if Self.compare(Array(document.utf8), "random #\(index):\n\(document)") == .tokenizer { byTokenizer += 1 }
        }
        #expect(byTokenizer > 100, "the tokenizer read \(byTokenizer) of 2,000")
    }

    static let markupPieces = [
        "<a", "<b>", "</b>", ">", "/>", "</a>", " ", "x", "=", "\"", "'", "&amp;", "&", "&#", "&#x41;", "&#65;", ";",
        "<![CDATA[", "]]>", "]", "<!--", "-->", "-", "<?", "?>", "<?pi x?>", " href=\"u\"", " p:k='v'", "<p:e>",
        "</p:e>", " xmlns=\"http://example.test/d\"", " xmlns:q=\"rel\"", "\r\n", "\r", "\n", "\t", "é", "\u{0}",
        "<!DOCTYPE x>", "<br/>", "text",
    ]

    static let oddities = [
        "&nbsp;", "&#0;", "&#x110000;", "&unknown;", "<título>x</título>", "<undeclared:x/>", "\r", "]]>",
        "<!DOCTYPE rss [<!ENTITY e \"x\">]>", "<?xml version=\"1.0\"?>", "<!-- a -- b -->", "<a b='1' b='2'/>",
        "<a xmlns:p=''/>", "<a xmlns:p='rel'/>", "\u{FFFE}", "<![CDATA[\r]]>", "<x a=\"<\"/>", "</rss>",
    ]

    // MARK: Generator

    static func feed(_ random: inout SplitMix, wellFormed: Bool) -> String {
        var out = ""
        if random.below(2) == 0 { out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + newline(&random) }
        if random.below(5) == 0 { out += "<!-- generated -->\n" }
        if random.below(5) == 0 { out += "<?xml-stylesheet type=\"text/xsl\" href=\"s.xsl\"?>\n" }
        let atom = random.below(2) == 0
        if !atom && random.below(4) == 0 {
            out += "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\"\n"
            out += " \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
        }
        if !wellFormed && random.below(3) == 0 { out += random.pick(oddities) }
        if atom {
            out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc='http://purl.org/dc/elements/1.1/'"
            out += " xml:lang=\"en\"\txml:base=\"http://example.test/base/\"" + newline(&random) + ">"
            out += "<title type=\"html\">\(text(&random))</title><id>urn:x</id>" + newline(&random)
            for _ in 0..<random.below(6) {
                out += "<entry" + (random.below(3) == 0 ? " xml:base=\"sub/\"" : "") + ">" + newline(&random)
                out += "<title>\(text(&random))</title>"
                out += "<link rel='alternate' href=\"\(attribute(&random))\"/>"
                out += "<id>\(text(&random))</id><updated>\(date(&random))</updated>" + newline(&random)
                out += "<dc:subject>\(text(&random))</dc:subject>"
                if random.below(2) == 0 {
                    out += "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\""
                    out += attribute(&random) + "\">\(text(&random))<br/></p></div></content>"
                } else {
                    out += "<summary type='html'>\(text(&random))</summary>"
                }
                if !wellFormed && random.below(8) == 0 { out += random.pick(oddities) }
                out += "</entry >" + newline(&random)
            }
            out += "</feed>"
        } else {
            out += "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
            out += " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>" + newline(&random)
            out += "<title>\(text(&random))</title><link>http://example.test/</link>"
            for _ in 0..<random.below(6) {
                out += "<item>" + newline(&random) + "<title>\(text(&random))</title>"
                out += "<link>\(text(&random))</link><guid isPermaLink='false'>\(text(&random))</guid>"
                out += random.below(4) == 0 ? "<pubDate/>" : "<pubDate>\(date(&random))</pubDate>" + newline(&random)
                out += "<description>\(text(&random))</description>"
                if random.below(2) == 0 { out += "<content:encoded><![CDATA[\(cdata(&random))]]></content:encoded>" }
                out += "<enclosure url=\"\(attribute(&random))\" length='12' type=\"audio/mpeg\" />"
                out += "<category domain=\"d\">\(text(&random))</category><!-- \(cdata(&random)) -->"
                if !wellFormed && random.below(8) == 0 { out += random.pick(oddities) }
                out += "</item>" + newline(&random)
            }
            out += "</channel></rss>"
        }
        return out + newline(&random) + (random.below(4) == 0 ? "<!-- end -->\n" : "")
    }

    static func newline(_ random: inout SplitMix) -> String {
        random.pick(["", "\n", "\r\n", "\n  ", "\t"])
    }

    static let pieces = [
        "word", "two words", " ", "\n", "\r\n", "\t", "&amp;", "&lt;b&gt;bold&lt;/b&gt;", "&quot;", "&apos;",
        "&#233;", "&#xE9;", "&#x1F600;", "&#10;", "&#13;", "é", "日本語", "😀", "]", "]]", "'", "\"", "\u{85}",
        "<![CDATA[a <b>c</b> ]]>", "<!-- c -->", "<?pi data?>", "<b>bold</b>", "<br/>", "x=1&amp;y=2",
    ]

    static func text(_ random: inout SplitMix) -> String {
        (0..<random.below(8)).map { _ in random.pick(pieces) }.joined()
    }

    static func attribute(_ random: inout SplitMix) -> String {
        let parts = [
            "http://example.test/a", "?q=1&amp;r=2", " ", "\t", "\n", "\r\n", "&#9;", "&#10;", "é", "&lt;", "'",
            "path/", "#frag",
        ]
        return (0..<random.below(5)).map { _ in random.pick(parts) }.joined()
    }

    static func cdata(_ random: inout SplitMix) -> String {
        let parts = ["<p>html</p>", " ", "\n", "&amp;", "é", "]", "]]", "<img src=\"x.png\">", "- "]
        return (0..<random.below(6)).map { _ in random.pick(parts) }.joined()
    }

    static func date(_ random: inout SplitMix) -> String {
        random.pick([
            "Tue, 10 Jun 2003 04:00:00 GMT", "2003-12-13T18:30:02Z", "not a date", "\n 2003-12-13T18:30:02+01:00 ",
            "yesterday\r\nat noon",
        ])
    }
}
