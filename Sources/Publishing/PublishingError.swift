import Foundation

/// Why publishing could not write or plan a content file.
///
/// `shortDescription` is a fixed word, safe as a metric label; `description` names the
/// path or template and says what to change.
public struct PublishingError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case invalidTemplate(template: String, reason: String)
        case unsafePath(path: String, reason: String)
        case fileSystem(operation: String, path: String, code: Int32)
        case siteFileExists(path: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func invalidTemplate(_ template: String, _ reason: String) -> PublishingError {
        PublishingError(.invalidTemplate(template: template, reason: reason))
    }

    static func unsafePath(_ path: String, _ reason: String) -> PublishingError {
        PublishingError(.unsafePath(path: path, reason: reason))
    }

    static func fileSystem(_ operation: String, _ path: String, code: Int32) -> PublishingError {
        PublishingError(.fileSystem(operation: operation, path: path, code: code))
    }

    static func siteFileExists(_ path: String) -> PublishingError {
        PublishingError(.siteFileExists(path: path))
    }

    /// The `errno` of a failed file-system call; nil for other failures.
    var errorNumber: Int32? {
        if case .fileSystem(_, _, let code) = kind { return code }
        return nil
    }

    /// A fixed word for the kind of failure, safe as a metric label.
    public var shortDescription: String {
        switch kind {
        case .invalidTemplate: "invalid_path_template"
        case .unsafePath: "unsafe_path"
        case .fileSystem: "file_system"
        case .siteFileExists: "site_file_exists"
        }
    }

    /// What failed, on which path, and what to do about it.
    public var description: String {
        switch kind {
        case .invalidTemplate(let template, let reason):
            return "Invalid output path template \(quoted(template)): \(reason). "
                + "Use a relative path built from {year} {month} {day} {slug} {id} {feed}, "
                + "such as \"{year}/{month}/{slug}.md\"."
        case .unsafePath(let path, let reason):
            return "Refused to use \(quoted(path)) in the output folder: \(reason)."
        case .fileSystem(let operation, let path, let code):
            let message = String(cString: strerror(code))
            return "Could not \(operation) \(quoted(path)): \(message) (errno \(code)). "
                + "Check that the output folder exists, is writable and has free space."
        case .siteFileExists(let path):
            return "\(quoted(path)) already exists; the site was not scaffolded. "
                + "Choose an empty or new folder, or remove the file."
        }
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\""
    }
}
