import Foundation

extension String {
    /// The text with the password of every URL's user information replaced by `***`:
    /// `http://alice:s3cret@host/feed` reads `http://alice:***@host/feed`. For messages
    /// and logs, which end up in cron mails and tickets; the URL itself is left alone
    /// everywhere else. Text without such a URL comes back unchanged.
    public var redactingURLPasswords: String {
        guard contains("@") else { return self }
        var scalars = Array(unicodeScalars)
        var index = 0
        var changed = false
        while index + 2 < scalars.count {
            guard scalars[index] == ":", scalars[index + 1] == "/", scalars[index + 2] == "/" else {
                index += 1
                continue
            }
            let start = index + 3
            // The authority ends at the path, query or fragment, or where a message's
            // words resume.
            var end = start
            while end < scalars.count, !Self.authorityEnds.contains(scalars[end]) { end += 1 }
            if let at = scalars[start..<end].lastIndex(of: "@"),
                let colon = scalars[start..<at].firstIndex(of: ":"), colon + 1 < at
            {
                scalars.replaceSubrange((colon + 1)..<at, with: "***".unicodeScalars)
                changed = true
                index = colon + 4
            } else {
                index = end
            }
        }
        guard changed else { return self }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// The URL without its user information: `http://alice:s3cret@host/feed` reads
    /// `http://host/feed`. What may be published or used as a base for the links of a
    /// document (a relative link resolved against a base with user information would
    /// carry the password into the page). Other strings come back unchanged.
    public var removingURLUserInfo: String {
        // Called for every file published: bytes, not Foundation's `range(of:)`, and no
        // copy of the common URL without user information.
        let utf8 = self.utf8
        guard utf8.contains(UInt8(ascii: "@")) else { return self }
        guard let authorityStart = utf8.firstRange(of: "://".utf8)?.upperBound else { return self }
        let rest = utf8[authorityStart...]
        let authorityEnd =
            rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? utf8.endIndex
        guard let at = utf8[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) else { return self }
        return String(self[..<authorityStart]) + String(self[utf8.index(after: at)...])
    }

    private static let authorityEnds: Set<Unicode.Scalar> = ["/", "?", "#", " ", "\t", "\n", "\"", "'", "<", ">"]
}

extension String {
    /// The URL with the user information of `page` when it has none of its own and
    /// names `page`'s host: a feed a private site's page links to, which takes the same
    /// password. Credentials never go to another host (the fetcher's rule for a
    /// redirect too); other strings come back unchanged.
    public func carryingURLUserInfo(of page: String) -> String {
        guard let from = URLComponents(string: page), from.percentEncodedUser != nil,
            var to = URLComponents(string: self), to.percentEncodedUser == nil,
            let host = to.host, !host.isEmpty, host.lowercased() == from.host?.lowercased()
        else { return self }
        to.percentEncodedUser = from.percentEncodedUser
        to.percentEncodedPassword = from.percentEncodedPassword
        return to.string ?? self
    }
}
