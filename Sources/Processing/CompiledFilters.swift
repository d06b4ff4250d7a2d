import Foundation
import TidingsModel

/// Filter rules with their patterns compiled once, to apply to many entries.
///
/// An entry is dropped when any block rule matches it; when at least one keep rule
/// exists, an entry must also match one of them. Patterns match case-insensitively,
/// anywhere in the field (ICU syntax, as `NSRegularExpression`).
public struct CompiledFilters: Sendable {
    struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable after init and documented thread-safe;
        // corelibs Foundation does not mark it Sendable.
        let rule: FilterRule
        let expression: NSRegularExpression

        func matches(_ text: String) -> Bool {
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    let block: [Rule]
    let keep: [Rule]

    /// Compiles `rules` (global rules first, then the feed's).
    /// - Throws: ``ProcessingError`` naming the first pattern that is not a valid regular expression.
    public init(_ rules: [FilterRule]) throws {
        var block: [Rule] = []
        var keep: [Rule] = []
        for rule in rules {
            let expression: NSRegularExpression
            do {
                expression = try NSRegularExpression(pattern: rule.pattern, options: [.caseInsensitive])
            } catch {
                throw ProcessingError.invalidPattern(rule, reason: "not a valid regular expression")
            }
            switch rule.action {
            case .block: block.append(Rule(rule: rule, expression: expression))
            case .keep: keep.append(Rule(rule: rule, expression: expression))
            }
        }
        self.block = block
        self.keep = keep
    }

    /// Compiles the global rules, then the feed's own.
    /// - Throws: ``ProcessingError`` naming the first pattern that is not a valid regular expression.
    public init(global: [FilterRule], feed: [FilterRule]) throws {
        try self.init(global + feed)
    }

    private init() {
        block = []
        keep = []
    }

    /// No rules: every entry is kept.
    public static let none = CompiledFilters()

    /// Whether there are no rules at all.
    public var isEmpty: Bool { block.isEmpty && keep.isEmpty }

    /// Whether a rule on `field` exists (so the processor computes that field's text only when needed).
    func uses(_ field: FilterField) -> Bool {
        block.contains { $0.rule.field == field } || keep.contains { $0.rule.field == field }
    }

    /// Whether an entry whose fields read `values` passes.
    func accepts(_ values: (FilterField) -> [String]) -> Bool {
        var cache: [FilterField: [String]] = [:]
        func texts(_ field: FilterField) -> [String] {
            if let cached = cache[field] { return cached }
            let computed = values(field)
            cache[field] = computed
            return computed
        }
        for rule in block where texts(rule.rule.field).contains(where: rule.matches) {
            return false
        }
        if keep.isEmpty { return true }
        return keep.contains { rule in texts(rule.rule.field).contains(where: rule.matches) }
    }
}
