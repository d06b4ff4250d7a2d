import Foundation
import Testing
import TidingsConfig
import TidingsModel

@Suite struct ConfigurationTests {
    static let fullExample = """
        database: postgres://tidings@db.internal/news
        output:
          dir: public/content/news
          date: datetime
          path: "{feed}/{year}/{slug}.md"
          timezone: Europe/Paris
          draft: true
          max_age: 90d
          max_items: 500
        fetch: { concurrency: 8, per_host: 2, timeout: 1m, connect_timeout: 5s, max_body: 512KiB,
                 user_agent: "Tidings/1.0 (+https://example.com)", min_interval: 10m, max_interval: 12h }
        filters: { block: { title: ["(?i)sponsored", "^ad:"] }, keep: { category: [world] } }
        feeds:
          - url: https://feeds.foxnews.com/foxnews/world
            name: foxnews-world
            title: Fox News — World
            category: world
            interval: 1h30m
            user_agent: Custom/2
            enabled: false
            filters: { block: { link: ["/video/"] } }
          - url: http://example.com/rss
          - https://example.org/atom.xml
        """

    func parseError(_ yaml: String) throws -> ConfigurationError {
        try #require(throws: ConfigurationError.self) {
            try TidingsConfiguration.parse(yaml: yaml, file: "tidings.yml")
        }
    }

    @Test func defaults() throws {
        for text in ["", "# nothing\n", "output:\nfetch: {}\n"] {
            let configuration = try TidingsConfiguration.parse(yaml: text, file: "tidings.yml")
            #expect(configuration == TidingsConfiguration())
        }
        let configuration = TidingsConfiguration()
        #expect(configuration.database == "tidings.sqlite")
        #expect(configuration.output.dir == "site/content/posts")
        #expect(configuration.output.date == .date)
        #expect(configuration.output.path == "{year}/{month}/{slug}.md")
        #expect(configuration.output.timezone == "UTC")
        #expect(configuration.output.draft == false)
        #expect(configuration.output.maxAge == nil)
        #expect(configuration.output.maxItems == nil)
        #expect(configuration.fetch.concurrency == 32)
        #expect(configuration.fetch.perHost == 4)
        #expect(configuration.fetch.timeout == 30)
        #expect(configuration.fetch.connectTimeout == 10)
        #expect(configuration.fetch.maxBody == 20 * 1024 * 1024)
        #expect(configuration.fetch.userAgent == nil)
        #expect(configuration.fetch.minInterval == 300)
        #expect(configuration.fetch.maxInterval == 86_400)
        #expect(configuration.filters.isEmpty)
        #expect(configuration.feeds.isEmpty)
    }

    @Test func fullExampleParses() throws {
        let c = try TidingsConfiguration.parse(yaml: Self.fullExample, file: "tidings.yml")
        #expect(c.database == "postgres://tidings@db.internal/news")
        #expect(
            c.output
                == .init(
                    dir: "public/content/news", date: .datetime, path: "{feed}/{year}/{slug}.md",
                    timezone: "Europe/Paris", draft: true, maxAge: 90 * 86_400, maxItems: 500))
        #expect(
            c.fetch
                == .init(
                    concurrency: 8, perHost: 2, timeout: 60, connectTimeout: 5, maxBody: 512 * 1024,
                    userAgent: "Tidings/1.0 (+https://example.com)", minInterval: 600, maxInterval: 43_200))
        #expect(
            c.filters == [
                FilterRule(action: .block, field: .title, pattern: "(?i)sponsored"),
                FilterRule(action: .block, field: .title, pattern: "^ad:"),
                FilterRule(action: .keep, field: .category, pattern: "world"),
            ])
        #expect(c.feeds.count == 3)
        #expect(
            c.feeds[0]
                == FeedSubscription(
                    url: "https://feeds.foxnews.com/foxnews/world", name: "foxnews-world", title: "Fox News — World",
                    category: "world", interval: 5400, userAgent: "Custom/2", enabled: false,
                    filters: [FilterRule(action: .block, field: .link, pattern: "/video/")]))
        #expect(c.feeds[1] == FeedSubscription(url: "http://example.com/rss"))
        #expect(c.feeds[2] == FeedSubscription(url: "https://example.org/atom.xml"))
    }

    @Test func roundTrip() throws {
        let parsed = try TidingsConfiguration.parse(yaml: Self.fullExample, file: "tidings.yml")
        let written = parsed.yaml()
        #expect(written.contains("comments are not preserved"))
        #expect(try TidingsConfiguration.parse(yaml: written, file: "written.yml") == parsed)
        // Writing is stable: what was written reads back and writes the same text.
        #expect(try TidingsConfiguration.parse(yaml: written, file: "written.yml").yaml() == written)
        #expect(try TidingsConfiguration.parse(yaml: TidingsConfiguration().yaml(), file: "d.yml") == .init())
    }

    @Test func roundTripOfAwkwardStrings() throws {
        let strange = [
            "yes", "no", "null", "~", "123", "1e3", "true", "", " leading and trailing ", "a: b", "- x", "# c",
            "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{85}\u{2028}\u{2029}\u{FEFF}", "emoji 🗞️ ünïcödé",
            "{ not: a map }", "[1, 2]", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick", "'single'",
            "\u{7}bell\u{1B}esc",
        ]
        var configuration = TidingsConfiguration()
        configuration.fetch.userAgent = strange.joined(separator: "|")
        for (index, text) in strange.enumerated() {
            configuration.feeds.append(
                FeedSubscription(
                    url: "https://example.com/\(index)", title: text, category: text, interval: Double(index + 1) * 61,
                    userAgent: text,
                    filters: [FilterRule(action: .keep, field: .title, pattern: "x\(index)")]))
        }
        configuration.feeds[0].title = nil
        configuration.output.maxAge = 1.5
        configuration.fetch.maxBody = 1_000_001
        let back = try TidingsConfiguration.parse(yaml: configuration.yaml(), file: "t.yml")
        #expect(back == configuration)
    }

    @Test(arguments: [
        ("unknown: 1\n", 1, 1, "unknown", "config_unknown_key"),
        ("output:\n  dirr: x\n", 2, 3, "output.dirr", "config_unknown_key"),
        ("feeds:\n  - url: https://a.example/\n    intervall: 5m\n", 3, 5, "feeds[0].intervall", "config_unknown_key"),
        (
            "feeds:\n  - url: https://a.example/\n    interval: soon\n", 3, 15, "feeds[0].interval",
            "config_invalid_value"
        ),
        ("fetch:\n  timeout: 30x\n", 2, 12, "fetch.timeout", "config_invalid_value"),
        ("fetch:\n  max_body: lots\n", 2, 13, "fetch.max_body", "config_invalid_value"),
        ("fetch:\n  concurrency: many\n", 2, 16, "fetch.concurrency", "config_wrong_type"),
        ("fetch:\n  concurrency: 0\n", 2, 16, "fetch.concurrency", "config_wrong_type"),
        ("fetch:\n  min_interval: 1h\n  max_interval: 5m\n", 3, 17, "fetch.max_interval", "config_invalid_value"),
        ("output:\n  draft: maybe\n", 2, 10, "output.draft", "config_wrong_type"),
        ("output:\n  date: time\n", 2, 9, "output.date", "config_invalid_value"),
        ("output:\n  timezone: Mars/Olympus\n", 2, 13, "output.timezone", "config_invalid_value"),
        ("output:\n  path: ../../etc/{slug}\n", 2, 9, "output.path", "config_invalid_value"),
        ("output: [1]\n", 1, 9, "output", "config_wrong_type"),
        ("feeds:\n  - name: nourl\n", 2, 5, "feeds[0]", "config_missing_key"),
        ("feeds:\n  - url: ftp://example.com/feed\n", 2, 10, "feeds[0].url", "config_invalid_value"),
        ("feeds:\n  - url: file:///etc/passwd\n", 2, 10, "feeds[0].url", "config_invalid_value"),
        ("feeds:\n  - url: https://a.example/\n  - url: https://a.example/\n", 3, 5, "feeds[1]", "config_duplicate"),
        (
            "feeds:\n  - url: https://a.example/x\n  - url: HTTPS://A.example:443/x#top\n", 3, 5, "feeds[1]",
            "config_duplicate"
        ),
        ("feeds:\n  - url: http://\n", 2, 10, "feeds[0].url", "config_invalid_value"),
        ("feeds:\n  - url: https://a.example/\n    name: ../x\n", 3, 11, "feeds[0].name", "config_invalid_value"),
        ("feeds: https://a.example/\n", 1, 8, "feeds", "config_wrong_type"),
        ("filters:\n  block:\n    title: [\"(unclosed\"]\n", 3, 13, "filters.block.title[0]", "config_invalid_value"),
        ("filters:\n  drop:\n    title: [x]\n", 2, 3, "filters.drop", "config_unknown_key"),
        ("filters:\n  block:\n    body: [x]\n", 3, 5, "filters.block.body", "config_unknown_key"),
        (
            "feeds:\n  - url: https://a.example/\n    filters:\n      keep:\n        author: [\"[\"]\n", 5, 18,
            "feeds[0].filters.keep.author[0]", "config_invalid_value"
        ),
    ])
    func errorsNamePlaceAndKey(yaml: String, line: Int, column: Int, keyPath: String, kind: String) throws {
        let error = try parseError(yaml)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.keyPath == keyPath)
        #expect(error.shortDescription == kind)
        #expect(error.description.hasPrefix("tidings.yml:\(line):\(column): \(keyPath): "))
    }

    @Test func durationMessageReadsWell() throws {
        let error = try parseError("feeds:\n  - url: https://a.example/\n    interval: soon\n")
        #expect(
            error.description
                == "tidings.yml:3:15: feeds[0].interval: expected a duration like 30s, 15m, 2h or 1d, got \"soon\"")
    }

    @Test func duplicateSpelledDifferentlyNamesTheFirstSpelling() throws {
        let error = try parseError("feeds:\n  - url: https://a.example/x\n  - url: HTTPS://A.example/x#top\n")
        #expect(
            error.description
                == "tidings.yml:3:5: feeds[1]: the feed \"HTTPS://A.example/x#top\" is listed already as feeds[0] "
                + "(\"https://a.example/x\")")
    }

    @Test("a duration past 100 years is refused with the limit, in every duration key; 100 years is kept")
    func durationsAreBounded() throws {
        for key in ["fetch:\n  timeout", "fetch:\n  connect_timeout", "fetch:\n  max_interval", "output:\n  max_age"] {
            let error = try parseError("\(key): 99999999999999999d\n")
            #expect(error.shortDescription == "config_invalid_value")
            #expect(
                error.description.hasSuffix(
                    "expected a duration of at most 36500d (100 years), got \"99999999999999999d\""))
        }
        let feed = try parseError("feeds:\n  - url: https://a.example/\n    interval: 36501d\n")
        #expect(feed.keyPath == "feeds[0].interval")
        let kept = try TidingsConfiguration.parse(yaml: "fetch:\n  timeout: 36500d\n", file: "t.yml")
        #expect(kept.fetch.timeout == 36_500 * 86_400)
    }

    @Test func syntaxErrorsHaveALine() throws {
        let error = try parseError("feeds:\n  - url: [unclosed\n")
        #expect(error.line != nil)
        #expect(error.shortDescription == "config_syntax")
        #expect(error.description.hasPrefix("tidings.yml:"))
        let duplicate = try parseError("database: a\ndatabase: b\n")
        #expect(duplicate.line != nil)
    }

    @Test(arguments: [
        ("30s", 30.0), ("15m", 900), ("2h", 7200), ("1d", 86_400), ("1h30m", 5400), ("45", 45), ("1.5", 1.5),
        ("1d2h3m4s", 93_784),
    ])
    func durations(text: String, seconds: Double) throws {
        let c = try TidingsConfiguration.parse(yaml: "fetch:\n  timeout: \(text)\n", file: "t.yml")
        #expect(c.fetch.timeout == seconds)
    }

    @Test(arguments: ["30m1h", "h", "1x", "-5s", "0", "1.5.2s", "1 d"])
    func badDurations(text: String) throws {
        let error = try parseError("fetch:\n  timeout: \"\(text)\"\n")
        #expect(error.keyPath == "fetch.timeout")
    }

    @Test(arguments: [
        ("20MiB", 20_971_520), ("512KiB", 524_288), ("1GB", 1_000_000_000), ("1000", 1000), ("2 mb", 2_000_000),
        ("1.5KiB", 1536),
    ])
    func sizes(text: String, bytes: Int) throws {
        let c = try TidingsConfiguration.parse(yaml: "fetch:\n  max_body: \(text)\n", file: "t.yml")
        #expect(c.fetch.maxBody == bytes)
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("tidings.yml")
        try Data(("\u{FEFF}" + Self.fullExample).utf8).write(to: good)
        #expect(try TidingsConfiguration.load(path: good.path).feeds.count == 3)
        let bad = directory.appendingPathComponent("bad.yml")
        try Data("fetch:\n  per_hots: 3\n".utf8).write(to: bad)
        let error = try #require(throws: ConfigurationError.self) { try TidingsConfiguration.load(path: bad.path) }
        #expect(error.description.hasPrefix("\(bad.path):2:3: fetch.per_hots: "))
        let missing = try #require(throws: ConfigurationError.self) {
            try TidingsConfiguration.load(path: directory.appendingPathComponent("none.yml").path)
        }
        #expect(missing.shortDescription == "config_unreadable")
    }
}
