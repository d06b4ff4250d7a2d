import Foundation
import HTMLSanitizing
import TidingsModel

/// What ``EntryProcessor/process(_:feedURL:filters:fetchedAt:)`` made of one feed document.
public struct ProcessingResult: Sendable {
    /// The entries kept, in document order, each key unique.
    public var entries: [ProcessedEntry]
    /// How many entries the filters dropped.
    public var filteredOut: Int

    /// Creates a result.
    public init(entries: [ProcessedEntry] = [], filteredOut: Int = 0) {
        self.entries = entries
        self.filteredOut = filteredOut
    }
}

/// Turns a parsed feed into entries ready to store and publish: stable keys,
/// canonical links, clamped dates, sanitized Hugo-safe bodies, plain-text titles and
/// descriptions, a content hash, and the user's filters applied. Pure: no I/O, no clock.
///
/// Per entry:
/// - `body`: the content (else the summary) sanitized, relative URLs resolved against
///   the entry's `xml:base`, else its link, else the feed's URL; `""` when neither.
/// - `description`: the summary as plain text (else the content's), cut at
///   ``ProcessingOptions/descriptionLimit``.
/// - `title`: trimmed, whitespace runs collapsed to one space. An entry without one (a
///   Mastodon post, a microblog item) is titled with the start of its text, as
///   ``ProcessingOptions/untitledLimit`` allows; `""` when it has no text either. Keys
///   are made from the title as the feed gave it, so they do not depend on this.
/// - `image`: the feed's own image for the entry, else the first image of the body.
/// - `published`: `published`, else `updated`; a date after the fetch is clamped to it.
/// - `key`: the guid, else the link, else a digest of title and date. Entries of one
///   document that share a key but differ get `key#link` (or `key#digest`) so none is
///   merged with another; exact duplicates collapse into the first.
public struct EntryProcessor: Sendable {
    /// The options this processor applies.
    public let options: ProcessingOptions
    let sanitizer: HTMLSanitizer

    /// Creates a processor.
    public init(options: ProcessingOptions = .init()) {
        self.options = options
        sanitizer = HTMLSanitizer(options: options.sanitizer)
    }

    /// Processes every entry of `feed`.
    ///
    /// - Parameters:
    ///   - feedURL: the feed's URL as configured; the last base for relative URLs.
    ///   - filters: global rules and the feed's, compiled.
    ///   - fetchedAt: when the document was fetched; later dates are clamped to it.
    public func process(_ feed: Feed, feedURL: String, filters: CompiledFilters, fetchedAt: Date) -> ProcessingResult {
        var candidates: [Candidate] = []
        candidates.reserveCapacity(feed.entries.count)
        for entry in feed.entries {
            candidates.append(candidate(entry, feedURL: feedURL, fetchedAt: fetchedAt))
        }
        let unique = Self.assignUniqueKeys(candidates)
        var result = ProcessingResult()
        result.entries.reserveCapacity(unique.count)
        for candidate in unique {
            if filters.isEmpty || filters.accepts({ filterTexts(candidate, field: $0) }) {
                result.entries.append(candidate.entry)
            } else {
                result.filteredOut += 1
            }
        }
        return result
    }

    /// Processes one entry alone (its key is not disambiguated against other entries).
    public func process(_ entry: Entry, feedURL: String, fetchedAt: Date) -> ProcessedEntry {
        candidate(entry, feedURL: feedURL, fetchedAt: fetchedAt).entry
    }

    // MARK: Internals

    struct Candidate {
        var entry: ProcessedEntry
        /// Whether the key is the publisher's guid.
        var keyIsGUID: Bool
        /// The raw summary (UTF-8), for the `content` filter field.
        var summary: [UInt8]?
        /// The title as the feed gave it (`entry.title` may be made from the text):
        /// what keys are made from.
        var feedTitle: String
    }

    func candidate(_ entry: Entry, feedURL: String, fetchedAt: Date) -> Candidate {
        let base = nonEmpty(entry.contentBase) ?? nonEmpty(entry.link) ?? feedURL
        // The base is split into its parts once per entry, at its first relative URL,
        // not once per URL.
        let resolver = RelativeURLs(base: base)
        let resolve: (String) -> String? = { resolver.resolve($0) }
        // The HTML stays UTF-8 bytes as parsed: the sanitizer reads bytes.
        let summaryBytes = nonBlank(entry.summaryUTF8)
        // Each is checked as UTF-8 once, for the two or three passes over it.
        let content = nonBlank(entry.contentUTF8).map(HTMLSanitizer.UTF8HTML.init)
        let summary = summaryBytes.map(HTMLSanitizer.UTF8HTML.init)
        let bodySource = content ?? summary
        let body = bodySource.map { sanitizer.hugoSafeBody($0, resolve: resolve) } ?? ""

        var description = summary.map { sanitizer.plainText($0, limit: options.descriptionLimit) } ?? ""
        if description.isEmpty, let content {
            description = sanitizer.plainText(content, limit: options.descriptionLimit)
        }
        let feedTitle = Self.collapseWhitespace(entry.title ?? "")
        var title = feedTitle
        if title.isEmpty, options.untitledLimit > 0, let text = summary ?? content {
            title = sanitizer.plainText(text, limit: options.untitledLimit)
            if title.isEmpty, let content, summary != nil {
                title = sanitizer.plainText(content, limit: options.untitledLimit)
            }
        }
        var image = nonEmpty(entry.image)
        if image == nil, let content { image = sanitizer.firstImage(content, resolve: resolve) }
        if image == nil, let summary { image = sanitizer.firstImage(summary, resolve: resolve) }
        let link = nonEmpty(entry.link.map(Self.trimmed))
        let declared = entry.published ?? entry.updated
        let updated = entry.updated.map { min($0, fetchedAt) }

        let canonicalLink = link.flatMap { CanonicalLink.make($0, trackingParameters: options.trackingParameters) }
        let authors = entry.authors
        let categories = entry.categories.map(\.term)
        let enclosures = entry.enclosures
        // The digest takes the date as declared: a future date is clamped to each
        // fetch's time, which would otherwise make the entry "change" on every fetch.
        let contentHash = Self.contentHash(
            title: title, link: link, published: declared, description: description, image: image, body: body,
            authors: authors, categories: categories, enclosures: enclosures)
        let key: String
        let keyIsGUID: Bool
        if let guid = nonEmpty(entry.id.map(Self.trimmed)) {
            key = guid
            keyIsGUID = true
        } else if let link {
            key = link
            keyIsGUID = false
        } else {
            let date = (entry.published ?? entry.updated).map { String(Int64($0.timeIntervalSince1970.rounded())) }
            // Without a title or a date the body is all that tells entries apart.
            let extra = feedTitle.isEmpty && date == nil ? body : nil
            key = "hash:" + ContentDigest.hex(feedTitle, date, extra)
            keyIsGUID = false
        }
        // Made once, whole: setting a field later would make a new one.
        let processed = ProcessedEntry(
            key: key, title: title, link: link, canonicalLink: canonicalLink,
            published: declared.map { min($0, fetchedAt) }, updated: updated, description: description, image: image,
            body: body, authors: authors, categories: categories, enclosures: enclosures, contentHash: contentHash)
        return Candidate(entry: processed, keyIsGUID: keyIsGUID, summary: summaryBytes, feedTitle: feedTitle)
    }

    /// `text` without leading and trailing white space (Unicode's).
    static func trimmed(_ text: String) -> String { text.trimmingWhiteSpace }

    /// The digest of the fields the store compares to decide an entry changed (see
    /// `ProcessedEntry.contentHash`).
    static func contentHash(
        title: String, link: String?, published: Date?, description: String, image: String?, body: String,
        authors: [Author], categories: [String], enclosures: [Enclosure]
    ) -> String {
        var digest = ChangeDigest()
        digest.add(title)
        digest.add(link)
        digest.add(published.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) })
        digest.add(description)
        digest.add(image)
        digest.add(body)
        // The lists go in element by element, as `add(list:)` of the flattened fields
        // would put them, without those arrays.
        digest.beginList(count: authors.count * 3)
        for author in authors {
            digest.add(author.name)
            digest.add(author.email)
            digest.add(author.uri)
        }
        digest.beginList(count: categories.count)
        for category in categories { digest.add(category) }
        digest.beginList(count: enclosures.count * 3)
        for enclosure in enclosures {
            digest.add(enclosure.url)
            digest.add(enclosure.type)
            digest.add(enclosure.length.map { String($0) })
        }
        return digest.hex
    }

    /// Collapses exact duplicates and gives entries that share a key but differ a
    /// key of their own, in document order.
    static func assignUniqueKeys(_ candidates: [Candidate]) -> [Candidate] {
        // The usual case: every key differs, and the candidates stay as they are (not
        // copied one by one, every string retained, with the key set again). Told
        // with a set first: a group's array for every key cost an allocation each.
        var seen = Set<String>(minimumCapacity: candidates.count)
        if candidates.allSatisfy({ seen.insert($0.entry.key).inserted }) { return candidates }
        var groups: [String: [Int]] = [:]
        for (index, candidate) in candidates.enumerated() { groups[candidate.entry.key, default: []].append(index) }
        var drop = Set<Int>()
        var keys = candidates.map(\.entry.key)
        for indices in groups.values where indices.count > 1 {
            var seenHashes = Set<String>()
            var distinct: [Int] = []
            for index in indices {
                if seenHashes.insert(candidates[index].entry.contentHash).inserted {
                    distinct.append(index)
                } else {
                    drop.insert(index)
                }
            }
            guard distinct.count > 1 else { continue }
            var used = Set<String>()
            for index in distinct {
                let entry = candidates[index].entry
                let bodyDigest = ContentDigest.hex(candidates[index].feedTitle, entry.body)
                var choices: [String] = []
                if candidates[index].keyIsGUID, let link = entry.link { choices.append(link) }
                choices.append(bodyDigest)
                choices.append(entry.contentHash)
                let key = choices.lazy.map { entry.key + "#" + $0 }.first { !used.contains($0) }
                keys[index] = key ?? entry.key + "#" + entry.contentHash
                used.insert(keys[index])
            }
        }
        var result: [Candidate] = []
        result.reserveCapacity(candidates.count - drop.count)
        for (index, candidate) in candidates.enumerated() where !drop.contains(index) {
            var candidate = candidate
            candidate.entry.key = keys[index]
            result.append(candidate)
        }
        return result
    }

    /// The texts a filter on `field` looks at.
    func filterTexts(_ candidate: Candidate, field: FilterField) -> [String] {
        let entry = candidate.entry
        switch field {
        case .title:
            return [entry.title]
        case .link:
            return entry.link.map { [$0] } ?? []
        case .author:
            return entry.authors.flatMap { [$0.name, $0.email].compactMap { $0 } }
        case .category:
            return entry.categories
        case .content:
            var texts = [sanitizer.plainText(html: entry.body, limit: Int.max)]
            if let summary = candidate.summary { texts.append(sanitizer.plainText(utf8: summary, limit: Int.max)) }
            return texts
        }
    }

    static func collapseWhitespace(_ text: String) -> String {
        // Most titles are already clean: single ASCII spaces inside, none at the ends.
        var text = text
        let (clean, endsWithSpace) = text.withUTF8 { bytes -> (Bool, Bool) in
            var previousWasSpace = true
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 {
                    if previousWasSpace { return (false, true) }
                    previousWasSpace = true
                } else if byte < 0x20 || Self.isNonASCIIWhiteSpace(bytes, at: index) {
                    // Control characters and non-ASCII white space take the slow path.
                    return (false, previousWasSpace)
                } else {
                    previousWasSpace = false
                }
                index += 1
            }
            return (true, previousWasSpace)
        }
        let previousWasSpace = endsWithSpace
        if clean && !previousWasSpace { return text }
        // Titles indented in their XML, or with doubled or non-breaking spaces.
        if let collapsed = text.withUTF8(Self.collapsedWhiteSpace) { return collapsed }
        return text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    /// The words of `bytes` (valid UTF-8) joined by single spaces, as splitting at
    /// white-space characters and joining gives, in one pass over the bytes; nil when a
    /// white-space scalar is followed by one that might belong to the same character (a
    /// combining mark, a joiner, an emoji modifier after a space), left to the
    /// character-by-character path.
    ///
    /// Every white-space scalar starts a character of its own (none extends the one
    /// before); what follows it starts another when it is ASCII, white space, or a
    /// letter (not a modifier letter), number, punctuation, math, currency or other
    /// symbol, none of which extends a character. CR LF, one character, is white space
    /// either way.
    static func collapsedWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var spaceLength = 0
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                spaceLength = 1
            } else if byte >= 0x80 && Self.isNonASCIIWhiteSpace(bytes, at: index) {
                spaceLength = byte == 0xC2 ? 2 : 3
            }
            if spaceLength > 0 {
                index += spaceLength
                pendingSpace = true
                if index < bytes.count && bytes[index] >= 0x80 && !Self.isNonASCIIWhiteSpace(bytes, at: index)
                    && !Self.startsCharacter(bytes, at: index)
                {
                    return nil
                }
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the non-ASCII scalar at `index` always starts a character of its own:
    /// a letter but a modifier letter, a number, punctuation, or a math, currency or
    /// other symbol (no such scalar extends the character before it).
    private static func startsCharacter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = bytes[index]
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= bytes.count else { return false }
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .decimalNumber, .letterNumber,
            .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Whether the UTF-8 sequence at `index` is one of Unicode's non-ASCII white space
    /// characters: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
    /// U+205F, U+3000.
    private static func isNonASCIIWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = bytes[index]
        guard lead == 0xC2 || lead == 0xE1 || lead == 0xE2 || lead == 0xE3, index + 1 < bytes.count else {
            return false
        }
        let second = bytes[index + 1]
        if lead == 0xC2 { return second == 0x85 || second == 0xA0 }
        guard index + 2 < bytes.count else { return false }
        let third = bytes[index + 2]
        switch lead {
        case 0xE1: return second == 0x9A && third == 0x80
        case 0xE2:
            if second == 0x80 { return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF }
            return second == 0x81 && third == 0x9F
        default: return second == 0x80 && third == 0x80
        }
    }
}

private func nonEmpty(_ string: String?) -> String? {
    guard let string, !string.isEmpty else { return nil }
    return string
}

/// `html` unless it holds only white space.
private func nonBlank(_ html: [UInt8]?) -> [UInt8]? {
    guard let html else { return nil }
    // HTML nearly always starts with a tag: the first byte past ASCII white space decides.
    guard let first = html.firstIndex(where: { !($0 == 0x20 || (0x09...0x0D).contains($0)) }) else { return nil }
    if html[first] < 0x80 { return html }
    return String(decoding: html[first...], as: UTF8.self).contains(where: { !$0.isWhitespace }) ? html : nil
}

/// URLs resolved against one base, split into its parts at the first relative one.
private final class RelativeURLs {
    private let base: String
    private var parsed: BaseURL??

    init(base: String) { self.base = base }

    /// `reference` made absolute, as ``URLResolver/resolve(_:against:)`` makes it.
    func resolve(_ reference: String) -> String {
        var cleaned = URLResolver.clean(reference)
        if base.isEmpty || cleaned.withUTF8({ URLResolver.schemeLength($0) != nil }) { return cleaned }
        if parsed == nil { parsed = .some(BaseURL(base)) }
        guard case .some(.some(let parsedBase)) = parsed else { return cleaned }
        return parsedBase.resolveRelative(cleaned)
    }
}
