import Foundation

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidings-publishing-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every file name under the folder, recursively, relative to it.
    func allFiles() -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).sorted()
    }
}

/// The project's golden content files, in `../shared/golden` beside the repository.
enum Golden {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/golden").appendingPathComponent(name).standardizedFileURL
        return Array(try Data(contentsOf: url))
    }

    /// The body of a content file: what follows the closing `---` line, without the final newline.
    static func body(of file: [UInt8]) -> String? {
        let text = String(decoding: file, as: UTF8.self)
        guard text.hasPrefix("---\n"), let close = text.range(of: "\n---\n"), text.hasSuffix("\n") else { return nil }
        return String(text[close.upperBound...].dropLast())
    }
}

/// The YAML between the opening and closing `---` lines of a rendered content file.
func frontMatter(of rendered: String) -> String? {
    guard rendered.hasPrefix("---\n"), let close = rendered.range(of: "\n---\n") else { return nil }
    return String(rendered[rendered.index(rendered.startIndex, offsetBy: 4)..<close.lowerBound]) + "\n"
}

/// `s` with every scalar outside printable ASCII written as `\u{…}`, for failure messages.
func visible(_ s: String) -> String {
    s.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
}
