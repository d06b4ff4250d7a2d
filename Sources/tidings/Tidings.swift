import ArgumentParser
import Foundation
import Logging
import Storage

#if canImport(Glibc)
    import CJemalloc
#endif

/// The `tidings` command: the composition root of the project.
@main
struct Tidings: AsyncParsableCommand {
    static func main() async {
        checkAllocator()
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

/// The allocator is jemalloc (linked through `CJemalloc`), not glibc's.
///
/// glibc's arenas are shared by threads behind locks: with two arenas per core, the
/// threads of a first sync queued for them (14,000 voluntary context switches in a
/// 1,000-feed first sync, against 6,000 with jemalloc, whose threads allocate from
/// caches of their own), and 10,000 feeds took 26% more CPU than jemalloc (129.6 s
/// against 102.8 s, peak 80 MB against 93 MB). Fewer arenas made threads wait longer;
/// more made the heap grow through the run. jemalloc needs no tuning here: by its
/// defaults, memory freed during a run goes back to the kernel over about ten
/// seconds (`dirty_decay_ms`), and the peak of 10,000 feeds is that of 1,000.
///
/// This reads jemalloc's version: a call into the library, so that a linker which
/// drops libraries nothing calls (`--as-needed`) keeps it, and with it its malloc.
func checkAllocator() {
    #if canImport(Glibc)
        var version: UnsafePointer<CChar>? = nil
        var length = MemoryLayout<UnsafePointer<CChar>?>.size
        _ = mallctl("version", &version, &length, nil, 0)
    #endif
}

/// Returns the allocator's free pages to the kernel now, in every arena (jemalloc's
/// `arena.<all>.purge`), instead of as its decay would, over the next seconds.
func trimAllocator() {
    #if canImport(Glibc)
        // MALLCTL_ARENAS_ALL
        _ = mallctl("arena.4096.purge", nil, nil, nil, 0)
    #endif
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
