import CGumbo  // memchr, through the shim's <string.h>

/// Searches of UTF-8 buffers that look at a word or a vector at a time rather
/// than a byte: the sanitizer's inner loops spend most of their time looking
/// for the few bytes that need anything.
enum ByteSearch {
    /// The index of the first `byte` in `bytes[start...]`, or `bytes.count`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return bytes.count }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// The index of the first byte from `start` on that is `delimiter`, `&`, a C0
    /// control, DEL, or the lead byte of a character that may be a C1 control or
    /// a noncharacter (0xC2, 0xEF, 0xF0 and above); `bytes.count` when there is
    /// none. The fast reader looks no closer at any other byte of text or of a
    /// quoted attribute value.
    ///
    /// Eight bytes at a time: a test sets the high bit of each byte it matches,
    /// and a borrow that could set one too only runs upward from a byte that
    /// matched, so the lowest marked byte is always a real match.
    static func firstMarkupOrUnusual(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let count = bytes.count
        let delimiters = ones &* UInt64(delimiter)
        var index = start
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            var marks = (word &- ones &* 0x20) & ~word  // below 0x20
            marks |= zeroBytes(word ^ delimiters) | zeroBytes(word ^ ones &* 0x26) | zeroBytes(word ^ ones &* 0x7F)
            marks |= zeroBytes(word ^ ones &* 0xC2) | zeroBytes(word ^ ones &* 0xEF)
            marks |= word & (word &<< 1) & (word &<< 2) & (word &<< 3)  // 0xF0 and above
            marks &= ones &* 0x80
            if marks != 0 { return index &+ marks.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == delimiter || byte == UInt8(ascii: "&") || byte == 0x7F || byte == 0xC2
                || byte == 0xEF || byte >= 0xF0
            {
                return index
            }
            index &+= 1
        }
        return count
    }

    /// The index of the first byte below `limit` (at most 0x80) in
    /// `bytes[start..<end]`, or `end`; eight bytes at a time.
    static func firstByte(below limit: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int
    {
        guard let base = bytes.baseAddress else { return end }
        let limits = ones &* UInt64(limit)
        var index = start
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let marks = (word &- limits) & ~word & ones &* 0x80
            if marks != 0 { return index &+ marks.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < end && base[index] >= limit { index &+= 1 }
        return index
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The high bit of each zero byte of `word` (and maybe of bytes above one).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word }

    /// Whether `bytes` holds `byte`.
    @inline(__always)
    static func contains(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(of: byte, in: bytes, from: 0) < bytes.count
    }
}
