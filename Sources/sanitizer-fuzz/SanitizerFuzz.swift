// sanitizer-fuzz — the libFuzzer target of HTMLSanitizer (run it with
// scripts/fuzz-sanitizer, which builds it and says how).
//
// One input = one feed body, as bytes. It is sanitized with the default options
// and with `permissive: true`, relative URLs resolved against
// https://example.test/a/b by Tidings' own URLResolver, and each output must:
//
//   - be a fixed point: sanitizing it again gives it back unchanged;
//   - be the same whichever tree builder read the input, where the fast reader
//     accepts it (`engine: .fastOnly` == `engine: .gumbo`);
//   - read, through the tiny tokenizer below, as what the serializer promises:
//     no `<script` tag (and no element off the allow-list, no comment, doctype
//     or CDATA), no `on…` attribute (and no attribute off the allow-list), no
//     URL attribute (href, src, poster, cite, … and each srcset candidate)
//     whose value — entity-decoded, stripped of whitespace and control
//     characters, lowercased — does not start with http:, https: or mailto:
//     (so no `javascript:`/`vbscript:` URL), no `javascript:`, `url(`,
//     `expression(`… in a style, iframes sandboxed and from an allowed host,
//     `&`, `<`, `>` escaped in text and `&`, `"` in attribute values;
//   - and never crash, hang or exhaust the stack (libFuzzer's own watch).
//
// `javascript:` in text (`<p>javascript:alert(1)</p>`), in a title or inside an
// https URL's path, and `<script` inside a quoted title (`title="<script>"`)
// are kept by design and inert: the checks look at what a browser reads as
// markup and URLs, not at raw substrings.
//
// Built two ways from this one file:
//   swift build -c release --product sanitizer-fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
//     -Xswiftc -enable-experimental-feature -Xswiftc Extern   → the libFuzzer binary
//     (run it with SWIFT_BACKTRACE=enable=no, or Swift's crash handler takes
//     the signal before libFuzzer can save the input)
//   swift build --product sanitizer-fuzz                → a replayer:
//     sanitizer-fuzz FILE|DIR…  runs the same checks on each file (a crash
//     found by the fuzzer, the seed corpus) without libFuzzer; exit 1 on a
//     failed check. What the normal build compiles: harmless and cheap.
import FeedParsing
import HTMLSanitizing
import TidingsModel

#if canImport(Glibc)
    import Glibc
#endif

#if FUZZING
    /// libFuzzer's driver (libclang_rt.fuzzer). SwiftPM links an executable's
    /// `main` to this module's entry point (`--defsym main=sanitizer_fuzz_main`),
    /// which so takes the place of libFuzzer's own `main` and calls this.
    @_extern(c, "LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// One input (libFuzzer's main, linked in whole, also refers to this name).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func sanitizerFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
        if let failure = SanitizerFuzz.check(input) {
            SanitizerFuzz.report(failure, input: input)
            abort()  // libFuzzer writes the input to crash-<sha1>
        }
        return 0
    }
#endif

@main
enum SanitizerFuzzMain {
    static func main() {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, sanitizerFuzzOneInput))
        #else
            if CommandLine.arguments.dropFirst().first == "--self-test" { exit(OutputChecker.selfTest() ? 0 : 1) }
            replay(CommandLine.arguments.dropFirst())
        #endif
    }

    /// Runs the checks on each file (directories: their files), without libFuzzer.
    static func replay(_ paths: ArraySlice<String>) {
        if paths.isEmpty || paths.first == "-h" || paths.first == "--help" {
            print("usage: sanitizer-fuzz FILE|DIR…   (replays inputs through the fuzz checks;")
            print("       see scripts/fuzz-sanitizer for the libFuzzer build)")
            print("       sanitizer-fuzz --self-test   checks that the output checker flags known-bad markup")
            exit(paths.isEmpty ? 2 : 0)
        }
        var inputs = 0
        var failed = 0
        for path in paths.flatMap(SanitizerFuzz.files(at:)) {
            guard let bytes = SanitizerFuzz.read(path) else {
                writeError("sanitizer-fuzz: cannot read \(path)\n")
                failed += 1
                continue
            }
            inputs += 1
            if let failure = bytes.withUnsafeBufferPointer({ SanitizerFuzz.check($0) }) {
                failed += 1
                writeError("== \(path)\n")
                bytes.withUnsafeBufferPointer { SanitizerFuzz.report(failure, input: $0) }
            }
        }
        print("sanitizer-fuzz: \(inputs) inputs, \(failed) failed")
        exit(failed == 0 ? 0 : 1)
    }
}

/// Writes to standard error (unbuffered: the next thing may be abort()).
func writeError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

struct FuzzFailure {
    var configuration: String
    var check: String
    var output: String
    var other: String?
}

enum SanitizerFuzz {
    static let base = "https://example.test/a/b"
    static let configurations: [(name: String, sanitizer: HTMLSanitizer, permissive: Bool)] = [
        ("default", HTMLSanitizer(), false),
        ("permissive", HTMLSanitizer(options: .init(permissive: true)), true),
    ]

    static func resolve(_ reference: String) -> String? { URLResolver.resolve(reference, against: base) }

    /// SANITIZER_FUZZ_ALLOW_FFFD=1: accept as a fixed point an output whose
    /// second pass differs only by U+FFFD where the first had a control
    /// character or a noncharacter (a known drift: `&#6;` is decoded to U+0006,
    /// which gumbo reads back as U+FFFD), so that a run can look past it.
    static let toleratesReplacement = getenv("SANITIZER_FUZZ_ALLOW_FFFD").map { String(cString: $0) == "1" } ?? false

    /// SANITIZER_FUZZ_NO_DIFFERENTIAL=1: skip the fast reader ≠ gumbo check (gumbo
    /// 0.10 drops the attribute after a repeated valueless one, `<a u u href=x>`,
    /// where the fast reader, like browsers, keeps it).
    static let checksDifferential = getenv("SANITIZER_FUZZ_NO_DIFFERENTIAL").map { String(cString: $0) != "1" } ?? true

    static func sameButReplaced(_ first: String, _ second: String) -> Bool {
        let a = Array(first.unicodeScalars)
        let b = Array(second.unicodeScalars)
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let v = x.value
            let control = (v < 0x20 && v != 9 && v != 10 && v != 12 && v != 13) || (v >= 0x7F && v <= 0x9F)
            let nonCharacter = (v >= 0xFDD0 && v <= 0xFDEF) || v & 0xFFFE == 0xFFFE
            guard (control || nonCharacter) && y == "\u{FFFD}" else { return false }
        }
        return true
    }

    /// The first failed check, or nil.
    static func check(_ input: UnsafeBufferPointer<UInt8>) -> FuzzFailure? {
        let html = String(decoding: input, as: UTF8.self)
        for (name, sanitizer, permissive) in configurations {
            let output = sanitizer.sanitize(bytes: input, resolve: resolve)
            if let problem = OutputChecker.problem(in: Array(output.utf8), permissive: permissive) {
                return FuzzFailure(configuration: name, check: problem, output: output)
            }
            let again = sanitizer.sanitize(output, resolve: resolve)
            if again != output && !(toleratesReplacement && sameButReplaced(output, again)) {
                return FuzzFailure(
                    configuration: name, check: "not a fixed point: sanitize(output) != output", output: output,
                    other: again)
            }
            if checksDifferential, let fast = sanitizer.sanitize(html, engine: .fastOnly, resolve: resolve) {
                let gumbo = sanitizer.sanitize(html, engine: .gumbo, resolve: resolve) ?? ""
                if fast != gumbo {
                    return FuzzFailure(
                        configuration: name, check: "fast reader and gumbo disagree (first: fast, second: gumbo)",
                        output: fast, other: gumbo)
                }
            }
        }
        return nil
    }

    static func report(_ failure: FuzzFailure, input: UnsafeBufferPointer<UInt8>) {
        var text = "sanitizer-fuzz: FAILED [\(failure.configuration)] \(failure.check)\n"
        text += "  input:  \(quoted(String(decoding: input, as: UTF8.self)))\n"
        text += "  output: \(quoted(failure.output))\n"
        if let other = failure.other { text += "  second: \(quoted(other))\n" }
        writeError(text)
    }

    static func quoted(_ s: String, limit: Int = 2_000) -> String {
        let cut = s.unicodeScalars.count > limit
        let shown = cut ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(limit))) : s
        return shown.debugDescription + (cut ? "… (\(s.utf8.count) bytes)" : "")
    }

    static func files(at path: String) -> [String] {
        guard let dir = opendir(path) else { return [path] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // Read in place: the kernel's record is only as long as its name, and
            // copying the 256-byte `d_name` out of it can read past a mapped page.
            let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted().map { path + "/" + $0 }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return ferror(file) == 0 ? bytes : nil
    }
}

/// Reads sanitized HTML the way a browser's tokenizer would (data state, tags,
/// the three quoting styles of attribute values) and says what breaks the
/// policy. It trusts nothing of the sanitizer but the written promises quoted
/// in the file header.
enum OutputChecker {
    static let elements: Set<String> = [
        "p", "a", "strong", "em", "u", "b", "i", "s", "strike", "small", "big", "mark", "q", "cite", "abbr", "dfn",
        "time", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
        "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "figure", "figcaption", "img",
        "source", "video", "audio", "track", "pre", "code", "kbd", "samp", "var", "br", "hr", "sub", "sup", "span",
        "div", "section", "article", "aside", "header", "footer", "details", "summary", "ins", "del", "bdi", "bdo",
        "wbr", "address", "picture", "iframe",
    ]
    static let attributes: Set<String> = [
        "href", "src", "srcset", "sizes", "media", "poster", "cite", "alt", "title", "lang", "dir", "width", "height",
        "colspan", "rowspan", "headers", "scope", "abbr", "datetime", "start", "reversed", "type", "controls", "loop",
        "muted", "kind", "srclang", "label", "open", "target", "rel",
    ]
    static let iframeAttributes: Set<String> = ["src", "width", "height", "allowfullscreen", "title", "sandbox"]
    /// feedparser's acceptable elements but noscript (Options.permissive).
    static let permissiveElements: Set<String> = [
        "acronym", "area", "button", "canvas", "center", "command", "datagrid", "datalist", "dialog", "dir",
        "event-source", "fieldset", "font", "form", "input", "keygen", "label", "legend", "m", "map", "menu", "meter",
        "multicol", "nav", "nextid", "optgroup", "option", "output", "progress", "select", "sound", "spacer",
        "textarea", "tt",
    ]
    /// feedparser's acceptable attributes but accesskey and autofocus (Options.permissive).
    static let permissiveAttributes: Set<String> = [
        "style", "abbr", "accept", "accept-charset", "action", "align", "alt", "autocomplete", "axis", "background",
        "balance", "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark", "bordercolorlight",
        "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff", "charset", "checked",
        "choff", "cite", "class", "clear", "color", "cols", "colspan", "compact", "contenteditable", "controls",
        "coords", "data", "datafld", "datapagesize", "datasrc", "datetime", "default", "delay", "dir", "disabled",
        "draggable", "dynsrc", "enctype", "end", "face", "for", "form", "frame", "galleryimg", "gutter", "headers",
        "height", "hidden", "hidefocus", "high", "href", "hreflang", "hspace", "icon", "id", "inputmode", "ismap",
        "keytype", "label", "lang", "leftspacing", "list", "longdesc", "loop", "loopcount", "loopend", "loopstart",
        "low", "lowsrc", "max", "maxlength", "media", "method", "min", "multiple", "name", "nohref", "noshade",
        "nowrap", "open", "optimum", "pattern", "ping", "point-size", "poster", "pqg", "preload", "prompt",
        "radiogroup", "readonly", "rel", "repeat-max", "repeat-min", "replace", "required", "rev", "rightspacing",
        "rows", "rowspan", "rules", "scope", "selected", "shape", "size", "span", "src", "start", "step", "summary",
        "suppress", "tabindex", "target", "template", "title", "toppadding", "type", "unselectable", "urn", "usemap",
        "valign", "value", "variable", "volume", "vrml", "vspace", "width", "wrap", "xml:lang",
    ]
    /// Every attribute a browser may fetch or navigate to (SanitizerPolicy.urlAttributeNames).
    static let urlAttributes: Set<String> = [
        "href", "src", "cite", "poster", "action", "formaction", "background", "longdesc", "lowsrc", "dynsrc",
        "usemap", "data", "codebase", "manifest", "icon", "profile", "xlink:href", "xml:base", "datasrc", "vrml",
    ]
    static let schemes = ["http:", "https:", "mailto:"]
    static let iframeHosts = HTMLSanitizer.Options.defaultIframeHosts

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func lower(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func problem(in html: [UInt8], permissive: Bool) -> String? {
        var i = 0
        let n = html.count
        var expectIframeEnd = false
        func has(_ s: String, at index: Int) -> Bool {
            let u = Array(s.utf8)
            return index + u.count <= n && html[index..<index + u.count].elementsEqual(u)
        }
        while i < n {
            let c = html[i]
            if c == UInt8(ascii: "&") {
                guard has("&amp;", at: i) || has("&lt;", at: i) || has("&gt;", at: i) || has("&#13;", at: i) else {
                    return "unescaped & in text at byte \(i)"
                }
                i += 1
                continue
            }
            if c == UInt8(ascii: ">") { return "unescaped > in text at byte \(i)" }
            if c != UInt8(ascii: "<") {
                if expectIframeEnd { return "content inside <iframe> at byte \(i)" }
                i += 1
                continue
            }
            // A `<` in text is always escaped: this one opens markup.
            let tagStart = i
            i += 1
            var isEnd = false
            if i < n && html[i] == UInt8(ascii: "/") {
                isEnd = true
                i += 1
            }
            guard i < n, isLetter(html[i]) else {
                // `<!--`, `<!DOCTYPE`, `<![CDATA[`, `<?`, `</ ` …
                return "markup other than a tag (comment, doctype, CDATA, PI or stray <) at byte \(tagStart)"
            }
            let nameStart = i
            while i < n && !isSpace(html[i]) && html[i] != UInt8(ascii: "/") && html[i] != UInt8(ascii: ">") { i += 1 }
            let name = lower(html[nameStart..<i])
            if name == "script" { return "<script> element" }
            guard elements.contains(name) || (permissive && permissiveElements.contains(name)) else {
                return "element <\(name)> off the allow-list"
            }
            if expectIframeEnd && !(isEnd && name == "iframe") { return "content inside <iframe> at byte \(tagStart)" }
            expectIframeEnd = false
            var attrs: [(String, [UInt8])] = []
            // Attributes, as the HTML tokenizer reads them.
            while true {
                while i < n && (isSpace(html[i]) || html[i] == UInt8(ascii: "/")) { i += 1 }
                guard i < n else { return "unterminated tag <\(name)" }
                if html[i] == UInt8(ascii: ">") {
                    i += 1
                    break
                }
                let attrStart = i
                i += 1  // the first character (even `=`) belongs to the name
                while i < n && !isSpace(html[i]) && html[i] != UInt8(ascii: "/") && html[i] != UInt8(ascii: ">")
                    && html[i] != UInt8(ascii: "=")
                {
                    i += 1
                }
                let attrName = lower(html[attrStart..<i])
                while i < n && isSpace(html[i]) { i += 1 }
                var raw: ArraySlice<UInt8> = []
                var quote: UInt8 = 0
                if i < n && html[i] == UInt8(ascii: "=") {
                    i += 1
                    while i < n && isSpace(html[i]) { i += 1 }
                    if i < n && (html[i] == UInt8(ascii: "\"") || html[i] == UInt8(ascii: "'")) {
                        quote = html[i]
                        i += 1
                        let valueStart = i
                        while i < n && html[i] != quote { i += 1 }
                        guard i < n else { return "unterminated attribute value in <\(name)" }
                        raw = html[valueStart..<i]
                        i += 1
                    } else {
                        let valueStart = i
                        while i < n && !isSpace(html[i]) && html[i] != UInt8(ascii: ">") { i += 1 }
                        raw = html[valueStart..<i]
                    }
                }
                if isEnd { return "attribute on end tag </\(name)>" }
                if attrName.utf8.starts(with: "on".utf8) { return "event handler attribute \(attrName)= on <\(name)>" }
                let allowed =
                    name == "iframe"
                    ? iframeAttributes.contains(attrName)
                    : attributes.contains(attrName) || (permissive && permissiveAttributes.contains(attrName))
                guard allowed else { return "attribute \(attrName) on <\(name)> off the allow-list" }
                if !raw.isEmpty && quote != UInt8(ascii: "\"") {
                    return "attribute \(attrName) on <\(name)> not double-quoted"
                }
                guard let value = decodeAttribute(raw) else {
                    return "unescaped & in the value of \(attrName) on <\(name)>"
                }
                if let problem = valueProblem(attrName, value, element: name) { return problem }
                attrs.append((attrName, value))
            }
            if name == "iframe" && !isEnd {
                guard attrs.contains(where: { $0.0 == "sandbox" }) else { return "iframe without sandbox" }
                guard let src = attrs.first(where: { $0.0 == "src" })?.1, isAllowedFrame(src) else {
                    return "iframe from a host off the list"
                }
                expectIframeEnd = true
            }
        }
        if expectIframeEnd { return "unclosed <iframe>" }
        return nil
    }

    /// The value as the browser sees it: `&amp;`, `&quot;`, `&#13;` decoded; nil
    /// when some other `&` is there (the serializer escapes every `&`).
    static func decodeAttribute(_ raw: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] != UInt8(ascii: "&") {
                out.append(raw[i])
                i += 1
                continue
            }
            var matched = false
            for (entity, byte) in [("&amp;", UInt8(ascii: "&")), ("&quot;", UInt8(ascii: "\"")), ("&#13;", 13)] {
                let u = Array(entity.utf8)
                if raw[i...].starts(with: u) {
                    out.append(byte)
                    i += u.count
                    matched = true
                    break
                }
            }
            if !matched { return nil }
        }
        return out
    }

    /// The value stripped of what browsers ignore in a URL (whitespace, controls),
    /// ASCII-lowercased. Bytes, not Characters: `http:` followed by a combining
    /// mark is one grapheme cluster short of "http:" for String.hasPrefix, but a
    /// browser reads the scheme code point by code point.
    static func cleaned(_ value: some Sequence<UInt8>) -> [UInt8] {
        value.filter { $0 > 0x20 && $0 != 0x7F }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    static func hasPrefix(_ bytes: [UInt8], _ prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }

    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty, bytes.count >= n.count else { return n.isEmpty }
        for start in 0...(bytes.count - n.count) where bytes[start] == n[0] {
            if bytes[start..<start + n.count].elementsEqual(n) { return true }
        }
        return false
    }

    static func isAllowedURL(_ bytes: [UInt8]) -> Bool { schemes.contains { hasPrefix(bytes, $0) } }

    static func valueProblem(_ attr: String, _ value: [UInt8], element: String) -> String? {
        let flat = cleaned(value)
        // A URL must start with an allowed scheme once stripped as a browser
        // strips it (`javascript:` further in, as in https://h/a/javascript:x,
        // is a path: inert).
        if urlAttributes.contains(attr) {
            if hasPrefix(flat, "javascript:") || hasPrefix(flat, "vbscript:") {
                return "javascript:/vbscript: URL in \(attr) on <\(element)>"
            }
            guard isAllowedURL(flat) else { return "\(attr) on <\(element)> not an allowed absolute URL" }
        }
        if attr == "ping" {
            for url in value.split(whereSeparator: isSpace) where !isAllowedURL(cleaned(url)) {
                return "ping URL on <\(element)> not an allowed absolute URL"
            }
        }
        if attr == "srcset" {
            for url in srcsetURLs(value) where !isAllowedURL(cleaned(url)) {
                return "srcset candidate on <\(element)> not an allowed absolute URL"
            }
        }
        if attr == "style" {
            if contains(flat, "javascript:") || contains(flat, "vbscript:") {
                return "javascript:/vbscript: in style on <\(element)>"
            }
            for bad in [
                "expression(", "url(", "image-set(", "var(", "@import", "\\", "/*", "-moz-binding", "behavior:",
            ]
            where contains(flat, bad) {
                return "style on <\(element)> contains \(bad)"
            }
        }
        return nil
    }

    /// The URLs of a srcset, split as the HTML spec's parser does.
    static func srcsetURLs(_ value: [UInt8]) -> [ArraySlice<UInt8>] {
        var urls: [ArraySlice<UInt8>] = []
        var i = 0
        while i < value.count {
            while i < value.count && (isSpace(value[i]) || value[i] == UInt8(ascii: ",")) { i += 1 }
            guard i < value.count else { break }
            let start = i
            while i < value.count && !isSpace(value[i]) { i += 1 }
            var end = i
            if value[end - 1] == UInt8(ascii: ",") {
                while end > start && value[end - 1] == UInt8(ascii: ",") { end -= 1 }
            } else {
                // descriptors, up to the next comma outside parentheses
                var depth = 0
                while i < value.count {
                    let c = value[i]
                    if c == UInt8(ascii: "(") { depth += 1 }
                    if c == UInt8(ascii: ")") && depth > 0 { depth -= 1 }
                    if c == UInt8(ascii: ",") && depth == 0 { break }
                    i += 1
                }
            }
            if end > start { urls.append(value[start..<end]) }
        }
        return urls
    }

    static func isAllowedFrame(_ src: [UInt8]) -> Bool {
        let url = cleaned(src)
        let rest: ArraySlice<UInt8>
        if hasPrefix(url, "https://") {
            rest = url[8...]
        } else if hasPrefix(url, "http://") {
            rest = url[7...]
        } else {
            return false
        }
        var host = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if let at = host.lastIndex(of: UInt8(ascii: "@")) { host = host[(at + 1)...] }
        if let colon = host.lastIndex(of: UInt8(ascii: ":")) { host = host[..<colon] }
        // a host matches itself and its subdomains (Options.iframeHosts)
        return iframeHosts.contains { allowed in
            let a = Array(allowed.utf8)
            return host.elementsEqual(a) || (host.count > a.count && host.suffix(a.count + 1).elementsEqual([0x2E] + a))
        }
    }
    /// The checker's own test: markup it must flag, and safe markup it must pass.
    static func selfTest() -> Bool {
        let bad: [(String, Bool)] = [
            ("<script>x</script>", false), ("<SCRIPT SRC=\"https://e.test/x\"></SCRIPT>", false),
            ("<img src=\"https://e.test/x\" onerror=\"y\">", false), ("<p onclick=\"y\">x</p>", false),
            ("<a href=\"javascript:alert(1)\">x</a>", false), ("<a href=\" JAVA&#13;script:x\">x</a>", false),
            ("<a href=\"\u{01}javascript:x\">x</a>", false), ("<a href=\"/relative\">x</a>", false),
            ("<a href='https://e.test/'>x</a>", false),
            ("<img srcset=\"https://e.test/a 1x, javascript:y 2x\">", false),
            ("<p style=\"background: url(https://e.test/x)\">x</p>", true),
            ("<p style=\"color: red\">x</p>", false),
            ("<iframe src=\"https://evil.example/\" sandbox=\"\"></iframe>", false),
            ("<iframe src=\"https://www.youtube.com/embed/x\"></iframe>", false),
            ("<iframe src=\"https://www.youtube.com/embed/x\" sandbox=\"\">x</iframe>", false),
            ("<!-- x -->", false), ("<p>a & b</p>", false), ("<p>a > b</p>", false), ("<svg></svg>", false),
            ("<p id=\"x\">y</p>", false), ("<a href=\"https://e.test/?a&b\">x</a>", false), ("<p title=\"x", false),
        ]
        let good: [(String, Bool)] = [
            ("<p>javascript:alert(1)</p>", false), ("<p title=\"<script>&quot;\">x</p>", false),
            ("<a href=\"https://e.test/a/javascript:x\" rel=\"noopener\" target=\"_blank\">x</a>", false),
            ("<img src=\"http:\u{64B}\" alt=\"\">", false), ("<p style=\"color: red\">x &amp; &lt;y&gt;</p>", true),
            ("<iframe src=\"https://www.youtube.com/embed/x\" sandbox=\"allow-scripts\"></iframe>", false),
            ("<img srcset=\"https://e.test/a.jpg 1x, https://e.test/b,c.jpg 2x\" src=\"https://e.test/x.jpg\">", false),
            ("<video controls=\"\" poster=\"mailto:x@e.test\"></video><br><hr>", false),
        ]
        var ok = true
        for (html, permissive) in bad where problem(in: Array(html.utf8), permissive: permissive) == nil {
            print("self-test: NOT flagged: \(html.debugDescription)")
            ok = false
        }
        for (html, permissive) in good {
            if let problem = problem(in: Array(html.utf8), permissive: permissive) {
                print("self-test: flagged (\(problem)): \(html.debugDescription)")
                ok = false
            }
        }
        print("sanitizer-fuzz self-test: \(ok ? "ok" : "FAILED") (\(bad.count) bad, \(good.count) good)")
        return ok
    }
}
