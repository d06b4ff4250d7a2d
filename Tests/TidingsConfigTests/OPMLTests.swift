import Foundation
import Testing
import TidingsConfig
import TidingsModel

@Suite struct OPMLTests {
    func parse(_ text: String) throws -> [FeedSubscription] {
        try OPML.parse(Array(text.utf8), file: "subs.opml")
    }

    @Test func nestedFoldersBecomeCategories() throws {
        let feeds = try parse(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0">
              <head><title>Mine</title></head>
              <body>
                <outline type="rss" text="Top" xmlUrl="https://top.example/feed" htmlUrl="https://top.example/"/>
                <outline text="News">
                  <outline text="World" title="World news">
                    <outline type="rss" text="Fox text" title="Fox World" xmlUrl="https://feeds.foxnews.com/foxnews/world"/>
                  </outline>
                  <outline type="rss" text="Only text" xmlUrl="http://news.example/rss"/>
                </outline>
                <outline title="Empty folder"/>
                <outline text="Podcasts"><outline xmlURL="feed://pod.example/rss" text="Pod"/></outline>
                <outline text="skip" xmlUrl="javascript:alert(1)"/>
                <outline text="dup" xmlUrl="https://top.example/feed"/>
              </body>
            </opml>
            """)
        #expect(
            feeds == [
                FeedSubscription(url: "https://top.example/feed", title: "Top"),
                FeedSubscription(
                    url: "https://feeds.foxnews.com/foxnews/world", title: "Fox World", category: "News/World news"),
                FeedSubscription(url: "http://news.example/rss", title: "Only text", category: "News"),
                FeedSubscription(url: "http://pod.example/rss", title: "Pod", category: "Podcasts"),
            ])
    }

    @Test func unusableURLsAreCountedAndSpellingsOfOneFeedKeptOnce() throws {
        let found = try OPML.read(
            Array(
                """
                <opml version="2.0"><body>
                  <outline text="a" xmlUrl="http://a b/feed"/>
                  <outline text="b" xmlUrl="http:///nohost"/>
                  <outline text="c" xmlUrl="https://c.example/feed"/>
                  <outline text="c again" xmlUrl="HTTPS://C.example:443/feed#latest"/>
                  <outline text="d" xmlUrl="feed://"/>
                </body></opml>
                """.utf8), file: "subs.opml")
        #expect(found.feeds == [FeedSubscription(url: "https://c.example/feed", title: "c")])
        #expect(found.unusable == ["http://a b/feed", "http:///nohost", "feed://"])
    }

    @Test func attributesWithEntities() throws {
        let feeds = try parse(
            """
            <opml version="2.0"><body>
              <outline text="R&amp;D &lt;lab&gt; &quot;q&quot; &#233;t&#xE9; &apos;s">
                <outline text="A &amp; B" xmlUrl="https://example.com/feed?a=1&amp;b=2"/>
              </outline>
            </body></opml>
            """)
        #expect(feeds.count == 1)
        #expect(feeds.first?.url == "https://example.com/feed?a=1&b=2")
        #expect(feeds.first?.title == "A & B")
        #expect(feeds.first?.category == "R&D <lab> \"q\" été 's")
    }

    @Test func exportThenParseGivesTheSameFeeds() throws {
        let feeds = [
            FeedSubscription(url: "https://a.example/feed?x=1&y=2", title: "A & \"B\" <c>"),
            FeedSubscription(url: "https://b.example/rss", title: "B", category: "News/World"),
            FeedSubscription(url: "https://c.example/rss", title: "Ç\nnewline\ttab", category: "News"),
            FeedSubscription(url: "https://d.example/rss", title: "D", category: "News/World"),
            FeedSubscription(url: "https://e.example/rss", title: "E", category: "Tech"),
        ]
        let text = OPML.export(feeds, title: "My <feeds> & more")
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"))
        #expect(text.contains("<title>My &lt;feeds&gt; &amp; more</title>"))
        let back = try OPML.parse(Array(text.utf8), file: "export.opml")
        // Grouped by folder: uncategorized first, then folders in first-seen order.
        #expect(back.map(\.url) == [feeds[0], feeds[2], feeds[1], feeds[3], feeds[4]].map(\.url))
        for feed in feeds {
            let read = try #require(back.first { $0.url == feed.url })
            #expect(read.title == feed.title)
            #expect(read.category == feed.category)
        }
    }

    @Test func exportUsesNameOrURLWhenNoTitle() throws {
        let text = OPML.export(
            [
                FeedSubscription(url: "https://a.example/x", name: "short"),
                FeedSubscription(url: "https://b.example/y"),
            ],
            title: "t")
        let back = try OPML.parse(Array(text.utf8), file: "x.opml")
        #expect(back.map(\.title) == ["short", "https://b.example/y"])
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-opml-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = directory.appendingPathComponent("secret.txt")
        try Data("TOP-SECRET-CANARY".utf8).write(to: secret)
        let hostile = """
            <?xml version="1.0"?>
            <!DOCTYPE opml [
              <!ENTITY passwd SYSTEM "file:///etc/passwd">
              <!ENTITY canary SYSTEM "\(secret.absoluteString)">
              <!ENTITY remote SYSTEM "http://127.0.0.1:9/evil">
              <!ENTITY % dtd SYSTEM "\(secret.absoluteString)">
              %dtd;
            ]>
            <opml version="2.0"><head><title>&passwd;</title></head><body>
              <outline text="&passwd;&canary;">
                <outline text="x&passwd;y&canary;&remote;" title="&canary;" xmlUrl="https://e.example/&passwd;&canary;"/>
              </outline>
            </body></opml>
            """
        let feeds = try parse(hostile)
        let everything = feeds.map { "\($0)" }.joined()
        #expect(!everything.contains("root:"))
        #expect(!everything.contains("TOP-SECRET-CANARY"))
        #expect(feeds.count == 1)
        #expect(feeds.first?.url == "https://e.example/")
        #expect(feeds.first?.title == "xy")

        // External entities are not allowed in attribute values, but an internal entity
        // defined by an external DTD from a file's content is: the DTD must not be loaded.
        let dtd = directory.appendingPathComponent("evil.dtd")
        try Data(
            """
            <!ENTITY % file SYSTEM "\(secret.absoluteString)">
            <!ENTITY % eval "<!ENTITY wrapped '%file;'>">
            %eval;
            """.utf8
        ).write(to: dtd)
        for doctype in [
            "<!DOCTYPE opml SYSTEM \"\(dtd.absoluteString)\">",
            "<!DOCTYPE opml [<!ENTITY % ext SYSTEM \"\(dtd.absoluteString)\"> %ext;]>",
        ] {
            let wrapped = try parse(
                doctype + "<opml><body><outline text=\"[&wrapped;]\" xmlUrl=\"https://w.example/\"/></body></opml>")
            #expect(wrapped.count == 1)
            #expect(wrapped.first?.title == "[]")
            #expect(!wrapped.map { "\($0)" }.joined().contains("TOP-SECRET-CANARY"))
        }
    }

    @Test func entityExpansionBombIsHarmless() throws {
        var doctype = "<!DOCTYPE opml [<!ENTITY a0 \"lol\">"
        for level in 1...12 {
            doctype += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">"
        }
        doctype += "]>"
        let feeds = try parse(
            doctype + "<opml><body><outline text=\"&a12;\" xmlUrl=\"https://x.example/\"/></body></opml>")
        #expect(feeds.count == 1)
        #expect((feeds.first?.title?.count ?? 0) < 1000)
    }

    @Test(arguments: [
        "<rss version=\"2.0\"><channel/></rss>", "not xml at all", "", "<?xml version=\"1.0\"?>",
    ])
    func noOPMLRootIsAnError(text: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try parse(text) }
        #expect(error.description.hasPrefix("subs.opml: "))
        #expect(error.shortDescription == "opml_invalid")
    }

    @Test func deepNestingDoesNotExhaustTheStack() throws {
        let depth = 50_000
        let text =
            "<opml><body>" + String(repeating: "<outline text=\"f\">", count: depth)
            + "<outline text=\"deep\" xmlUrl=\"https://deep.example/\"/>"
            + String(repeating: "</outline>", count: depth) + "</body></opml>"
        // libxml2 stops at its depth limit; what it read is returned or nothing, without a crash.
        let feeds = try parse(text)
        #expect(feeds.count <= 1)
    }

    @Test func brokenXMLIsRecovered() throws {
        let feeds = try parse(
            "<opml><body><outline text=\"a\" xmlUrl=\"https://a.example/\"><outline text=b xmlUrl=\"https://b.example/\"></body>"
        )
        #expect(feeds.first?.url == "https://a.example/")
    }
}
