import FeedParsing
import Testing

/// A web page configured in place of its feed: the feeds it names.
@Suite struct FeedDiscoveryTests {
    func links(_ html: String, pageURL: String? = "https://news.example/section/page.html") -> [String] {
        FeedDiscovery.links(in: Array(html.utf8), pageURL: pageURL).map(\.url)
    }

    @Test func alternateFeedLinksInPageOrderResolvedAndOnce() {
        let html = """
            <!DOCTYPE html><html><head><title>News</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="All" href="feed.xml?a=1&amp;b=2">
            <LINK REL="Alternate Home" TYPE="Application/Atom+XML; charset=utf-8" HREF="https://news.example/atom">
            <link rel="alternate" type="application/rss+xml" href="feed.xml?a=1&amp;b=2">
            <link rel="alternate" type="text/html" hreflang="de" href="/de/">
            <link rel="alternate feed" type="application/feed+json" href="//cdn.example/feed.json">
            <link rel="alternative" type="application/rss+xml" href="/not-alternate.xml">
            <link rel="alternate" type="application/rss+xml" href="   ">
            </head><body><link rel="alternate" type="application/rdf+xml" href="/in-body.rdf"></body></html>
            """
        #expect(
            links(html) == [
                "https://news.example/section/feed.xml?a=1&b=2", "https://news.example/atom",
                "https://cdn.example/feed.json", "https://news.example/in-body.rdf",
            ])
        let first = FeedDiscovery.links(in: Array(html.utf8), pageURL: "https://news.example/").first
        #expect(first?.title == "All" && first?.type == "application/rss+xml")
    }

    @Test func baseHrefComesFirst() {
        let html = """
            <html><head><base href="/blog/"><link rel=alternate type=application/atom+xml href=atom.xml></head></html>
            """
        #expect(links(html) == ["https://news.example/blog/atom.xml"])
        // With no URL for the page, hrefs stay as written.
        #expect(links(html, pageURL: nil) == ["atom.xml"])
    }

    @Test func pagesWithoutFeedsAndNonPages() {
        #expect(links("<html><body><p>No feeds here</p></body></html>").isEmpty)
        #expect(links("").isEmpty)
        #expect(links("{\"not\": \"html\"}").isEmpty)
        #expect(links("\u{0}\u{1}binary\u{FF}").isEmpty)
    }

    @Test func atMostFiveAndDeepPagesAreHarmless() {
        let many = (0..<20).map { "<link rel=alternate type=application/rss+xml href=/f\($0).xml>" }.joined()
        #expect(links("<html><head>\(many)</head></html>").count == 5)
        let deep = String(repeating: "<div>", count: 100_000) + "<link rel=alternate type=application/rss+xml href=/x>"
        _ = links("<html><body>\(deep)</body></html>")
    }

    @Test func aParseErrorNamesThePagesFeeds() {
        let page = Array(
            "<html><head><link rel=alternate type=application/rss+xml href=/rss></head><body>Hi</body></html>".utf8)
        #expect(
            throws: FeedParsingError.notAFeed(
                "the root element is <html>, not rss, RDF or feed; the page names its feed: https://news.example/rss")
        ) {
            _ = try FeedParser.parse(page, options: FeedParser.Options(baseURL: "https://news.example/"))
        }
        let two = Array(
            """
            <html><head><link rel=alternate type=application/rss+xml href=/rss>
            <link rel=alternate type=application/atom+xml href=/atom></head></html>
            """.utf8)
        #expect(
            throws: FeedParsingError.notAFeed(
                "the root element is <html>, not rss, RDF or feed; the page names 2 feeds: https://news.example/rss, "
                    + "https://news.example/atom")
        ) {
            _ = try FeedParser.parse(two, options: FeedParser.Options(baseURL: "https://news.example/"))
        }
    }
}
