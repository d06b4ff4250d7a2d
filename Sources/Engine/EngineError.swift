/// A failure of the run itself (not of one feed): the output folder or the store.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case noFreePath(title: String, feed: String)
        case interrupted
    }

    private let kind: Kind

    /// No output path was free for an entry after every collision suffix was tried.
    static func noFreePath(title: String, feed: String) -> EngineError {
        EngineError(kind: .noFreePath(title: title, feed: feed))
    }

    /// The run was cancelled before every feed was refreshed.
    public static let interrupted = EngineError(kind: .interrupted)

    /// A metric-safe name for the kind of error.
    public var shortDescription: String {
        switch kind {
        case .noFreePath: "no-free-path"
        case .interrupted: "interrupted"
        }
    }

    /// What went wrong, for a user.
    public var description: String {
        switch kind {
        case .noFreePath(let title, let feed):
            "\(feed): no free output path for \"\(title)\" after \(EntryPublisher.maxPathAttempts) tries"
        case .interrupted:
            "the run was interrupted; the next run picks up where it stopped"
        }
    }
}
