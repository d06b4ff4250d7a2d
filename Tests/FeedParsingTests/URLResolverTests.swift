import Testing

@testable import TidingsModel

struct URLResolverTests {
    // RFC 3986 §5.4 examples, base "http://a/b/c/d;p?q".
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
        (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"),
        ("../..", "http://a/"), ("../../", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"),
        ("/./g", "http://a/g"), ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"),
        ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"),
        ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"),
    ])
    func rfc3986Examples(_ reference: String, _ expected: String) {
        #expect(URLResolver.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func oddInputs() {
        #expect(URLResolver.resolve("  /x\n ", against: "https://h.test/a/b") == "https://h.test/x")
        #expect(URLResolver.resolve("pa\tge", against: "https://h.test/") == "https://h.test/page")
        #expect(URLResolver.resolve("x", against: nil) == "x")
        #expect(URLResolver.resolve("x", against: "mailto:someone@example.test") == "x")
        #expect(URLResolver.resolve("img.png", against: "https://h.test") == "https://h.test/img.png")
        #expect(URLResolver.resolve("HTTPS://Other.test/", against: "http://a/") == "HTTPS://Other.test/")
        #expect(URLResolver.scheme(of: "JavaScript:alert(1)") == "javascript")
        #expect(URLResolver.scheme(of: "1http:x") == nil)
    }

    @Test func pathsWithoutDotSegmentsAreLeftAsTheyAre() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["/", ".", "..", "a", "b.jpg", "...", ".x", "x.", "%2E"]
        for _ in 0..<20_000 {
            let path = (0..<Int.random(in: 0..<8, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            #expect(URLResolver.hasDotSegment(path.utf8) == segments.contains { $0 == "." || $0 == ".." }, "\(path)")
            #expect(URLResolver.removeDotSegments(path) == URLResolver.removingDotSegments(path), "\(path)")
        }
    }
}
