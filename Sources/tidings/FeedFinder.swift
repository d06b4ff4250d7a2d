import FeedParsing
import Fetching
import Foundation
import TidingsConfig
import TidingsModel

/// `feeds add --discover`: the feed at a URL, or the first readable feed that the web
/// page at that URL names.
struct FeedFinder {
    /// A feed found.
    struct Found {
        /// Its URL, to configure.
        var url: String
        /// How it was found, for the `added …` line: the feed's title, and the page
        /// that named it when it was not the URL given.
        var description: String
    }

    /// Why no feed was found.
    struct Problem: Error {
        var message: String
    }

    let fetch: TidingsConfiguration.Fetch

    /// The feed at `url`, or named by the page at `url` (tried in page order).
    func find(_ url: String) async -> Result<Found, Problem> {
        let fetcher = FeedFetcher(configuration: fetch.fetchConfiguration)
        let result = await find(url, with: fetcher)
        try? await fetcher.shutdown()
        return result
    }

    private func find(_ url: String, with fetcher: FeedFetcher) async -> Result<Found, Problem> {
        let first: Reading
        switch await read(url, with: fetcher) {
        case .failure(let problem): return .failure(problem)
        case .success(let reading): first = reading
        }
        if let title = first.title { return .success(Found(url: url, description: Self.titled(title))) }
        guard !first.links.isEmpty else {
            return .failure(Problem(message: "\(url.redactingURLPasswords): \(first.problem); no feed was added"))
        }
        var tried: [String] = []
        for link in first.links {
            switch await read(link, with: fetcher) {
            case .success(let reading) where reading.title != nil:
                let title = Self.titled(reading.title ?? "")
                return .success(Found(url: link, description: "\(title), named by \(url.redactingURLPasswords)"))
            case .success(let reading):
                tried.append("\(link.redactingURLPasswords) (\(reading.problem))")
            case .failure(let problem):
                tried.append("\(link.redactingURLPasswords) (\(problem.message))")
            }
        }
        return .failure(
            Problem(
                message:
                    "\(url.redactingURLPasswords) is a web page whose feeds could not be read: "
                    + "\(tried.joined(separator: "; ")); no feed was added"))
    }

    private static func titled(_ title: String) -> String {
        title.isEmpty ? "" : " \"\(title)\""
    }

    /// What one URL holds: a feed (its title) or the feeds it names.
    private struct Reading {
        var title: String?
        var links: [String] = []
        var problem = ""
    }

    private func read(_ url: String, with fetcher: FeedFetcher) async -> Result<Reading, Problem> {
        let response: FetchResponse
        do {
            response = try await fetcher.fetch(FetchRequest(url: url))
        } catch let error as FetchError {
            return .failure(Problem(message: error.description))
        } catch {
            return .failure(Problem(message: "\(url.redactingURLPasswords): \(error)"))
        }
        guard case .fetched(let body, let contentType) = response.outcome else {
            return .failure(Problem(message: "\(url.redactingURLPasswords): HTTP \(response.status)"))
        }
        do {
            let parsed = try FeedParser.parse(
                body, options: FeedParser.Options(baseURL: response.finalURL, contentType: contentType))
            return .success(Reading(title: parsed.feed.title ?? ""))
        } catch {
            // A private site's page (a password in its URL) links to feeds that take the
            // same password; the page's base URL carries none (see `FetchResponse.finalURL`).
            let links = FeedDiscovery.links(in: body, pageURL: response.finalURL).map {
                $0.url.carryingURLUserInfo(of: url)
            }
            return .success(Reading(links: links, problem: "not a feed: \(error.reason)"))
        }
    }
}

extension TidingsConfiguration.Fetch {
    /// The fetcher's settings from the configuration's `fetch` section.
    var fetchConfiguration: FetchConfiguration {
        FetchConfiguration(
            maxConcurrent: concurrency, perHost: perHost, connectTimeout: connectTimeout, requestTimeout: timeout,
            maxBodyBytes: maxBody, userAgent: userAgent ?? FetchConfiguration().userAgent)
    }
}
