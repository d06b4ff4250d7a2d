import Foundation
import Synchronization

#if os(Linux)
    import CICUTransliterator
#endif

/// Romanization to ASCII through one long-lived ICU transliterator
/// ("NFKD; Any-Latin; Latin-ASCII").
///
/// Foundation's `applyingTransform` opens a new transliterator on every call, and
/// Any-Latin loads the rules of each script it meets (Han-Latin's are large) into
/// each new instance: slugging a Chinese title that way cost more than the rest of
/// publishing the entry. An instance is not safe to use from two threads at once,
/// hence a lock on each; slugging is short, but the first character of a script
/// makes its instance load that script's rules (Han-Latin: about 120 ms), and with a
/// single instance every other thread that needed a slug meanwhile waited, leaving a
/// core idle at the start of a first sync. There is one instance per core: a thread
/// takes a free one, and waits only when all are busy.
final class ASCIITransliterator: Sendable {
    static let shared = ASCIITransliterator()

    static let id = "NFKD; Any-Latin; Latin-ASCII"

    /// Romanizations already worked out, by character (bounded).
    private let memo = Mutex<[Character: String]>([:])
    private static let memoLimit = 50_000

    /// `character` transliterated, remembered for the next time.
    func transliterate(_ character: Character) -> String? {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let reading = HanReadings.romanization(of: scalars.first!.value) {
            return String(decoding: reading, as: UTF8.self)
        }
        if let known = memo.withLock({ $0[character] }) { return known }
        guard let result = transliterate(String(character)) else { return nil }
        memo.withLock { memo in
            if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
            memo[character] = result
        }
        return result
    }

    /// ASCII romanizations of single scalars, with a trailing space for ideographs (as
    /// `Slug` separates their syllables); nil for a scalar that does not romanize to ASCII.
    private let scalarMemo = Mutex<[UInt32: [UInt8]?]>([:])

    /// The ASCII romanization of `scalar` taken as a character of its own (followed by a
    /// space when it is an ideograph), or nil when ICU gives anything but ASCII.
    func asciiRomanization(of scalar: Unicode.Scalar) -> [UInt8]? {
        if let reading = HanReadings.romanization(of: scalar.value) { return Array(reading) + [UInt8(ascii: " ")] }
        if let known = scalarMemo.withLock({ $0[scalar.value] }) { return known }
        var romanized: [UInt8]? = nil
        if let text = transliterate(String(scalar)), text.utf8.allSatisfy({ $0 < 0x80 }) {
            romanized = Array(text.utf8) + (scalar.properties.isIdeographic ? [UInt8(ascii: " ")] : [])
        }
        scalarMemo.withLock { memo in
            if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
            memo[scalar.value] = romanized
        }
        return romanized
    }

    /// Scalars that `Slug.romanizeAhead` has romanized: their scripts' rules are
    /// loaded (bounded like the memos; forgetting only costs a second look).
    private let met = Mutex<Set<UInt32>>([])

    /// Whether any of `scalars` was never recorded by `recordMet`.
    func hasUnmet(_ scalars: some Sequence<Unicode.Scalar>) -> Bool {
        met.withLock { met in scalars.contains { !met.contains($0.value) } }
    }

    /// Records `scalars` as romanized once.
    func recordMet(_ scalars: some Sequence<Unicode.Scalar>) {
        met.withLock { met in
            if met.count >= Self.memoLimit { met.removeAll(keepingCapacity: true) }
            for scalar in scalars { met.insert(scalar.value) }
        }
    }

    #if os(Linux)
        /// An instance of ICU's transliterator, opened on first use.
        private enum Instance {
            case unopened
            case open(OpaquePointer)
            /// ICU could not open one: Foundation's transform is used instead.
            case unavailable
        }

        /// An instance behind its lock (a `Mutex` cannot be an array's element).
        private final class Slot: Sendable {
            let instance = Mutex(Instance.unopened)

            deinit {
                instance.withLock { if case .open(let pointer) = $0 { swift_utrans_close(pointer) } }
            }
        }

        private let slots: [Slot]

        private init() {
            slots = (0..<max(2, ProcessInfo.processInfo.activeProcessorCount)).map { _ in Slot() }
        }

        private static func open() -> Instance {
            let id = Array(Self.id.utf16)
            var parseError = TidingsUParseError()
            var status: Int32 = 0
            let opened = swift_utrans_openU(id, Int32(id.count), 0, nil, 0, &parseError, &status)
            guard status <= 0, let opened else { return .unavailable }
            return .open(opened)
        }
    #endif

    /// `text` transliterated, or `nil` when ICU is not available or failed.
    func transliterate(_ text: String) -> String? {
        #if os(Linux)
            for slot in slots {
                if let result = slot.instance.withLockIfAvailable({ Self.transliterate(text, with: &$0) }) {
                    return result
                }
            }
            return slots[0].instance.withLock { Self.transliterate(text, with: &$0) }
        #else
            return text.applyingTransform(StringTransform(Self.id), reverse: false)
        #endif
    }

    #if os(Linux)
        /// `text` transliterated with `instance`, opening it first if need be.
        private static func transliterate(_ text: String, with instance: inout Instance) -> String? {
            if case .unopened = instance { instance = open() }
            guard case .open(let pointer) = instance else {
                return text.applyingTransform(StringTransform(id), reverse: false)
            }
            var buffer = Array(text.utf16)
            // Romanizing grows the text (one Han character becomes a syllable);
            // ICU asks for more room with U_BUFFER_OVERFLOW_ERROR (15).
            var capacity = max(64, buffer.count * 8)
            for _ in 0..<4 {
                let count = buffer.count
                var work = buffer + [UInt16](repeating: 0, count: capacity - count)
                var length = Int32(count)
                var limit = Int32(count)
                var status: Int32 = 0
                swift_utrans_transUChars(pointer, &work, &length, Int32(capacity), 0, &limit, &status)
                if status == 15 {
                    capacity *= 4
                    continue
                }
                guard status <= 0 else { return nil }
                buffer = Array(work[..<Int(length)])
                return String(decoding: buffer, as: UTF16.self)
            }
            return nil
        }
    #endif
}
