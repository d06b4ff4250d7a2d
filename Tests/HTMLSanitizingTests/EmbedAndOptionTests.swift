import HTMLSanitizing
import Testing

@Suite("Embeds, link targets, permissive CSS")
struct EmbedAndOptionTests {
    static let sandbox = "sandbox=\"allow-scripts allow-same-origin allow-popups\""

    @Test(arguments: [
        "https://www.youtube.com/embed/abc", "https://youtube.com/embed/abc",
        "https://www.youtube-nocookie.com/embed/abc",
        "https://player.vimeo.com/video/1", "//www.youtube.com/embed/abc",
    ])
    func allowedIframeKeptSandboxed(src: String) {
        let output = clean(
            "<iframe src=\"\(src)\" width=\"560\" height=\"315\" frameborder=\"0\" allow=\"autoplay\" allowfullscreen onload=\"x()\" srcdoc=\"<script>\" title=\"Video\">fallback</iframe>"
        )
        let absolute = src.hasPrefix("//") ? "https:" + src : src
        #expect(
            output
                == "<iframe src=\"\(absolute)\" width=\"560\" height=\"315\" allowfullscreen=\"\" title=\"Video\" \(Self.sandbox)></iframe>"
        )
    }

    @Test(arguments: [
        "https://evil.example/embed", "https://youtube.com.evil.example/embed", "https://vimeo.com/1",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "/relative/embed", "https://evilyoutube.com/embed",
    ])
    func otherIframesDropped(src: String) {
        #expect(clean("<p>a</p><iframe src=\"\(src)\">fallback</iframe>") == "<p>a</p>")
    }

    @Test func iframeHostsConfigurable() {
        let options = HTMLSanitizer.Options(iframeHosts: ["embed.example"])
        #expect(
            clean(
                "<iframe src=\"https://embed.example/x\"></iframe><iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
                options: options)
                == "<iframe src=\"https://embed.example/x\" \(Self.sandbox)></iframe>")
    }

    @Test func targetKeptByDefault() {
        #expect(
            clean("<a href=\"https://e.example/\" target=\"_blank\" rel=\"noopener\">x</a>")
                == "<a href=\"https://e.example/\" target=\"_blank\" rel=\"noopener\">x</a>")
        #expect(
            clean("<a href=\"https://e.example/\" target=\"_top\">x</a>")
                == "<a href=\"https://e.example/\" target=\"_top\">x</a>")
    }

    @Test func targetStripped() {
        let options = HTMLSanitizer.Options(linkTargets: .strip)
        #expect(
            clean("<a href=\"https://e.example/\" target=\"_blank\" rel=\"noopener\">x</a>", options: options)
                == "<a href=\"https://e.example/\" rel=\"noopener\">x</a>")
    }

    @Test func targetForcedBlank() {
        let options = HTMLSanitizer.Options(linkTargets: .forceBlank)
        #expect(
            clean("<a href=\"https://e.example/\">x</a>", options: options)
                == "<a href=\"https://e.example/\" target=\"_blank\" rel=\"noopener\">x</a>")
        #expect(
            clean("<a href=\"https://e.example/\" target=\"_self\" rel=\"nofollow ugc\">x</a>", options: options)
                == "<a href=\"https://e.example/\" target=\"_blank\" rel=\"nofollow ugc noopener\">x</a>")
        #expect(
            clean("<a href=\"https://e.example/\" rel=\"NoOpener\">x</a>", options: options)
                == "<a href=\"https://e.example/\" target=\"_blank\" rel=\"NoOpener\">x</a>")
    }

    static let permissive = HTMLSanitizer.Options(permissive: true)

    @Test(arguments: [
        ("color: red", "color: red"), ("COLOR:#fff;font-weight:bold", "color: #fff; font-weight: bold"),
        ("background-color: rgb(1, 2, 3)", "background-color: rgb(1, 2, 3)"),
        ("text-align:center !important", "text-align: center"),
        ("margin: 0 auto; padding: 1em 2px", "margin: 0 auto; padding: 1em 2px"),
        ("border: 1px solid #ccc", "border: 1px solid #ccc"),
        ("width: 50%; height: 10px", "width: 50%; height: 10px"),
        ("font-style: italic; text-decoration: underline", "font-style: italic; text-decoration: underline"),
    ])
    func safeStyleKept(style: String, expected: String) {
        #expect(clean("<p style=\"\(style)\">x</p>", options: Self.permissive) == "<p style=\"\(expected)\">x</p>")
    }

    @Test(arguments: [
        "background: url(javascript:alert(1))", "background-color: url(x)", "color: expression(alert(1))",
        "color: red\\;", "color: /* c */ red", "position: fixed", "color: \"red\"", "width: expression(1)",
        "background-image: url(https://t.example/p.gif)", "margin-top: -500px", "color: var(--x)",
        "behavior: url(x.htc)",
        "border-image: url(x) 30", "color: r&#92;65d", "-moz-binding: url(x)",
    ])
    func unsafeStyleDropped(style: String) {
        #expect(clean("<p style='\(style)'>x</p>", options: Self.permissive) == "<p>x</p>")
    }

    @Test func styleDroppedByDefault() {
        #expect(clean("<p style=\"color: red\">x</p>") == "<p>x</p>")
    }

    /// Presentational attributes kept; id and class prefixed (see PermissiveTests).
    @Test func permissiveKeepsPresentationalAttributes() {
        #expect(
            clean(
                "<table border=\"1\" cellpadding=\"2\" align=\"center\" id=\"t\" class=\"c\" background=\"javascript:x\"><tbody><tr><td bgcolor=\"#eee\" valign=\"top\">x</td></tr></tbody></table>",
                options: Self.permissive)
                == "<table border=\"1\" cellpadding=\"2\" align=\"center\" id=\"user-content-t\" class=\"user-content-c\"><tbody><tr><td bgcolor=\"#eee\" valign=\"top\">x</td></tr></tbody></table>"
        )
    }
}
