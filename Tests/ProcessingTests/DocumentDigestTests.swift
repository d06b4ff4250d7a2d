import Processing
import Testing
import TidingsModel

/// What a document's digest depends on: whatever could make its processing differ.
@Suite struct DocumentDigestTests {
    let body = Array("<rss version=\"2.0\"><channel><title>T</title></channel></rss>".utf8)

    func digest(
        _ body: [UInt8], contentType: String? = "application/rss+xml", url: String = "http://a.test/feed",
        filters: [FilterRule] = []
    ) -> String {
        DocumentDigest.of(body, contentType: contentType, url: url, filters: filters)
    }

    @Test func sameInputsSameDigest() {
        #expect(digest(body) == digest(body))
        #expect(digest(body).count == 16)
        #expect(digest(body).allSatisfy { $0.isHexDigit })
    }

    @Test func eachInputCounts() {
        let base = digest(body)
        var changed = body
        changed[changed.count - 3] = UInt8(ascii: "X")
        #expect(digest(changed) != base, "one byte")
        #expect(digest(body + [0x20]) != base, "one byte more")
        #expect(digest(body, contentType: "application/rss+xml; charset=windows-1252") != base)
        #expect(digest(body, contentType: nil) != base)
        #expect(digest(body, url: "http://a.test/feed/") != base)
        #expect(digest(body, filters: [.init(action: .block, field: .title, pattern: "x")]) != base)
        #expect(
            digest(body, filters: [.init(action: .keep, field: .title, pattern: "x")])
                != digest(body, filters: [.init(action: .block, field: .title, pattern: "x")]))
        #expect(
            digest(body, filters: [.init(action: .block, field: .link, pattern: "x")])
                != digest(body, filters: [.init(action: .block, field: .title, pattern: "x")]))
        #expect(digest([]) != digest([0]))
    }
}
