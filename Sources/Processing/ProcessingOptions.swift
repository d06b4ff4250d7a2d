import HTMLSanitizing

/// How ``EntryProcessor`` normalizes entries. Every property has a default.
public struct ProcessingOptions: Sendable {
    /// The sanitizer policy for bodies, descriptions and images.
    public var sanitizer: HTMLSanitizer.Options
    /// The longest `description`, in characters (cut at a word boundary, "…" appended).
    public var descriptionLimit: Int
    /// The longest title made for an entry that has none (from its text), in characters
    /// (cut at a word boundary, then "…" appended); 0 leaves such entries untitled.
    public var untitledLimit: Int
    /// Query parameters removed from links to make ``ProcessedEntry/canonicalLink``.
    /// Matched case-insensitively; an entry ending in `*` matches every name with that prefix.
    public var trackingParameters: [String]

    /// Creates options; every argument has a default.
    public init(
        sanitizer: HTMLSanitizer.Options = .init(),
        descriptionLimit: Int = 300,
        untitledLimit: Int = 80,
        trackingParameters: [String] = ProcessingOptions.defaultTrackingParameters
    ) {
        self.sanitizer = sanitizer
        self.descriptionLimit = descriptionLimit
        self.untitledLimit = untitledLimit
        self.trackingParameters = trackingParameters
    }

    /// Campaign, click and mailing-list identifiers that never select a different article.
    public static let defaultTrackingParameters: [String] = [
        "utm_*", "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "_openstat",
    ]
}
