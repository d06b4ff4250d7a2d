import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the fixture server sends back for one request.
struct Reply: Sendable {
    /// How the body goes out.
    enum Body: Sendable {
        /// All at once, with `Content-Length`.
        case bytes([UInt8])
        /// One byte every `interval`, with `Content-Length` of the whole.
        case drip([UInt8], interval: TimeAmount)
        /// Chunks of `chunk` bytes for as long as the client reads.
        case endless(chunk: Int)
        /// `Content-Length: declared`, then `sent`, then the connection is closed.
        case cut(sent: [UInt8], declared: Int)
    }

    var status: Int
    var headers: [(String, String)] = []
    var body: Body = .bytes([])
    /// Wait this long before answering; the request counts as in flight meanwhile.
    var delay: TimeAmount?

    static func text(_ status: Int, _ text: String = "", headers: [(String, String)] = []) -> Reply {
        Reply(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    static func redirect(_ status: Int, to location: String) -> Reply {
        Reply(status: status, headers: [("Location", location)])
    }
}

/// Answers one request; sees the request head.
typealias Route = @Sendable (HTTPRequestHead) -> Reply

/// What the fixture server saw, shared between its event loops and the test.
final class FixtureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [(path: String, headers: HTTPHeaders)] = []
    private var inFlight = 0
    private var peak = 0

    func record(path: String, headers: HTTPHeaders) {
        self.lock.withLock { self.requests.append((path, headers)) }
    }

    func began() {
        self.lock.withLock {
            self.inFlight += 1
            self.peak = max(self.peak, self.inFlight)
        }
    }

    func ended() {
        self.lock.withLock { self.inFlight -= 1 }
    }

    /// The most requests that were being answered at once.
    var maxInFlight: Int {
        self.lock.withLock { self.peak }
    }

    /// Headers of every request to `path`, in arrival order.
    func headers(of path: String) -> [HTTPHeaders] {
        self.lock.withLock { self.requests.filter { $0.path == path }.map(\.headers) }
    }

    func count(_ path: String) -> Int {
        self.headers(of: path).count
    }
}

/// An HTTP/1.1 server on 127.0.0.1 with an ephemeral port, answering per path.
final class FixtureServer: Sendable {
    let log: FixtureLog
    private let channel: any Channel

    private init(channel: any Channel, log: FixtureLog) {
        self.channel = channel
        self.log = log
    }

    var port: Int {
        self.channel.localAddress?.port ?? 0
    }

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(self.port)\(path)"
    }

    static func start(_ routes: [String: Route]) async throws -> FixtureServer {
        let log = FixtureLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FixtureHandler(routes: routes, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FixtureServer(channel: channel, log: log)
    }

    func stop() async throws {
        try await self.channel.close()
    }
}

/// Serves one connection: records each request, then plays its route's ``Reply``.
private final class FixtureHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: [String: Route]
    private let log: FixtureLog
    private var head: HTTPRequestHead?

    init(routes: [String: Route], log: FixtureLog) {
        self.routes = routes
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
            self.log.record(path: path, headers: head.headers)
            let reply = self.routes[path]?(head) ?? .text(404, "no route for \(path)")
            self.log.began()
            if let delay = reply.delay {
                context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                    self.send(reply, version: head.version, context: context)
                }
            } else {
                self.send(reply, version: head.version, context: context)
            }
        }
    }

    private func send(_ reply: Reply, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers)
        switch reply.body {
        case .bytes(let bytes), .drip(let bytes, _):
            headers.replaceOrAdd(name: "Content-Length", value: "\(bytes.count)")
        case .cut(_, let declared):
            headers.replaceOrAdd(name: "Content-Length", value: "\(declared)")
        case .endless:
            break
        }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))),
            promise: nil)
        switch reply.body {
        case .bytes(let bytes):
            if !bytes.isEmpty {
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            }
            self.finish(context: context)
        case .drip(let bytes, let interval):
            context.flush()
            self.drip(bytes[...], every: interval, context: context)
        case .endless(let chunk):
            context.flush()
            self.pump(ByteBuffer(repeating: UInt8(ascii: "x"), count: chunk), context: context)
        case .cut(let sent, _):
            context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: sent)))), promise: nil)
            self.log.ended()
            context.close(promise: nil)
        }
    }

    private func finish(context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        self.log.ended()
    }

    private func drip(_ rest: ArraySlice<UInt8>, every interval: TimeAmount, context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            self.log.ended()
            return
        }
        guard let byte = rest.first else {
            self.finish(context: context)
            return
        }
        context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: [byte])))), promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            self.drip(rest.dropFirst(), every: interval, context: context)
        }
    }

    private func pump(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            self.log.ended()
            return
        }
        context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(chunk)))).assumeIsolated().whenComplete {
            result in
            switch result {
            case .success:
                // Next chunk on a fresh stack: completed futures run callbacks inline.
                context.eventLoop.assumeIsolated().execute { self.pump(chunk, context: context) }
            case .failure:
                self.log.ended()
            }
        }
    }
}
