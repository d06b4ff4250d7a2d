// Parses each file named on the command line into the model and prints counts:
// the same work as `tidings parse --count-only`, in a plain synchronous program so
// that valgrind (callgrind) can count its instructions.
import FeedParsing
import Foundation

#if canImport(Glibc)
    import CMalloc
    // As the tidings command does (see tuneAllocator there).
    _ = mallopt(M_MMAP_THRESHOLD, 8 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 32 << 20)
#endif

var files = 0
var entries = 0
var bytes = 0
for path in CommandLine.arguments.dropFirst() {
    do {
        _ = try FeedParser.parse(contentsOfFile: path) { _ in entries += 1 }
        files += 1
    } catch {
        FileHandle.standardError.write(Data("tidings-parse-bench: \(path): \(error)\n".utf8))
    }
    bytes += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}
print("files=\(files) entries=\(entries) bytes=\(bytes)")
