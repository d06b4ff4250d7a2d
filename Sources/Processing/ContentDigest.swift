/// FNV-1a, 64 bits, over length-prefixed fields: a stable (across runs and
/// platforms) digest for change detection, not for security.
struct ContentDigest {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    private mutating func mix(_ byte: UInt8) {
        state ^= UInt64(byte)
        state &*= 0x0000_0100_0000_01b3
    }

    private mutating func mix(length: Int) {
        var value = UInt64(length)
        for _ in 0..<8 {
            mix(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    /// Adds a field: a marker byte, its length, then its bytes, so that
    /// ("ab", "c") and ("a", "bc") differ.
    mutating func add(_ field: String) {
        mix(1)
        var field = field
        field.withUTF8 { bytes in
            mix(length: bytes.count)
            for byte in bytes { mix(byte) }
        }
    }

    /// Adds an optional field; absent differs from empty.
    mutating func add(_ field: String?) {
        if let field {
            add(field)
        } else {
            mix(0)
        }
    }

    /// Adds a list: its count, then each element.
    mutating func add(list: [String?]) {
        mix(2)
        mix(length: list.count)
        for element in list { add(element) }
    }

    /// Sixteen lowercase hex digits.
    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The digest of `fields`, in order.
    static func hex(_ fields: String?...) -> String {
        var digest = ContentDigest()
        for field in fields { digest.add(field) }
        return digest.hex
    }
}
