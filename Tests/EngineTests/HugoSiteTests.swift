import Foundation
import TestSupport
import Testing

/// `init-site` + `sync` over the bundled samples, then real Hugo builds the site.
@Suite("Hugo builds what sync writes")
struct HugoSiteTests {

    @Test("every sample entry gets a page with its title and body, with no Hugo warning")
    func samplesBuild() throws {
        let samples = repositoryRoot().appendingPathComponent("samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted()
        #expect(names.count >= 6)
        var routes: [String: LoopbackHTTPServer.Response] = [:]
        for name in names {
            routes["/" + name] = .init(body: try [UInt8](Data(contentsOf: samples.appendingPathComponent(name))))
        }
        let server = try LoopbackHTTPServer(routes: routes)
        defer { server.stop() }

        let site = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-site-\(UUID())")
        defer { try? FileManager.default.removeItem(at: site) }
        let scaffold = try ChildProcess.run(TidingsBinary.path, ["init-site", site.path])
        #expect(scaffold.status == 0, "\(scaffold.stderr)")
        var yaml = "database: tidings.sqlite\noutput: { dir: content/posts }\nfeeds:\n"
        for name in names { yaml += "  - url: \(server.baseURL)/\(name)\n" }
        let config = site.appendingPathComponent("tidings.yml").path
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let sync = try ChildProcess.run(TidingsBinary.path, ["sync", "--config", config])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("0 failed"), "\(sync.stdout)\n\(sync.stderr)")

        let pages = Harness.files(in: site.appendingPathComponent("content/posts").path)
        #expect(pages.count >= 12)

        let hugo = try ChildProcess.run(
            "/usr/bin/hugo", ["--source", site.path, "--destination", site.appendingPathComponent("public").path])
        #expect(hugo.status == 0, "\(hugo.stdout)\n\(hugo.stderr)")
        #expect(!hugo.stdout.contains("WARN") && !hugo.stderr.contains("WARN"), "\(hugo.stdout)\n\(hugo.stderr)")
        #expect(!hugo.stdout.contains("ERROR") && !hugo.stderr.contains("ERROR"))

        let built = Harness.files(in: site.appendingPathComponent("public").path).filter { $0.key.hasSuffix(".html") }
        for (path, page) in pages {
            let title = try #require(Self.frontMatterValue("title", in: page))
            let body = page.components(separatedBy: "\n---\n").last!.trimmingCharacters(in: .newlines)
            let slug = (path as NSString).deletingPathExtension.split(separator: "/").last!
            let html = try #require(
                built.first { $0.key.hasSuffix("/\(slug)/index.html") }?.value, "no page built for \(path)")
            #expect(html.contains(Self.htmlEscaped(title)), "\(path): title missing")
            #expect(html.contains(body), "\(path): body not rendered verbatim")
        }
        for html in built.values {
            #expect(!html.contains("href=\"javascript:"))
        }
    }

    /// A front-matter value, unquoted with YAML's double-quote escapes undone for the common cases.
    static func frontMatterValue(_ key: String, in page: String) -> String? {
        guard let line = page.split(separator: "\n").first(where: { $0.hasPrefix("\(key): \"") }) else { return nil }
        var value = String(line.dropFirst(key.count + 3).dropLast())
        value = value.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        return value
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&#34;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
