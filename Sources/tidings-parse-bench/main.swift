// Parses each file named on the command line into the model and prints counts:
// the same work as `tidings parse --count-only`, in a plain synchronous program so
// that valgrind (callgrind) can count its instructions.
//
// `--memory FILE…` reads each file whole and parses the bytes, as a sync parses a
// fetched body.
//
// `--xmlparser FILE…` instead runs Foundation's XMLParser over each file with a
// delegate that does nothing: the measurement behind choosing libxml2 directly.
import FeedParsing
import Foundation
import FoundationXML

#if canImport(Glibc)
    import CMalloc
    // glibc's allocator, large buffers from its heap: how the tidings command ran
    // before it linked jemalloc; the trim threshold these figures were first taken
    // with (one thread, one arena: it matters little here).
    _ = mallopt(M_MMAP_THRESHOLD, 2 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
#endif

final class NothingDelegate: NSObject, XMLParserDelegate {
    var elements = 0
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements += 1
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var files = 0
var entries = 0
var bytes = 0
if arguments.first == "--xmlparser" {
    arguments.removeFirst()
    var elements = 0
    for path in arguments {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        let parser = XMLParser(data: data)
        let delegate = NothingDelegate()
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        _ = parser.parse()
        elements += delegate.elements
        files += 1
        bytes += data.count
    }
    print("files=\(files) elements=\(elements) bytes=\(bytes)")
} else if arguments.first == "--memory" {
    // As `tidings sync` parses a fetched body: the whole document in memory.
    arguments.removeFirst()
    for path in arguments {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        do {
            entries += try FeedParser.parse(Array(data)).feed.entries.count
            files += 1
        } catch {
            FileHandle.standardError.write(Data("tidings-parse-bench: \(path): \(error)\n".utf8))
        }
        bytes += data.count
    }
    print("files=\(files) entries=\(entries) bytes=\(bytes)")
} else {
    for path in arguments {
        do {
            _ = try FeedParser.parse(contentsOfFile: path) { _ in entries += 1 }
            files += 1
        } catch {
            FileHandle.standardError.write(Data("tidings-parse-bench: \(path): \(error)\n".utf8))
        }
        bytes += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
    print("files=\(files) entries=\(entries) bytes=\(bytes)")
}
