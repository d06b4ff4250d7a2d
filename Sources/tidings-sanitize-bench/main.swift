// tidings-sanitize-bench — the Tidings row of `scripts/bench sanitize`.
//
//   tidings-sanitize-bench [--permissive] [--engine automatic|gumbo] [--base URL]
//                          [--mode sanitize|hugo|plain|none] [--limit N] [--every K]
//                          [--dump OUT] FILE…
//
// Each FILE holds article bodies, each followed by a NUL byte (as
// scripts/bench-sanitize-bodies.py writes them; a file without NUL is one
// body). Every body is sanitized as Tidings sanitizes entry content —
// `HTMLSanitizer.sanitize(bytes:resolve:)`, relative URLs resolved with
// TidingsModel's URLResolver against --base (default https://example.test/a/b) —
// and the output is dropped. Prints one line:
//   files=F bodies=N bytes=B out_bytes=O
// (B = input HTML bytes, separators excluded; O = sanitized bytes.)
//
// --mode hugo runs `hugoSafeBody(_:resolve:)` instead (what a sync publishes),
// --mode plain `plainText(html:limit:)` with --limit (default 300, a sync's
// description). --mode none only makes each body a String, as the other
// modes do first: the driver's own cost, to subtract. --every K takes one
// body in K (a subset for callgrind); --dump writes every output, each
// followed by a NUL byte, to compare trees.
import FeedParsing
import HTMLSanitizing
import TidingsModel

#if canImport(Glibc)
    import Glibc
    import CMalloc
    // glibc's allocator, large buffers from its heap: how the tidings command ran
    // before it linked jemalloc; the trim threshold these figures were first taken
    // with (one thread, one arena: it matters little here).
    _ = mallopt(M_MMAP_THRESHOLD, 2 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
#endif

func fail(_ message: String) -> Never {
    var text = "tidings-sanitize-bench: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    if fd < 0 { fail("\(path): cannot open") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { fail("\(path): cannot stat") }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { fail("\(path): read error") }
        done += n
    }
    return bytes
}

var options = HTMLSanitizer.Options()
var engine = HTMLSanitizer.Engine.automatic
var base = "https://example.test/a/b"
var paths: [String] = []
enum Mode { case sanitize, hugo, plain, none }
var mode = Mode.sanitize
var limit = 300
var every = 1
var dumpPath: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--permissive": options.permissive = true
    case "--engine":
        switch arguments.popFirst() {
        case "automatic": engine = .automatic
        case "gumbo": engine = .gumbo
        default: fail("--engine takes automatic or gumbo")
        }
    case "--base":
        guard let value = arguments.popFirst() else { fail("--base takes a URL") }
        base = value
    case "--mode":
        switch arguments.popFirst() {
        case "sanitize": mode = .sanitize
        case "hugo": mode = .hugo
        case "plain": mode = .plain
        case "none": mode = .none
        default: fail("--mode takes sanitize, hugo, plain or none")
        }
    case "--limit":
        guard let value = arguments.popFirst().flatMap({ Int($0) }) else { fail("--limit takes a number") }
        limit = value
    case "--every":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
            fail("--every takes a positive number")
        }
        every = value
    case "--dump":
        guard let value = arguments.popFirst() else { fail("--dump takes a file") }
        dumpPath = value
    case "-h", "--help":
        print(
            "usage: tidings-sanitize-bench [--permissive] [--engine automatic|gumbo] [--base URL]"
                + " [--mode sanitize|hugo|plain|none] [--limit N] [--every K] [--dump OUT] FILE…")
        exit(0)
    default: paths.append(argument)
    }
}
if paths.isEmpty { fail("no input files (usage: tidings-sanitize-bench [options] FILE…)") }

let sanitizer = HTMLSanitizer(options: options)
let resolve = { (reference: String) -> String? in URLResolver.resolve(reference, against: base) }
var bodies = 0
var inBytes = 0
var outBytes = 0
var dump: Int32 = -1
if let dumpPath {
    dump = open(dumpPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if dump < 0 { fail("\(dumpPath): cannot create") }
}
var seen = 0
for path in paths {
    let file = readFile(path)
    for body in file.split(separator: 0, omittingEmptySubsequences: true) {
        seen += 1
        if every > 1 && (seen - 1) % every != 0 { continue }
        var output: String
        switch (mode, engine) {
        case (.sanitize, .automatic): output = sanitizer.sanitize(bytes: body, resolve: resolve)
        case (.sanitize, _):
            output = sanitizer.sanitize(String(decoding: body, as: UTF8.self), engine: engine, resolve: resolve) ?? ""
        case (.hugo, _): output = sanitizer.hugoSafeBody(String(decoding: body, as: UTF8.self), resolve: resolve)
        case (.plain, _): output = sanitizer.plainText(html: String(decoding: body, as: UTF8.self), limit: limit)
        case (.none, _): output = String(decoding: body, as: UTF8.self)
        }
        bodies += 1
        inBytes += body.count
        outBytes += output.utf8.count
        if dump >= 0 {
            output.append("\0")
            output.withUTF8 { bytes in
                var done = 0
                while done < bytes.count {
                    let n = write(dump, bytes.baseAddress! + done, bytes.count - done)
                    if n <= 0 { fail("write error") }
                    done += n
                }
            }
        }
    }
}
if dump >= 0 { close(dump) }
print("files=\(paths.count) bodies=\(bodies) bytes=\(inBytes) out_bytes=\(outBytes)")
