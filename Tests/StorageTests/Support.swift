import Foundation
import TidingsModel

@testable import Storage

/// A folder under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var databasePath: String { url.appendingPathComponent("tidings.sqlite").path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// A fixed clock reading; whole seconds, so they survive millisecond storage exactly.
func day(_ n: Int, hour: Int = 0) -> Date {
    Date(timeIntervalSince1970: 1_750_000_000 + Double(n) * 86_400 + Double(hour) * 3_600)
}

func makeEntry(
    _ key: String,
    hash: String? = nil,
    canonical: String? = nil,
    published: Date? = nil,
    title: String? = nil
) -> ProcessedEntry {
    ProcessedEntry(
        key: key,
        title: title ?? "Title \(key)",
        link: canonical,
        canonicalLink: canonical,
        published: published,
        description: "About \(key)",
        body: "<p>\(key)</p>",
        contentHash: hash ?? "hash-\(key)"
    )
}

func subscription(_ url: String, name: String? = nil) -> FeedSubscription {
    FeedSubscription(url: url, name: name)
}

/// Opens a store on a new file and adds feeds for `urls`.
func makeStore(_ directory: TemporaryDirectory, feeds urls: [String] = ["https://a.example/feed"]) async throws -> (
    SQLiteFeedStore, [FeedRecord]
) {
    let store = try SQLiteFeedStore(path: directory.databasePath)
    let records = try await store.synchronize(subscriptions: urls.map { subscription($0) })
    return (store, records)
}

/// SQL that stores feed 1 (`https://a.example/feed`) with the columns every schema
/// version has: the start of a database an older Tidings left, for migration tests.
let oneFeedSQL = """
    INSERT INTO feeds (id, url, enabled, filters, fetch_url, consecutive_failures,
        redirect_confirmations, retired)
    VALUES (1, 'https://a.example/feed', TRUE, '[]', 'https://a.example/feed', 0, 0, FALSE);

    """
