import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Fetching

@Suite("Deadline wait")
struct DeadlineWaitTests {
    private let eventLoop = MultiThreadedEventLoopGroup.singleton.any()

    @Test("returns at its deadline, not before")
    func returnsAtTheDeadline() async throws {
        let start = ContinuousClock.now
        try await DeadlineWait.wait(until: start + .milliseconds(200), on: eventLoop)
        #expect(ContinuousClock.now - start >= .milliseconds(200))
    }

    @Test("a deadline already past returns at once, scheduling nothing")
    func pastDeadline() async throws {
        let timers = Mutex(0)
        try await DeadlineWait.wait(until: .now - .seconds(1), on: eventLoop) { _ in timers.withLock { $0 += 1 } }
        #expect(timers.withLock { $0 } == 0)
    }

    @Test("cancelled, it throws at once and its timer is cancelled on the event loop")
    func cancellationEndsItAndItsTimer() async throws {
        let timer = Mutex<Scheduled<Void>?>(nil)
        let started = ContinuousClock.now
        let task = Task {
            try await DeadlineWait.wait(until: .now + .seconds(3600), on: eventLoop) { scheduled in
                timer.withLock { $0 = scheduled }
            }
        }
        while timer.withLock({ $0 }) == nil { await Task.yield() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(60))
        // The event loop dropped the timer: its future fails as cancelled, an hour early.
        let scheduled = try #require(timer.withLock { $0 })
        #expect(try await Self.wasCancelled(scheduled))
    }

    @Test("a task cancelled before it waits throws at once, leaving no timer running")
    func cancelledBeforehand() async throws {
        let timer = Mutex<Scheduled<Void>?>(nil)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await DeadlineWait.wait(until: .now + .seconds(3600), on: eventLoop) { scheduled in
                timer.withLock { $0 = scheduled }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        if let scheduled = timer.withLock({ $0 }) {
            #expect(try await Self.wasCancelled(scheduled))
        }
    }

    /// Whether the event loop reports `scheduled` cancelled within ten seconds (a
    /// timer left running would complete in an hour).
    private static func wasCancelled(_ scheduled: Scheduled<Void>) async throws -> Bool {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        scheduled.futureResult.whenComplete { result in outcome.withLock { $0 = result } }
        let limit = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < limit {
            switch outcome.withLock({ $0 }) {
            case .failure(let error as EventLoopError): return error == .cancelled
            case .some: return false
            case nil: try await Task.sleep(for: .milliseconds(10))
            }
        }
        return false
    }

    @Test("many waits cancelled in turn each end promptly")
    func manyCancelledWaits() async throws {
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2_000 {
                group.addTask {
                    try await withThrowingTaskGroup(of: Bool.self) { race in
                        race.addTask { true }
                        race.addTask {
                            try await DeadlineWait.wait(
                                until: .now + .seconds(3600), on: MultiThreadedEventLoopGroup.singleton.any())
                            return false
                        }
                        let first = try await race.next()
                        race.cancelAll()
                        #expect(first == true)
                        while let _ = try? await race.next() {}
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
