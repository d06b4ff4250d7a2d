import ArgumentParser
import Foundation
import Logging
import Storage

#if canImport(Glibc)
    import CMalloc
#endif

/// The `tidings` command: the composition root of the project.
@main
struct Tidings: AsyncParsableCommand {
    static func main() async {
        tuneAllocator()
        SQLiteFeedStore.disableMemoryStatistics()
        await Self.main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "A news-feed aggregation engine: parse, sanitize, store and publish feeds.",
        subcommands: [
            ParseCommand.self, SanitizeCommand.self, PublishCommand.self, SyncCommand.self, FeedsCommand.self,
            OPMLCommand.self, InitSiteCommand.self,
        ]
    )
}

/// Keeps glibc from returning every large buffer to the kernel as soon as it is
/// freed: a parser allocates and frees body-sized buffers all the time, and with
/// the default thresholds (which adapt upwards, then mmap every buffer past them)
/// each one cost an mmap/munmap pair and page faults — a third of the parse time
/// in system CPU on the benchmark corpus. Buffers under 2 MiB come from the heap.
///
/// Two malloc arenas per core (glibc's default allows eight per core, and each
/// thread of libdispatch's changing pool could end up with its own), each giving
/// back free memory past 1 MiB at its top. Measured on first syncs of 1,000 and
/// 10,000 feeds: twelve arenas ended with 57 MB of heap for 12.5 MB in use, and peak
/// memory rose through the run (88 → 106 MB); one arena made threads queue for its
/// lock (15% slower); one per core, keeping up to 4 MiB free each: 74 → 86 MB
/// (+16%), the threads still waiting on arena locks (futex calls from malloc were
/// 3.5% of the CPU); two per core with the same 4 MiB: 9% faster, but +16% to +23%;
/// two per core with 1 MiB: as fast, 82 → 93 MB (+13%).
func tuneAllocator() {
    #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, Int32(max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)))
        _ = mallopt(M_MMAP_THRESHOLD, 2 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 20)
    #endif
}

/// Returns free heap memory to the kernel (glibc's `malloc_trim`).
func trimAllocator() {
    #if canImport(Glibc)
        _ = malloc_trim(0)
    #endif
}

/// Calls ``trimAllocator()`` once a second until cancelled. With two arenas per core,
/// free memory scattered between live blocks stays resident (the trim threshold only
/// covers each heap's top), and a long run's peak grew with its length: the 10,000-feed
/// set peaked 16% to 23% above the 1,000-feed set; trimming once a second, 15%, for
/// about 3% of a first sync's time.
func periodicTrim() -> any DispatchSourceTimer {
    let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
    timer.schedule(deadline: .now() + 1, repeating: 1)
    timer.setEventHandler { trimAllocator() }
    timer.resume()
    return timer
}

/// A feed's stored error for a line that already names the feed: fetch errors start
/// with the URL they failed on, which is dropped when it is the feed's own (a
/// redirect's target stays).
func feedError(_ error: String, of url: String) -> String {
    error.hasPrefix(url + ": ") ? String(error.dropFirst(url.count + 2)) : error
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var stderr = StandardError()
    print(line, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
