import Foundation
import TestSupport
import Testing

/// `tidings sync` as a user runs it: what it says about failed and recovered feeds,
/// and about a run with nothing due.
@Suite("tidings sync")
struct SyncCommandTests {
    @Test(
        "failed feeds get a line as they finish, recovered ones unless --quiet; a run with nothing due says when the next is"
    )
    func reportsAndNothingDue() throws {
        let broken = try Data(contentsOf: repositoryRoot().appendingPathComponent("samples/broken.xml"))
        let good = rss(items: [("ok-1", "A fine story", "http://site.test/1", "Sun, 18 Oct 2026 09:00:00 +0000")])
        let server = try LoopbackHTTPServer(routes: [
            "/good": .init(body: good), "/broken": .init(body: Array(broken)), "/gone": .init(status: 410),
        ])
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-sync-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("tidings.yml").path
        try """
        database: \(folder.path)/tidings.sqlite
        output: { dir: \(folder.path)/out }
        feeds:
          - url: \(server.baseURL)/good
          - url: \(server.baseURL)/missing
          - url: \(server.baseURL)/broken
          - url: \(server.baseURL)/gone
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let first = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", config])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("synced 4 feeds:"), "\(first.stdout)")
        #expect(first.stdout.contains("2 updated, 0 not modified, 1 failed, 1 gone"), "\(first.stdout)")
        let lines = first.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("tidings: warning: \(server.baseURL)/missing: ") && $0.contains("404") })
        #expect(!first.stderr.contains("/missing: \(server.baseURL)/missing"), "the URL is said once: \(first.stderr)")
        #expect(lines.contains { $0.hasPrefix("tidings: warning: \(server.baseURL)/gone: ") })
        #expect(lines.contains { $0.hasPrefix("tidings: warning: \(server.baseURL)/broken: recovered: ") })
        #expect(!lines.contains { $0.contains("/good") }, "\(first.stderr)")

        // `feeds list` shows the stored error, naming the URL once too.
        let list = try ChildProcess.run(TidingsBinary.path, ["feeds", "list", "--config", config])
        let missing = list.stdout.split(separator: "\n").first { $0.hasPrefix("\(server.baseURL)/missing\t") }
        #expect(missing?.contains("\tfailing ×1: HTTP 404") == true, "\(list.stdout)")

        // Every feed is scheduled later now (the failed one after a backoff); the gone one never again.
        let idle = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", config])
        #expect(idle.status == 0, "\(idle.stderr)")
        #expect(idle.stdout.contains("synced 0 feeds:"), "\(idle.stdout)")
        #expect(idle.stdout.contains("no feed is due; the next one is due at 20"), "\(idle.stdout)")

        // --all refreshes the three feeds not gone; --quiet keeps the failure's line only.
        let quiet = try ChildProcess.run(TidingsBinary.path, ["sync", "--all", "--quiet", "--config", config])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.contains("synced 3 feeds:"), "\(quiet.stdout)")
        #expect(quiet.stderr.contains("tidings: warning: \(server.baseURL)/missing: "), "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("recovered"), "\(quiet.stderr)")

        // A count of one takes the singular.
        let single = folder.appendingPathComponent("single.yml").path
        try """
        database: \(folder.path)/single.sqlite
        output: { dir: \(folder.path)/single }
        feeds:
          - url: \(server.baseURL)/good
        """.write(toFile: single, atomically: true, encoding: .utf8)
        let one = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", single])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("synced 1 feed: 1 new entry, 0 changed, 1 file written; "), "\(one.stdout)")
    }
}
