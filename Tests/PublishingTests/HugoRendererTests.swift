import Foundation
import TestSupport
import Testing
import TidingsModel

@testable import Publishing

@Suite("HugoRenderer")
struct HugoRendererTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2025-12-23 17:45:10 UTC, the Bukele entry's `Tue, 23 Dec 2025 12:45:10 -0500`.
    static let bukeleDate = Date(timeIntervalSince1970: 1_766_511_910)
    /// 2025-12-25 12:30:00 UTC, the Pope entry's `Thu, 25 Dec 2025 07:30:00 -0500`.
    static let popeDate = Date(timeIntervalSince1970: 1_766_665_800)

    @Test("Bukele page renders byte for byte as the golden file")
    func bukeleGolden() throws {
        let golden = try Golden.bytes("bukele-expected.md")
        let body = try #require(Golden.body(of: golden))
        let page = HugoPage(
            title: "Bukele challenges Hillary Clinton to take El Salvador's entire prison population after criticism",
            date: Self.bukeleDate,
            description:
                "Bukele challenged Hillary Clinton\u{2019}s allegations of torture at El Salvador\u{2019}s CECOT prison, "
                + "offering to release inmates if other countries accept them.",
            image: "",
            link:
                "https://www.foxnews.com/world/bukele-challenges-hillary-clinton-take-el-salvadors-entire-prison-population-criticism",
            source: "https://feeds.foxnews.com/foxnews/world",
            draft: false,
            body: body
        )
        let rendered = HugoRenderer.render(page, dateStyle: .date, timeZone: Self.utc)
        #expect(Array(rendered.utf8) == golden)
    }

    @Test("Pope page renders byte for byte as the golden file")
    func popeGolden() throws {
        let golden = try Golden.bytes("pope-expected.md")
        let body = try #require(Golden.body(of: golden))
        let page = HugoPage(
            title: "Pope's Christmas message: \"Peace is possible\" & other highlights",
            date: Self.popeDate,
            description: "The pope urged leaders to choose dialogue & compassion during his first Christmas address.",
            image:
                "https://a57.foxnews.com/static.foxnews.com/foxnews.com/content/uploads/2025/12/931/523/pope-balcony.jpg?ve=1&tl=1",
            link: "https://www.foxnews.com/world/pope-christmas-message-peace-possible",
            source: "https://feeds.foxnews.com/foxnews/world",
            draft: false,
            body: body
        )
        let rendered = HugoRenderer.render(page, dateStyle: .date, timeZone: Self.utc)
        #expect(Array(rendered.utf8) == golden)
    }

    @Test("A page built from a ProcessedEntry writes missing image and link as empty strings")
    func fromProcessedEntry() {
        let entry = ProcessedEntry(key: "k", title: "T", description: "D", body: "<p>b</p>")
        let page = HugoPage(entry: entry, source: "https://example.com/feed", date: Self.bukeleDate, draft: true)
        let rendered = HugoRenderer.render(page, dateStyle: .date, timeZone: Self.utc)
        #expect(
            rendered == """
                ---
                title: "T"
                date: 2025-12-23
                description: "D"
                image: ""
                link: ""
                source: "https://example.com/feed"
                draft: true
                ---
                <p>b</p>

                """)
    }

    @Test(
        "Dates are written in the configured zone, date-only or RFC 3339 with the zone's offset",
        arguments: [
            ("UTC", OutputOptions.DateStyle.date, "2025-12-23"),
            ("UTC", .datetime, "2025-12-23T17:45:10Z"),
            ("America/New_York", .datetime, "2025-12-23T12:45:10-05:00"),
            ("Asia/Kolkata", .datetime, "2025-12-23T23:15:10+05:30"),
            ("Pacific/Kiritimati", .date, "2025-12-24"),
            ("Pacific/Kiritimati", .datetime, "2025-12-24T07:45:10+14:00"),
            ("Pacific/Pago_Pago", .date, "2025-12-23"),
        ]
    )
    func dates(zone: String, style: OutputOptions.DateStyle, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let page = HugoPage(title: "t", date: Self.bukeleDate.addingTimeInterval(0.75))
        let rendered = HugoRenderer.render(page, dateStyle: style, timeZone: timeZone)
        #expect(rendered.split(separator: "\n")[2] == "date: \(expected)")
    }

    @Test(
        "YAML quoting escapes exactly what must be escaped",
        arguments: [
            ("", #""""#),
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("line\nbreak\r\n\ttab", #""line\nbreak\r\n\ttab""#),
            ("\u{0}\u{7}\u{8}\u{B}\u{C}\u{1B}", #""\0\a\b\v\f\e""#),
            ("\u{1}\u{1F}\u{7F}\u{80}\u{85}\u{9F}", #""\x01\x1F\x7F\x80\x85\x9F""#),
            ("\u{2028}\u{2029}\u{FEFF}\u{FFFE}\u{FFFF}", #""\u2028\u2029\uFEFF\uFFFE\uFFFF""#),
            ("El Salvador\u{2019}s caf\u{E9}\u{A0}\u{1F600}", "\"El Salvador\u{2019}s caf\u{E9}\u{A0}\u{1F600}\""),
            ("'single' # : - { } [ ] & * ! | > % @ `", "\"'single' # : - { } [ ] & * ! | > % @ `\""),
        ]
    )
    func quoting(input: String, expected: String) {
        #expect(HugoRenderer.yamlQuoted(input) == expected)
    }

    @Test("The body is written verbatim, followed by one newline")
    func bodyVerbatim() {
        let body = "<pre>a&#10;&#10;b</pre><p>\u{A0}&amp;</p>"
        let rendered = HugoRenderer.render(
            HugoPage(title: "t", date: Self.bukeleDate, body: body), dateStyle: .date, timeZone: Self.utc)
        #expect(rendered.hasSuffix("\n---\n" + body + "\n"))
    }

    @Test("Calendar fields by arithmetic equal Foundation's Gregorian calendar from 1582-10-15 on, in any zone")
    func calendarPartsMatchFoundation() throws {
        let zones = try [
            "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Berlin",
            "America/St_Johns", "Pacific/Kiritimati",
        ].map { try #require(TimeZone(identifier: $0)) }
        var generator = SplitMix(seed: 0x7469_6469_6E67_73)
        var instants: [Double] = [
            -12_219_292_800, -12_219_292_799, -12_219_206_400, 0, -1, -0.25, 951_782_400, 951_868_799.5,
            4_107_456_000, 4_107_542_399, 1_766_511_910.75, 253_402_300_799,
        ]
        for _ in 0..<4000 {
            // 1583 to 2400, with fractions of a second.
            instants.append(Double(generator.next() % 26_000_000_000) / 2 - 12_100_000_000 + 0.5)
        }
        for zone in zones {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for instant in instants {
                let date = Date(timeIntervalSince1970: instant)
                let parts = CalendarParts(date, timeZone: zone)
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                if Double(zone.secondsFromGMT(for: date)) + instant.rounded(.down) < -12_219_292_800 { continue }
                #expect(
                    [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second]
                        == [c.year, c.month, c.day, c.hour, c.minute, c.second],
                    "\(instant) in \(zone.identifier)")
            }
        }
    }

    @Test("The rendered bytes are the fields assembled in order, for plain and escaped values")
    func renderedBytesMatchTheFields() {
        var generator = SplitMix(seed: 42)
        // Every class of escape, the characters next to them that need none, and runs
        // of ASCII long enough to be checked eight bytes at a time.
        let pieces = [
            "plain", "caf\u{E9}", "\"quoted\"", "back\\slash", "tab\t", "\u{2028}", "# : -", "\u{1F600}", "",
            "\u{0}", "\u{7}", "\u{1B}", "\r\n", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{FF}",
            "\u{2027}", "\u{2029}", "\u{202A}", "\u{FEFF}", "\u{FEFE}", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}",
            "\u{10000}", "abcdefghijklmnopqrstuvwxyz", "0123456789 !#$%&'()*+,-./:;<=>?@[]^_`{|}~",
            "Москва \u{4E2D}\u{6587}", String(repeating: "x", count: 7),
        ]
        func pick() -> String {
            (0..<Int(generator.next() % 6)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
                .joined()
        }
        for round in 0..<1000 {
            let page = HugoPage(
                title: pick(), date: Date(timeIntervalSince1970: Double(generator.next() % 4_000_000_000)),
                description: pick(), image: pick(), link: pick(), source: pick(), draft: round % 2 == 0,
                body: "<p>" + pick() + "</p>")
            for style in [OutputOptions.DateStyle.date, .datetime] {
                let expected =
                    "---\ntitle: \(HugoRenderer.yamlQuoted(page.title))\n"
                    + "date: \(HugoRenderer.formatDate(page.date, style: style, timeZone: Self.utc))\n"
                    + "description: \(HugoRenderer.yamlQuoted(page.description))\n"
                    + "image: \(HugoRenderer.yamlQuoted(page.image))\nlink: \(HugoRenderer.yamlQuoted(page.link))\n"
                    + "source: \(HugoRenderer.yamlQuoted(page.source))\ndraft: \(page.draft)\n---\n\(page.body)\n"
                #expect(HugoRenderer.renderBytes(page, dateStyle: style, timeZone: Self.utc) == Array(expected.utf8))
            }
        }
    }
}
