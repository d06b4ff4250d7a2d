import Foundation
import TestSupport
import Testing

@testable import FeedParsing

/// Documents written to hurt a parser: each must end in a clear error or a
/// recovered feed, in bounded memory, without a crash.
struct HostileInputTests {
    @Test func billionLaughsExpandsNothing() throws {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
        doc += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for level in 2...9 {
            let previous = "&lol\(level - 1);"
            doc += "<!ENTITY lol\(level) \"\(String(repeating: previous, count: 10))\">\n"
        }
        doc +=
            "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>x &lol9; y</title></item></channel></rss>"
        let result = try FeedParser.parse(Array(doc.utf8))
        #expect(result.feed.title == "&lol9;")
        #expect(result.feed.entries.first?.title == "x &lol9; y")
        #expect(result.warnings.contains { $0.message.contains("undefined entities") })
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-xxe-\(getpid()).txt")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret.path)"><!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
            <rss version="2.0"><channel><title>t &xxe;</title><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>
            """
        let result = try FeedParser.parse(Array(doc.utf8))
        let json = FeedJSON.encode(result.feed)
        #expect(!json.contains("TOP-SECRET"))
        #expect(result.feed.entries.count == 1)
    }

    @Test func deeplyNestedElementsEndInARecoveredFeed() throws {
        let depth = 100_000
        var doc =
            "<rss version=\"2.0\"><channel><title>deep</title><item><title>before</title></item><item><description>"
        doc += String(repeating: "<div>", count: depth) + "x" + String(repeating: "</div>", count: depth)
        doc += "</description></item></channel></rss>"
        let result = try FeedParser.parse(Array(doc.utf8))
        #expect(result.feed.title == "deep")
        #expect(result.feed.entries.first?.title == "before")
        #expect(!result.warnings.isEmpty)
    }

    @Test(arguments: [0, 1, 2, 3])
    func binaryGarbageIsAClearError(_ seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        var bytes = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        // Keep garbage garbage: no '<' or '{' that could start a document.
        for i in bytes.indices where bytes[i] == UInt8(ascii: "<") || bytes[i] == UInt8(ascii: "{") { bytes[i] = 0 }
        #expect(throws: FeedParsingError.self) { try FeedParser.parse(bytes) }
    }

    @Test func garbageWithMarkupCharactersIsAnErrorNotACrash() {
        var generator = SplitMix(seed: 99)
        let bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(throws: FeedParsingError.self) { try FeedParser.parse(bytes) }
    }

    @Test func htmlPageIsNotAFeed() {
        let doc = "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hello</p></body></html>"
        #expect(throws: FeedParsingError.notAFeed("the root element is <html>, not rss, RDF or feed")) {
            try FeedParser.parse(Array(doc.utf8))
        }
    }

    @Test func emptyAndWhitespaceDocuments() {
        #expect(throws: FeedParsingError.empty) { try FeedParser.parse([UInt8]()) }
        #expect(throws: FeedParsingError.self) { try FeedParser.parse(Array("   \n\t ".utf8)) }
    }

    @Test func hugeTextIsCutNotBuffered() throws {
        var doc = Array("<rss version=\"2.0\"><channel><title>big</title><item><title>t</title><description>".utf8)
        doc += [UInt8](repeating: UInt8(ascii: "a"), count: 3_000_000)
        doc += Array("</description></item></channel></rss>".utf8)
        let result = try FeedParser.parse(doc, options: .init(maxTextLength: 1_000_000))
        #expect(result.feed.entries.first?.summary?.utf8.count == 1_000_000)
        #expect(result.warnings.contains { $0.message.contains("cut") })
    }

    /// A 200 MB feed through the real command in a child process: it must finish,
    /// count every entry, and stay in bounded memory (peak RSS from wait4).
    @Test func twoHundredMegabyteFileInBoundedMemory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-huge-\(getpid()).xml").path
        defer { unlink(path) }
        guard let file = fopen(path, "w") else {
            Issue.record("cannot create \(path)")
            return
        }
        fputs("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>huge</title>\n", file)
        let body = String(
            repeating: "<p>Paragraph with <a href=\"http://example.test/\">a link</a> &amp; text.</p>", count: 40)
        var written = 0
        var entries = 0
        while written < 200_000_000 {
            let item =
                "<item><title>Item \(entries)</title><link>http://example.test/\(entries)</link><guid>id-\(entries)</guid><description><![CDATA[\(body)]]></description></item>\n"
            fputs(item, file)
            written += item.utf8.count
            entries += 1
        }
        fputs("</channel></rss>\n", file)
        fclose(file)

        // Peak RSS as /usr/bin/time reports it for its own child: posix_spawn from
        // this (large, busy) test process can charge the parent's pages to the
        // child before exec, which made wait4's figure flaky.
        let run = try ChildProcess.run(
            "/usr/bin/time", ["-f", "peak-rss-kb=%M", TidingsBinary.path, "parse", "--count-only", path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("entries=\(entries) "), "\(run.stdout)")
        let peak =
            run.stderr.split(separator: "\n").last { $0.hasPrefix("peak-rss-kb=") }
            .flatMap { Int($0.dropFirst("peak-rss-kb=".count)) } ?? 0
        #expect(peak > 1_000 && peak < 100_000, "peak RSS \(peak) KiB; stderr: \(run.stderr.suffix(300))")
    }
}
