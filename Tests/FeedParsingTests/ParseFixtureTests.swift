import Foundation
import Testing

@testable import FeedParsing

/// Golden fixtures: each file in `Fixtures/parse` is named after the quirk it pins,
/// and `NAME.expected.json` beside it holds the `tidings parse` JSON it must give
/// (read with base URL `http://fixtures.test/feed`). Set `TIDINGS_RECORD_FIXTURES=1`
/// to write missing expectations — then read every one of them before committing.
struct ParseFixtureTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/parse")
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parse")

    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".expected.json") && !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: fixtures)
    func fixtureMatchesExpectation(_ name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        let result = try FeedParser.parse(
            contentsOfFile: path, options: .init(baseURL: "http://fixtures.test/feed"))
        let json = FeedJSON.encode(result.feed)
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        let expectedURL = Self.directory.appendingPathComponent("\(stem).expected.json")
        guard let expectedData = FileManager.default.contents(atPath: expectedURL.path) else {
            if ProcessInfo.processInfo.environment["TIDINGS_RECORD_FIXTURES"] == "1" {
                let pretty = try JSONSerialization.data(
                    withJSONObject: JSONSerialization.jsonObject(with: Data(json.utf8)),
                    options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try pretty.write(to: Self.sourceDirectory.appendingPathComponent("\(stem).expected.json"))
            }
            Issue.record("no expectation for \(name); got \(json)")
            return
        }
        let expected = try JSONSerialization.jsonObject(with: expectedData) as! NSDictionary
        let actual = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! NSDictionary
        #expect(actual == expected, "\(name): got \(json)")
    }

    /// A fetched body is parsed whole, its end handed to libxml2 with its bytes; a file
    /// is read in chunks and ended after. Both must read the same document.
    @Test(arguments: fixtures)
    func wholeDocumentInMemoryReadsAsTheFileDoes(_ name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        let options = FeedParser.Options(baseURL: "http://fixtures.test/feed")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let fromFile = try? FeedParser.parse(contentsOfFile: path, options: options)
        let inMemory = try? FeedParser.parse(Array(bytes), options: options)
        #expect(inMemory?.feed == fromFile?.feed, "\(name)")
        #expect(inMemory?.warnings.map(\.description) == fromFile?.warnings.map(\.description), "\(name)")
    }

    @Test func everyFixtureHasAnExpectation() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.directory.path)) ?? []
        #expect(Self.fixtures.count >= 25)
        for name in Self.fixtures {
            let stem = name.split(separator: ".").dropLast().joined(separator: ".")
            #expect(names.contains("\(stem).expected.json"), "missing \(stem).expected.json")
        }
    }
}
