import ArgumentParser
import AsyncHTTPClient
import FeedParsing
import Foundation
import HTMLSanitizing
import Logging
import TidingsModel

/// `tidings parse FILE|URL`: prints the feed as the JSON of the command-line contract.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed file or URL and print it as JSON.",
        discussion: """
            Prints one JSON object: format, title, link and entries (id, title, link, \
            published, updated, summary, content, image, authors, categories, enclosures). \
            Warnings about recovered problems go to standard error; the exit status is \
            non-zero only when no feed could be read.
            """
    )

    @Argument(help: "A feed file, or an http(s) URL. With --count-only, any number of files.")
    var inputs: [String]

    @Option(help: "The URL the document was served from, for relative links (default: the URL given).")
    var baseURL: String?

    @Option(help: "The HTTP Content-Type the document was served with, e.g. 'text/xml; charset=iso-8859-1'.")
    var contentType: String?

    @Flag(help: "Parse every input into the model and print only counts (for benchmarks).")
    var countOnly = false

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @OptionGroup var sanitizerFlags: SanitizerFlags

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give a feed file or URL") }
        if inputs.count > 1 && !countOnly { throw ValidationError("give one feed file or URL (or use --count-only)") }
    }

    func run() async throws {
        if countOnly {
            try runCountOnly()
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "tidings.parse")
        let input = inputs[0]
        let started = ContinuousClock.now
        let result: ParsedFeed
        do {
            if let scheme = URLResolver.scheme(of: input), scheme == "http" || scheme == "https" {
                result = try await parseURL(input)
            } else {
                let options = FeedParser.Options(baseURL: baseURL, contentType: contentType)
                result = try FeedParser.parse(contentsOfFile: input, options: options)
            }
        } catch let error as FeedParsingError {
            printError("tidings: error: \(input): \(error)")
            throw ExitCode(1)
        }
        for warning in result.warnings {
            printError("tidings: warning: \(input): \(warning)")
        }
        logger.debug(
            "parsed feed",
            metadata: [
                "feed.url": "\(input)", "format": "\(result.feed.format.rawValue)", "encoding": "\(result.encoding)",
                "entries": "\(result.feed.entries.count)", "warnings": "\(result.warnings.count)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        FileHandle.standardOutput.write(Data(Self.json(for: result.feed, sanitizer: sanitizerFlags.sanitizer) + [0x0A]))
    }

    /// Fetches a feed with AsyncHTTPClient (redirects followed, at most 20 MiB).
    private func parseURL(_ input: String) async throws -> ParsedFeed {
        let limit = 20 << 20
        let response: HTTPClientResponse
        var body: [UInt8] = []
        do {
            var request = HTTPClientRequest(url: input)
            request.headers.add(name: "User-Agent", value: "Tidings/0.1 (+https://github.com/tidings)")
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            for try await chunk in response.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > limit { throw FeedParsingError.tooLarge(limit: limit) }
            }
        } catch let error as FeedParsingError {
            throw error
        } catch {
            throw FeedParsingError.unreadable("cannot fetch: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw FeedParsingError.unreadable("the server answered HTTP \(response.status.code)")
        }
        // The final URL after redirects is the base for relative links.
        let finalURL = response.history.last?.request.url ?? input
        let options = FeedParser.Options(
            baseURL: baseURL ?? finalURL,
            contentType: contentType ?? response.headers.first(name: "Content-Type"))
        return try FeedParser.parse(body, options: options)
    }

    /// The contract's JSON: bodies sanitized, and an entry without an image of its
    /// own gets the first image of its content (DESIGN.md's image order).
    static func json(for feed: Feed, sanitizer: HTMLSanitizer) -> [UInt8] {
        var feed = feed
        for index in feed.entries.indices where feed.entries[index].image == nil {
            let entry = feed.entries[index]
            guard let html = entry.content ?? entry.summary else { continue }
            let base = entry.contentBase
            feed.entries[index].image = sanitizer.firstImage(html: html) { URLResolver.resolve($0, against: base) }
        }
        return FeedJSON.encodeUTF8(feed) { html, base in
            Array(sanitizer.sanitize(bytes: html) { URLResolver.resolve($0, against: base) }.utf8)
        }
    }

    private func runCountOnly() throws {
        var files = 0
        var entries = 0
        var bytes = 0
        var failures = 0
        for path in inputs {
            let options = FeedParser.Options(baseURL: baseURL, contentType: contentType)
            do {
                _ = try FeedParser.parse(contentsOfFile: path, options: options) { _ in entries += 1 }
                files += 1
            } catch {
                failures += 1
                printError("tidings: error: \(path): \(error)")
            }
            var info = stat()
            if stat(path, &info) == 0 { bytes += Int(info.st_size) }
        }
        print("files=\(files) entries=\(entries) bytes=\(bytes) failed=\(failures)")
    }
}
