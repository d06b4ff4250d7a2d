import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM while a command runs: the first asks it to stop at
/// the next good moment (the command then ends with ``end(by:)``); the second ends the
/// process at once, as the signal would have. Ending at once is safe too, only abrupt: it loses what SIGKILL loses, which
/// is nothing the next run does not finish.
final class Interruption: @unchecked Sendable {
    // @unchecked: `sources` is set once, in `init`, and dispatch sources may be
    // cancelled from any thread; the rest is atomic.

    /// The signal received first, 0 for none.
    private let received: Received
    private let sources: [any DispatchSourceSignal]

    private final class Received: Sendable {
        let number = Atomic<Int32>(0)
    }

    /// The signals handled.
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Starts handling the signals; `onFirst` runs (on a dispatch queue) when the
    /// first arrives.
    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        let received = Received()
        var sources: [any DispatchSourceSignal] = []
        for number in Self.signals {
            // The handler below replaces the default action, which would end the process.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Signals that arrive together are counted in one call: two are a second.
                if source.data == 1,
                    received.number.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged
                {
                    onFirst(number)
                } else {
                    Interruption.end(by: number)
                }
            }
            source.resume()
            sources.append(source)
        }
        self.received = received
        self.sources = sources
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? {
        let number = received.number.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// Whether a signal asked the command to stop.
    var requested: Bool { received.number.load(ordering: .relaxed) != 0 }

    /// Ends the process as `number` would have: a shell running it sees a program
    /// killed by the signal (and a script stops, as it should on Ctrl-C), not one that
    /// exited. Output written so far is flushed first.
    static func end(by number: Int32) -> Never {
        fflush(nil)
        signal(number, SIG_DFL)
        // Dispatch may keep the signal blocked on its threads (to read it itself).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }

    /// Stops handling the signals: their default actions apply again.
    func end() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
