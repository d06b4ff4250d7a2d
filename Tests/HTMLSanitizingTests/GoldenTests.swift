import Foundation
import HTMLSanitizing
import Testing

@Suite("Golden files")
struct GoldenTests {
    /// The `content:encoded` bodies of the golden feed, in order.
    static func contents() throws -> [String] {
        let directory = try #require(goldenDirectory())
        let feed = try String(contentsOf: directory.appendingPathComponent("foxnews-world.xml"), encoding: .utf8)
        return feed.components(separatedBy: "<content:encoded><![CDATA[").dropFirst().map {
            String($0[..<$0.range(of: "]]></content:encoded>")!.lowerBound])
        }
    }

    static func expectedBody(_ name: String) throws -> String {
        let directory = try #require(goldenDirectory())
        let file = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let parts = file.components(separatedBy: "\n---\n")
        var body = try #require(parts.last)
        while body.hasSuffix("\n") { body.removeLast() }
        return body
    }

    @Test func popeBody() throws {
        let pope = try Self.contents()[1]
        #expect(pope.contains("<script>"))
        let base = "https://www.foxnews.com/world/pope-christmas-message-peace-possible"
        let body = sanitizer.hugoSafeBody(pope, resolve: resolver(base))
        #expect(body == (try Self.expectedBody("pope-expected.md")))
        #expect(
            body
                == "<p>The pope delivered his message from the central balcony.</p><p>Crowds filled <a href=\"https://www.foxnews.com/world/vatican\">St. Peter's Square</a>.</p>"
        )
    }

    @Test func bukeleBodyIsByteIdentical() throws {
        let bukele = try Self.contents()[0]
        let base =
            "https://www.foxnews.com/world/bukele-challenges-hillary-clinton-take-el-salvadors-entire-prison-population-criticism"
        let expected = try Self.expectedBody("bukele-expected.md")
        #expect(expected.unicodeScalars.contains("\u{A0}"))
        #expect(sanitizer.sanitize(bukele, resolve: resolver(base)) == expected)
        #expect(sanitizer.hugoSafeBody(bukele, resolve: resolver(base)) == expected)
        #expect(sanitizer.sanitize(bukele, engine: .gumbo, resolve: resolver(base)) == expected)
    }

    @Test func goldenBodiesAreFixedPoints() throws {
        for body in try Self.contents() {
            let once = clean(body)
            #expect(clean(once) == once)
        }
    }

    @Test func goldenDescriptionsAsPlainText() throws {
        let description =
            "The pope urged leaders to <b>choose dialogue</b> &amp; compassion during his first Christmas address."
        #expect(
            sanitizer.plainText(html: description)
                == "The pope urged leaders to choose dialogue & compassion during his first Christmas address.")
    }
}
