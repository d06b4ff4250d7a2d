import Foundation
import Storage
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
        let folder = try Self.makeFolder("sync")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try Self.writeConfig(
            in: folder, urls: ["good", "missing", "broken", "gone"].map { server.baseURL + "/" + $0 })

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
        let single = try Self.writeConfig(in: folder, named: "single", urls: [server.baseURL + "/good"])
        let one = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", single])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("synced 1 feed: 1 new entry, 0 changed, 1 file written; "), "\(one.stdout)")
    }

    @Test("a private feed's password is in neither sync's warnings nor feeds list")
    func passwordsStayOutOfTheOutput() throws {
        let server = try LoopbackHTTPServer(routes: ["/private": .init(status: 401)])
        defer { server.stop() }
        let folder = try Self.makeFolder("private")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = server.baseURL.replacingOccurrences(of: "://", with: "://alice:s3cret@") + "/private"
        let shown = server.baseURL.replacingOccurrences(of: "://", with: "://alice:***@") + "/private"
        let config = try Self.writeConfig(in: folder, urls: [url])
        let run = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "tidings: warning: \(shown): HTTP 401 Unauthorized\n", "\(run.stderr)")
        let list = try ChildProcess.run(TidingsBinary.path, ["feeds", "list", "--config", config])
        #expect(list.stdout.hasPrefix("\(shown)\t-\tfailing ×1: HTTP 401 Unauthorized; next "), "\(list.stdout)")
        #expect(!(run.stdout + run.stderr + list.stdout + list.stderr).contains("s3cret"))
    }

    @Test("a feed whose URL is edited in the config keeps its entries and files, and sync says so")
    func editedURLContinuesTheFeed() throws {
        // Entries without links: nothing but the feed's own record tells them apart
        // from new ones (cross-feed deduplication goes by link).
        let items = (1...3).map { "<item><guid>post-\($0)</guid><title>Post \($0)</title></item>" }.joined()
        let feed = Array("<rss version=\"2.0\"><channel><title>Desk</title>\(items)</channel></rss>".utf8)
        let server = try LoopbackHTTPServer(routes: ["/rss": .init(body: feed), "/moved.xml": .init(body: feed)])
        defer { server.stop() }
        let folder = try Self.makeFolder("moved")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("tidings.yml").path
        func sync(_ feed: String) throws -> (stdout: String, stderr: String) {
            try """
            database: \(folder.path)/tidings.sqlite
            output: { dir: \(folder.path)/out, path: "{slug}.md" }
            feeds:
              - \(feed)
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let run = try ChildProcess.run(TidingsBinary.path, ["sync", "--all", "--config", config])
            #expect(run.status == 0, "\(run.stderr)")
            return (run.stdout, run.stderr)
        }
        let files = { try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out").sorted() }

        let first = try sync("{ url: \(server.baseURL)/rss, name: desk }")
        #expect(first.stdout.hasPrefix("synced 1 feed: 3 new entries, 0 changed, 3 files written;"), "\(first.stdout)")
        let written = try files()
        #expect(written.count == 3)

        let moved = try sync("{ url: \(server.baseURL)/moved.xml, name: desk }")
        #expect(moved.stdout.hasPrefix("synced 1 feed: 0 new entries, 0 changed, 0 files written;"), "\(moved.stdout)")
        #expect(
            moved.stderr
                == "tidings: note: \(server.baseURL)/moved.xml continues the stored feed \(server.baseURL)/rss "
                + "(the same name): its entries and published files carry over\n")
        let respelled = server.baseURL.replacingOccurrences(of: "http://", with: "HTTP://") + "/moved.xml#top"
        let again = try sync("{ url: \"\(respelled)\" }")
        #expect(again.stdout.hasPrefix("synced 1 feed: 0 new entries,"), "\(again.stdout)")
        #expect(again.stderr.contains("(another spelling of the same URL)"), "\(again.stderr)")
        #expect(try files() == written)

        // Without a name, a new address is a new feed: its entries are new.
        let other = try sync("{ url: \(server.baseURL)/rss }")
        #expect(other.stdout.hasPrefix("synced 1 feed: 3 new entries,"), "\(other.stdout)")
        #expect(other.stderr.isEmpty, "\(other.stderr)")
    }

    @Test("a config whose every URL is respelled continues every feed, and says so for the first 20")
    func manyEditedURLs() throws {
        let folder = try Self.makeFolder("respelled")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Nothing listens on port 9: each feed fails at once, and is stored all the same.
        let urls = (0..<30).map { "http://127.0.0.1:9/feed/\($0)" }
        let config = try Self.writeConfig(in: folder, urls: urls)
        let first = try ChildProcess.run(TidingsBinary.path, ["sync", "--quiet", "--config", config])
        #expect(first.stdout.contains("30 failed"), "\(first.stdout)")
        _ = try Self.writeConfig(in: folder, urls: urls.map { $0.replacingOccurrences(of: "http:", with: "HTTP:") })
        let second = try ChildProcess.run(TidingsBinary.path, ["sync", "--all", "--config", config])
        let notes = second.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("tidings: note: ") }
        #expect(notes.count == 21, "\(second.stderr)")
        #expect(
            notes.first == "tidings: note: HTTP://127.0.0.1:9/feed/0 continues the stored feed "
                + "http://127.0.0.1:9/feed/0 (another spelling of the same URL): its entries and published files carry over"
        )
        #expect(notes.last == "tidings: note: and 10 more configured URLs continue stored feeds")
        // Each feed kept its record: a second failure in a row for every one.
        let list = try ChildProcess.run(TidingsBinary.path, ["feeds", "list", "--config", config])
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 30 && lines.allSatisfy { $0.contains("failing ×2") }, "\(list.stdout)")
    }

    /// Runs `body` with a folder, a server and a config for a run over `count` feeds
    /// served slowly (a tenth of a second each, one at a time), four in flight.
    static func withSlowFeeds(
        _ count: Int, _ body: (_ folder: URL, _ server: LoopbackHTTPServer, _ config: String) async throws -> Void
    ) async throws {
        let folder = try Self.makeFolder("slow")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, config) = try slowFeeds(count, in: folder)
        defer { server.stop() }
        try await body(folder, server, config)
    }

    static func slowFeeds(_ count: Int, in folder: URL) throws -> (LoopbackHTTPServer, config: String) {
        let server = try LoopbackHTTPServer { request in
            usleep(100_000)
            let number = Int(request.path.split(separator: "/").last ?? "") ?? -1
            guard (0..<count).contains(number) else { return .init(status: 404) }
            return .init(
                body: rss(items: [
                    ("g-\(number)", "Story \(number)", "http://site.test/\(number)", "Sun, 18 Oct 2026 09:00:00 +0000")
                ]))
        }
        let config = try writeConfig(
            in: folder, fetch: "{ concurrency: 4 }", urls: (0..<count).map { "\(server.baseURL)/feed/\($0)" })
        return (server, config)
    }

    /// Writes `NAME.yml` in `folder` for a run over `urls`, its database `NAME.sqlite`
    /// beside it and its output in `out` (`NAME` for another name); returns its path.
    /// A new empty folder under the system's temporary folder; the caller removes it.
    static func makeFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-\(name)-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func writeConfig(in folder: URL, named name: String = "tidings", fetch: String? = nil, urls: [String])
        throws -> String
    {
        let config = folder.appendingPathComponent("\(name).yml").path
        try """
        database: \(folder.path)/\(name).sqlite
        output: { dir: \(folder.path)/\(name == "tidings" ? "out" : name) }
        \(fetch.map { "fetch: \($0)" } ?? "")
        feeds:
        \(urls.map { "  - url: \($0)" }.joined(separator: "\n"))
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// How an interrupted `tidings sync` ended, and what it wrote.
    struct Interrupted: Sendable {
        var reason: Process.TerminationReason
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `tidings sync` on `config`, and sends it `signals` times `signal` (0.02 s
    /// apart) once the server has answered `after` requests; returns once it exited.
    /// It is watched from a thread of its own, not one of the test pool's (`offPool`).
    static func interruptedSync(
        config: String, server: LoopbackHTTPServer, after: Int, signals: Int, signal: Int32 = SIGINT
    ) async throws -> Interrupted {
        try await offPool {
            try watchInterruptedSync(config: config, server: server, after: after, signals: signals, signal: signal)
        }
    }

    private static func watchInterruptedSync(
        config: String, server: LoopbackHTTPServer, after: Int, signals: Int, signal: Int32
    ) throws -> Interrupted {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TidingsBinary.path)
        process.arguments = ["sync", "--config", config]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && server.requests.count < after && Date() < deadline { usleep(5_000) }
        for index in 0..<signals {
            if index > 0 { usleep(20_000) }
            kill(process.processIdentifier, signal)
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Interrupted(
            reason: process.terminationReason, status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test("Ctrl-C starts no more feeds, finishes those in flight and says what was done; the next run does the rest")
    func ctrlCStopsGracefully() async throws {
        let count = 40
        try await Self.withSlowFeeds(count) { folder, server, config in
            let run = try await Self.interruptedSync(config: config, server: server, after: 5, signals: 1)
            let (stdout, stderr) = (run.stdout, run.stderr)
            // It ends by the signal, once done, so that a shell script running it stops too.
            #expect(run.reason == .uncaughtSignal && run.status == SIGINT, "\(stderr)")
            #expect(stderr.contains("tidings: interrupted: finishing the feeds in flight"), "\(stderr)")
            #expect(stderr.contains("tidings: error: the run was interrupted; the next run picks up where it stopped"))
            let done = stdout.firstMatch(of: /synced (\d+) feeds?: (\d+) new entr/).map { (Int($0.1)!, Int($0.2)!) }
            let files = { Harness.files(in: folder.appendingPathComponent("out").path).count }
            // The feeds in flight were finished, not cut short: every one done has its file.
            #expect(done != nil && done!.0 >= 5 && done!.0 < count && done!.1 == done!.0, "\(stdout)")
            #expect(files() == done?.0, "\(stdout)")
            #expect(!stderr.contains("warning"), "no feed failed: \(stderr)")

            let rest = try await ChildProcess.running(TidingsBinary.path, ["sync", "--config", config])
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(rest.stdout.hasPrefix("synced \(count - (done?.0 ?? 0)) feeds: "), "\(rest.stdout)")
            #expect(files() == count)
        }
    }

    @Test("SIGTERM (systemd stopping a service) stops a run the same way, and says so")
    func sigtermStopsGracefully() async throws {
        try await Self.withSlowFeeds(20) { folder, server, config in
            let run = try await Self.interruptedSync(
                config: config, server: server, after: 3, signals: 1, signal: SIGTERM)
            let (stdout, stderr) = (run.stdout, run.stderr)
            #expect(run.reason == .uncaughtSignal && run.status == SIGTERM)
            #expect(stderr.contains("finishing the feeds in flight (a second SIGTERM stops at once)"), "\(stderr)")
            #expect(stdout.hasPrefix("synced "), "\(stdout)")
            let rest = try await ChildProcess.running(TidingsBinary.path, ["sync", "--config", config])
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(Harness.files(in: folder.appendingPathComponent("out").path).count == 20)
        }
    }

    @Test("a second Ctrl-C ends the run at once, and the next run still finishes the job")
    func secondCtrlCStopsAtOnce() async throws {
        let count = 40
        try await Self.withSlowFeeds(count) { folder, server, config in
            let run = try await Self.interruptedSync(config: config, server: server, after: 5, signals: 2)
            let stdout = run.stdout
            #expect(run.reason == .uncaughtSignal && run.status == SIGINT)
            #expect(!stdout.contains("synced"), "\(stdout)")

            let rest = try await ChildProcess.running(TidingsBinary.path, ["sync", "--config", config])
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(Harness.files(in: folder.appendingPathComponent("out").path).count == count)
        }
    }

    @Test("after a sync the database file alone holds everything: its log is copied in and emptied")
    func leavesACompleteDatabaseFile() async throws {
        let feed = rss(items: [
            ("c-1", "One", "http://site.test/c1", "Sun, 18 Oct 2026 09:00:00 +0000"),
            ("c-2", "Two", "http://site.test/c2", "Sun, 18 Oct 2026 10:00:00 +0000"),
            ("c-3", "Three", "http://site.test/c3", "Sun, 18 Oct 2026 11:00:00 +0000"),
        ])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: feed)])
        defer { server.stop() }
        let folder = try Self.makeFolder("close")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try Self.writeConfig(in: folder, urls: [server.baseURL + "/feed"])
        let run = try ChildProcess.run(TidingsBinary.path, ["sync", "--quiet", "--config", config])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(!run.stderr.contains("warning"), "\(run.stderr.suffix(2000))")

        let log = folder.appendingPathComponent("tidings.sqlite-wal").path
        let logSize = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        #expect(logSize == 0)
        // What a backup that copies only the database file gets.
        let copy = folder.appendingPathComponent("backup")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: folder.appendingPathComponent("tidings.sqlite").path,
            toPath: copy.appendingPathComponent("tidings.sqlite").path)
        let store = try SQLiteFeedStore(path: copy.appendingPathComponent("tidings.sqlite").path)
        let feeds = try await store.feeds()
        #expect(feeds.count == 1)
        let entries = try await store.entries(feedID: try #require(feeds.first).id)
        #expect(Set(entries.map(\.entry.title)) == ["One", "Two", "Three"])
        try await store.close()
    }

    @Test("the command allocates with jemalloc, not glibc's allocator, for every library in it")
    func allocatesWithJemalloc() throws {
        let feed = rss(items: [("j-1", "A story", "http://site.test/j1", "Sun, 18 Oct 2026 09:00:00 +0000")])
        let server = try LoopbackHTTPServer(routes: ["/feed": .init(body: feed)])
        defer { server.stop() }
        let folder = try Self.makeFolder("jemalloc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try Self.writeConfig(in: folder, urls: [server.baseURL + "/feed"])

        // jemalloc prints its statistics at exit when asked; glibc ignores the variable.
        let run = try ChildProcess.run(
            TidingsBinary.path, ["sync", "--quiet", "--config", config],
            environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(run.stderr.contains("Begin jemalloc statistics"))
        // Its count of allocations served: the run's Swift code, SQLite and libxml2
        // allocate through it (were glibc's malloc in charge, jemalloc would have
        // served next to none).
        let total = run.stderr.split(separator: "\n").first { $0.hasPrefix("total:") }
        let served = total.flatMap { $0.split(separator: " ").dropFirst(2).first }.flatMap { Int($0) } ?? 0
        #expect(served > 1_000, "\(total ?? "no total line")")
    }
}
