import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Lowers the scheduling priority of the threads that parse, sanitize and render.
///
/// A sync's critical path is the store's single writer thread: every feed waits for
/// its entries to be committed before its files are written. With the two threads of
/// Swift's cooperative pool and the writer all runnable on two cores, the writer got
/// a third of the CPU and every feed's commit waited for it (17 ms median). The pool's
/// threads step back (nice 5, which needs no privilege) so the writer runs when it
/// has work; they still get all the CPU it leaves.
enum WorkerPriority {
    /// The nice value of worker threads.
    static let niceness: Int32 = 5

    private static let lowered = Mutex<Set<UInt>>([])

    /// Lowers the calling thread's priority, once per thread.
    static func yieldToTheWriter() {
        #if os(Linux)
            let thread = UInt(pthread_self())
            let isNew = lowered.withLock { $0.insert(thread).inserted }
            // On Linux, PRIO_PROCESS with 0 sets the calling thread's nice value.
            if isNew { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
        #endif
    }
}
