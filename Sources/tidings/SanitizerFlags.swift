import ArgumentParser
import HTMLSanitizing

/// Sanitizer settings shared by the commands that write HTML.
struct SanitizerFlags: ParsableArguments {
    @Option(
        help:
            "What to do with link targets: keep (as the feed wrote them), strip, or blank (force target=_blank rel=noopener)."
    )
    var linkTargets: LinkTargets = .keep

    @Option(help: "Also allow iframes from this host (repeatable; YouTube, Vimeo and Dailymotion are allowed already).")
    var iframeHost: [String] = []

    @Flag(help: "Keep safe CSS in style attributes and a wider set of attributes (feedparser's policy).")
    var permissive = false

    enum LinkTargets: String, ExpressibleByArgument, CaseIterable {
        case keep, strip, blank
    }

    var sanitizer: HTMLSanitizer {
        var options = HTMLSanitizer.Options()
        switch linkTargets {
        case .keep: options.linkTargets = .keep
        case .strip: options.linkTargets = .strip
        case .blank: options.linkTargets = .forceBlank
        }
        options.iframeHosts.formUnion(iframeHost.map { $0.lowercased() })
        options.permissive = permissive
        return HTMLSanitizer(options: options)
    }
}
