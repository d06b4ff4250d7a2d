import CLibXML2

/// The growable byte buffer the reader collects element text in, reused for the
/// whole document. An `Array` would do, but each `append(contentsOf:)` costs a
/// uniqueness check and a generic copy; this one is a capacity check and a `memcpy`,
/// which matters for a buffer written to on every SAX text event.
///
/// Not copyable in spirit: the owner frees it with ``deallocate()``.
struct TextBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    /// The bytes collected so far; valid until the next change.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        reserve(n)
        let target = base + count
        // Text arrives in pieces as short as one character (libxml2 reports each
        // entity reference on its own): copy short pieces inline, as overlapping
        // words, rather than through a call to memcpy.
        if n <= 16 {
            let from = UnsafeRawPointer(source)
            let to = UnsafeMutableRawPointer(target)
            if n >= 8 {
                let head = from.loadUnaligned(as: UInt64.self)
                let tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                to.storeBytes(of: head, as: UInt64.self)
                to.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                let head = from.loadUnaligned(as: UInt32.self)
                let tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                to.storeBytes(of: head, as: UInt32.self)
                to.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
            } else {
                for i in 0..<n { target[i] = source[i] }
            }
        } else {
            target.update(from: source, count: n)
        }
        count += n
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends an ASCII literal such as an entity reference.
    mutating func append(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a NUL-terminated name.
    mutating func append(cString name: UnsafePointer<UInt8>) {
        append(contentsOf: UnsafeBufferPointer(start: name, count: strlen(name)))
    }

    /// Appends UTF-8 `text` with `&`, `<` and `>` escaped (as
    /// ``HTMLText/appendEscaped(_:to:)`` does), copying runs of other bytes whole.
    mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        appendEscaping(text, inAttribute: false)
    }

    /// Appends an attribute value for a double-quoted HTML attribute: `&` and `"`
    /// escaped, runs of other bytes copied whole.
    mutating func appendAttributeEscaped(_ value: UnsafeBufferPointer<UInt8>) {
        appendEscaping(value, inAttribute: true)
    }

    /// The one escaping loop of both: skips eight bytes at a time while none needs an
    /// escape (text and URLs, mostly), copies runs whole.
    @inline(__always)
    private mutating func appendEscaping(_ bytes: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        guard let start = bytes.baseAddress else { return }
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(start + i).loadUnaligned(as: UInt64.self)
                if !Self.hasEscapable(word, inAttribute: inAttribute) {
                    i += 8
                    continue
                }
            }
            let c = bytes[i]
            i += 1
            let escape: StaticString
            switch c {
            case UInt8(ascii: "&"): escape = "&amp;"
            case UInt8(ascii: "<") where !inAttribute: escape = "&lt;"
            case UInt8(ascii: ">") where !inAttribute: escape = "&gt;"
            case UInt8(ascii: "\"") where inAttribute: escape = "&quot;"
            default: continue
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<(i - 1)]))
            append(escape)
            runStart = i
        }
        append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
    }

    /// Whether any byte of `word` is `&`, or `"` in an attribute, or `<` or `>` in text
    /// (the classic has-zero-byte test on the word XOR-ed with each of them).
    @inline(__always)
    private static func hasEscapable(_ word: UInt64, inAttribute: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        if hasZero(word ^ (ones &* 0x26)) { return true }
        if inAttribute { return hasZero(word ^ (ones &* 0x22)) }
        return hasZero(word ^ (ones &* 0x3C)) || hasZero(word ^ (ones &* 0x3E))
    }
}
