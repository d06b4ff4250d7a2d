import ArgumentParser
import Engine
import FeedParsing
import Foundation
import Processing
import Publishing

/// `tidings publish FEED_FILE --source URL --out DIR`: one content file per entry of a local feed.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write one Hugo content file per entry of a local feed file, as if fetched from --source."
    )

    @Argument(help: "The feed file.")
    var feedFile: String

    @Option(help: "The URL the feed is published at: the base for relative links and the front matter's source.")
    var source: String

    @Option(help: "The output folder (created if needed).")
    var out: String

    @Option(help: "The output path template: {year} {month} {day} {slug} {id} {feed}.")
    var path = "{year}/{month}/{slug}.md"

    @Option(help: "Front-matter date: date (2025-12-23) or datetime (RFC 3339).")
    var date: OutputOptions.DateStyle = .date

    @Option(help: "Time zone for dates and {year}/{month}/{day}, e.g. UTC or Europe/Paris.")
    var timeZone = "UTC"

    @Flag(help: "Mark the pages as drafts.")
    var draft = false

    @Option(help: "The HTTP Content-Type the file was served with (its charset counts).")
    var contentType: String?

    @OptionGroup var sanitizerFlags: SanitizerFlags

    func run() async throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError("unknown time zone '\(timeZone)'")
        }
        let parsed: ParsedFeed
        do {
            parsed = try FeedParser.parse(
                contentsOfFile: feedFile, options: FeedParser.Options(baseURL: source, contentType: contentType))
        } catch {
            printError("tidings: error: \(feedFile): \(error)")
            throw ExitCode(1)
        }
        for warning in parsed.warnings {
            printError("tidings: warning: \(feedFile): \(warning)")
        }
        let options = OutputOptions(
            directory: out, dateStyle: date, pathTemplate: path, timeZone: zone, draft: draft)
        let publisher = FilePublisher(
            processor: EntryProcessor(options: ProcessingOptions(sanitizer: sanitizerFlags.sanitizer.options)),
            options: options)
        do {
            let result = try publisher.publish(parsed.feed, source: source)
            for path in result.paths { print(path) }
        } catch {
            printError("tidings: error: \(out): \(error)")
            throw ExitCode(1)
        }
    }
}

extension OutputOptions.DateStyle: ExpressibleByArgument {}
