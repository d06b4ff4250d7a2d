import TidingsModel

/// A digest of a fetched document and of what processing it depends on besides its
/// bytes: its `Content-Type` (which may name its charset), the URL it came from (the
/// base of its relative links) and the filters.
///
/// Many servers send no `ETag` or `Last-Modified`, so every check of their feeds is a
/// 200 with the whole document, usually the same as the last one. A refresh that finds
/// the digest of the last document it processed skips parsing, sanitizing and storing,
/// as for a 304: the same bytes would give the same entries. Like a 304, it does not
/// bring in what a newer Tidings would make of the same bytes; the next change of the
/// document does.
///
/// Sixteen hex digits (`ChangeDigest`, eight bytes per step): about 60 ms for the
/// 270 MB of the sync benchmark's feeds. Not for security: a feed able to collide
/// with its own last document only holds back its own next one.
public enum DocumentDigest {
    /// The digest of `body`, fetched from `url` with `contentType`, processed with `filters`.
    public static func of(_ body: [UInt8], contentType: String?, url: String, filters: [FilterRule]) -> String {
        var digest = ChangeDigest()
        body.withUnsafeBytes { digest.add(bytes: $0) }
        digest.add(contentType)
        digest.add(url)
        digest.add(list: filters.map { "\($0.action.rawValue)\u{0}\($0.field.rawValue)\u{0}\($0.pattern)" })
        return digest.hex
    }
}
