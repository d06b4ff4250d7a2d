import FeedParsing
import Foundation
import Processing
import Publishing
import TidingsModel

/// Publishes a local feed file without a store: `tidings publish FEED_FILE --source URL --out DIR`.
///
/// Each entry of the document gets one file, as if the document had been fetched
/// from `source`. Re-running over the same folder rewrites the same files (only
/// when their bytes change); two entries of one document whose paths collide get
/// the usual `-2`, `-3` suffixes.
public struct FilePublisher: Sendable {
    /// Turns parsed entries into publishable ones.
    public let processor: EntryProcessor
    /// Output folder, path template, date style.
    public let options: OutputOptions

    /// Creates a publisher.
    public init(processor: EntryProcessor = EntryProcessor(), options: OutputOptions) {
        self.processor = processor
        self.options = options
    }

    /// What was published.
    public struct Result: Sendable, Hashable {
        /// The relative paths of the entries' files, in document order.
        public var paths: [String] = []
        /// How many of them were written (the others already held the same bytes).
        public var written = 0
    }

    /// Publishes every entry of `feed` as fetched from `source` at `now`.
    public func publish(_ feed: Feed, source: String, now: Date = Date()) throws -> Result {
        let folder = try OutputFolder(directory: options.directory)
        let template = try ContentPathTemplate(options.pathTemplate)
        let processed = processor.process(feed, feedURL: source, filters: .none, fetchedAt: now)
        let feedName = EntryPublisher.feedName(FeedSubscription(url: source))
        var result = Result()
        var used: Set<String> = []
        for entry in processed.entries {
            let date = entry.published ?? now
            let id = EntryPublisher.entryToken(feedURL: source, key: entry.key)
            var attempt = 0
            var path = template.path(
                title: entry.title, date: date, id: id, feed: feedName, timeZone: options.timeZone, attempt: 0)
            while used.contains(path) {
                attempt += 1
                path = template.path(
                    title: entry.title, date: date, id: id, feed: feedName, timeZone: options.timeZone,
                    attempt: attempt)
            }
            used.insert(path)
            let page = EntryPublisher.page(for: entry, date: date, source: source, draft: options.draft)
            let bytes = HugoRenderer.renderBytes(page, dateStyle: options.dateStyle, timeZone: options.timeZone)
            if try folder.write(bytes, to: path) { result.written += 1 }
            result.paths.append(path)
        }
        return result
    }
}
