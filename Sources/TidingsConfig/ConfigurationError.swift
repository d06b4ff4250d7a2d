/// Why a configuration or OPML file could not be read, with where and what to fix.
///
/// `description` reads `tidings.yml:12:5: feeds[3].interval: expected a duration
/// like 30s, 15m, 2h or 1d, got "soon"`.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case unreadable
        case syntax
        case unknownKey
        case missingKey
        case wrongType
        case invalidValue
        case duplicate
        case invalidOPML
    }

    private let kind: Kind
    /// The file, as it was named to the loader.
    public let file: String
    /// The 1-based line, when known.
    public let line: Int?
    /// The 1-based column, when known.
    public let column: Int?
    /// The key path (`feeds[3].interval`), when the problem is at a key.
    public let keyPath: String?
    /// What is wrong, and what was expected.
    public let message: String

    private init(_ kind: Kind, file: String, line: Int?, column: Int?, keyPath: String?, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// A short, fixed form safe for a metric label.
    public var shortDescription: String {
        switch kind {
        case .unreadable: "config_unreadable"
        case .syntax: "config_syntax"
        case .unknownKey: "config_unknown_key"
        case .missingKey: "config_missing_key"
        case .wrongType: "config_wrong_type"
        case .invalidValue: "config_invalid_value"
        case .duplicate: "config_duplicate"
        case .invalidOPML: "opml_invalid"
        }
    }

    /// `file:line:column: key.path: message`.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let keyPath, !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }

    static func unreadable(_ file: String, _ message: String) -> Self {
        Self(.unreadable, file: file, line: nil, column: nil, keyPath: nil, message: message)
    }

    static func syntax(_ file: String, line: Int?, column: Int?, _ message: String) -> Self {
        Self(.syntax, file: file, line: line, column: column, keyPath: nil, message: message)
    }

    static func unknownKey(_ at: Position, _ message: String) -> Self { Self(.unknownKey, at, message) }
    static func missingKey(_ at: Position, _ message: String) -> Self { Self(.missingKey, at, message) }
    static func wrongType(_ at: Position, _ message: String) -> Self { Self(.wrongType, at, message) }
    static func invalidValue(_ at: Position, _ message: String) -> Self { Self(.invalidValue, at, message) }
    static func duplicate(_ at: Position, _ message: String) -> Self { Self(.duplicate, at, message) }

    static func invalidOPML(_ file: String, _ message: String) -> Self {
        Self(.invalidOPML, file: file, line: nil, column: nil, keyPath: nil, message: message)
    }

    private init(_ kind: Kind, _ at: Position, _ message: String) {
        self.init(kind, file: at.file, line: at.line, column: at.column, keyPath: at.keyPath, message: message)
    }
}

/// Where in a configuration file a value is.
struct Position: Sendable {
    var file: String
    var line: Int?
    var column: Int?
    var keyPath: String
}
