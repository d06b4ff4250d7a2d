import Foundation

/// Compressed bodies made at test time by the system's gzip.
enum Compression {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `bytes` through `/bin/gzip -c -n -9` (no name or time stamp in the header).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fetching-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("body")
        try Data(bytes).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", "-9", input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "gzip exited with \(process.terminationStatus)")
        }
        return [UInt8](compressed)
    }

    /// The same DEFLATE data as ``gzip(_:)``, rewrapped as a zlib stream (RFC 1950), which is what
    /// `Content-Encoding: deflate` means: 2-byte header, the deflate blocks, Adler-32 of the input.
    static func zlib(_ bytes: [UInt8]) throws -> [UInt8] {
        let gzipped = try gzip(bytes)
        // gzip -n writes a plain 10-byte header (no FNAME/FEXTRA flags) and an 8-byte CRC32/ISIZE trailer.
        guard gzipped.count > 18, gzipped[0] == 0x1f, gzipped[1] == 0x8b, gzipped[2] == 8, gzipped[3] == 0 else {
            throw Failure(description: "unexpected gzip header")
        }
        let deflate = gzipped[10..<(gzipped.count - 8)]
        let checksum = adler32(bytes)
        let trailer = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: checksum >> $0) }
        return [0x78, 0xDA] + deflate + trailer
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
