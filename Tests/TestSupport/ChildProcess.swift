import Foundation

/// The `tidings` executable built next to the tests.
public enum TidingsBinary {
    /// The path of the built `tidings` executable.
    public static var path: String {
        let tests = Bundle.main.bundleURL
        let candidates = [
            tests.appendingPathComponent("tidings").path,
            tests.deletingLastPathComponent().appendingPathComponent("tidings").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

/// Runs a program to completion, collecting its output and peak memory.
///
/// Spawned with posix_spawn and reaped with wait4 here, not through Foundation's
/// `Process`, which reaps children itself and so hides their exit status and usage.
public struct ChildProcess: Sendable {
    /// The exit status, or 128 + the signal number.
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
    /// Peak resident memory, from wait4.
    public var maxRSSKilobytes: Int

    /// ``run(_:_:stdin:environment:)`` from an async test: the child is waited for
    /// on a thread of its own, not on one of the cooperative pool's (see `offPool`).
    public static func running(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) async throws -> ChildProcess {
        try await offPool { try run(executable, arguments, stdin: stdin, environment: environment) }
    }

    /// Runs `executable` with `arguments` to completion, in this process's environment
    /// with `environment` added.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> ChildProcess {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        var inPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&inPipe) == 0 else { throw POSIXError(.EMFILE) }
        // Close-on-exec, so that a child another test spawns from now on does not hold
        // these pipes open (the dup2 below gives this child its own copies). glibc
        // declares pipe2 only under _GNU_SOURCE.
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, added in added }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
        }
        let input = FileHandle(fileDescriptor: inPipe[1], closeOnDealloc: true)
        if let stdin { input.write(stdin) }
        try input.close()
        nonisolated(unsafe) var errData = Data()
        let errFD = errPipe[0]
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = FileHandle(fileDescriptor: errFD, closeOnDealloc: true).readDataToEndOfFile()
            group.leave()
        }
        let outData = FileHandle(fileDescriptor: outPipe[0], closeOnDealloc: true).readDataToEndOfFile()
        group.wait()
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildProcess(
            status: exitCode, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), maxRSSKilobytes: usage.ru_maxrss)
    }
}
