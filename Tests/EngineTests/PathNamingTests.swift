import Engine
import Foundation
import Publishing
import Testing
import TidingsModel

/// The `{id}` and `{feed}` tokens name files: they must not change between versions,
/// or a path template using them would publish every entry again under a new name.
@Suite("Names the path template uses")
struct PathNamingTests {
    @Test("An entry's id token is FNV-1a of the feed URL, a line feed and the key")
    func entryTokenIsStable() {
        #expect(
            EntryPublisher.entryToken(feedURL: "https://example.com/feed.xml", key: "urn:uuid:1") == "0e6d5ad18701358a")
        #expect(
            EntryPublisher.entryToken(feedURL: "a", key: "b") != EntryPublisher.entryToken(feedURL: "a\nb", key: ""))
    }

    @Test("A feed's name is its configured name, else its host and path")
    func feedName() {
        #expect(EntryPublisher.feedName(FeedSubscription(url: "https://example.com/a/b.xml", name: "World")) == "World")
        #expect(EntryPublisher.feedName(FeedSubscription(url: "https://example.com/a/b.xml")) == "example.com-a-b.xml")
        #expect(EntryPublisher.feedName(FeedSubscription(url: "https://example.com/")) == "example.com")
        #expect(EntryPublisher.feedName(FeedSubscription(url: "not a url")) == "feed")
    }

    @Test("Many tasks preparing slugs of a new script at once meet it, and the paths stay what they were")
    func prepareSlugsConcurrently() async throws {
        let harness = try Harness()
        let publisher = harness.refresher.publisher
        // Tamil and Thaana: scripts no other test slugs.
        let titles = ["வணக்கம் உலகம்", "ދިވެހިރާއްޖެ ޚަބަރު", "உலகம் செய்தி", "Plain title"]
        #expect(titles.prefix(3).allSatisfy(Slug.needsFirstRomanization))
        let feed = try #require(try await harness.configure([FeedSubscription(url: "https://example.com/feed")]).first)
        let entries = titles.enumerated().map { ProcessedEntry(key: "k\($0.offset)", title: $0.element) }
        let expected = publisher.proposedPaths(for: entries, of: feed, at: harness.clock.now)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { await publisher.prepareSlugs(forTitles: titles) } }
        }
        #expect(!titles.contains(where: Slug.needsFirstRomanization))
        #expect(publisher.proposedPaths(for: entries, of: feed, at: harness.clock.now) == expected)
        #expect(expected.values.allSatisfy { $0.allSatisfy(\.isASCII) } && expected.count == 4)
        await harness.cleanUp()
    }

    @Test("Without a {slug} in the template, no title is romanized ahead")
    func prepareSlugsWithoutSlugToken() async throws {
        let harness = try Harness(output: OutputOptions(pathTemplate: "{year}/{id}.md"))
        let title = "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ"  // Mongolian: no other test slugs it
        await harness.refresher.publisher.prepareSlugs(forTitles: [title])
        #expect(Slug.needsFirstRomanization(title))
        await harness.cleanUp()
    }
}
