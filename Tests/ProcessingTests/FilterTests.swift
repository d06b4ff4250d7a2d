import Foundation
import Processing
import Testing
import TidingsModel

@Suite struct FilterTests {
    let processor = EntryProcessor()
    let entries = [
        Entry(
            id: "1", title: "Sponsored: buy now", link: "https://example.com/ads/1", content: "<p>Great deals</p>",
            authors: [Author(name: "Ad Team", email: "ads@example.com")], categories: [Category(term: "Promo")]),
        Entry(
            id: "2", title: "World news", link: "https://example.com/world/2", summary: "<p>Peace talks</p>",
            content: "<p>Leaders met <b>today</b></p>", authors: [Author(name: "Jane Roe")],
            categories: [Category(term: "World"), Category(term: "Europe")]),
        Entry(
            id: "3", title: "Video of the day", link: "https://example.com/video/3", content: "<p>Watch</p>",
            authors: [Author(email: "video@example.com")], categories: [Category(term: "Media")]),
    ]

    func keptIDs(_ rules: [FilterRule]) throws -> [String] {
        let result = processor.process(
            Feed(format: .rss20, entries: entries), feedURL: "https://example.com/feed",
            filters: try CompiledFilters(rules), fetchedAt: Date())
        #expect(result.entries.count + result.filteredOut == entries.count)
        return result.entries.map(\.key)
    }

    @Test func noRulesKeepsEverything() throws {
        #expect(try keptIDs([]) == ["1", "2", "3"])
    }

    @Test(arguments: [
        (FilterField.title, "sponsored", ["2", "3"]),
        (.content, "LEADERS", ["1", "3"]),
        (.content, "peace talks", ["1", "3"]),
        (.link, "/video/", ["1", "2"]),
        (.author, "^ad team$", ["2", "3"]),
        (.author, "video@example\\.com", ["1", "2"]),
        (.category, "^europe$", ["1", "3"]),
        (.category, "^euro$", ["1", "2", "3"]),
    ])
    func blockPerField(field: FilterField, pattern: String, expected: [String]) throws {
        #expect(try keptIDs([FilterRule(action: .block, field: field, pattern: pattern)]) == expected)
    }

    @Test(arguments: [
        (FilterField.title, "news|video", ["2", "3"]),
        (.content, "deals", ["1"]),
        (.link, "example\\.com/world", ["2"]),
        (.author, "jane", ["2"]),
        (.category, "^media$", ["3"]),
    ])
    func keepPerField(field: FilterField, pattern: String, expected: [String]) throws {
        #expect(try keptIDs([FilterRule(action: .keep, field: field, pattern: pattern)]) == expected)
    }

    @Test func globalAndFeedRulesCombine() throws {
        let global = [FilterRule(action: .keep, field: .category, pattern: "world|media")]
        let feed = [
            FilterRule(action: .keep, field: .title, pattern: "sponsored"),
            FilterRule(action: .block, field: .link, pattern: "/video/"),
        ]
        // Keep rules from both places: matching any keeps; any block drops.
        #expect(try keptIDs(global + feed) == ["1", "2"])
        #expect(try keptIDs(global) == ["2", "3"])
    }

    @Test func blockWinsOverKeep() throws {
        let rules = [
            FilterRule(action: .keep, field: .title, pattern: "."),
            FilterRule(action: .block, field: .category, pattern: "promo"),
        ]
        #expect(try keptIDs(rules) == ["2", "3"])
    }

    @Test func badPatternIsAnError() throws {
        let rule = FilterRule(action: .block, field: .title, pattern: "([unclosed")
        let error = try #require(throws: ProcessingError.self) { try CompiledFilters([rule]) }
        #expect(error.description.contains("([unclosed"))
        #expect(error.description.contains("title"))
        #expect(error.shortDescription == "invalid_filter_pattern")
    }
}
