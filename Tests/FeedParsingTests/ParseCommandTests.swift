import Foundation
import TestSupport
import Testing

/// `tidings parse` as a user runs it: the real binary in a child process.
struct ParseCommandTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/golden/foxnews-world.xml").standardized.path

    @Test func printsExactlyTheContractKeys() throws {
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", Self.golden])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["format", "title", "link", "entries"])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(
            Set(entries[0].keys) == [
                "id", "title", "link", "published", "updated", "summary", "content", "image", "authors", "categories",
                "enclosures",
            ])
        #expect(entries[0]["published"] as? String == "2025-12-23T17:45:10Z")
        #expect(entries[0]["updated"] is NSNull)
        #expect(entries[1]["title"] as? String == "Pope's Christmas message: \"Peace is possible\" & other highlights")
    }

    @Test func malformedFeedExitsZeroWithWarningsOnStderr() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bad-\(getpid()).xml").path
        try "<rss version=\"2.0\"><channel><title>A & B</title><item><title>x</title>".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", path])
        #expect(run.status == 0)
        #expect(run.stderr.contains("tidings: warning: \(path): "))
        #expect(run.stdout.contains("\"title\":\"A & B\""))
    }

    @Test func notAFeedIsOneLineAndNonZero() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-html-\(getpid()).html").path
        try "<html><body>hi</body></html>".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", path])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("not a feed") ?? false, "\(run.stderr)")

        // A page naming its feed says which; relative to --base-url.
        try "<html><head><link rel=alternate type=application/atom+xml href=atom.xml></head></html>".write(
            toFile: path, atomically: true, encoding: .utf8)
        let page = try ChildProcess.run(TidingsBinary.path, ["parse", path, "--base-url", "https://site.example/b/"])
        #expect(page.status != 0)
        #expect(page.stderr.hasSuffix("; the page names its feed: https://site.example/b/atom.xml\n"), "\(page.stderr)")
    }

    @Test func missingFileIsAClearError() throws {
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", "/nonexistent/feed.xml"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/feed.xml"))
    }

    @Test func contentTypeCharsetApplies() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-koi8-\(getpid()).xml").path
        // "Привет" in KOI8-R, no XML declaration: only the Content-Type says so.
        let title: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]
        let doc = Array("<rss version=\"2.0\"><channel><title>".utf8) + title + Array("</title></channel></rss>".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(doc)))
        defer { unlink(path) }
        let run = try ChildProcess.run(
            TidingsBinary.path, ["parse", path, "--content-type", "text/xml; charset=koi8-r"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"title\":\"Привет\""), "\(run.stdout)")
    }

    @Test func fetchesOverLoopbackAndResolvesAgainstTheFinalURL() throws {
        let feed = """
            <rss version="2.0"><channel><title>Served</title><link>/home</link>
            <item><title>One</title><link>articles/1</link></item></channel></rss>
            """
        let server = try LoopbackHTTPServer(routes: [
            "/feeds/world.xml": .init(headers: [("Content-Type", "application/rss+xml")], body: Array(feed.utf8))
        ])
        defer { server.stop() }
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", "\(server.baseURL)/feeds/world.xml"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"link\":\"\(server.baseURL)/home\""))
        #expect(run.stdout.contains("\"link\":\"\(server.baseURL)/feeds/articles/1\""))
    }

    @Test func httpErrorStatusIsAClearError() throws {
        let server = try LoopbackHTTPServer(routes: [:])
        defer { server.stop() }
        let run = try ChildProcess.run(TidingsBinary.path, ["parse", "\(server.baseURL)/missing.xml"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("404"), "\(run.stderr)")
    }
}
