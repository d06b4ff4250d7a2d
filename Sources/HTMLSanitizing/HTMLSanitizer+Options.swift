extension HTMLSanitizer {
    /// What to do with the `target` attribute of links.
    public enum LinkTargetPolicy: Sendable, Hashable {
        /// Keep `target` and `rel` exactly as the feed wrote them.
        case keep
        /// Remove `target` (links open in the reader's tab); `rel` stays.
        case strip
        /// Every link gets `target="_blank"` and a `rel` holding `noopener`
        /// (added to the feed's own `rel` tokens).
        case forceBlank
    }

    /// How the sanitizer treats a body. Every property has a default; the
    /// defaults are the allow-list policy Tidings publishes with.
    public struct Options: Sendable {
        /// Element names allowed in addition to the built-in allow-list (lowercase).
        /// Elements that are always removed with their content (`script`, `style`,
        /// `object`, `form`, `svg`…) cannot be allowed this way.
        public var extraAllowedElements: Set<String>
        /// Attribute names allowed on every allowed element, in addition to the
        /// built-in list (lowercase). Event handlers (`on…`) and `style` cannot be
        /// allowed this way (see ``permissive`` for `style`).
        public var extraAllowedAttributes: Set<String>
        /// Hosts whose `<iframe>` embeds are kept (sandboxed); a host matches
        /// itself and its subdomains.
        public var iframeHosts: Set<String>
        /// What happens to `target` on links.
        public var linkTargets: LinkTargetPolicy
        /// Images from these places are tracking pixels and are removed: `host`
        /// (and its subdomains) or `host/path-prefix`.
        public var trackers: [String]
        /// Query parameters removed from link `href`s. An entry ending in `*`
        /// matches every name with that prefix.
        public var trackingParameters: [String]
        /// URL schemes kept in `href`, `src`, `srcset`, `poster` and `cite`.
        public var allowedSchemes: Set<String>
        /// feedparser's policy, with Tidings' safety invariants kept:
        /// - its acceptable elements too (`font`, `center`, `nav`, `menu`,
        ///   `meter`, `canvas`, image maps, `<a>` without `href`, `<img>`
        ///   without `src`…) except `noscript`; forms with every control
        ///   written `disabled` (nothing can be typed, autofilled or
        ///   submitted); a `<dialog>` without `open` and `style` (closed);
        /// - its acceptable attributes on every element, except `accesskey` and
        ///   `autofocus` (they take keys and focus from the reader's page) and a
        ///   positive `tabindex`; every URL among them (`background`, `lowsrc`,
        ///   `usemap`, `action`, each URL of `ping`…) checked like `href`, and
        ///   dropped when it fetches from a tracker; `id`, `name`, `class` and
        ///   what refers to them (`for`, `form`, `list`, `headers`) prefixed
        ///   with `user-content-`, so that content cannot clobber the page's
        ///   globals or take on its CSS classes;
        /// - `style` attributes, with its acceptable CSS properties and values
        ///   that can neither fetch, run, position nor oversize anything (see
        ///   ``StyleFilter``).
        public var permissive: Bool
        /// Elements nested deeper than this are unwrapped (their content kept).
        public var maximumDepth: Int

        public init(
            extraAllowedElements: Set<String> = [],
            extraAllowedAttributes: Set<String> = [],
            iframeHosts: Set<String> = Options.defaultIframeHosts,
            linkTargets: LinkTargetPolicy = .keep,
            trackers: [String] = Options.defaultTrackers,
            trackingParameters: [String] = Options.defaultTrackingParameters,
            allowedSchemes: Set<String> = ["http", "https", "mailto"],
            permissive: Bool = false,
            maximumDepth: Int = 256
        ) {
            self.extraAllowedElements = extraAllowedElements
            self.extraAllowedAttributes = extraAllowedAttributes
            self.iframeHosts = iframeHosts
            self.linkTargets = linkTargets
            self.trackers = trackers
            self.trackingParameters = trackingParameters
            self.allowedSchemes = allowedSchemes
            self.permissive = permissive
            self.maximumDepth = maximumDepth
        }

        /// Video players whose embeds are kept.
        public static let defaultIframeHosts: Set<String> = [
            "youtube.com", "youtube-nocookie.com", "player.vimeo.com", "www.dailymotion.com",
        ]

        /// Well-known feed and analytics pixels.
        public static let defaultTrackers: [String] = [
            "feedburner.com/~r", "feeds.feedburner.com/~ff", "feedproxy.google.com/~r", "pixel.wp.com",
            "stats.wordpress.com", "www.google-analytics.com", "pixel.quantserve.com", "sb.scorecardresearch.com",
            "feeds.feedblitz.com/~/i", "pi.feedsportal.com", "www.facebook.com/tr", "ad.doubleclick.net",
        ]

        /// Campaign and click identifiers.
        public static let defaultTrackingParameters: [String] = [
            "utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
        ]
    }
}
