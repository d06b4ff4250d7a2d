import Foundation
import TestSupport
import Testing

@testable import Publishing

/// Builds scaffolded sites with the real `hugo` binary and checks the HTML it writes.
@Suite("Real Hugo build", .serialized)
struct HugoBuildTests {
    static let utc = TimeZone(identifier: "UTC")!

    /// The `hugo` binary: `$HUGO`, else the first on `PATH`.
    static func hugoPath() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["HUGO"], !configured.isEmpty { return configured }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/hugo") {
            return "\(folder)/hugo"
        }
        Issue.record("hugo is not installed (apt-get install hugo, or set HUGO=/path/to/hugo); these tests need it")
        throw CancellationError()
    }

    /// Runs `hugo` on the site; returns its exit status and everything it printed.
    static func build(_ site: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try hugoPath())
        process.arguments = [
            "--source", site, "--destination", site + "/public", "--cacheDir", site + "/.hugo-cache", "--noBuildLock",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Go's html/template escaping of text, which Hugo applies to `{{ .Title }}`.
    static func goHTMLEscaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "+": out += "&#43;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Every file under `public/` with its text.
    static func publicFiles(_ site: String) -> [String: String] {
        let root = site + "/public"
        var files: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: root) ?? [] {
            if let data = FileManager.default.contents(atPath: root + "/" + path) {
                files[path] = String(decoding: data, as: UTF8.self)
            }
        }
        return files
    }

    struct Case {
        var page: HugoPage
        var style: OutputOptions.DateStyle
    }

    static let hostileBody =
        "<div><p>[click me](javascript:alert(1)) and [y]: javascript:alert(2)</p>"
        + "<p><a href=\"https://example.com/\">a safe link</a></p></div>"
    static let preBody = "<pre>line one&#10;&#10;[x](javascript:alert(1))&#10;    indented code?</pre><p>after</p>"

    static func pages() throws -> [Case] {
        let golden = try Golden.bytes("bukele-expected.md")
        let date = Date(timeIntervalSince1970: 1_766_511_910)
        return [
            Case(
                page: HugoPage(
                    title: "Bukele challenges Hillary Clinton to take El Salvador's entire prison population",
                    date: date, description: "Bukele challenged Hillary Clinton\u{2019}s allegations.",
                    link: "https://www.foxnews.com/world/bukele", source: "https://feeds.foxnews.com/foxnews/world",
                    body: try #require(Golden.body(of: golden))),
                style: .date),
            Case(
                page: HugoPage(
                    title: "He said: \"No comment\" # not a comment, it's 'fine' & <ok> {x} [y] *z* !t | > % @ ` + - ?",
                    date: date.addingTimeInterval(60), description: "key: value # comment \"q\"",
                    image: "https://example.com/a.jpg?x=1&y=2", link: "https://example.com/quotes?a=1&b=2",
                    source: "https://example.com/feed", body: "<p>Quotes &amp; colons: \"fine\"</p>"),
                style: .datetime),
            Case(
                page: HugoPage(
                    title: "Pre with blank lines", date: date.addingTimeInterval(120), description: "pre",
                    link: "https://example.com/pre", source: "https://example.com/feed", body: preBody),
                style: .date),
            Case(
                page: HugoPage(
                    title: "Hostile [x](javascript:alert(1))", date: date.addingTimeInterval(180),
                    description: "[x](javascript:alert(1))", link: "javascript:alert(1)",
                    source: "https://example.com/feed", body: hostileBody),
                style: .datetime),
            Case(
                page: HugoPage(
                    title: "\u{FEFF}Tab\there, line\u{2028}separator, “curly” ünïcödé 😀 back\\slash\u{FEFF}",
                    date: date,
                    description: "multi\nline\u{85}", link: "https://example.com/u", source: "https://example.com/feed",
                    body: "<p>unicode</p>"),
                style: .date),
        ]
    }

    @Test("A scaffolded site with published pages builds without warnings and shows every page safely")
    func buildSite() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let site = temp.path + "/site"
        try HugoSite.scaffold(at: site, title: "Tidings \"Desk\" & co")
        let folder = try OutputFolder(directory: site + "/content/posts")
        let template = try ContentPathTemplate(OutputOptions().pathTemplate)
        var expected: [(path: String, page: HugoPage)] = []
        for (index, item) in try Self.pages().enumerated() {
            let path = template.path(
                title: item.page.title, date: item.page.date, id: "id-\(index)", feed: "feed", timeZone: Self.utc,
                attempt: 0)
            let text = HugoRenderer.render(item.page, dateStyle: item.style, timeZone: Self.utc)
            #expect(try folder.write(Array(text.utf8), to: path))
            expected.append((path, item.page))
        }

        let (status, output) = try Self.build(site)
        #expect(status == 0, "hugo failed: \(output)")
        #expect(!output.contains("WARN") && !output.contains("ERROR"), "hugo complained: \(output)")

        let files = Self.publicFiles(site)
        for (path, page) in expected {
            let htmlPath = "posts/" + path.dropLast(3) + "/index.html"
            let html = try #require(files[htmlPath], "no \(htmlPath) among \(files.keys.sorted())")
            #expect(html.contains("<h1>\(Self.goHTMLEscaped(page.title))</h1>"), "title of \(path) in \(html)")
            #expect(html.contains(page.body), "body of \(path) was changed: \(html)")
            #expect(html.contains("<title>\(Self.goHTMLEscaped(page.title)) · Tidings &#34;Desk&#34; &amp; co</title>"))
            let home = try #require(files["index.html"])
            #expect(home.contains(">\(Self.goHTMLEscaped(page.title))</a>"))
        }
        for (path, text) in files {
            #expect(!text.lowercased().contains("href=\"javascript:"), "live javascript: link in \(path)")
        }
    }

    @Test("Random hostile titles read back exactly through Hugo's own YAML parser")
    func randomTitlesThroughHugo() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let site = temp.path + "/site"
        try HugoSite.scaffold(at: site)
        let folder = try OutputFolder(directory: site + "/content/posts")
        var rng = SplitMix(seed: 2025)
        var titles: [String] = []
        for index in 0..<60 {
            // A fixed start keeps titles non-blank and distinct; the rest is hostile.
            let title = "r\(index) " + YAMLRoundTripTests.randomString(&rng)
            titles.append(title)
            let page = HugoPage(
                title: title, date: Date(timeIntervalSince1970: 1_766_511_910), description: title,
                link: "https://example.com/\(index)", body: "<p>page \(index)</p>")
            let text = HugoRenderer.render(page, dateStyle: .datetime, timeZone: Self.utc)
            try folder.write(Array(text.utf8), to: "r\(index).md")
        }
        let (status, output) = try Self.build(site)
        #expect(status == 0, "hugo failed: \(output)")
        #expect(!output.contains("WARN") && !output.contains("ERROR"), "hugo complained: \(output)")
        let files = Self.publicFiles(site)
        for (index, title) in titles.enumerated() {
            let html = try #require(files["posts/r\(index)/index.html"])
            #expect(
                html.contains("<h1>\(Self.goHTMLEscaped(title))</h1>"), "title \(visible(title)) in \(visible(html))")
        }
    }

    @Test("Control: a body with a blank line would give a live javascript: link, which the check above catches")
    func blankLineIsDangerous() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let site = temp.path + "/site"
        try HugoSite.scaffold(at: site)
        let folder = try OutputFolder(directory: site + "/content/posts")
        let page = HugoPage(
            title: "Unsafe", date: Date(timeIntervalSince1970: 1_766_511_910),
            body: "<div>x</div>\n\n[x](javascript:alert(1))")
        try folder.write(Array(HugoRenderer.render(page, dateStyle: .date, timeZone: Self.utc).utf8), to: "unsafe.md")
        let (status, output) = try Self.build(site)
        #expect(status == 0, "hugo failed: \(output)")
        let html = try #require(Self.publicFiles(site)["posts/unsafe/index.html"])
        #expect(html.contains("href=\"javascript:alert(1)\""))
    }

    @Test("Scaffolding writes the site's files and refuses to overwrite any of them")
    func scaffold() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let site = temp.path + "/site"
        try HugoSite.scaffold(at: site, title: "My \"News\"")
        #expect(
            temp.allFiles() == [
                "site", "site/content", "site/content/posts", "site/hugo.toml", "site/layouts", "site/layouts/_default",
                "site/layouts/_default/baseof.html", "site/layouts/_default/list.html",
                "site/layouts/_default/single.html",
                "site/layouts/index.html",
            ])
        let config = try #require(FileManager.default.contents(atPath: site + "/hugo.toml"))
        let text = String(decoding: config, as: UTF8.self)
        #expect(text.contains("title = \"My \\\"News\\\"\"\n"))
        #expect(text.contains("[markup.goldmark.renderer]\n"))
        #expect(text.contains("unsafe = true"))

        try FileManager.default.removeItem(atPath: site + "/layouts/index.html")
        do {
            try HugoSite.scaffold(at: site)
            Issue.record("scaffold overwrote an existing site")
        } catch let error as PublishingError {
            #expect(error.shortDescription == "site_file_exists")
            #expect(error.description.contains("hugo.toml"))
        }
        #expect(!FileManager.default.fileExists(atPath: site + "/layouts/index.html"))
        #expect(FileManager.default.contents(atPath: site + "/hugo.toml") == config)

        // A folder holding other files is fine.
        let other = temp.path + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: other + "/README"))
        try HugoSite.scaffold(at: other)
        #expect(FileManager.default.fileExists(atPath: other + "/hugo.toml"))
    }

    @Test("TOML quoting escapes quotes, backslashes and control characters")
    func tomlQuoting() {
        #expect(HugoSite.tomlQuoted("a\"b\\c\n\u{1}\u{7F}é") == "\"a\\\"b\\\\c\\n\\u0001\\u007Fé\"")
    }
}
