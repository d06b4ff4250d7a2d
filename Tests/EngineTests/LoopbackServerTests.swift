import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The test server itself: a flaw in it shows up as a rare failure of whichever
/// test happened to run beside it.
@Suite("Loopback test server")
struct LoopbackServerTests {
    /// One GET over a plain socket; the body, or nil when the connection failed.
    static func get(port: UInt16) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        return text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) }
    }

    @Test("a stopped server's thread never answers for a server started after it")
    func stopWhileAnswering() async throws {
        // The first server's thread is busy answering when it is stopped. Its listening
        // descriptor number is then free to go to the next server; were it closed by
        // `stop` rather than by that thread, the thread would return to `accept` on the
        // next server's socket and take some of its connections.
        for _ in 0..<3 {
            let first = try LoopbackHTTPServer { _ in
                Thread.sleep(forTimeInterval: 0.3)
                return .init(body: Array("first".utf8))
            }
            let inFlight = Task.detached { Self.get(port: first.port) }
            // Stopped only once its thread is in the handler (however loaded the machine).
            let deadline = ContinuousClock.now + .seconds(20)
            while first.requests.isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try #require(!first.requests.isEmpty, "the first request never reached the server")
            first.stop()
            // Started while the first one's thread may still be answering.
            let second = try LoopbackHTTPServer { _ in .init(body: Array("second".utf8)) }
            defer { second.stop() }
            #expect(await inFlight.value == "first")
            let answers = (0..<20).map { _ in Self.get(port: second.port) }
            #expect(answers.allSatisfy { $0 == "second" }, "\(answers)")
        }
    }
}
