import Engine
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
}
