/// The sanitizer's entry points for HTML given as UTF-8 bytes (an entry's content as
/// the parser keeps it), so a body is not made into a String (validated and copied)
/// only to be read back as bytes. Ill-formed bytes are repaired (U+FFFD) first, as
/// `String(decoding:as:)` would, so each gives what its String form gives.
extension HTMLSanitizer {
    /// ``hugoSafeBody(_:resolve:)`` of HTML given as UTF-8 bytes.
    public func hugoSafeBody(utf8 html: [UInt8], resolve: (String) -> String? = { $0 }) -> String {
        html.withUnsafeBufferPointer { bytes in
            guard UTF8Check(bytes).isWellFormed else {
                return hugoSafeBody(String(decoding: bytes, as: UTF8.self), resolve: resolve)
            }
            return Self.hugoSafeBody(bytes: sanitizedBytes(utf8: bytes, engine: .automatic, resolve: resolve) ?? [])
        }
    }

    /// ``plainText(html:limit:)`` of HTML given as UTF-8 bytes.
    public func plainText(utf8 html: [UInt8], limit: Int = 300) -> String {
        html.withUnsafeBufferPointer { bytes in
            guard UTF8Check(bytes).isWellFormed else {
                return plainText(html: String(decoding: bytes, as: UTF8.self), limit: limit)
            }
            return plainText(wellFormed: bytes, limit: limit)
        }
    }

    /// ``firstImage(html:resolve:)`` of HTML given as UTF-8 bytes.
    public func firstImage(utf8 html: [UInt8], resolve: (String) -> String? = { $0 }) -> String? {
        html.withUnsafeBufferPointer { bytes in
            guard UTF8Check(bytes).isWellFormed else {
                return firstImage(html: String(decoding: bytes, as: UTF8.self), resolve: resolve)
            }
            return firstImage(wellFormed: bytes, resolve: resolve)
        }
    }

    func plainText(wellFormed html: UnsafeBufferPointer<UInt8>, limit: Int) -> String {
        guard limit > 0 else { return "" }
        let scalarLimit = limit > Int.max / 8 ? Int.max - 1 : limit * 4 + 64
        // The text is rarely longer than the markup, nor than the scalars kept
        // (at most four bytes each): one allocation instead of a doubling series.
        let capacity = min(html.count, scalarLimit > Int.max / 4 ? Int.max : scalarLimit * 4 + 4, 1 << 16)
        var sink = PlainTextSink(policy: policy, scalarLimit: scalarLimit, capacity: capacity)
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
