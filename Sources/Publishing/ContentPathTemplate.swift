import Foundation

/// The path of a content file inside the output folder, from a template such as
/// `{year}/{month}/{slug}.md`.
///
/// Tokens: `{year}` `{month}` `{day}` (zero-padded, in the configured time zone),
/// `{slug}` (of the title, else of the id), `{id}` and `{feed}` (both slugified). Every
/// path is relative, has no empty, `.` or `..` segment, and so never leaves the folder.
public struct ContentPathTemplate: Sendable {
    enum Token: String, Sendable, CaseIterable {
        case year, month, day, slug, id, feed
    }

    enum Piece: Sendable, Equatable {
        case literal(String)
        case token(Token)
    }

    /// The template's segments (split at `/`), each a run of literals and tokens.
    let segments: [[Piece]]
    /// The template as given.
    public let template: String

    /// Parses and checks a template.
    ///
    /// - Throws: `PublishingError` when the template is empty, absolute, has an empty,
    ///   `.` or `..` segment, an unknown or unclosed `{token}`, or a NUL character.
    public init(_ template: String) throws {
        self.template = template
        guard !template.isEmpty else { throw PublishingError.invalidTemplate(template, "it is empty") }
        guard !template.hasPrefix("/") && !template.hasPrefix("~") else {
            throw PublishingError.invalidTemplate(template, "it is absolute; paths are relative to the output folder")
        }
        guard !template.unicodeScalars.contains(where: { $0.value == 0 || $0 == "\\" }) else {
            throw PublishingError.invalidTemplate(template, "it contains a NUL or backslash character")
        }
        var segments: [[Piece]] = []
        for rawSegment in template.split(separator: "/", omittingEmptySubsequences: false) {
            let segment = String(rawSegment)
            guard !segment.isEmpty else {
                throw PublishingError.invalidTemplate(template, "it has an empty segment (\"//\" or a trailing \"/\")")
            }
            guard segment != "." && segment != ".." else {
                throw PublishingError.invalidTemplate(template, "it has a \"\(segment)\" segment")
            }
            segments.append(try Self.parseSegment(segment, template: template))
        }
        self.segments = segments
    }

    private static func parseSegment(_ segment: String, template: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(segment)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            literal += rest[..<open]
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                throw PublishingError.invalidTemplate(template, "it has an unmatched brace")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let token = Token(rawValue: name) else {
                let known = Token.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
                throw PublishingError.invalidTemplate(template, "unknown token {\(name)}; known tokens are \(known)")
            }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            pieces.append(.token(token))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// The relative path for one entry.
    ///
    /// - Parameters:
    ///   - title: The entry's title; its slug is `{slug}`, or the id's when the title has none.
    ///   - date: The entry's date, for `{year}` `{month}` `{day}`.
    ///   - id: The entry's key, for `{id}`.
    ///   - feed: The feed's short name, for `{feed}`.
    ///   - timeZone: The zone `{year}` `{month}` `{day}` are taken in.
    ///   - attempt: 0 for the first choice; 1, 2… when that path is taken by another entry,
    ///     which appends `-2`, `-3`… to the slug (to the file name when the template has
    ///     no `{slug}`).
    public func path(title: String, date: Date, id: String, feed: String, timeZone: TimeZone, attempt: Int) -> String {
        candidates(title: title, date: date, id: id, feed: feed, timeZone: timeZone).path(attempt: attempt)
    }

    /// Whether paths hold a slug of the entry's title (a `{slug}` token).
    public var slugsTitles: Bool { segments.contains { $0.contains(.token(.slug)) } }

    /// The candidate paths of one entry, with its slugs worked out once: a caller
    /// looking for a free path asks for attempt after attempt.
    ///
    /// `id` is worked out only when the template or an empty slug needs it.
    public func candidates(title: String, date: Date, id: @autoclosure () -> String, feed: String, timeZone: TimeZone)
        -> PathCandidates
    {
        let parts = CalendarParts(date, timeZone: timeZone)
        let hasSlugToken = segments.contains { $0.contains(.token(.slug)) }
        var slug = ""
        var idSlug = ""
        var feedSlug = ""
        for segment in segments {
            for piece in segment {
                switch piece {
                case .token(.slug) where slug.isEmpty: slug = Slug.makeIfAny(title) ?? Slug.make(id())
                case .token(.id) where idSlug.isEmpty: idSlug = Slug.make(id())
                case .token(.feed) where feedSlug.isEmpty: feedSlug = Slug.make(feed)
                default: break
                }
            }
        }
        // Everything before `{slug}` (or the last segment's extension) is the same on
        // every attempt.
        let rendered = segments.map { segment in
            segment.map { piece -> PathCandidates.Piece in
                switch piece {
                case .literal(let literal): .text(literal)
                case .token(.year): .text(pad(parts.year, 4))
                case .token(.month): .text(pad(parts.month, 2))
                case .token(.day): .text(pad(parts.day, 2))
                case .token(.slug): .slug(slug)
                case .token(.id): .text(idSlug)
                case .token(.feed): .text(feedSlug)
                }
            }
        }
        return PathCandidates(segments: rendered, hasSlugToken: hasSlugToken)
    }

    /// `name` with `suffix` before its extension: `a.md` → `a-2.md`.
    static func appendingToStem(_ name: String, _ suffix: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + suffix }
        return name[..<dot] + suffix + name[dot...]
    }
}

/// One entry's candidate output paths: `path(attempt: 0)`, then `-2`, `-3`… variants.
public struct PathCandidates: Sendable {
    enum Piece: Sendable {
        case text(String)
        case slug(String)
    }

    let segments: [[Piece]]
    let hasSlugToken: Bool

    /// The path for attempt 0, 1, 2… (see ``ContentPathTemplate/path(title:date:id:feed:timeZone:attempt:)``).
    public func path(attempt: Int) -> String {
        let suffix = attempt > 0 ? "-\(attempt + 1)" : ""
        var rendered: [String] = []
        rendered.reserveCapacity(segments.count)
        for (index, segment) in segments.enumerated() {
            var text = ""
            for piece in segment {
                switch piece {
                case .text(let literal): text += literal
                case .slug(let slug): text += slug + suffix
                }
            }
            if !hasSlugToken && index == segments.count - 1 && !suffix.isEmpty {
                text = ContentPathTemplate.appendingToStem(text, suffix)
            }
            rendered.append(text)
        }
        return rendered.joined(separator: "/")
    }
}
