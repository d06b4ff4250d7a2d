import Foundation

/// A minimal Hugo site that shows published entries, for `tidings init-site DIR`.
public enum HugoSite {
    /// Writes `hugo.toml`, the layouts and an empty `content/posts/` folder under
    /// `directory`, creating it when missing.
    ///
    /// The configuration renders raw HTML (`unsafe = true`), which the published bodies
    /// need; they are sanitized and kept in one HTML block so goldmark reads no Markdown
    /// in them. Taxonomy pages are turned off so a build prints no warnings.
    ///
    /// - Parameters:
    ///   - directory: The site's folder.
    ///   - title: The site's title.
    /// - Throws: `PublishingError` naming the first file that already exists (nothing is
    ///   written then), or when a file cannot be written.
    public static func scaffold(at directory: String, title: String = "Tidings") throws {
        let files = self.files(title: title)
        let manager = FileManager.default
        for (path, _) in files {
            let full = directory + "/" + path
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: full, isDirectory: &isFolder) {
                throw PublishingError.siteFileExists(full)
            }
        }
        let folder = try OutputFolder(directory: directory)
        for (path, text) in files {
            try folder.write(Array(text.utf8), to: path)
        }
        try OutputFolder.makeFolders(directory + "/content/posts")
    }

    /// The site's files, by path relative to its folder.
    static func files(title: String) -> [(String, String)] {
        [
            ("hugo.toml", configuration(title: title)),
            ("layouts/_default/baseof.html", baseof),
            ("layouts/_default/single.html", single),
            ("layouts/_default/list.html", list),
            ("layouts/index.html", index),
        ]
    }

    static func configuration(title: String) -> String {
        """
        baseURL = "/"
        title = \(tomlQuoted(title))
        languageCode = "en"
        # Tidings writes no taxonomies; without these kinds the build needs no extra layouts.
        disableKinds = ["taxonomy", "term"]

        [markup.goldmark.renderer]
        # Published bodies are sanitized HTML in one HTML block; goldmark must pass it through.
        unsafe = true

        """
    }

    static let baseof = """
        <!DOCTYPE html>
        <html lang="{{ site.LanguageCode | default "en" }}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
        {{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
        </head>
        <body>
        <header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
        <main>
        {{ block "main" . }}{{ end }}
        </main>
        </body>
        </html>

        """

    static let single = """
        {{ define "main" }}
        <article>
        <h1>{{ .Title }}</h1>
        <p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
        {{ with .Params.link }} · <a href="{{ . }}" rel="noopener">Original article</a>{{ end }}</p>
        {{ with .Params.image }}<img src="{{ . }}" alt="">{{ end }}
        <div class="tidings-entry">{{ .Content }}</div>
        </article>
        {{ end }}

        """

    static let list = """
        {{ define "main" }}
        <h1>{{ .Title }}</h1>
        {{ $paginator := .Paginate .Pages.ByDate.Reverse 50 }}
        <ul>
        {{ range $paginator.Pages }}
        <li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
        {{ end }}
        </ul>
        {{ template "_internal/pagination.html" . }}
        {{ end }}

        """

    static let index = """
        {{ define "main" }}
        {{ $paginator := .Paginate site.RegularPages.ByDate.Reverse 50 }}
        <ul>
        {{ range $paginator.Pages }}
        <li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
        {{ end }}
        </ul>
        {{ template "_internal/pagination.html" . }}
        {{ end }}

        """

    /// `s` as a TOML basic string.
    static func tomlQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x00...0x1F, 0x7F:
                let digits = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
