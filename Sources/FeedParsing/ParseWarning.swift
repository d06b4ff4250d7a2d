/// Something the parser recovered from: the feed was read, but not exactly as written.
public struct ParseWarning: Sendable, Hashable, CustomStringConvertible {
    /// The line of the document, when known.
    public var line: Int?
    /// What was wrong and what the parser did about it.
    public var message: String

    /// Creates a warning.
    public init(line: Int? = nil, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

/// Collects warnings without letting a broken document flood memory or output.
struct WarningCollector {
    static let limit = 50
    private(set) var warnings: [ParseWarning] = []
    private(set) var dropped = 0
    private var seen = Set<String>()

    mutating func add(_ message: String, line: Int? = nil) {
        guard warnings.count < Self.limit else {
            dropped += 1
            return
        }
        guard seen.insert(message).inserted else { return }
        warnings.append(ParseWarning(line: line, message: message))
    }

    var all: [ParseWarning] {
        dropped == 0 ? warnings : warnings + [ParseWarning(message: "\(dropped) more problems not listed")]
    }
}
