import Testing

@testable import FeedParsing

struct PersonTests {
    @Test(
        arguments: [
            ("jo@example.test (Jo Doe)", "Jo Doe", "jo@example.test"),
            ("Jo Doe (jo@example.test)", "Jo Doe", "jo@example.test"),
            ("Jo Doe <jo@example.test>", "Jo Doe", "jo@example.test"),
            ("<jo@example.test>", nil, "jo@example.test"),
            ("mailto:jo@example.test", nil, "jo@example.test"),
            ("jo@example.test", nil, "jo@example.test"),
            ("Jo Doe", "Jo Doe", nil),
            ("  Zoë Ñandú  ", "Zoë Ñandú", nil),
        ] as [(String, String?, String?)])
    func readsPeople(_ text: String, _ name: String?, _ email: String?) {
        let author = FeedAdapter.parsePerson(text)
        #expect(author.name == name)
        #expect(author.email == email)
    }
}
