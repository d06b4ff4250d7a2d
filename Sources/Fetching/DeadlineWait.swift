import NIOCore
import Synchronization

/// A wait until a deadline on a NIO event loop, which a cancellation ends at once and
/// without a trace.
///
/// `Task.sleep` is not that: on Linux a cancelled sleep returns early, but its
/// wake-up job stays queued (about 250 bytes) until the deadline passes. The fetcher
/// races every request against one, so a run that finished fetches faster than its
/// timeout held thousands of them (7,500 at once on the 10,000-feed benchmark, 30 s
/// timeout), scattered through the heap. A cancelled wait here cancels its scheduled
/// task, which the event loop drops.
enum DeadlineWait {
    /// Returns at `deadline`; throws `CancellationError` as soon as the calling task is
    /// cancelled (at once if it already is). `scheduled` sees the timer (for tests).
    static func wait(
        until deadline: ContinuousClock.Instant, on eventLoop: any EventLoop,
        scheduled observe: (Scheduled<Void>) -> Void = { _ in }
    ) async throws {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return }
        let wait = Pending()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let scheduled = eventLoop.scheduleTask(in: .nanoseconds(remaining.wholeNanoseconds)) {
                    wait.finish(with: .success(()))
                }
                observe(scheduled)
                if let early = wait.start(continuation, scheduled: scheduled) {
                    scheduled.cancel()
                    continuation.resume(with: early)
                }
            }
        } onCancel: {
            wait.finish(with: .failure(CancellationError()))
        }
    }

    /// One wait's state, shared by its timer and its cancellation handler; whichever
    /// comes first resumes the continuation, exactly once.
    private final class Pending: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<Void, any Error>, Scheduled<Void>)
            /// Cancelled (or, with a deadline very close, timed out) before `start`.
            case early(Result<Void, any Error>)
            case finished
        }

        private let state = Mutex(State.idle)

        /// Records the continuation; returns instead what to resume it with when the
        /// wait ended before it was recorded.
        func start(_ continuation: CheckedContinuation<Void, any Error>, scheduled: Scheduled<Void>)
            -> Result<Void, any Error>?
        {
            state.withLock { state in
                if case .early(let result) = state {
                    state = .finished
                    return result
                }
                state = .waiting(continuation, scheduled)
                return nil
            }
        }

        /// Resumes the wait with `result` unless it was resumed already; a failure (the
        /// cancellation) also cancels the timer.
        func finish(with result: Result<Void, any Error>) {
            let waiting = state.withLock { state -> (CheckedContinuation<Void, any Error>, Scheduled<Void>)? in
                switch state {
                case .idle:
                    state = .early(result)
                    return nil
                case .waiting(let continuation, let scheduled):
                    state = .finished
                    return (continuation, scheduled)
                case .early, .finished:
                    return nil
                }
            }
            guard let (continuation, scheduled) = waiting else { return }
            if case .failure = result { scheduled.cancel() }
            continuation.resume(with: result)
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, negative ones as zero (for NIO's time types).
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
