#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Converts a stream of byte chunks in one character encoding to UTF-8.
///
/// Never fails once created: invalid or truncated input becomes U+FFFD and
/// conversion goes on; ``replacements`` counts how often that happened.
/// A multibyte sequence split across two chunks is carried over.
///
/// - `UTF-8` is copied through unchanged (validation is a separate pass).
/// - `WINDOWS-1252` uses a built-in table: no iconv needed, and the five
///   bytes the code page leaves undefined (81 8D 8F 90 9D) become U+FFFD.
/// - Other single-byte encodings are turned into a 256-entry table once
///   (asked from iconv), since a table lookup is far faster than iconv.
/// - Everything else streams through iconv.
///
/// A class rather than a non-copyable struct: it owns an iconv descriptor
/// and buffers (freed in `deinit`) and is kept as an optional property by
/// the stream parser, which non-copyable values make awkward to read.
/// Not thread-safe: one document, one transcoder.
final class Transcoder {
    /// The encoding name this transcoder was opened with.
    let encoding: String
    /// How many U+FFFD were written for invalid or incomplete input.
    private(set) var replacements = 0

    private enum Mode {
        case passthrough
        case table
        case iconv
    }

    private let mode: Mode
    /// iconv descriptor (iconv mode only).
    private let cd: iconv_t?
    /// 256 packed entries: bits 0-23 the UTF-8 bytes (first byte lowest),
    /// bits 24-30 the length, bit 31 set when the byte is undefined.
    private let table: UnsafeMutablePointer<UInt32>?
    /// True when bytes 00-7F map to themselves, enabling the 8-byte fast path.
    private let asciiIdentity: Bool
    /// Bytes skipped after an invalid sequence: 2 or 4 for UTF-16/32 so the
    /// stream stays aligned, else 1.
    private let unitWidth: Int
    /// Reused output buffer.
    private let scratch: UnsafeMutablePointer<UInt8>
    /// Bytes of an incomplete sequence at the end of the last chunk.
    private var pending: [UInt8] = []

    private static let blockSize = 64 * 1024
    /// Table mode writes at most 3 bytes per input byte, plus 4 bytes slack
    /// for the unconditional 4-byte store.
    private static let scratchSize = 3 * blockSize + 8
    /// A carried sequence never legitimately grows past this many bytes.
    private static let maxPending = 64

    /// Opens a converter from `encoding` to UTF-8, or nil when iconv does
    /// not know the name.
    init?(from encoding: String) {
        let name = encoding.uppercased()
        // Names reach iconv_open: refuse suffixes such as "//IGNORE" and junk.
        guard !name.isEmpty, name.utf8.count <= 64,
            name.utf8.allSatisfy({ Self.isNameByte($0) })
        else { return nil }

        var cd: iconv_t? = nil
        var table: UnsafeMutablePointer<UInt32>? = nil
        var asciiIdentity = false
        let mode: Mode
        switch name {
        case "UTF-8", "UTF8":
            mode = .passthrough
        case "WINDOWS-1252", "CP1252":
            table = Self.makeWindows1252Table()
            asciiIdentity = true
            mode = .table
        default:
            let opened = iconv_open("UTF-8", name)
            guard let handle = opened, Int(bitPattern: handle) != -1 else { return nil }
            if let built = Self.makeSingleByteTable(handle) {
                iconv_close(handle)
                table = built.table
                asciiIdentity = built.asciiIdentity
                mode = .table
            } else {
                cd = handle
                mode = .iconv
            }
        }
        self.encoding = name
        self.mode = mode
        self.cd = cd
        self.table = table
        self.asciiIdentity = asciiIdentity
        if name.hasPrefix("UTF-16") || name.hasPrefix("UCS-2") || name == "UNICODE"
            || name.hasPrefix("UTF16")
        {
            unitWidth = 2
        } else if name.hasPrefix("UTF-32") || name.hasPrefix("UCS-4") || name.hasPrefix("UTF32") {
            unitWidth = 4
        } else {
            unitWidth = 1
        }
        // Pass-through never writes to it.
        scratch = .allocate(capacity: mode == .passthrough ? 1 : Self.scratchSize)
    }

    /// True when ``init(from:)`` would succeed, without building anything.
    static func canOpen(_ encoding: String) -> Bool {
        let name = encoding.uppercased()
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy({ isNameByte($0) }) else {
            return false
        }
        if ["UTF-8", "UTF8", "WINDOWS-1252", "CP1252"].contains(name) { return true }
        guard let cd = iconv_open("UTF-8", name), Int(bitPattern: cd) != -1 else { return false }
        iconv_close(cd)
        return true
    }

    deinit {
        if let cd { iconv_close(cd) }
        table?.deallocate()
        scratch.deallocate()
    }

    /// Converts one chunk, appending UTF-8 to `output`. An incomplete
    /// sequence at the end is kept for the next call or ``finish(into:)``.
    func convert(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        switch mode {
        case .passthrough:
            output.append(contentsOf: UnsafeBufferPointer(start: bytes, count: chunk.count))
        case .table:
            convertWithTable(bytes, count: chunk.count, into: &output)
        case .iconv:
            convertWithIconv(bytes, count: chunk.count, into: &output)
        }
    }

    /// Converts one chunk held in an array.
    func convert(_ chunk: [UInt8], into output: inout [UInt8]) {
        chunk.withUnsafeBytes { convert($0, into: &output) }
    }

    /// Ends the stream: a sequence left incomplete becomes U+FFFD, and the
    /// converter is reset so it can start a new document.
    func finish(into output: inout [UInt8]) {
        guard mode == .iconv, let cd else { return }
        while !pending.isEmpty {
            let carried = pending
            let rest = carried.withUnsafeBufferPointer {
                drain($0.baseAddress!, count: $0.count, into: &output)
            }
            guard rest > 0 else {
                pending.removeAll(keepingCapacity: true)
                break
            }
            // Truncated at end of input: one U+FFFD, then retry what follows.
            appendReplacement(to: &output)
            let tail = Array(pending[(pending.count - rest)...].dropFirst(unitWidth))
            pending = tail
        }
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(scratch).assumingMemoryBound(
            to: CChar.self)
        var outLeft = Self.scratchSize
        _ = iconv(cd, nil, nil, &outPtr, &outLeft)
        flush(Self.scratchSize - outLeft, into: &output)
    }

    // MARK: - Table mode

    private func convertWithTable(
        _ src: UnsafePointer<UInt8>, count: Int, into output: inout [UInt8]
    ) {
        guard let table else { return }
        var offset = 0
        while offset < count {
            let n = min(Self.blockSize, count - offset)
            let (written, invalid) = Self.tableKernel(
                src + offset, count: n, table: table, asciiIdentity: asciiIdentity, into: scratch)
            output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: written))
            replacements += invalid
            offset += n
        }
    }

    /// The hot loop, on locals only. `dst` must hold 3 * count + 4 bytes.
    @inline(__always)
    private static func tableKernel(
        _ src: UnsafePointer<UInt8>, count n: Int, table: UnsafePointer<UInt32>, asciiIdentity: Bool,
        into dst: UnsafeMutablePointer<UInt8>
    ) -> (written: Int, invalid: Int) {
        let out = UnsafeMutableRawPointer(dst)
        var i = 0
        var o = 0
        var invalid = 0
        while i < n {
            if asciiIdentity {
                // Runs of ASCII copy 8 bytes at a time.
                while i &+ 8 <= n {
                    let word = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    out.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                    i &+= 8
                    o &+= 8
                }
                if i >= n { break }
            }
            let entry = table[Int(src[i])]
            // Store all bytes at once; the length says how many count.
            out.storeBytes(of: (entry & 0x00FF_FFFF).littleEndian, toByteOffset: o, as: UInt32.self)
            o &+= Int(truncatingIfNeeded: (entry >> 24) & 0x7F)
            invalid &+= Int(truncatingIfNeeded: entry >> 31)
            i &+= 1
        }
        return (o, invalid)
    }

    /// The 0x80-0x9F row of windows-1252; 0 marks the undefined bytes.
    private static let windows1252High: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    private static func makeWindows1252Table() -> UnsafeMutablePointer<UInt32> {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        for byte in 0..<256 {
            var scalar = UInt32(byte)
            if (0x80..<0xA0).contains(byte) { scalar = UInt32(windows1252High[byte - 0x80]) }
            table[byte] = scalar == 0 && byte != 0 ? replacementEntry : entry(for: Unicode.Scalar(scalar)!)
        }
        return table
    }

    private static let replacementEntry: UInt32 = 0xBD_BF_EF | (3 << 24) | (1 << 31)

    private static func entry(for scalar: Unicode.Scalar) -> UInt32 {
        var packed: UInt32 = 0
        var length: UInt32 = 0
        for unit in UTF8.encode(scalar)! {
            packed |= UInt32(unit) << (8 * length)
            length += 1
        }
        return packed | (length << 24)
    }

    /// Asks iconv for every byte alone. Returns nil unless each byte is
    /// either undefined or one character of at most 3 UTF-8 bytes, which
    /// rules out multibyte and stateful encodings.
    private static func makeSingleByteTable(
        _ cd: iconv_t
    ) -> (table: UnsafeMutablePointer<UInt32>, asciiIdentity: Bool)? {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        var asciiIdentity = true
        var ok = true
        var inByte = [CChar](repeating: 0, count: 1)
        var outBytes = [CChar](repeating: 0, count: 16)
        for byte in 0..<256 where ok {
            _ = iconv(cd, nil, nil, nil, nil)
            inByte[0] = CChar(bitPattern: UInt8(byte))
            let produced: [UInt8]? = inByte.withUnsafeMutableBufferPointer { inBuf in
                outBytes.withUnsafeMutableBufferPointer { outBuf in
                    var inPtr = inBuf.baseAddress
                    var inLeft = 1
                    var outPtr = outBuf.baseAddress
                    var outLeft = outBuf.count
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        return errno == EILSEQ ? [] : nil
                    }
                    // Nothing written means iconv holds the byte back (it
                    // composes, as CP1255/CP1258 do): not a plain table.
                    guard inLeft == 0, outLeft < outBuf.count else { return nil }
                    return outBuf[0..<(outBuf.count - outLeft)].map { UInt8(bitPattern: $0) }
                }
            }
            guard let produced else {
                ok = false
                break
            }
            if produced.isEmpty {
                table[byte] = replacementEntry
                if byte < 0x80 { asciiIdentity = false }
                continue
            }
            var decoder = UTF8()
            var iterator = produced.makeIterator()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator),
                produced.count <= 3, case .emptyInput = decoder.decode(&iterator)
            else {
                ok = false
                break
            }
            table[byte] = entry(for: scalar)
            if byte < 0x80, scalar.value != UInt32(byte) { asciiIdentity = false }
        }
        _ = iconv(cd, nil, nil, nil, nil)
        guard ok else {
            table.deallocate()
            return nil
        }
        return (table, asciiIdentity)
    }

    // MARK: - iconv mode

    private func convertWithIconv(
        _ src: UnsafePointer<UInt8>, count: Int, into output: inout [UInt8]
    ) {
        var offset = 0
        // Complete the sequence carried from the previous chunk, feeding a
        // few bytes at a time, before converting the rest in place.
        while !pending.isEmpty, offset < count {
            let take = min(count - offset, 16)
            let carriedCount = pending.count
            pending.append(contentsOf: UnsafeBufferPointer(start: src + offset, count: take))
            // A copy: drain mutates self while reading these bytes.
            let window = pending
            let rest = window.withUnsafeBufferPointer {
                drain($0.baseAddress!, count: $0.count, into: &output)
            }
            let consumed = window.count - rest
            if consumed >= carriedCount {
                // Bytes left over belong to this chunk: reread them in place.
                offset += consumed - carriedCount
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.removeFirst(consumed)
                offset += take
                if pending.count > Self.maxPending {
                    // iconv keeps asking for more: give up on the first unit.
                    appendReplacement(to: &output)
                    pending.removeFirst(min(unitWidth, pending.count))
                }
            }
        }
        guard offset < count else { return }
        let rest = drain(src + offset, count: count - offset, into: &output)
        if rest > 0 {
            pending.append(contentsOf: UnsafeBufferPointer(start: src + count - rest, count: rest))
        }
    }

    /// Runs iconv over `count` bytes, replacing invalid sequences. Returns
    /// how many bytes at the end form an incomplete sequence (not consumed).
    private func drain(
        _ src: UnsafePointer<UInt8>, count: Int, into output: inout [UInt8]
    ) -> Int {
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: src)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = count
        while inLeft > 0 {
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(scratch)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = Self.scratchSize
            let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            let code = errno
            flush(Self.scratchSize - outLeft, into: &output)
            if result != -1 { break }
            switch code {
            case E2BIG:
                continue
            case EINVAL:
                return inLeft
            default:
                // EILSEQ (or anything unexpected): replace and move on, so
                // the loop always progresses.
                appendReplacement(to: &output)
                let skip = min(unitWidth, inLeft)
                inPtr = inPtr.map { $0 + skip }
                inLeft -= skip
            }
        }
        return 0
    }

    private func flush(_ count: Int, into output: inout [UInt8]) {
        if count > 0 {
            output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: count))
        }
    }

    private func appendReplacement(to output: inout [UInt8]) {
        output.append(contentsOf: [0xEF, 0xBF, 0xBD])
        replacements += 1
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
            UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        default:
            return false
        }
    }
}
