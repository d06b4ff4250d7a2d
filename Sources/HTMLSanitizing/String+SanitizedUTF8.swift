import CUTF8Check

extension String {
    /// The string of UTF-8 the sanitizer wrote: checked for well-formedness here
    /// (``UTF8Check``, many bytes at a time), then copied without the
    /// standard library's byte-by-byte validation (the largest single cost of a
    /// sanitized body before this). Ill-formed bytes, which the sanitizer should
    /// never write, take `String(decoding:as:)` and its repairs.
    init(sanitizedUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            let check = UTF8Check(bytes)
            if check.isWellFormed {
                self.init(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: check.isASCII))
                return
            }
        }
        self.init(decoding: bytes, as: UTF8.self)
    }

    /// ``init(sanitizedUTF8:)-(UnsafeBufferPointer<UInt8>)`` of an array.
    init(sanitizedUTF8 bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { String(sanitizedUTF8: $0) }
    }
}

/// Whether bytes are well-formed UTF-8 (Unicode's table 3-7: no overlong
/// forms, surrogates, scalars past U+10FFFF or cut sequences), and ASCII.
struct UTF8Check {
    private(set) var isWellFormed = true
    private(set) var isASCII = true

    /// Checks `bytes` 32 at a time where the processor can (AVX2, `CUTF8Check`:
    /// 2–2.5 times as fast on news text as the loop below, which was 2.4% of a first
    /// sync), else with ``init(checkingEachSequence:)``.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else {
            self.init(isWellFormed: true, isASCII: true)
            return
        }
        var ascii: Int32 = 0
        switch tidings_utf8_check(base, bytes.count, &ascii) {
        case 1: self.init(isWellFormed: true, isASCII: ascii != 0)
        case 0: self.init(isWellFormed: false, isASCII: false)
        default: self.init(checkingEachSequence: bytes)
        }
    }

    private init(isWellFormed: Bool, isASCII: Bool) {
        self.isWellFormed = isWellFormed
        self.isASCII = isASCII
    }

    /// Checks `bytes` eight ASCII bytes at a time, then one sequence at a time.
    init(checkingEachSequence bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index < count {
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                guard word & high == 0 else {
                    // Straight to the first non-ASCII byte of the word.
                    index &+= (word & high).trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { return }
            let lead = base[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            isASCII = false
            let length: Int
            var low: UInt8 = 0x80
            var top: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF:
                length = 3
                if lead == 0xE0 { low = 0xA0 }
                if lead == 0xED { top = 0x9F }
            case 0xF0...0xF4:
                length = 4
                if lead == 0xF0 { low = 0x90 }
                if lead == 0xF4 { top = 0x8F }
            default:
                isWellFormed = false
                return
            }
            guard index &+ length <= count, base[index &+ 1] >= low && base[index &+ 1] <= top else {
                isWellFormed = false
                return
            }
            for offset in 2..<length where base[index &+ offset] & 0xC0 != 0x80 {
                isWellFormed = false
                return
            }
            index &+= length
        }
    }
}
