import Testing
import TidingsModel

/// A private feed's password: kept out of messages, and out of anything published.
@Suite struct URLUserInfoTests {
    @Test(arguments: [
        ("http://alice:s3cret@host/feed", "http://alice:***@host/feed"),
        ("https://alice:s3cret@host:8443", "https://alice:***@host:8443"),
        ("http://alice@host/feed", "http://alice@host/feed"),
        ("http://alice:@host/feed", "http://alice:@host/feed"),
        ("http://host/feed?mail=a@b.example", "http://host/feed?mail=a@b.example"),
        ("http://host/a:b@c", "http://host/a:b@c"),
        ("no URL here: a@b", "no URL here: a@b"),
        (
            "http://a:x@h1/f: redirect loop back to http://a:y@h2/g",
            "http://a:***@h1/f: redirect loop back to http://a:***@h2/g"
        ),
        ("\"http://u:p@w@host/\" said", "\"http://u:***@host/\" said"),
        ("http://ü:pä@hôst/", "http://ü:***@hôst/"),
    ])
    func passwordsAreRedacted(text: String, redacted: String) {
        #expect(text.redactingURLPasswords == redacted)
    }

    @Test(arguments: [
        ("http://alice:s3cret@host/feed", "http://host/feed"),
        ("http://alice@host:81/feed?x=@", "http://host:81/feed?x=@"),
        ("http://host/feed", "http://host/feed"),
        ("http://host/a@b", "http://host/a@b"),
        ("not a URL", "not a URL"),
        ("mailto:alice@host", "mailto:alice@host"),
        ("http://ü:pä@hôst/f", "http://hôst/f"),
        ("http://u:p@w@host/#a@b", "http://host/#a@b"),
    ])
    func userInfoIsRemoved(url: String, without: String) {
        #expect(url.removingURLUserInfo == without)
    }
}

/// A private site's page names feeds that take its password, on its own host only.
@Suite struct URLUserInfoCarryTests {
    @Test(arguments: [
        // The page's user information goes to a link on its host, in any case, any port.
        (
            "https://a.example/feed.xml", "https://alice:s%40cret@A.example/",
            "https://alice:s%40cret@a.example/feed.xml"
        ),
        ("https://a.example:8443/f", "https://alice:pw@a.example/", "https://alice:pw@a.example:8443/f"),
        ("https://a.example/f", "http://alice@a.example/", "https://alice@a.example/f"),
        // Never to another host, never over a link's own, and nothing when the page has none.
        ("https://b.example/feed.xml", "https://alice:pw@a.example/", "https://b.example/feed.xml"),
        ("https://bob:x@a.example/f", "https://alice:pw@a.example/", "https://bob:x@a.example/f"),
        ("https://a.example/f", "https://a.example/", "https://a.example/f"),
        ("not a URL", "https://alice:pw@a.example/", "not a URL"),
    ])
    func carried(link: String, page: String, expected: String) {
        #expect(link.carryingURLUserInfo(of: page) == expected)
    }
}
