import Foundation

/// The redirects of one fetch so far, as a pure value: where to go next, whether every hop was
/// permanent, and when to give up.
struct RedirectTrail: Sendable {
    /// The URL asked for first.
    let origin: String
    /// The URL to ask next (after the last hop).
    private(set) var current: URL
    private(set) var hops = 0
    private(set) var allPermanent = true
    private var visited: Set<String>
    private let maxRedirects: Int

    init(origin: URL, maxRedirects: Int) {
        self.origin = origin.absoluteString
        self.current = origin
        self.visited = [origin.absoluteString]
        self.maxRedirects = maxRedirects
    }

    /// Statuses that send the client elsewhere with `Location`.
    static func isRedirect(_ status: Int) -> Bool {
        [301, 302, 303, 307, 308].contains(status)
    }

    /// Where the feed now lives, when every hop was permanent; nil without redirects.
    var permanentRedirect: String? {
        self.hops > 0 && self.allPermanent ? self.current.absoluteString : nil
    }

    /// Records a redirect answered by `current` and moves on to its `Location`.
    mutating func follow(status: Int, location: String?) throws(FetchError) {
        let here = self.current.absoluteString
        guard let location = location?.trimmingCharacters(in: .whitespaces), !location.isEmpty else {
            throw .redirect(url: here, reason: "HTTP \(status) redirect without a Location header", status: status)
        }
        guard let next = Self.resolve(location, against: self.current) else {
            throw .redirect(
                url: here, reason: "HTTP \(status) redirect to an unusable Location \"\(location)\"", status: status)
        }
        guard let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https",
            next.host?.isEmpty == false
        else {
            throw .redirect(
                url: here, reason: "HTTP \(status) redirect to non-HTTP location \(next.absoluteString)", status: status
            )
        }
        guard self.hops < self.maxRedirects else {
            throw .redirect(
                url: self.origin,
                reason:
                    "too many redirects (more than \(self.maxRedirects)); last hop \(here) -> \(next.absoluteString)",
                status: status
            )
        }
        guard self.visited.insert(next.absoluteString).inserted else {
            throw .redirect(url: self.origin, reason: "redirect loop back to \(next.absoluteString)", status: status)
        }
        self.hops += 1
        if status != 301 && status != 308 {
            self.allPermanent = false
        }
        self.current = next
    }

    /// Resolves a `Location` (absolute, or relative to the URL that sent it), dropping any fragment.
    static func resolve(_ location: String, against base: URL) -> URL? {
        let candidate =
            URL(string: location, relativeTo: base)
            ?? location.addingPercentEncoding(withAllowedCharacters: Self.locationAllowed).flatMap {
                URL(string: $0, relativeTo: base)
            }
        guard let absolute = candidate?.absoluteURL,
            var components = URLComponents(url: absolute, resolvingAgainstBaseURL: false)
        else { return nil }
        components.fragment = nil
        return components.url
    }

    /// Characters left alone when repairing a `Location` that holds spaces or non-ASCII text.
    private static let locationAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.insert(charactersIn: "#%")
        return allowed
    }()
}
