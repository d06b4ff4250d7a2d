import Foundation
import Synchronization
import TestSupport
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
        var rng = SplitMix(seed: 42)
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

    @Test("The scalar-by-scalar path romanizes every character as the general path does")
    func scalarPathAgrees() throws {
        // Every scalar of the blocks the scalar path takes (the large ones sampled),
        // each on its own.
        var singles: [UInt32] = []
        for range: ClosedRange<UInt32> in [0x180...0x52F, 0x1E00...0x1EFF, 0x3000...0x30FF, 0xFF01...0xFF5E] {
            singles += Array(range)
        }
        singles += Array(stride(from: UInt32(0x3400), through: 0x9FFF, by: 97))
        singles += Array(stride(from: UInt32(0xAC00), through: 0xD7A3, by: 53))
        for value in singles {
            let text = String(Unicode.Scalar(value)!)
            #expect(
                Slug.asciiTransliteration(text) == Slug.clusterTransliteration(text),
                "U+\(String(value, radix: 16, uppercase: true))")
        }
        // The emoji the scalar path turns into spaces have no letter or digit when
        // romanized: every one of them, on its own.
        var pictographs: [UInt32] = []
        for range: ClosedRange<UInt32> in [
            0x1F1E6...0x1F1FF, 0x1F300...0x1F3FA, 0x1F400...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,
            0x1FA70...0x1FAFF,
            0x2600...0x27BF,
        ] {
            pictographs += Array(range)
        }
        #expect(pictographs.allSatisfy(Slug.isPictograph))
        for value in pictographs {
            let text = String(Unicode.Scalar(value)!)
            #expect(
                Slug.slug(ofRomanized: Slug.clusterTransliteration(text), maxLength: 80) == nil,
                "U+\(String(value, radix: 16, uppercase: true))")
        }
        // Mixed texts, with what the scalar path must leave to the general one:
        // combining marks (Latin, Cyrillic, kana, CJK tone marks), joiners, Hangul
        // jamo, variation selectors, half-width sound marks, keycaps, other scripts;
        // and emoji with their modifiers, joiners and tags.
        let breakers: [UInt32] = [
            0x301, 0x306, 0x483, 0x3099, 0x302A, 0x200D, 0x200C, 0xFE0F, 0xFE0E, 0x1100, 0x1161, 0x11A8, 0xFF9E,
            0x20E3, 0x1F600, 0x1F1EB, 0x1F3FB, 0x1F3FF, 0xE0067, 0xE007F, 0x2764, 0x1F468, 0x1F4BB, 0x627, 0x64B,
            0xE01, 0xE31, 0x915, 0x93F, 0x80, 0x2028, 0x2122, 0x2460, 0x1F100, 0x1F130, 0xD, 0xA,
        ]
        let pool =
            singles + Array(0x20...0x7E) + Array(0xA0...0x17F) + Array(0x2010...0x2027) + breakers
            + pictographs.filter { $0 % 31 == 0 }
        var rng = SplitMix(seed: 7)
        var general = 0
        for _ in 0..<20000 {
            let count = Int.random(in: 1...12, using: &rng)
            var text = ""
            for _ in 0..<count {
                // One in five scalars from the breakers, so most texts have none.
                let value =
                    Int.random(in: 0..<5, using: &rng) == 0
                    ? breakers.randomElement(using: &rng)! : pool.randomElement(using: &rng)!
                text.unicodeScalars.append(Unicode.Scalar(value)!)
            }
            let expected = Slug.slug(ofRomanized: Slug.clusterTransliteration(text), maxLength: 40)
            if let fast = Slug.scalarTransliteration(text) {
                #expect(
                    Slug.slug(ofRomanized: String(decoding: fast, as: UTF8.self), maxLength: 40) == expected,
                    "\(visible(text))")
            } else {
                general += 1
            }
            #expect(Slug.makeIfAny(text, maxLength: 40) == expected, "\(visible(text))")
        }
        // Both paths were exercised.
        #expect(general > 2000 && general < 18000, "\(general) texts took the general path")
    }

    @Test("The fallback transliteration table covers letters that do not decompose")
    func fallbackTable() {
        let ascii = Slug.fallbackTransliteration("Straße Æsir øl œuvre đ ł þ é")
        #expect(ascii == "Strasse AEsir ol oeuvre d l th e")
    }

    @Test("Threads transliterating at once get what one thread gets, a new script's rules loading or not")
    func concurrentTransliteration() {
        // Each script's first character loads its rules into the instance that meets
        // it; the instances are shared by every thread.
        let texts = [
            "北京欢迎你", "Добро пожаловать", "Καλημέρα κόσμε", "こんにちは世界", "안녕하세요", "مرحبا بالعالم",
            "שלום עולם", "สวัสดีชาวโลก", "नमस्ते दुनिया", "Crème brûlée à Paris", "上海浦东新区", "東京タワー",
        ]
        let results = Mutex([String?](repeating: nil, count: texts.count * 8))
        DispatchQueue.concurrentPerform(iterations: texts.count * 8) { index in
            let text = texts[(index * 5) % texts.count]
            let romanized = ASCIITransliterator.shared.transliterate(text)
            results.withLock { $0[index] = romanized }
        }
        let serial = texts.map { ASCIITransliterator.shared.transliterate($0) }
        let concurrent = results.withLock { $0 }
        for index in concurrent.indices {
            #expect(concurrent[index] == serial[(index * 5) % texts.count], "\(texts[(index * 5) % texts.count])")
        }
        #expect(serial[0] == "bei jing huan ying ni")
        #expect(serial.allSatisfy { $0 != nil })
    }

    @Test("Titles that never reach ICU never need a first romanization")
    func noFirstRomanization() {
        for title in ["Plain ASCII", "Crème brûlée – à Paris…", "Straße Łódź", "😀 🎉 party", ""] {
            #expect(!Slug.needsFirstRomanization(title), "\(title)")
        }
    }

    @Test("A script is met once: romanized ahead, its titles need no first romanization, and slug the same")
    func romanizedAhead() {
        // Armenian and Georgian: scripts no other test slugs.
        let title = "Բարեւ աշխարհ გამარჯობა"
        let alsoMet = "աշխարհ Բարեւ"
        #expect(Slug.needsFirstRomanization(title))
        let before = Slug.make(title)
        Slug.romanizeAhead(title)
        #expect(!Slug.needsFirstRomanization(title))
        #expect(!Slug.needsFirstRomanization(alsoMet))
        #expect(Slug.needsFirstRomanization("აბგ Ժ"))
        #expect(Slug.make(title) == before)
        #expect(before.allSatisfy { $0.isASCII } && before.count > 5)
        // Only the slugged start of a title counts.
        #expect(!Slug.needsFirstRomanization(String(repeating: "a", count: 400) + " ჰ"))
    }

    @Test("One pass over Latin titles gives the slug the romanized text gives")
    func latinSlugMatchesRomanizedSlug() {
        let latin: [String] = [
            "a", "Z", "9", " ", "  ", "-", "'", "\u{2019}", ":", "\"", "é", "Ü", "ß", "Æ", "ø", "Ł", "đ", "ŉ", "ſ",
            "\u{A0}", "½",
            "©", "\u{2014}", "\u{2026}", "\u{2030}", "\u{2044}", "\u{205E}", "\u{17F}", "\u{100}", "word", "Word", "x1",
        ]
        // Other scripts, for the general path (the one-pass slug must decline them).
        let others = ["\u{4E2D}", "д", "Ω", "\u{1F600}", "e\u{301}", "\u{2060}", "\u{180}"]
        var rng = SplitMix(state: 0x5106)
        var declined = 0
        for round in 0..<3_000 {
            var title = ""
            let pieces = rng.below(4) == 0 ? 200 + rng.below(200) : 1 + rng.below(40)
            for _ in 0..<pieces {
                title += rng.below(50) == 0 ? others[rng.below(others.count)] : latin[rng.below(latin.count)]
            }
            let maxLength = [0, 1, 2, 3, 7, 20, 80][round % 7]
            let expected = Slug.romanizedSlug(title, maxLength: maxLength)
            if let latin = Slug.latinSlug(title, maxLength: maxLength) {
                #expect(latin == expected, "\(title.debugDescription), \(maxLength)")
            } else {
                declined += 1
            }
            #expect(Slug.makeIfAny(title, maxLength: maxLength) == expected, "\(title.debugDescription), \(maxLength)")
        }
        // Both kinds of title were met.
        #expect(declined > 100 && declined < 2_900)
        #expect(Slug.latinSlug("Crème Brûlée à la carte", maxLength: 80) == "creme-brulee-a-la-carte")
        #expect(Slug.latinSlug("\u{4E2D}\u{6587}", maxLength: 80) == nil)
        #expect(Slug.latinSlug("\u{2014}!", maxLength: 80) == .some(nil))
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
