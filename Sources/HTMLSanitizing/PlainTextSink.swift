/// Collects the text a reader sees: dropped elements skipped, runs of
/// whitespace (U+00A0 and the other Unicode spaces included) as one space, a
/// space between blocks.
struct PlainTextSink: FragmentSink {
    let policy: SanitizerPolicy
    /// Stop once this many scalars are collected.
    let scalarLimit: Int
    /// Stop, even within a text, once this many ASCII bytes that follow an ASCII byte
    /// are collected: each starts a character of its own (no ASCII character is a
    /// prepended mark, and the output holds no carriage return), so the output then
    /// holds at least that many characters, the last of them cut at an ASCII byte.
    let characterGoal: Int
    private(set) var output: [UInt8] = []
    private var pendingSpace = false
    private var scalarCount = 0
    private var characterStarts = 0
    private var blocks: [Bool] = []

    /// `capacity`: the output's expected size (it grows past it if need be).
    init(policy: SanitizerPolicy, scalarLimit: Int, characterGoal: Int = .max, capacity: Int = 0) {
        self.policy = policy
        self.scalarLimit = scalarLimit
        self.characterGoal = characterGoal
        output.reserveCapacity(capacity)
    }

    var isFinished: Bool { scalarCount > scalarLimit || characterStarts >= characterGoal }

    mutating func restart() {
        output.removeAll(keepingCapacity: true)
        pendingSpace = false
        scalarCount = 0
        blocks.removeAll(keepingCapacity: true)
    }

    mutating func startElement(_ element: ElementToken) -> Bool {
        switch policy.action(for: element) {
        case .drop, .iframe:
            return false
        case .keep, .unwrap:
            let isBlock = ElementSets.textBlocks.contains(element.tag)
            if isBlock { pendingSpace = true }
            blocks.append(isBlock)
            return true
        }
    }

    mutating func endElement() {
        if blocks.removeLast() { pendingSpace = true }
    }

    mutating func text(_ text: UnsafeBufferPointer<UInt8>, isChecked: Bool) {
        var index = 0
        let count = text.count
        while index < count && !isFinished {
            let run = Self.wordRun(text, from: index, characterBudget: characterGoal - characterStarts)
            if run.scalars > 0 {
                if pendingSpace && !output.isEmpty { output.append(32) }
                pendingSpace = false
                output.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<run.end]))
                scalarCount += run.scalars
                characterStarts += run.characterStarts
                index = run.end
                continue
            }
            let byte = text[index]
            let length: Int
            if byte < 0x80 {
                length = 1
            } else if byte < 0xE0 {
                length = 2
            } else if byte < 0xF0 {
                length = 3
            } else {
                length = 4
            }
            let end = min(index + length, count)
            if Self.isSpace(text, at: index, length: end - index) {
                pendingSpace = true
            } else {
                if pendingSpace && !output.isEmpty { output.append(32) }
                pendingSpace = false
                output.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<end]))
                scalarCount += 1
            }
            index = end
        }
    }

    /// The end of the run of words from `start` that is copied as it is — non-space
    /// characters with single ASCII spaces between them, where collapsing changes
    /// nothing — how many non-space characters it holds (0: none starts there), and
    /// how many of its ASCII bytes follow an ASCII byte of the run. The run ends early
    /// once that last count reaches `characterBudget`.
    @inline(__always)
    private static func wordRun(_ text: UnsafeBufferPointer<UInt8>, from start: Int, characterBudget: Int) -> (
        end: Int, scalars: Int, characterStarts: Int
    ) {
        let count = text.count
        var end = start
        var scalars = 0
        var characterStarts = 0
        while end < count {
            let byte = text[end]
            if byte > 0x20 && byte < 0x80 {
                if end > start && text[end - 1] < 0x80 {
                    characterStarts += 1
                    if characterStarts >= characterBudget {
                        return (end + 1, scalars + 1, characterStarts)
                    }
                }
                end += 1
                scalars += 1
            } else if byte == 0x20 {
                guard scalars > 0, end + 1 < count, text[end + 1] > 0x20 && text[end + 1] < 0x80 else { break }
                // A space is a character too; counting it keeps the run's end at a
                // printable byte.
                if text[end - 1] < 0x80 { characterStarts += 1 }
                end += 1
            } else if byte >= 0xC0 {
                let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                guard end + length <= count else { break }
                // Only these lead bytes start a Unicode space.
                if byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 {
                    guard !isSpace(text, at: end, length: length) else { break }
                }
                end += length
                scalars += 1
            } else {
                break
            }
        }
        return (end, scalars, characterStarts)
    }

    private static func isSpace(_ text: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> Bool {
        let byte = text[index]
        switch length {
        case 1:
            return byte == 32 || byte == 10 || byte == 9 || byte == 12 || byte == 13 || byte == 11
        case 2:
            return byte == 0xC2 && (text[index + 1] == 0xA0 || text[index + 1] == 0x85)
        case 3:
            let b1 = text[index + 1]
            let b2 = text[index + 2]
            if byte == 0xE2 && b1 == 0x80 { return b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF }
            if byte == 0xE2 && b1 == 0x81 { return b2 == 0x9F }
            if byte == 0xE3 && b1 == 0x80 { return b2 == 0x80 }
            if byte == 0xE1 && b1 == 0x9A { return b2 == 0x80 }
            return false
        default:
            return false
        }
    }
}

/// Finds the first `<img>` the sanitizer would keep and that is no tracking pixel.
struct FirstImageSink: FragmentSink {
    let policy: SanitizerPolicy
    let urls: URLFilter
    private(set) var result: String?

    init(policy: SanitizerPolicy, urls: URLFilter) {
        self.policy = policy
        self.urls = urls
    }

    var isFinished: Bool { result != nil }

    mutating func restart() { result = nil }

    mutating func text(_ text: UnsafeBufferPointer<UInt8>, isChecked: Bool) {}
    mutating func endElement() {}

    mutating func startElement(_ element: ElementToken) -> Bool {
        switch policy.action(for: element) {
        case .drop, .iframe:
            return false
        case .unwrap:
            return true
        case .keep:
            guard element.tag == .img else { return true }
            guard !SanitizingSink.isPixelSized(element) else { return false }
            var url: [UInt8] = []
            let sources: [StaticString] = ["src", "data-src", "data-lazy-src", "data-original"]
            for name in sources {
                if let value = element.attribute(name), urls.append(value, stripTracking: false, to: &url) { break }
            }
            if url.isEmpty {
                for name in ["srcset", "data-srcset"] as [StaticString] {
                    guard let value = element.attribute(name), urls.appendSrcset(value, to: &url) else { continue }
                    // The first candidate's URL.
                    if let end = url.firstIndex(where: { $0 == 32 || $0 == UInt8(ascii: ",") }) {
                        url.removeLast(url.count - end)
                    }
                    break
                }
            }
            if !url.isEmpty && !urls.isTracker(url[...]) { result = String(decoding: url, as: UTF8.self) }
            return false
        }
    }
}
