extension HTMLSanitizer {
    /// Which tree builder ``sanitize(_:engine:resolve:)`` uses (for tests and
    /// benchmarks).
    public enum Engine: Sendable {
        /// The fast reader, falling back to gumbo (what ``sanitize(_:resolve:)`` does).
        case automatic
        /// gumbo alone.
        case gumbo
        /// The fast reader alone; nil when it declines the input.
        case fastOnly
    }

    /// ``sanitize(_:resolve:)`` with a chosen tree builder; nil only for
    /// ``Engine/fastOnly`` when the fast reader declines the input.
    public func sanitize(_ html: String, engine: Engine, resolve: (String) -> String? = { $0 }) -> String? {
        let fragmentEngine: FragmentEngine
        switch engine {
        case .automatic: fragmentEngine = .automatic
        case .gumbo: fragmentEngine = .gumbo
        case .fastOnly: fragmentEngine = .fastOnly
        }
        return sanitizedBytes(html, engine: fragmentEngine, resolve: resolve).map {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
