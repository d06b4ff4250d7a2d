/// A fast 64-bit digest of length-prefixed fields, for telling whether an entry's
/// content changed; stable across runs and platforms, not for security.
///
/// Bodies are most of what it reads, so it folds eight bytes per multiply where FNV-1a
/// (`ContentDigest`, which entry keys use and must keep) spends one per byte. Changing
/// this function makes every stored entry look changed once, so it does not change lightly.
struct ChangeDigest {
    private var state: UInt64 = 0x6A09_E667_F3BC_C908

    private mutating func mix(word: UInt64) {
        let product = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
        state = product ^ (product >> 32)
    }

    /// Adds a field: a marker and its length, then its bytes, so that ("ab", "c") and
    /// ("a", "bc") differ.
    mutating func add(_ field: String) {
        var field = field
        field.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Adds a field of bytes, as ``add(_:)-(String)`` adds a string's UTF-8.
    mutating func add(bytes raw: UnsafeRawBufferPointer) {
        mix(word: 1 << 56 | UInt64(raw.count))
        var offset = 0
        while offset + 8 <= raw.count {
            mix(word: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < raw.count {
            // The length is already in, so zero padding cannot pass for bytes.
            var tail: UInt64 = 0
            for (shift, byte) in raw[offset...].enumerated() { tail |= UInt64(byte) << (8 * shift) }
            mix(word: tail)
        }
    }

    /// Adds an optional field; absent differs from empty.
    mutating func add(_ field: String?) {
        if let field { add(field) } else { mix(word: 0) }
    }

    /// Adds a list: its count, then each element.
    mutating func add(list: [String?]) {
        beginList(count: list.count)
        for element in list { add(element) }
    }

    /// Starts a list of `count` elements, to be added one by one: the same digest as
    /// ``add(list:)`` of them, without an array made for it.
    mutating func beginList(count: Int) {
        mix(word: 2 << 56 | UInt64(count))
    }

    /// Sixteen lowercase hex digits, after a final avalanche so every input bit reaches
    /// every digit.
    var hex: String {
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
