import Foundation

/// Runs `work` on a thread of its own and waits for its result without holding one of
/// the cooperative pool's threads (one per core).
///
/// The tests run as tasks on that pool. A long synchronous test holds a pool thread
/// from start to end, and two at once hold both on a two-core machine: every async
/// test waits meanwhile, and a loopback request whose deadline runs on the network's
/// own threads then times out before its task may read the answer. A child process
/// waited for (``ChildProcess/running(_:_:stdin:environment:)``) and heavy
/// synchronous work go here, or yield now and then (`Task.yield()`); expectations
/// stay on the test's task, which records them.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        // Deep recursion in some inputs' tree builders.
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// ``offPool(_:)`` of work that throws.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
