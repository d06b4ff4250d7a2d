import Foundation
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `tidings sync` with SIGKILL mid-run, runs it again, and compares the output
/// folder and the store with those of an uninterrupted run.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    static let feedCount = 60
    static let entriesPerFeed = 25

    static func feed(_ number: Int) -> [UInt8] {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
            <title>Feed \(number)</title><link>http://site\(number).test/</link>
            """
        for entry in 0..<entriesPerFeed {
            let minute = (number * entriesPerFeed + entry) % 60
            xml += """
                <item><title>Story \(number)-\(entry): "quotes", colons: and #tags</title>
                <link>http://site\(number).test/story/\(entry)</link><guid>f\(number)-e\(entry)</guid>
                <pubDate>Mon, 02 Nov 2026 \(String(format: "%02d", entry % 24)):\(String(format: "%02d", minute)):00 +0000</pubDate>
                <description>Summary of story \(entry) of feed \(number).</description>
                <content:encoded><![CDATA[\(String(repeating: "<p>Paragraph of story \(entry) with <a href=\"/x\">a link</a>.</p>", count: 8))]]></content:encoded></item>
                """
        }
        return Array((xml + "</channel></rss>").utf8)
    }

    /// Writes a config for `folder` listing every feed of `server`.
    static func writeConfig(in folder: URL, server: LoopbackHTTPServer) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var yaml = """
            database: tidings.sqlite
            output: { dir: out, date: date, path: "{year}/{month}/{slug}.md" }
            fetch: { concurrency: 8, per_host: 8, timeout: 30s }
            feeds:

            """
        for number in 0..<feedCount { yaml += "  - url: \(server.baseURL)/feed/\(number)\n" }
        let path = folder.appendingPathComponent("tidings.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The store's entries as comparable rows: feed URL, key, hash, path, published hash.
    static func storeRows(_ folder: URL) async throws -> [String] {
        let store = try SQLiteFeedStore(path: folder.appendingPathComponent("tidings.sqlite").path)
        var rows: [String] = []
        for feed in try await store.feeds() {
            for stored in try await store.entries(feedID: feed.id) {
                rows.append(
                    [
                        feed.subscription.url, stored.entry.key, stored.entry.contentHash, stored.path ?? "-",
                        stored.publishedHash ?? "-", "\(stored.date)", "\(stored.duplicateOf != nil)",
                    ].joined(separator: "|"))
            }
        }
        return rows.sorted()
    }

    /// Feeds with fewer files than entries, and their counts (files are named
    /// `story-FEED-ENTRY-…`), to tell a short run apart from a failed feed.
    static func shortFeeds(_ files: [String: String]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for path in files.keys {
            let name = path.split(separator: "/").last ?? ""
            let parts = name.split(separator: "-")
            if parts.count > 1, parts[0] == "story", let feed = Int(parts[1]) { counts[feed, default: 0] += 1 }
        }
        return (0..<feedCount).reduce(into: [:]) { short, feed in
            let count = counts[feed, default: 0]
            if count != entriesPerFeed { short[feed] = count }
        }
    }

    static func countFiles(_ folder: String) -> Int {
        FileManager.default.enumerator(atPath: folder)?.allObjects.filter { ($0 as? String)?.hasSuffix(".md") == true }
            .count ?? 0
    }

    @Test("SIGKILL mid-run, then a re-run, equals an uninterrupted run", arguments: [1, 600])
    func killAndRerun(killAfterFiles: Int) async throws {
        let feeds = (0..<Self.feedCount).map { Self.feed($0) }
        let server = try LoopbackHTTPServer { request in
            guard let number = Int(request.path.split(separator: "/").last ?? ""), number < feeds.count else {
                return .init(status: 404)
            }
            return .init(headers: [("Content-Type", "application/rss+xml")], body: feeds[number])
        }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-crash-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }

        let reference = root.appendingPathComponent("reference")
        let referenceRun = try ChildProcess.run(
            TidingsBinary.path, ["sync", "--quiet", "--config", try Self.writeConfig(in: reference, server: server)])
        #expect(referenceRun.status == 0, "\(referenceRun.stderr)")
        let expectedFiles = Harness.files(in: reference.appendingPathComponent("out").path)
        let short = Self.shortFeeds(expectedFiles)
        var shortRows: [String] = []
        if !short.isEmpty {
            // What the store says of a short feed, and the run kept for a post-mortem.
            shortRows = try await Self.storeRows(reference).filter { row in
                short.keys.contains { row.hasPrefix("\(server.baseURL)/feed/\($0)|") }
            }
            let kept = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-crash-short-\(UUID())")
            try? FileManager.default.copyItem(at: reference, to: kept)
            shortRows.append("kept in \(kept.path)")
        }
        #expect(
            expectedFiles.count == Self.feedCount * Self.entriesPerFeed,
            """
            reference run: \(expectedFiles.count) files; short feeds: \(short); stdout: \(referenceRun.stdout); \
            stderr: \(referenceRun.stderr); their entries: \(shortRows.joined(separator: "\n"))
            """)

        let crashed = root.appendingPathComponent("crashed")
        let config = try Self.writeConfig(in: crashed, server: server)
        let out = crashed.appendingPathComponent("out").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TidingsBinary.path)
        process.arguments = ["sync", "--quiet", "--config", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Self.countFiles(out) < killAfterFiles && Date() < deadline {
            usleep(2000)
        }
        let killedMidRun = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killedMidRun, "the run finished before it could be killed")
        #expect(Self.countFiles(out) < expectedFiles.count)

        let rerun = try ChildProcess.run(TidingsBinary.path, ["sync", "--quiet", "--config", config])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let files = Harness.files(in: out)
        let missing = Set(expectedFiles.keys).subtracting(files.keys).sorted()
        let extra = Set(files.keys).subtracting(expectedFiles.keys).sorted()
        let different = files.keys.filter { expectedFiles[$0] != nil && expectedFiles[$0] != files[$0] }.sorted()
        #expect(
            missing.isEmpty && extra.isEmpty && different.isEmpty,
            "missing \(missing.prefix(5)), extra \(extra.prefix(5)), different \(different.prefix(5))")
        #expect(try await Self.storeRows(crashed) == Self.storeRows(reference))
        // Nothing is left pending, unconfirmed publications included.
        for folder in [reference, crashed] {
            let store = try SQLiteFeedStore(path: folder.appendingPathComponent("tidings.sqlite").path)
            #expect(try await store.pendingPublicationStubs(feedID: nil) == [], "\(folder.lastPathComponent)")
        }
    }
}
