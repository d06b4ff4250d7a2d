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
    ])
    func userInfoIsRemoved(url: String, without: String) {
        #expect(url.removingURLUserInfo == without)
    }
}
