import Foundation

/// The rules for a feed's URL, one set for the config file, `tidings feeds add` and
/// OPML import: a URL any of them accepts is one the config file reads back.
public enum FeedURL {
    /// `raw` without surrounding white space (U+200B included), when it is an absolute
    /// http or https URL with a host; `nil` otherwise.
    public static func checked(_ raw: String) -> String? {
        let url = raw.trimmingWhiteSpaceAndZeroWidthSpace
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
            let host = URLComponents(string: url)?.host, !host.isEmpty
        else { return nil }
        return url
    }

    /// ``checked(_:)`` of a URL as pasted from a browser or a subscription list, where
    /// `feed://host/…` and `feed:https://host/…` name the feed at `http://host/…` and
    /// `https://host/…`.
    public static func checked(subscribing raw: String) -> String? {
        let url = raw.trimmingWhiteSpaceAndZeroWidthSpace
        let lower = url.lowercased()
        if lower.hasPrefix("feed://") { return checked("http://" + url.dropFirst(7)) }
        if lower.hasPrefix("feed:http://") || lower.hasPrefix("feed:https://") {
            return checked(String(url.dropFirst(5)))
        }
        return checked(url)
    }

    /// A key that two spellings of one request share: the scheme and host in lower
    /// case, the scheme's default port and the fragment (never sent) left out, an
    /// empty path written `/`. `HTTP://Example.com:80#top` and `http://example.com/`
    /// are one feed; the path, the query and any user name are compared as written.
    /// It is the canonical link of the URL with no tracking parameter removed.
    public static func identity(_ url: String) -> String {
        CanonicalLink.make(url, trackingParameters: []) ?? url
    }
}

extension FeedURL {
    /// ``identity(_:)`` with `http` and `https` taken as one scheme: the key under
    /// which a feed whose site moved to https (or back) is still the same feed.
    public static func identityAcrossSchemes(_ url: String) -> String {
        let identity = identity(url)
        return identity.hasPrefix("http://") ? "https://" + identity.dropFirst(7) : identity
    }
}
