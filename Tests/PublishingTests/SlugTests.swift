import Foundation
import Testing

@testable import Publishing

@Suite("Slug")
struct SlugTests {
    @Test(
        "Titles transliterate to lowercase ASCII words",
        arguments: [
            ("Bukele challenges Hillary Clinton", "bukele-challenges-hillary-clinton"),
            (
                "Pope's Christmas message: \"Peace is possible\" & other highlights",
                "popes-christmas-message-peace-is-possible-other-highlights"
            ),
            ("El Salvador\u{2019}s CECOT", "el-salvadors-cecot"),
            ("Crème Brûlée à la carte", "creme-brulee-a-la-carte"),
            ("Cre\u{300}me decomposed", "creme-decomposed"),
            ("Straße", "strasse"),
            ("Æsir øl œuvre", "aesir-ol-oeuvre"),
            ("Đakovo Łódź Þingvellir", "dakovo-lodz-thingvellir"),
            ("Ĳssel ﬁnal ①", "ijssel-final-1"),
            ("Москва", "moskva"),
            ("Ελλάδα", "ellada"),
            ("  --Hello,  World!!--  ", "hello-world"),
            ("C++ & C# 2.0", "c-c-2-0"),
            ("../../etc/passwd", "etc-passwd"),
            ("a/b\\c", "a-b-c"),
            ("UPPER lower 123", "upper-lower-123"),
        ]
    )
    func transliteration(title: String, expected: String) {
        #expect(Slug.make(title) == expected)
    }

    @Test("Nothing left gives \"untitled\"", arguments: ["", " ", "...", "..", ".", "---", "😀🎉", "\u{0}\n", "#?&"])
    func untitled(title: String) {
        #expect(Slug.make(title) == "untitled")
        #expect(Slug.makeIfAny(title) == nil)
    }

    @Test("Chinese, Japanese and Korean are romanized rather than dropped")
    func cjk() {
        #expect(Slug.make("北京欢迎你") == "bei-jing-huan-ying-ni")
        #expect(Slug.make("안녕하세요") == "annyeonghaseyo")
        #expect(!Slug.make("こんにちは").isEmpty && Slug.make("こんにちは") != "untitled")
    }

    @Test("Every slug is [a-z0-9-], has no leading, trailing or double hyphen, and fits the limit")
    func shape() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let title = YAMLRoundTripTests.randomString(&rng)
            let limit = Int.random(in: 1...100, using: &rng)
            let slug = Slug.make(title, maxLength: limit)
            #expect(!slug.isEmpty)
            #expect(slug.utf8.count <= max(limit, 1), "\(visible(title)) → \(slug) over \(limit)")
            #expect(slug.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D })
            #expect(!slug.hasPrefix("-") && !slug.hasSuffix("-") && !slug.contains("--"))
        }
    }

    @Test("Long titles are cut at a word boundary within the byte limit")
    func lengthLimit() {
        let title = String(repeating: "word ", count: 40)
        let slug = Slug.make(title)
        #expect(slug.utf8.count <= 80)
        #expect(slug.hasSuffix("word"))
        #expect(Slug.make(String(repeating: "é", count: 200)).utf8.count == 80)
        #expect(Slug.make("abcdef ghijkl", maxLength: 10) == "abcdef")
        #expect(Slug.make("abcdefghijkl", maxLength: 10) == "abcdefghij")
        #expect(Slug.make("abcdefghij klm", maxLength: 10) == "abcdefghij")
        #expect(Slug.make("ab cdefghijkl", maxLength: 10) == "ab-cdefghi")
        #expect(Slug.make("", maxLength: 0) == "u")
        #expect(Slug.make("abc", maxLength: -5) == "a")
    }

    @Test("The fallback transliteration table covers letters that do not decompose")
    func fallbackTable() {
        let ascii = Slug.fallbackTransliteration("Straße Æsir øl œuvre đ ł þ é")
        #expect(ascii == "Strasse AEsir ol oeuvre d l th e")
    }
}

@Suite("ContentPathTemplate")
struct ContentPathTemplateTests {
    static let date = Date(timeIntervalSince1970: 1_766_511_910)  // 2025-12-23 17:45:10 UTC
    static let utc = TimeZone(identifier: "UTC")!

    func path(
        _ template: String, title: String = "Hello World", id: String = "tag:x,2025:1",
        feed: String = "Fox News World", timeZone: TimeZone = utc, attempt: Int = 0
    ) throws -> String {
        try ContentPathTemplate(template).path(
            title: title, date: Self.date, id: id, feed: feed, timeZone: timeZone, attempt: attempt)
    }

    @Test("The default template gives year/month/slug.md")
    func defaultTemplate() throws {
        #expect(try path(OutputOptions().pathTemplate) == "2025/12/hello-world.md")
    }

    @Test("Every token is replaced; id and feed are slugified")
    func tokens() throws {
        #expect(
            try path("{feed}/{year}-{month}-{day}/{id}/{slug}.md")
                == "fox-news-world/2025-12-23/tag-x-2025-1/hello-world.md")
    }

    @Test("Date tokens are taken in the configured time zone")
    func timeZone() throws {
        let kiritimati = try #require(TimeZone(identifier: "Pacific/Kiritimati"))
        #expect(try path("{year}/{month}/{day}.md", timeZone: kiritimati) == "2025/12/24.md")
        let newYear = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC
        let template = try ContentPathTemplate("{year}/{month}/{day}/{slug}.md")
        let inNewYork = template.path(
            title: "t", date: newYear, id: "i", feed: "f", timeZone: TimeZone(identifier: "America/New_York")!,
            attempt: 0)
        #expect(inNewYork == "2025/12/31/t.md")
    }

    @Test("Collisions number the slug from -2")
    func collisions() throws {
        #expect(try path("{year}/{slug}.md", attempt: 1) == "2025/hello-world-2.md")
        #expect(try path("{year}/{slug}.md", attempt: 2) == "2025/hello-world-3.md")
        #expect(try path("{year}/{id}.md", attempt: 1) == "2025/tag-x-2025-1-2.md")
        #expect(try path("{year}/{id}", attempt: 3) == "2025/tag-x-2025-1-4")
    }

    @Test("A title with no letters falls back to the id's slug")
    func fallbackToID() throws {
        #expect(try path("{slug}.md", title: "😀😀", id: "https://e.com/a/123") == "https-e-com-a-123.md")
        #expect(try path("{slug}.md", title: "", id: "") == "untitled.md")
    }

    @Test("Hostile titles, ids and feeds never leave the folder")
    func hostileValues() throws {
        for hostile in ["..", "../..", "/etc/passwd", "a/../../b", ".", "~root", "\u{0}", "..\\..", "%2e%2e"] {
            let result = try path("{feed}/{id}/{slug}.md", title: hostile, id: hostile, feed: hostile)
            let segments = result.split(separator: "/", omittingEmptySubsequences: false)
            #expect(!result.hasPrefix("/"))
            #expect(segments.count == 3)
            #expect(!segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }, "\(result)")
        }
    }

    @Test(
        "Bad templates are refused",
        arguments: [
            "", "/abs/{slug}.md", "~/{slug}.md", "../{slug}.md", "a/../{slug}.md", "./{slug}.md", "a//{slug}.md",
            "{year}/", "{slug", "slug}", "{title}.md", "{Year}/{slug}.md", "{}/{slug}.md", "a\\b/{slug}.md",
            "a\u{0}/{slug}.md", "{year}/{month}/..",
        ]
    )
    func badTemplates(template: String) {
        #expect(throws: PublishingError.self) { try ContentPathTemplate(template) }
    }

    @Test("The error names the unknown token and the known ones")
    func unknownTokenMessage() {
        do {
            _ = try ContentPathTemplate("{year}/{title}.md")
            Issue.record("no error")
        } catch let error as PublishingError {
            #expect(error.shortDescription == "invalid_path_template")
            #expect(error.description.contains("{title}"))
            #expect(error.description.contains("{slug}"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Literal text is kept")
    func literals() throws {
        #expect(try path("posts-{year}/{slug}.html") == "posts-2025/hello-world.html")
        #expect(try path("static") == "static")
    }
}
