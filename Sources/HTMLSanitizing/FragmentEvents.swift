import CGumbo

/// One attribute of a start tag: lowercase name and decoded value, as UTF-8,
/// valid only during the ``FragmentSink/startElement(_:)`` call that sees it.
struct RawAttribute {
    var name: UnsafeBufferPointer<UInt8>
    var value: UnsafeBufferPointer<UInt8>
}

/// An element as the tree builder produced it, valid during one
/// ``FragmentSink/startElement(_:)`` call.
struct ElementToken {
    var tag: ElementTag
    /// The lowercase name (for every tag, known or not).
    var name: UnsafeBufferPointer<UInt8>
    var isHTML: Bool
    var attributes: UnsafeBufferPointer<RawAttribute>
    /// The parser moved, cloned or re-created this element (misnested markup);
    /// its serialization may parse differently, so the caller verifies it.
    var irregular: Bool

    func attribute(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        for attribute in attributes where attribute.name.equals(name) { return attribute.value }
        return nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these are the bytes of `string` (a name: compared with memcmp,
    /// not through `String.UTF8View`'s iterator).
    @inline(__always)
    func equals(_ string: StaticString) -> Bool {
        guard count == string.utf8CodeUnitCount else { return false }
        guard let baseAddress, count > 0 else { return true }
        return memcmp(baseAddress, string.utf8Start, count) == 0
    }
}

/// What receives a parsed fragment, in document order: the tree walked depth
/// first, whichever reader built it.
protocol FragmentSink {
    /// Whether to deliver the element's children and then its end.
    mutating func startElement(_ element: ElementToken) -> Bool
    mutating func endElement()
    /// Character data (decoded; never inside raw-text elements).
    ///
    /// `isChecked`: the fast reader has checked the text: it holds no `&`, no
    /// `<`, no carriage return, NUL or other character a parser reads back as
    /// U+FFFD (it is input as written, or references that decode to none of
    /// these). Only `>` can need escaping.
    mutating func text(_ text: UnsafeBufferPointer<UInt8>, isChecked: Bool)
    /// The sink has all it wants; readers may stop early.
    var isFinished: Bool { get }
    /// The tree builder moved content (foster parenting out of a table) in a
    /// way its serialization may not reproduce when read again.
    mutating func noteIrregularTree()
    /// Forget everything delivered so far: the fast reader gave up and the tree
    /// will be delivered again from the start.
    mutating func restart()
}

extension FragmentSink {
    mutating func noteIrregularTree() {}
}

/// Which tree builder reads a fragment.
enum FragmentEngine: Sendable {
    /// The fast reader for the simple, well-nested markup most feeds carry,
    /// falling back to gumbo for anything else (the default).
    case automatic
    /// gumbo only.
    case gumbo
    /// The fast reader only; `false` from ``FragmentReader/read(_:engine:into:)``
    /// when it gave up (tests compare the two).
    case fastOnly
}

enum FragmentReader {
    /// Delivers the fragment in `bytes` (UTF-8) to `sink`. Returns false only for
    /// ``FragmentEngine/fastOnly`` when the fast reader gave up.
    @discardableResult
    static func read<Sink: FragmentSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, engine: FragmentEngine = .automatic, into sink: inout Sink
    ) -> Bool {
        switch engine {
        case .gumbo:
            GumboTreeWalker.walk(bytes, into: &sink)
            return true
        case .fastOnly:
            return FastFragmentReader.read(bytes, into: &sink)
        case .automatic:
            if FastFragmentReader.read(bytes, into: &sink) { return true }
            sink.restart()
            GumboTreeWalker.walk(bytes, into: &sink)
            return true
        }
    }
}
