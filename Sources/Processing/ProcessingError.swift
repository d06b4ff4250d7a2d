import TidingsModel

/// Why filters could not be compiled.
public struct ProcessingError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case invalidPattern(FilterRule, reason: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func invalidPattern(_ rule: FilterRule, reason: String) -> ProcessingError {
        ProcessingError(.invalidPattern(rule, reason: reason))
    }

    /// A short, fixed form safe for a metric label.
    public var shortDescription: String {
        switch kind {
        case .invalidPattern: "invalid_filter_pattern"
        }
    }

    /// What went wrong and what to fix.
    public var description: String {
        switch kind {
        case .invalidPattern(let rule, let reason):
            "the \(rule.action.rawValue) filter on \(rule.field.rawValue) has an invalid regular expression "
                + "\"\(rule.pattern)\" (\(reason)); fix or remove the pattern"
        }
    }
}
