import Testing

@testable import Processing

@Suite struct ChangeDigestTests {
    func digest(_ fields: [String?]) -> String {
        var digest = ChangeDigest()
        for field in fields { digest.add(field) }
        return digest.hex
    }

    @Test func isSixteenLowercaseHexDigits() {
        for fields in [[], [""], ["a"], [String(repeating: "x", count: 1000)]] as [[String?]] {
            let hex = digest(fields)
            #expect(hex.count == 16)
            #expect(hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func fieldBoundariesAbsenceAndOrderCount() {
        #expect(digest(["ab", "c"]) != digest(["a", "bc"]))
        #expect(digest([nil]) != digest([""]))
        #expect(digest(["", ""]) != digest([""]))
        #expect(digest(["a", "b"]) != digest(["b", "a"]))
        // Trailing zero bytes are not padding: the length is part of the field.
        #expect(digest(["abc"]) != digest(["abc\u{0}"]))
        var list = ChangeDigest()
        list.add(list: ["a", "b"])
        var fields = ChangeDigest()
        fields.add("a")
        fields.add("b")
        #expect(list.hex != fields.hex)
    }

    @Test func everyByteOfALongBodyCounts() {
        let body = Array(String(repeating: "<p>The quick brown fox jumps over the lazy dog.</p>\n", count: 80).utf8)
        let original = digest([String(decoding: body, as: UTF8.self)])
        var seen: Set<String> = [original]
        for position in stride(from: 0, to: body.count, by: 37) {
            var changed = body
            changed[position] ^= 0x01
            seen.insert(digest([String(decoding: changed, as: UTF8.self)]))
        }
        // Each one-bit change gives a digest of its own.
        #expect(seen.count == 1 + (body.count + 36) / 37)
    }

    @Test func isTheSameAcrossCalls() {
        #expect(digest(["title", nil, "body"]) == digest(["title", nil, "body"]))
    }
}
