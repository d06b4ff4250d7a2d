import Foundation
import TestSupport
import Testing

/// `tidings feeds add --discover`: a site's page in place of its feed.
@Suite("tidings feeds add --discover")
struct FeedsAddDiscoveryTests {
    static func page(_ links: [String]) -> [UInt8] {
        let tags = links.map { "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"\($0)\">" }.joined()
        return Array("<!DOCTYPE html><html><head><title>Site</title>\(tags)</head><body>Hi</body></html>".utf8)
    }

    @Test("a page is replaced by the first readable feed it names; a feed is kept; nothing is added otherwise")
    func discovery() throws {
        let feed = rss(title: "Site news", items: [("n-1", "News", "http://site.test/1", nil)])
        let server = try LoopbackHTTPServer(routes: [
            "/": .init(body: Self.page(["/broken.xml", "/feed.xml", "/other.xml"])),
            "/feed.xml": .init(body: feed),
            "/broken.xml": .init(status: 404),
            "/bare": .init(body: Array("<html><body>No feeds</body></html>".utf8)),
            "/lost": .init(body: Self.page(["/broken.xml"])),
        ])
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-discover-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("tidings.yml").path
        func add(_ url: String, discover: Bool = true) throws -> ChildProcess {
            try ChildProcess.run(
                TidingsBinary.path, ["feeds", "add", url, "--config", config] + (discover ? ["--discover"] : []))
        }
        func configured() -> String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "" }

        // The page's first feed cannot be read (404); its second can.
        let fromPage = try add(server.baseURL + "/")
        #expect(fromPage.status == 0, "\(fromPage.stderr)")
        #expect(
            fromPage.stdout == "added \(server.baseURL)/feed.xml \"Site news\", named by \(server.baseURL)/ (1 feed)\n",
            "\(fromPage.stdout)")
        #expect(configured().contains("url: \"\(server.baseURL)/feed.xml\""))
        #expect(!configured().contains("url: \"\(server.baseURL)/\""))

        // The same feed again, named by the page or given: already configured.
        let again = try add(server.baseURL + "/")
        #expect(again.status != 0)
        #expect(again.stderr.contains("\(server.baseURL)/feed.xml is already configured"), "\(again.stderr)")

        // A page naming no feed, or only feeds that cannot be read: nothing is added.
        let before = configured()
        let bare = try add(server.baseURL + "/bare")
        #expect(bare.status != 0)
        #expect(
            bare.stderr.contains("\(server.baseURL)/bare: not a feed: the root element is <html>")
                && bare.stderr.contains("no feed was added"), "\(bare.stderr)")
        let lost = try add(server.baseURL + "/lost")
        #expect(lost.status != 0)
        #expect(
            lost.stderr.contains("whose feeds could not be read: \(server.baseURL)/broken.xml (")
                && lost.stderr.contains("HTTP 404"), "\(lost.stderr)")
        let down = try add("http://127.0.0.1:9/feed.xml")
        #expect(down.status != 0)
        #expect(down.stderr.contains("http://127.0.0.1:9/feed.xml: connection refused"), "\(down.stderr)")
        #expect(configured() == before)

        // Without --discover nothing is fetched: the URL is added as given.
        let offline = try add("http://127.0.0.1:9/feed.xml", discover: false)
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout == "added http://127.0.0.1:9/feed.xml (2 feeds)\n")
    }
    @Test("a private site's page hands its password to the feed it names on the same host, and no output shows it")
    func privateSite() throws {
        let feed = rss(title: "Members", items: [("m-1", "News", "http://site.test/1", nil)])
        let server = try LoopbackHTTPServer { request in
            guard request.headers["authorization"] == "Basic YWxpY2U6czNjcmV0" else { return .init(status: 401) }
            return request.path == "/" ? .init(body: Self.page(["/members.xml"])) : .init(body: feed)
        }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-discover-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("tidings.yml").path
        let page = server.baseURL.replacingOccurrences(of: "://", with: "://alice:s3cret@") + "/"
        let shown = server.baseURL.replacingOccurrences(of: "://", with: "://alice:***@")
        let added = try ChildProcess.run(TidingsBinary.path, ["feeds", "add", page, "--discover", "--config", config])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(
            added.stdout == "added \(shown)/members.xml \"Members\", named by \(shown)/ (1 feed)\n", "\(added.stdout)")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        #expect(text.contains("url: \"\(page)members.xml\""), "\(text)")
        let again = try ChildProcess.run(TidingsBinary.path, ["feeds", "add", page, "--discover", "--config", config])
        #expect(again.stderr.contains("\(shown)/members.xml is already configured"), "\(again.stderr)")
        let removed = try ChildProcess.run(
            TidingsBinary.path, ["feeds", "remove", page + "members.xml", "--config", config])
        #expect(removed.stdout == "removed \(shown)/members.xml (0 feeds)\n", "\(removed.stdout)")
        #expect(!(added.stdout + added.stderr + again.stderr + removed.stdout).contains("s3cret"))
    }
}
