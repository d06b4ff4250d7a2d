import HTMLSanitizing
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// gumbo 0.10 sets a document's quirks mode only when it parses a whole document;
/// a fragment parse leaves the field as the allocator found it. Left to chance, a
/// `<table>` inside a `<p>` closed the paragraph or not depending on what the heap
/// held before: the same feed could sanitize differently from one run to the next,
/// and so look changed (the permissive policy's fixed-point test caught it, once in
/// about seventy runs of the whole suite).
@Suite("gumbo fragments: the same output whatever the heap held")
struct GumboDeterminismTests {
    /// Frees a block full of 32-bit ones of the size gumbo's first arena chunk takes,
    /// so that the chunk (and the document node at its start) is likely to reuse it:
    /// a quirks-mode field read from it says "quirks" (1).
    static func leaveOnesOnTheHeap() {
        let size = 65_536 + 16
        guard let block = malloc(size) else { return }
        let words = block.bindMemory(to: UInt32.self, capacity: size / 4)
        for index in 0..<(size / 4) { words[index] = 1 }
        free(block)
    }

    @Test("a table closes an open paragraph (no-quirks fragment parsing), every time")
    func tableClosesParagraph() {
        let sanitizer = HTMLSanitizer()
        let html = "<p>a<table><tr><td>b</td></tr></table>"
        for _ in 0..<20 {
            Self.leaveOnesOnTheHeap()
            let output = sanitizer.sanitize(html, engine: .gumbo) ?? ""
            #expect(output.contains("a</p><table>"), "\(output)")
        }
    }
}
