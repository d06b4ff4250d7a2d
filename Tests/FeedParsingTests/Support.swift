import Foundation

/// The `tidings` executable built next to the tests.
enum TidingsBinary {
    static var path: String {
        let tests = Bundle.main.bundleURL
        let candidates = [
            tests.appendingPathComponent("tidings").path,
            tests.deletingLastPathComponent().appendingPathComponent("tidings").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

/// Runs a program to completion, collecting its output and peak memory.
struct ChildProcess {
    var status: Int32
    var stdout: String
    var stderr: String
    var maxRSSKilobytes: Int

    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        var status: Int32 = 0
        var usage = rusage()
        wait4(process.processIdentifier, &status, 0, &usage)
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildProcess(
            status: exitCode, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), maxRSSKilobytes: usage.ru_maxrss)
    }
}
