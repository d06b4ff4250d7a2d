import ArgumentParser
import Foundation
import Logging

#if canImport(Glibc)
    import CMalloc
#endif

/// The `tidings` command: the composition root of the project.
@main
struct Tidings: AsyncParsableCommand {
    static func main() async {
        tuneAllocator()
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
/// in system CPU on the benchmark corpus. Buffers under 2 MiB come from the heap,
/// and up to 4 MiB of free heap is kept rather than trimmed.
///
/// As many malloc arenas as cores, at least two (glibc's default allows eight per
/// core, and each thread of libdispatch's changing pool could end up with its own).
/// Measured on first syncs of 1,000 and 10,000 feeds: twelve arenas ended with 57 MB
/// of heap for 12.5 MB in use, each one's free space scattered between the live
/// blocks of its own threads, and peak memory rose through the run (88 → 106 MB).
/// One arena for all fixed that (79 → 88 MB) but made threads queue for its lock (the
/// sync took 15% longer); four: 82 → 99 MB (+20%) at full speed; two: 78 → 89 MB
/// (+14%), about 3% slower than four.
func tuneAllocator() {
    #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        _ = mallopt(M_MMAP_THRESHOLD, 2 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
    #endif
}

/// Returns free heap memory to the kernel (glibc's `malloc_trim`).
func trimAllocator() {
    #if canImport(Glibc)
        _ = malloc_trim(0)
    #endif
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
