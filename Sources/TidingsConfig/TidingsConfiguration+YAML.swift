import Foundation
import Publishing
import TidingsModel

extension TidingsConfiguration {
    /// The configuration as a `tidings.yml` that ``parse(yaml:file:)`` reads back equal
    /// (used by `feeds add`/`remove` and `opml import`).
    ///
    /// Comments and the layout of the file it came from are not preserved: the file is
    /// written anew. Keys equal to their default are left out (so later defaults apply),
    /// except `database` and `feeds`. Filter rules are written grouped by action and
    /// field, which does not change what they do.
    public func yaml() -> String {
        var out = "# Tidings configuration. Written by tidings: comments are not preserved.\n"
        out += "database: \(YAMLText.quote(database))\n"

        let defaultOutput = Output()
        var outputLines: [String] = []
        if output.dir != defaultOutput.dir { outputLines.append("dir: \(YAMLText.quote(output.dir))") }
        if output.date != defaultOutput.date { outputLines.append("date: \(output.date.rawValue)") }
        if output.path != defaultOutput.path { outputLines.append("path: \(YAMLText.quote(output.path))") }
        if output.timezone != defaultOutput.timezone {
            outputLines.append("timezone: \(YAMLText.quote(output.timezone))")
        }
        if output.draft != defaultOutput.draft { outputLines.append("draft: \(output.draft)") }
        if let maxAge = output.maxAge { outputLines.append("max_age: \(Units.formatDuration(maxAge))") }
        if let maxItems = output.maxItems { outputLines.append("max_items: \(maxItems)") }
        out += section("output", outputLines)

        let defaultFetch = Fetch()
        var fetchLines: [String] = []
        if fetch.concurrency != defaultFetch.concurrency { fetchLines.append("concurrency: \(fetch.concurrency)") }
        if fetch.perHost != defaultFetch.perHost { fetchLines.append("per_host: \(fetch.perHost)") }
        if fetch.timeout != defaultFetch.timeout {
            fetchLines.append("timeout: \(Units.formatDuration(fetch.timeout))")
        }
        if fetch.connectTimeout != defaultFetch.connectTimeout {
            fetchLines.append("connect_timeout: \(Units.formatDuration(fetch.connectTimeout))")
        }
        if fetch.maxBody != defaultFetch.maxBody { fetchLines.append("max_body: \(Units.formatSize(fetch.maxBody))") }
        if let userAgent = fetch.userAgent { fetchLines.append("user_agent: \(YAMLText.quote(userAgent))") }
        if fetch.minInterval != defaultFetch.minInterval {
            fetchLines.append("min_interval: \(Units.formatDuration(fetch.minInterval))")
        }
        if fetch.maxInterval != defaultFetch.maxInterval {
            fetchLines.append("max_interval: \(Units.formatDuration(fetch.maxInterval))")
        }
        out += section("fetch", fetchLines)

        out += section("filters", Self.filterLines(filters))

        if feeds.isEmpty {
            out += "feeds: []\n"
        } else {
            out += "feeds:\n"
            for feed in feeds {
                var lines = ["url: \(YAMLText.quote(feed.url))"]
                if let name = feed.name { lines.append("name: \(YAMLText.quote(name))") }
                if let title = feed.title { lines.append("title: \(YAMLText.quote(title))") }
                if let category = feed.category { lines.append("category: \(YAMLText.quote(category))") }
                if let interval = feed.interval { lines.append("interval: \(Units.formatDuration(interval))") }
                if let userAgent = feed.userAgent { lines.append("user_agent: \(YAMLText.quote(userAgent))") }
                if !feed.enabled { lines.append("enabled: false") }
                let filterLines = Self.filterLines(feed.filters)
                if !filterLines.isEmpty {
                    lines.append("filters:")
                    lines += filterLines.map { "  " + $0 }
                }
                for (index, line) in lines.enumerated() {
                    out += (index == 0 ? "  - " : "    ") + line + "\n"
                }
            }
        }
        return out
    }

    private func section(_ name: String, _ lines: [String]) -> String {
        guard !lines.isEmpty else { return "" }
        return name + ":\n" + lines.map { "  " + $0 + "\n" }.joined()
    }

    /// `block:` / `keep:` mappings of field → list of patterns, actions and fields in
    /// order of first appearance.
    static func filterLines(_ rules: [FilterRule]) -> [String] {
        var lines: [String] = []
        var actions: [FilterRule.Action] = []
        for rule in rules where !actions.contains(rule.action) { actions.append(rule.action) }
        for action in actions {
            lines.append("\(action.rawValue):")
            let ofAction = rules.filter { $0.action == action }
            var fields: [FilterField] = []
            for rule in ofAction where !fields.contains(rule.field) { fields.append(rule.field) }
            for field in fields {
                let patterns = ofAction.filter { $0.field == field }.map { YAMLText.quote($0.pattern) }
                lines.append("  \(field.rawValue): [\(patterns.joined(separator: ", "))]")
            }
        }
        return lines
    }
}

/// YAML double-quoted scalars: every string is written quoted, so none is read back
/// as a number, a boolean or null. The escaping is the front matter's (one
/// implementation, property-tested against a YAML parser in PublishingTests).
enum YAMLText {
    static func quote(_ text: String) -> String {
        HugoRenderer.yamlQuoted(text)
    }
}
