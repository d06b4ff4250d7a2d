import Foundation
import HTMLSanitizing
import Processing
import Testing
import TidingsModel

@Suite struct EntryProcessorTests {
    let processor = EntryProcessor()
    let feedURL = "https://example.com/feed.xml"
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    func process(_ entries: [Entry], filters: CompiledFilters = .none) -> ProcessingResult {
        processor.process(Feed(format: .rss20, entries: entries), feedURL: feedURL, filters: filters, fetchedAt: now)
    }

    @Test func keyIsGUIDThenLinkThenTitleAndDate() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let result = process([
            Entry(id: "urn:uuid:1", title: "A", link: "https://example.com/a"),
            Entry(title: "B", link: "https://example.com/b"),
            Entry(title: "C", published: date),
            Entry(title: "D", published: date),
            Entry(id: "  ", title: "E", link: "https://example.com/e"),
        ])
        let keys = result.entries.map(\.key)
        #expect(keys.count == 5)
        #expect(keys[0] == "urn:uuid:1")
        #expect(keys[1] == "https://example.com/b")
        #expect(keys[2].hasPrefix("hash:"))
        #expect(keys[2] != keys[3])
        #expect(keys[4] == "https://example.com/e")
        // Stable across runs: the same entry gets the same key again.
        #expect(process([Entry(title: "C", published: date)]).entries.first?.key == keys[2])
    }

    @Test func differentEntriesSharingAGUIDAreKeptApart() {
        let result = process([
            Entry(id: "1", title: "First", link: "https://example.com/first"),
            Entry(id: "1", title: "Second", link: "https://example.com/second"),
            Entry(id: "1", title: "Third"),
            Entry(id: "2", title: "Unique"),
        ])
        let keys = result.entries.map(\.key)
        #expect(keys.count == 4)
        #expect(keys[0] == "1#https://example.com/first")
        #expect(keys[1] == "1#https://example.com/second")
        #expect(keys[2].hasPrefix("1#"))
        #expect(Set(keys).count == 4)
        #expect(keys[3] == "2")
    }

    @Test func sameGUIDAndSameLinkStillDistinct() {
        let result = process([
            Entry(id: "1", title: "First", link: "https://example.com/x"),
            Entry(id: "1", title: "Second", link: "https://example.com/x"),
        ])
        #expect(result.entries.count == 2)
        #expect(Set(result.entries.map(\.key)).count == 2)
    }

    @Test func identicalDuplicatesCollapse() {
        let entry = Entry(id: "1", title: "Same", link: "https://example.com/a", content: "<p>x</p>")
        let result = process([entry, entry, Entry(id: "2", title: "Other")])
        #expect(result.entries.map(\.key) == ["1", "2"])
        #expect(result.filteredOut == 0)
    }

    @Test func futureDatesClampToFetchTime() {
        let result = process([
            Entry(id: "f", published: now.addingTimeInterval(86_400), updated: now.addingTimeInterval(90_000)),
            Entry(id: "p", published: now.addingTimeInterval(-60)),
            Entry(id: "u", updated: now.addingTimeInterval(-120)),
            Entry(id: "n"),
        ])
        #expect(result.entries[0].published == now)
        #expect(result.entries[0].updated == now)
        #expect(result.entries[1].published == now.addingTimeInterval(-60))
        #expect(result.entries[2].published == now.addingTimeInterval(-120))
        #expect(result.entries[3].published == nil)
    }

    @Test func aFutureDateDoesNotChangeTheDigestFromFetchToFetch() {
        let entry = Entry(id: "f", title: "Tomorrow", published: now.addingTimeInterval(86_400))
        let processor = EntryProcessor()
        let first = processor.process(entry, feedURL: "https://example.com/feed", fetchedAt: now)
        let later = processor.process(
            entry, feedURL: "https://example.com/feed", fetchedAt: now.addingTimeInterval(3600))
        #expect(first.published == now)
        #expect(later.published == now.addingTimeInterval(3600))
        #expect(first.contentHash == later.contentHash)
    }

    @Test func titleIsTrimmedAndCollapsed() {
        let result = process([Entry(id: "1", title: "  Breaking:\n\n  news \t here "), Entry(id: "2")])
        // (An entry with neither title nor text stays untitled.)
        #expect(result.entries[0].title == "Breaking: news here")
        #expect(result.entries[1].title == "")
    }

    @Test func anEntryWithoutATitleIsTitledWithTheStartOfItsText() {
        let post =
            "<p>Just shipped: <a href=\"https://example.com/x\">a new release</a> of the thing, "
            + "with faster builds and fewer surprises for everyone involved.</p>"
        let result = process([
            Entry(id: "1", summary: post),
            Entry(id: "2", title: " \n ", content: "<p>Short <b>post</b></p>"),
            Entry(id: "3", summary: "<img src=\"/only-an-image.png\">", content: "<p>Text in the content</p>"),
            Entry(id: "4", link: "https://example.com/4"),
            Entry(id: "5", title: "Given", summary: post),
        ])
        #expect(
            result.entries[0].title
                == "Just shipped: a new release of the thing, with faster builds and fewer surprises…")
        #expect(result.entries[0].title.dropLast().count <= 80)
        #expect(result.entries[1].title == "Short post")
        #expect(result.entries[2].title == "Text in the content")
        #expect(result.entries[3].title == "")
        #expect(result.entries[4].title == "Given")
        // The made title is part of what is published and compared…
        #expect(
            result.entries[1].contentHash != process([Entry(id: "2", content: "<p>Other</p>")]).entries[0].contentHash)
        // …but keys come from the feed's own title: an untitled entry without guid or
        // link keeps the key it had before titles were made.
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let untitled = EntryProcessor(options: ProcessingOptions(untitledLimit: 0))
        let made = process([Entry(published: date, summary: "<p>Hello there</p>")]).entries[0]
        let plain = untitled.process(
            Entry(published: date, summary: "<p>Hello there</p>"), feedURL: feedURL, fetchedAt: now)
        #expect(made.title == "Hello there" && plain.title == "")
        #expect(made.key == plain.key)
    }

    @Test func bodyDescriptionAndImageFallbacks() {
        let result = process([
            Entry(id: "1", summary: "Only <b>summary</b>"),
            Entry(id: "2", content: "<p>Body <img src=\"/i.jpg\"></p>"),
            Entry(id: "3"),
            Entry(id: "4", summary: "<p>Sum</p>", content: "<p>Full</p>", image: "https://cdn.example.com/x.png"),
        ])
        #expect(result.entries[0].body == "<div>Only <b>summary</b></div>")
        #expect(result.entries[0].description == "Only summary")
        #expect(result.entries[1].description == "Body")
        #expect(result.entries[1].image == "https://example.com/i.jpg")
        #expect(result.entries[2].body == "")
        #expect(result.entries[2].description == "")
        #expect(result.entries[2].image == nil)
        #expect(result.entries[3].body == "<p>Full</p>")
        #expect(result.entries[3].description == "Sum")
        #expect(result.entries[3].image == "https://cdn.example.com/x.png")
    }

    @Test func descriptionIsCut() {
        let options = ProcessingOptions(descriptionLimit: 10)
        let entry = EntryProcessor(options: options).process(
            Entry(id: "1", summary: "one two three four five"), feedURL: feedURL, fetchedAt: now)
        #expect(entry.description == "one two…")
    }

    @Test func relativeURLsResolveAgainstContentBaseThenLinkThenFeed() {
        let html = "<p><a href=\"../b/c.html\">x</a> <img src=\"/img.png\"></p>"
        let result = process([
            Entry(
                id: "1", link: "https://news.example.org/2025/a.html", content: html,
                contentBase: "https://base.example.net/x/y/"),
            Entry(id: "2", link: "https://news.example.org/2025/a.html", content: html),
            Entry(id: "3", content: html),
            Entry(id: "4", content: "<p><a href=\"//cdn.example.com/z\">z</a> <a href=\"?q=1\">q</a></p>"),
        ])
        #expect(result.entries[0].body.contains("href=\"https://base.example.net/x/b/c.html\""))
        #expect(result.entries[0].body.contains("src=\"https://base.example.net/img.png\""))
        #expect(result.entries[0].image == "https://base.example.net/img.png")
        #expect(result.entries[1].body.contains("href=\"https://news.example.org/b/c.html\""))
        #expect(result.entries[1].body.contains("src=\"https://news.example.org/img.png\""))
        #expect(result.entries[2].body.contains("href=\"https://example.com/b/c.html\""))
        #expect(result.entries[3].body.contains("href=\"https://cdn.example.com/z\""))
        #expect(result.entries[3].body.contains("href=\"https://example.com/feed.xml?q=1\""))
    }

    @Test func bodyURLsResolveAsURLResolverResolvesThem() {
        let bases = [
            "https://base.example.net/x/y/", "https://example.com", "http://example.com/a?q=1#f",
            "mailto:x@example.com",
            "urn:isbn:1", "HTTPS://Example.COM/dir/file.html", "https://example.com/a/b/c",
        ]
        let references = [
            "../b/c.html", "/img.png", "//cdn.example.com/z", "?q=2", "#top", "", "./x/../y", "https://abs.example/p",
            " \tspaced.png\n", "a:b", "../../../../up", "javascript:alert(1)",
        ]
        let sanitizer = HTMLSanitizer()
        for base in bases {
            let html = references.map { "<p><a href=\"\($0)\">x</a> <img src=\"\($0)\" alt=\"\"></p>" }.joined()
            let entry = processor.process(
                Entry(id: "1", content: html, contentBase: base), feedURL: feedURL, fetchedAt: now)
            let expected = sanitizer.hugoSafeBody(html) { URLResolver.resolve($0, against: base) }
            #expect(entry.body == expected, "\(base)")
        }
    }

    @Test func canonicalLinkAndCategoriesAreFilledIn() {
        let entry = processor.process(
            Entry(
                id: "1", link: "HTTPS://Example.com:443/a?utm_source=rss&id=3#top",
                categories: [Category(term: "world"), Category(term: "europe", scheme: "s")]),
            feedURL: feedURL, fetchedAt: now)
        #expect(entry.canonicalLink == "https://example.com/a?id=3")
        #expect(entry.link == "HTTPS://Example.com:443/a?utm_source=rss&id=3#top")
        #expect(entry.categories == ["world", "europe"])
    }

    @Test func hashChangesOnlyWhenContentDoes() {
        let base = Entry(
            id: "1", title: "T", link: "https://example.com/a", published: Date(timeIntervalSince1970: 1000),
            content: "<p>body</p>", authors: [Author(name: "Ann")], categories: [Category(term: "c")],
            enclosures: [Enclosure(url: "https://example.com/a.mp3", type: "audio/mpeg", length: 10)])
        let hash = processor.process(base, feedURL: feedURL, fetchedAt: now).contentHash
        #expect(hash.count == 16)
        #expect(processor.process(base, feedURL: feedURL, fetchedAt: now).contentHash == hash)
        // Differences the sanitizer removes are no change.
        var scripted = base
        scripted.content = "<p>body</p><script>x()</script>"
        #expect(processor.process(scripted, feedURL: feedURL, fetchedAt: now).contentHash == hash)
        var changes: [Entry] = []
        var body = base
        body.content = "<p>body!</p>"
        changes.append(body)
        var title = base
        title.title = "T2"
        changes.append(title)
        var date = base
        date.published = Date(timeIntervalSince1970: 2000)
        changes.append(date)
        var author = base
        author.authors = [Author(name: "Bob")]
        changes.append(author)
        var enclosure = base
        enclosure.enclosures = []
        changes.append(enclosure)
        var category = base
        category.categories.append(Category(term: "d"))
        changes.append(category)
        let hashes = changes.map { processor.process($0, feedURL: feedURL, fetchedAt: now).contentHash }
        #expect(!hashes.contains(hash))
        #expect(Set(hashes).count == hashes.count)
    }

    @Test func hashSeparatesFields() {
        let a = processor.process(Entry(id: "1", title: "ab", summary: "c"), feedURL: feedURL, fetchedAt: now)
        let b = processor.process(Entry(id: "1", title: "a", summary: "bc"), feedURL: feedURL, fetchedAt: now)
        #expect(a.contentHash != b.contentHash)
        let c = processor.process(
            Entry(id: "1", categories: [Category(term: "a"), Category(term: "b")]), feedURL: feedURL, fetchedAt: now)
        let d = processor.process(Entry(id: "1", categories: [Category(term: "ab")]), feedURL: feedURL, fetchedAt: now)
        #expect(c.contentHash != d.contentHash)
    }
}
