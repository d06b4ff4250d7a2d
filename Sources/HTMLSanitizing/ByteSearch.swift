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

    /// Whether `bytes` holds `byte`.
    @inline(__always)
    static func contains(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(of: byte, in: bytes, from: 0) < bytes.count
    }
}
