/// The sanitizer's entry points for HTML given as UTF-8 bytes (an entry's content as
/// the parser keeps it), so a body is not made into a String (validated and copied)
/// only to be read back as bytes. Ill-formed bytes are repaired (U+FFFD) first, as
/// `String(decoding:as:)` would, so each gives what its String form gives.
extension HTMLSanitizer {
    /// HTML as UTF-8 bytes, checked once: an entry's body goes through several
    /// passes (its sanitized form, its text, its first image), and each would
    /// otherwise check the same bytes again. Ill-formed bytes are repaired here
    /// (U+FFFD), as `String(decoding:as:)` repairs them.
    public struct UTF8HTML: Sendable {
        /// The bytes, well-formed.
        let bytes: [UInt8]

        /// Checks `bytes`, repairing them when ill-formed.
        public init(_ bytes: [UInt8]) {
            let wellFormed = bytes.withUnsafeBufferPointer { UTF8Check($0).isWellFormed }
            self.bytes = wellFormed ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
    }

    /// ``hugoSafeBody(_:resolve:)`` of HTML given as UTF-8 bytes.
    public func hugoSafeBody(utf8 html: [UInt8], resolve: (String) -> String? = { $0 }) -> String {
        hugoSafeBody(UTF8HTML(html), resolve: resolve)
    }

    /// ``hugoSafeBody(_:resolve:)`` of HTML checked as UTF-8 once.
    public func hugoSafeBody(_ html: UTF8HTML, resolve: (String) -> String? = { $0 }) -> String {
        html.bytes.withUnsafeBufferPointer { bytes in
            Self.hugoSafeBody(bytes: sanitizedBytes(utf8: bytes, engine: .automatic, resolve: resolve) ?? [])
        }
    }

    /// ``plainText(html:limit:)`` of HTML given as UTF-8 bytes.
    public func plainText(utf8 html: [UInt8], limit: Int = 300) -> String {
        plainText(UTF8HTML(html), limit: limit)
    }

    /// ``plainText(html:limit:)`` of HTML checked as UTF-8 once.
    public func plainText(_ html: UTF8HTML, limit: Int = 300) -> String {
        html.bytes.withUnsafeBufferPointer { plainText(wellFormed: $0, limit: limit) }
    }

    /// ``firstImage(html:resolve:)`` of HTML given as UTF-8 bytes.
    public func firstImage(utf8 html: [UInt8], resolve: (String) -> String? = { $0 }) -> String? {
        firstImage(UTF8HTML(html), resolve: resolve)
    }

    /// ``firstImage(html:resolve:)`` of HTML checked as UTF-8 once.
    public func firstImage(_ html: UTF8HTML, resolve: (String) -> String? = { $0 }) -> String? {
        html.bytes.withUnsafeBufferPointer { firstImage(wellFormed: $0, resolve: resolve) }
    }

    func plainText(wellFormed html: UnsafeBufferPointer<UInt8>, limit: Int) -> String {
        guard limit > 0 else { return "" }
        let scalarLimit = limit > Int.max / 8 ? Int.max - 1 : limit * 4 + 64
        // The text is rarely longer than the markup, nor than the scalars kept
        // (at most four bytes each): one allocation instead of a doubling series.
        let capacity = min(html.count, scalarLimit > Int.max / 4 ? Int.max : scalarLimit * 4 + 4, 1 << 16)
        // Three characters past the limit are all `cut` looks at (the one after the
        // limit, and the one after that to know it is whole): reading stops there.
        let characterGoal = limit > Int.max / 8 ? Int.max : limit + 3
        var sink = PlainTextSink(
            policy: policy, scalarLimit: scalarLimit, characterGoal: characterGoal, capacity: capacity)
        _ = FragmentReader.read(html, into: &sink)
        return Self.cut(utf8: sink.output, limit: limit)
    }

    /// For tests: ``plainText(wellFormed:limit:)`` reading the whole text, as far
    /// as its scalar limit, before cutting it.
    func plainTextReadingAll(wellFormed html: UnsafeBufferPointer<UInt8>, limit: Int) -> String {
        guard limit > 0 else { return "" }
        var sink = PlainTextSink(policy: policy, scalarLimit: limit * 4 + 64)
        _ = FragmentReader.read(html, into: &sink)
        return Self.cut(utf8: sink.output, limit: limit)
    }

    func firstImage(wellFormed html: UnsafeBufferPointer<UInt8>, resolve: (String) -> String?) -> String? {
        withoutActuallyEscaping(resolve) { resolve in
            var sink = FirstImageSink(policy: policy, urls: URLFilter(policy: policy, resolve: resolve))
            _ = FragmentReader.read(html, into: &sink)
            return sink.result
        }
    }
}
