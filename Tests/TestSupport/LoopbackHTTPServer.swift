import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests, on a background thread, one
/// connection at a time (`Connection: close`), answering through a handler that
/// the test may swap at any time.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as the handler sees it.
    public struct Request: Sendable {
        /// `GET`, `HEAD`, …
        public var method: String
        /// The request target, e.g. `/feed.xml?x=1`.
        public var path: String
        /// Header fields, names lowercased.
        public var headers: [String: String]
    }

    /// What to answer.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// Extra header fields (Content-Length and Connection are added).
        public var headers: [(String, String)]
        /// The body.
        public var body: [UInt8]
        /// Close the connection after this many body bytes (to simulate a dropped connection).
        public var cutAfter: Int?
        /// Seconds to wait after the header, before the body (a stalled server).
        public var stall: TimeInterval?

        /// Creates a response.
        public init(
            status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], cutAfter: Int? = nil,
            stall: TimeInterval? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.cutAfter = cutAfter
            self.stall = stall
        }
    }

    /// The port it listens on.
    public let port: UInt16
    private let socketFD: Int32
    private let lock = NSLock()
    private var handler: @Sendable (Request) -> Response
    private var log: [Request] = []
    private var stopping = false
    private var closed = false
    /// Signalled once the serving thread has closed the listening socket.
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a server answering with `handler`.
    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        // Close-on-exec: a child process another test spawns meanwhile must not hold
        // this server's sockets (a connection it holds stays open after ours closes).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
        Thread.detachNewThread { [self] in serve() }
    }

    /// Starts a server with fixed responses by path (404 elsewhere).
    public convenience init(routes: [String: Response]) throws {
        try self.init { request in
            routes[request.path] ?? Response(status: 404, body: Array("not found".utf8))
        }
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Replaces the handler for the following requests.
    public func answer(with handler: @escaping @Sendable (Request) -> Response) {
        lock.withLock { self.handler = handler }
    }

    /// The requests received so far.
    public var requests: [Request] { lock.withLock { log } }

    /// Stops accepting connections, and returns once the server's thread is done
    /// (after the request it may be answering).
    ///
    /// Only that thread closes the listening socket: closed here, its descriptor
    /// number could go to another test's new server while the thread, between two
    /// connections, was about to call `accept` on it again, and would then answer
    /// the other server's requests with this server's handler.
    public func stop() {
        let first = lock.withLock {
            defer { stopping = true }
            // Wakes a blocked `accept` (it fails from now on) without freeing the
            // descriptor; under the lock, so never after the thread closed it.
            if !stopping && !closed { shutdown(socketFD, Int32(SHUT_RDWR)) }
            return !stopping
        }
        guard first else { return }
        finished.wait()
        finished.signal()
    }

    private func serve() {
        defer {
            lock.withLock {
                closed = true
                close(socketFD)
            }
            finished.signal()
        }
        while !lock.withLock({ stopping }) {
            let client = accept(socketFD, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        // A client that connects and says nothing cannot hold the thread (and `stop`) forever.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains(subsequence: [13, 10, 13, 10]) {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            request += buffer[0..<n]
        }
        let head = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let parsed = Request(
            method: requestLine.first.map(String.init) ?? "GET",
            path: requestLine.dropFirst().first.map(String.init) ?? "/", headers: headers)
        let respond = lock.withLock {
            log.append(parsed)
            return handler
        }
        let response = respond(parsed)
        var text = "HTTP/1.1 \(response.status) X\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let body = response.cutAfter.map { Array(response.body.prefix($0)) } ?? response.body
        guard send(Array(text.utf8), to: client) else { return }
        if let stall = response.stall { Thread.sleep(forTimeInterval: stall) }
        if parsed.method != "HEAD" { _ = send(body, to: client) }
    }

    /// Writes `bytes`; false once the client is gone. MSG_NOSIGNAL: a client that
    /// died mid-response (a test kills `tidings sync`) must not end the test process
    /// by SIGPIPE.
    private func send(_ bytes: [UInt8], to client: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer {
                Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// Whether `subsequence` occurs in the array.
    public func contains(subsequence: [UInt8]) -> Bool {
        guard count >= subsequence.count else { return false }
        for i in 0...(count - subsequence.count) where self[i..<(i + subsequence.count)].elementsEqual(subsequence) {
            return true
        }
        return false
    }
}
