/// Counting semaphores keyed by a name (a host, or one shared key for a global limit).
///
/// Waiting suspends the task, never a thread; waiters are served first come, first served, and a
/// cancelled waiter leaves the queue and throws `CancellationError`.
public actor ConcurrencyLimiter {
    private struct Queue {
        var active = 0
        var order: [UInt64] = []
        var head = 0
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]

        mutating func popFirst() -> CheckedContinuation<Void, any Error>? {
            while self.head < self.order.count {
                let id = self.order[self.head]
                self.head += 1
                if let continuation = self.waiting.removeValue(forKey: id) {
                    self.compactIfWorthIt()
                    return continuation
                }
            }
            self.compactIfWorthIt()
            return nil
        }

        private mutating func compactIfWorthIt() {
            if self.head == self.order.count {
                self.order.removeAll(keepingCapacity: true)
                self.head = 0
            } else if self.head > 1024, self.head * 2 > self.order.count {
                self.order.removeFirst(self.head)
                self.head = 0
            }
        }
    }

    private let limit: Int
    private var queues: [String: Queue] = [:]
    private var nextID: UInt64 = 0

    /// Creates a limiter letting at most `limit` holders (at least 1) share each key.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits until the key has room, then takes one place; pair with ``release(_:)``.
    public func acquire(_ key: String) async throws {
        try Task.checkCancellation()
        var queue = self.queues[key, default: Queue()]
        if queue.active < self.limit, queue.waiting.isEmpty {
            queue.active += 1
            self.queues[key] = queue
            return
        }
        let id = self.nextID
        self.nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                self.queues[key, default: Queue()].order.append(id)
                self.queues[key, default: Queue()].waiting[id] = continuation
            }
        } onCancel: {
            Task { await self.cancel(id, key: key) }
        }
    }

    /// Gives back a place taken by ``acquire(_:)``, handing it to the longest waiter if any.
    public func release(_ key: String) {
        guard var queue = self.queues[key] else { return }
        if let next = queue.popFirst() {
            // The place passes straight to the waiter; `active` stays the same.
            self.queues[key] = queue
            next.resume()
            return
        }
        queue.active -= 1
        if queue.active == 0 {
            self.queues[key] = nil
        } else {
            self.queues[key] = queue
        }
    }

    /// How many holders a key has now; for tests.
    func active(_ key: String) -> Int {
        self.queues[key]?.active ?? 0
    }

    /// How many tasks wait for a key now; for tests.
    func waiters(_ key: String) -> Int {
        self.queues[key]?.waiting.count ?? 0
    }

    private func cancel(_ id: UInt64, key: String) {
        guard let continuation = self.queues[key]?.waiting.removeValue(forKey: id) else { return }
        continuation.resume(throwing: CancellationError())
    }
}
