import Engine
import FeedParsing
import Foundation
import Publishing
import TestSupport
import Testing

@Suite("Golden files through publish and sync")
struct GoldenPublishTests {
    static let source = "https://feeds.foxnews.com/foxnews/world"

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: sharedDirectory().appendingPathComponent("golden/\(name)"), encoding: .utf8)
    }

    /// The file among `files` whose title line is the golden file's.
    static func match(_ golden: String, in files: [String: String]) -> String? {
        let titleLine = golden.split(separator: "\n", omittingEmptySubsequences: false)[1]
        return files.values.first {
            $0.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().first == titleLine
        }
    }

    @Test("tidings publish writes the two golden files byte for byte")
    func publishCommand() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-golden-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let feed = sharedDirectory().appendingPathComponent("golden/foxnews-world.xml").path
        let run = try ChildProcess.run(TidingsBinary.path, ["publish", feed, "--source", Self.source, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let files = Harness.files(in: out)
        #expect(files.count == 2)
        for name in ["bukele-expected.md", "pope-expected.md"] {
            let expected = try Self.golden(name)
            #expect(Self.match(expected, in: files) == expected, "\(name)")
        }
        // Default template: {year}/{month}/{slug}.md, dates in UTC.
        #expect(files.keys.contains("2025/12/popes-christmas-message-peace-is-possible-other-highlights.md"))
        // Publishing again changes nothing.
        let again = try ChildProcess.run(TidingsBinary.path, ["publish", feed, "--source", Self.source, "--out", out])
        #expect(again.status == 0)
        #expect(Harness.files(in: out) == files)
    }

    @Test("sync over loopback HTTP writes the golden files, source being the configured URL")
    func syncOverLoopback() async throws {
        let xml = try [UInt8](Data(contentsOf: sharedDirectory().appendingPathComponent("golden/foxnews-world.xml")))
        let server = try LoopbackHTTPServer(routes: [
            "/foxnews/world": .init(headers: [("Content-Type", "application/rss+xml")], body: xml)
        ])
        defer { server.stop() }
        let harness = try Harness()
        let url = server.baseURL + "/foxnews/world"
        _ = try await harness.configure([.init(url: url)])
        let report = try await harness.refresh(url)
        #expect(report.status == .updated)
        #expect(report.inserted == 2)
        let files = harness.files()
        #expect(files.count == 2)
        for name in ["bukele-expected.md", "pope-expected.md"] {
            let expected = try Self.golden(name).replacingOccurrences(
                of: "source: \"\(Self.source)\"", with: "source: \"\(url)\"")
            #expect(Self.match(expected, in: files) == expected, "\(name)")
        }
        await harness.cleanUp()
    }
}
