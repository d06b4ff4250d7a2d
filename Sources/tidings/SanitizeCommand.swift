import ArgumentParser
import FeedParsing
import Foundation
import HTMLSanitizing
import TidingsModel

/// `tidings sanitize`: HTML on standard input, sanitized HTML on standard output.
struct SanitizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanitize",
        abstract: "Sanitize HTML read on standard input and write it to standard output.",
        discussion: """
            Keeps the structure and formatting a reader expects and drops everything that \
            could run code or track the reader (scripts, handlers, styles, unsafe URLs, \
            tracking pixels and parameters). Relative URLs are made absolute against \
            --base-url when given.
            """
    )

    @Option(help: "The URL relative links and images resolve against.")
    var baseURL: String?

    @OptionGroup var flags: SanitizerFlags

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let base = baseURL
        let output = flags.sanitizer.sanitize(bytes: input) { reference in
            URLResolver.resolve(reference, against: base)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if !output.isEmpty && !output.hasSuffix("\n") { FileHandle.standardOutput.write(Data([0x0A])) }
    }
}
