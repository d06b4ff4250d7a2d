import Foundation
import TidingsModel
import Yams

/// Walks the YAML node tree (not Codable) so that every error can name its line,
/// column and key path, and every key not known is an error (typo protection).
struct ConfigurationReader {
    let file: String

    typealias Pair = (key: String, keyNode: Node, value: Node, path: String)

    func read(_ yaml: String) throws -> TidingsConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw ConfigurationError.syntax(file, line: nil, column: nil, "not valid YAML (\(error))")
        }
        var configuration = TidingsConfiguration()
        guard let root, !isNull(root) else { return configuration }
        let pairs = try mapping(root, path: "")
        try checkKeys(pairs, allowed: ["database", "output", "fetch", "filters", "feeds"])
        for pair in pairs {
            switch pair.key {
            case "database":
                configuration.database = try requiredString(pair.value, path: pair.path)
            case "output":
                configuration.output = try output(pair.value, path: pair.path)
            case "fetch":
                configuration.fetch = try fetch(pair.value, path: pair.path)
            case "filters":
                configuration.filters = try filters(pair.value, path: pair.path)
            default:
                configuration.feeds = try feeds(pair.value, path: pair.path)
            }
        }
        return configuration
    }

    // MARK: Sections

    func output(_ node: Node, path: String) throws -> TidingsConfiguration.Output {
        var output = TidingsConfiguration.Output()
        guard !isNull(node) else { return output }
        let pairs = try mapping(node, path: path)
        try checkKeys(pairs, allowed: ["dir", "date", "path", "timezone", "draft", "max_age", "max_items"])
        for pair in pairs {
            let (value, path) = (pair.value, pair.path)
            switch pair.key {
            case "dir":
                output.dir = try requiredString(value, path: path)
            case "date":
                let text = try requiredString(value, path: path)
                guard let style = TidingsConfiguration.Output.DateStyle(rawValue: text) else {
                    throw ConfigurationError.invalidValue(
                        position(value, path), "expected \"date\" or \"datetime\", got \(quoted(text))")
                }
                output.date = style
            case "path":
                let text = try requiredString(value, path: path)
                let components = text.split(separator: "/", omittingEmptySubsequences: false)
                guard !text.hasPrefix("/"), !components.contains(".."), !text.hasSuffix("/") else {
                    throw ConfigurationError.invalidValue(
                        position(value, path),
                        "expected a relative file path inside the output folder (no leading \"/\", no \"..\"), "
                            + "got \(quoted(text))")
                }
                output.path = text
            case "timezone":
                let text = try requiredString(value, path: path)
                guard TimeZone(identifier: text) != nil else {
                    throw ConfigurationError.invalidValue(
                        position(value, path),
                        "expected a time zone identifier like UTC or Europe/Paris, got \(quoted(text))")
                }
                output.timezone = text
            case "draft":
                output.draft = try bool(value, path: path) ?? false
            case "max_age":
                output.maxAge = try duration(value, path: path)
            default:
                output.maxItems = try positiveInt(value, path: path)
            }
        }
        return output
    }

    func fetch(_ node: Node, path: String) throws -> TidingsConfiguration.Fetch {
        var fetch = TidingsConfiguration.Fetch()
        guard !isNull(node) else { return fetch }
        let pairs = try mapping(node, path: path)
        try checkKeys(
            pairs,
            allowed: [
                "concurrency", "per_host", "timeout", "connect_timeout", "max_body", "user_agent", "min_interval",
                "max_interval",
            ])
        var maxIntervalNode: Pair?
        for pair in pairs {
            let (value, path) = (pair.value, pair.path)
            switch pair.key {
            case "concurrency": fetch.concurrency = try positiveInt(value, path: path) ?? fetch.concurrency
            case "per_host": fetch.perHost = try positiveInt(value, path: path) ?? fetch.perHost
            case "timeout": fetch.timeout = try duration(value, path: path) ?? fetch.timeout
            case "connect_timeout": fetch.connectTimeout = try duration(value, path: path) ?? fetch.connectTimeout
            case "max_body": fetch.maxBody = try size(value, path: path) ?? fetch.maxBody
            case "user_agent": fetch.userAgent = try string(value, path: path)
            case "min_interval": fetch.minInterval = try duration(value, path: path) ?? fetch.minInterval
            default:
                fetch.maxInterval = try duration(value, path: path) ?? fetch.maxInterval
                maxIntervalNode = pair
            }
        }
        if fetch.maxInterval < fetch.minInterval {
            let at = maxIntervalNode.map { position($0.value, $0.path) } ?? position(node, path)
            throw ConfigurationError.invalidValue(
                at,
                "max_interval (\(Units.formatDuration(fetch.maxInterval))) is shorter than min_interval "
                    + "(\(Units.formatDuration(fetch.minInterval)))")
        }
        return fetch
    }

    func filters(_ node: Node, path: String) throws -> [FilterRule] {
        guard !isNull(node) else { return [] }
        let pairs = try mapping(node, path: path)
        try checkKeys(pairs, allowed: ["block", "keep"])
        var rules: [FilterRule] = []
        for pair in pairs where !isNull(pair.value) {
            let action = FilterRule.Action(rawValue: pair.key) ?? .block
            let fields = try mapping(pair.value, path: pair.path)
            try checkKeys(fields, allowed: FilterField.allCases.map(\.rawValue))
            for field in fields {
                let filterField = FilterField(rawValue: field.key) ?? .title
                for (index, patternNode) in try stringList(field.value, path: field.path).enumerated() {
                    let patternPath = field.path + "[\(index)]"
                    let pattern = try requiredString(patternNode, path: patternPath)
                    do {
                        _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                    } catch {
                        throw ConfigurationError.invalidValue(
                            position(patternNode, patternPath),
                            "not a valid regular expression: \(quoted(pattern))")
                    }
                    rules.append(FilterRule(action: action, field: filterField, pattern: pattern))
                }
            }
        }
        return rules
    }

    func feeds(_ node: Node, path: String) throws -> [FeedSubscription] {
        guard !isNull(node) else { return [] }
        guard case .sequence(let sequence) = node else {
            throw ConfigurationError.wrongType(position(node, path), "expected a list of feeds, got \(kind(node))")
        }
        var feeds: [FeedSubscription] = []
        var seenURLs: [String: Int] = [:]
        var seenNames: [String: Int] = [:]
        for (index, feedNode) in sequence.enumerated() {
            let feedPath = path + "[\(index)]"
            var feed: FeedSubscription
            if case .scalar = feedNode, !isNull(feedNode) {
                // `- https://…` is a feed with nothing but its URL.
                feed = FeedSubscription(url: try feedURL(feedNode, path: feedPath))
            } else {
                feed = try self.feed(feedNode, path: feedPath)
            }
            // Two spellings of one URL (`HTTP://Host/`, `http://host:80/#top`) would
            // fetch and publish the same feed twice.
            let identity = FeedURL.identity(feed.url)
            if let first = seenURLs[identity] {
                let firstURL = feeds[first].url
                let spelled = firstURL == feed.url ? "" : " (\(quoted(firstURL)))"
                throw ConfigurationError.duplicate(
                    position(feedNode, feedPath),
                    "the feed \(quoted(feed.url)) is listed already as \(path)[\(first)]\(spelled)")
            }
            seenURLs[identity] = index
            if let name = feed.name {
                if let first = seenNames[name] {
                    throw ConfigurationError.duplicate(
                        position(feedNode, feedPath + ".name"),
                        "the name \(quoted(name)) is used already by \(path)[\(first)]")
                }
                seenNames[name] = index
            }
            feeds.append(feed)
        }
        return feeds
    }

    func feed(_ node: Node, path: String) throws -> FeedSubscription {
        let pairs = try mapping(node, path: path)
        try checkKeys(
            pairs, allowed: ["url", "name", "title", "category", "interval", "user_agent", "enabled", "filters"])
        guard let urlPair = pairs.first(where: { $0.key == "url" }) else {
            throw ConfigurationError.missingKey(position(node, path), "a feed needs a url")
        }
        var feed = FeedSubscription(url: try feedURL(urlPair.value, path: urlPair.path))
        for pair in pairs {
            let (value, path) = (pair.value, pair.path)
            switch pair.key {
            case "name":
                guard let name = try string(value, path: path) else { continue }
                let allowed = name.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                        || $0 == "-" || $0 == "_" || $0 == "."
                }
                guard allowed, !name.isEmpty, name != ".", name != ".." else {
                    throw ConfigurationError.invalidValue(
                        position(value, path),
                        "expected a name of letters, digits, \"-\", \"_\" and \".\" (it is used in file paths), "
                            + "got \(quoted(name))")
                }
                feed.name = name
            case "title": feed.title = try string(value, path: path)
            case "category": feed.category = try string(value, path: path)
            case "interval": feed.interval = try duration(value, path: path)
            case "user_agent": feed.userAgent = try string(value, path: path)
            case "enabled": feed.enabled = try bool(value, path: path) ?? true
            case "filters": feed.filters = try filters(value, path: path)
            default: break
            }
        }
        return feed
    }

    func feedURL(_ node: Node, path: String) throws -> String {
        let raw = try requiredString(node, path: path)
        guard let url = FeedURL.checked(raw) else {
            throw ConfigurationError.invalidValue(
                position(node, path),
                "expected an http:// or https:// URL, got \(quoted(raw.trimmingWhiteSpaceAndZeroWidthSpace))")
        }
        return url
    }

    // MARK: Values

    func position(_ node: Node, _ path: String) -> Position {
        Position(file: file, line: node.mark?.line, column: node.mark?.column, keyPath: path)
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): isNull(node) ? "nothing" : quoted(scalar.string)
        }
    }

    func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// The pairs of a mapping, keys as strings, duplicates rejected.
    func mapping(_ node: Node, path: String) throws -> [Pair] {
        guard case .mapping(let mapping) = node else {
            throw ConfigurationError.wrongType(
                position(node, path), "expected a mapping (key: value), got \(kind(node))")
        }
        var pairs: [Pair] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw ConfigurationError.wrongType(position(keyNode, path), "expected a key, got \(kind(keyNode))")
            }
            let key = scalar.string
            let keyPath = path.isEmpty ? key : path + "." + key
            guard seen.insert(key).inserted else {
                throw ConfigurationError.duplicate(position(keyNode, keyPath), "the key is given twice")
            }
            pairs.append((key, keyNode, value, keyPath))
        }
        return pairs
    }

    func checkKeys(_ pairs: [Pair], allowed: [String]) throws {
        for pair in pairs where !allowed.contains(pair.key) {
            throw ConfigurationError.unknownKey(
                position(pair.keyNode, pair.path),
                "unknown key; expected one of \(allowed.joined(separator: ", "))")
        }
    }

    func string(_ node: Node, path: String) throws -> String? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            throw ConfigurationError.wrongType(position(node, path), "expected text, got \(kind(node))")
        }
        return scalar.string
    }

    func requiredString(_ node: Node, path: String) throws -> String {
        guard let text = try string(node, path: path), !text.isEmpty else {
            throw ConfigurationError.invalidValue(position(node, path), "expected a value, got nothing")
        }
        return text
    }

    func stringList(_ node: Node, path: String) throws -> [Node] {
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar: return isNull(node) ? [] : [node]
        default:
            throw ConfigurationError.wrongType(position(node, path), "expected a list of patterns, got \(kind(node))")
        }
    }

    func bool(_ node: Node, path: String) throws -> Bool? {
        guard let text = try string(node, path: path) else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            throw ConfigurationError.wrongType(position(node, path), "expected true or false, got \(quoted(text))")
        }
    }

    func positiveInt(_ node: Node, path: String) throws -> Int? {
        guard let text = try string(node, path: path) else { return nil }
        guard let value = Int(text), value > 0 else {
            throw ConfigurationError.wrongType(
                position(node, path), "expected a whole number greater than 0, got \(quoted(text))")
        }
        return value
    }

    func duration(_ node: Node, path: String) throws -> TimeInterval? {
        guard let text = try string(node, path: path) else { return nil }
        guard let seconds = Units.duration(text), seconds > 0 else {
            throw ConfigurationError.invalidValue(
                position(node, path), "expected a duration like 30s, 15m, 2h or 1d, got \(quoted(text))")
        }
        guard seconds <= Units.maxDuration else {
            throw ConfigurationError.invalidValue(
                position(node, path), "expected a duration of at most 36500d (100 years), got \(quoted(text))")
        }
        return seconds
    }

    func size(_ node: Node, path: String) throws -> Int? {
        guard let text = try string(node, path: path) else { return nil }
        guard let bytes = Units.size(text), bytes > 0 else {
            throw ConfigurationError.invalidValue(
                position(node, path), "expected a size like 20MiB, 512KiB or 1GB, got \(quoted(text))")
        }
        return bytes
    }

    func syntaxError(_ error: YamlError) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return .syntax(file, line: mark.line, column: mark.column, "not valid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(
                file, line: context.mark.line, column: context.mark.column,
                "a key is given twice: \(duplicates.joined(separator: ", "))")
        default:
            return .syntax(file, line: nil, column: nil, "not valid YAML: \(error)")
        }
    }
}
