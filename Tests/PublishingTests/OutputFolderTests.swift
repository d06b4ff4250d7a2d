import Foundation
import Testing

@testable import Publishing

@Suite("OutputFolder")
struct OutputFolderTests {
    static func modificationDate(_ path: String) throws -> Date {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.modificationDate] as? Date)
    }

    @Test("Creates the folder, writes new files with their folders, and reads them back")
    func writeAndRead() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path + "/site/content/posts")
        let bytes = Array("---\ntitle: \"x\"\n---\n<p>x</p>\n".utf8)
        #expect(try folder.write(bytes, to: "2025/12/x.md"))
        #expect(folder.exists("2025/12/x.md"))
        #expect(folder.read("2025/12/x.md") == bytes)
        #expect(FileManager.default.contents(atPath: temp.path + "/site/content/posts/2025/12/x.md") == Data(bytes))
        #expect(!folder.exists("2025/12/y.md"))
        #expect(folder.read("2025/12/y.md") == nil)
        #expect(
            temp.allFiles() == [
                "site", "site/content", "site/content/posts", "site/content/posts/2025",
                "site/content/posts/2025/12", "site/content/posts/2025/12/x.md",
            ])
    }

    @Test("Others' files are looked for, except in folders this instance created; never replaced either way")
    func othersFiles() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let root = temp.path + "/out"
        // A folder that was there before, holding a file of someone else's.
        try FileManager.default.createDirectory(atPath: root + "/old", withIntermediateDirectories: true)
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: root + "/old/a.md"))
        let folder = try OutputFolder(directory: root)
        #expect(folder.mayHoldOthersFile("old/a.md"))
        #expect(!folder.mayHoldOthersFile("old/b.md"))
        #expect(!folder.mayHoldOthersFile("new/a.md"))
        // A folder this instance creates: empty when made, so nothing in it is looked for.
        #expect(try folder.create(Array("ours".utf8), at: "new/2026/a.md") == .created)
        #expect(!folder.mayHoldOthersFile("new/2026/b.md"))
        // Its own file there is not someone else's.
        #expect(!folder.mayHoldOthersFile("new/2026/a.md"))
        // A folder made on the way to the file's own is looked in (only the file's folder counts).
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: root + "/new/x.md"))
        #expect(folder.mayHoldOthersFile("new/x.md"))
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: root + "/new/2026/c.md"))
        #expect(folder.exists("new/2026/c.md"))
        // Whatever appears there anyway is still never replaced.
        #expect(try folder.create(Array("ours".utf8), at: "new/2026/c.md") == .occupied)
        #expect(FileManager.default.contents(atPath: root + "/new/2026/c.md") == Data("theirs".utf8))
        // Another instance did not create the folder: it looks.
        let other = try OutputFolder(directory: root)
        #expect(other.mayHoldOthersFile("new/2026/c.md"))
        #expect(other.mayHoldOthersFile("new/2026/a.md"))
    }

    @Test("Writing the same bytes again returns false and leaves the file and its mtime alone")
    func writeIfChanged() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path)
        let path = temp.path + "/a/b.md"
        #expect(try folder.write(Array("one".utf8), to: "a/b.md"))
        let past = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        #expect(try folder.write(Array("one".utf8), to: "a/b.md") == false)
        #expect(try Self.modificationDate(path) == past)
        // Same size, other bytes: written.
        #expect(try folder.write(Array("two".utf8), to: "a/b.md"))
        #expect(try Self.modificationDate(path) != past)
        #expect(folder.read("a/b.md") == Array("two".utf8))
        #expect(try folder.write([], to: "a/b.md"))
        #expect(folder.read("a/b.md") == [])
        #expect(try folder.write([], to: "a/b.md") == false)
        #expect(temp.allFiles() == ["a", "a/b.md"])
    }

    @Test("No temporary file is left behind, after success or failure")
    func noTemporaryFiles() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path)
        for index in 0..<20 {
            try folder.write(Array("page \(index)".utf8), to: "p/\(index % 3).md")
        }
        // Renaming over a folder fails after the temporary file was written.
        try FileManager.default.createDirectory(atPath: temp.path + "/p/dir.md", withIntermediateDirectories: true)
        #expect(throws: PublishingError.self) { try folder.write(Array("x".utf8), to: "p/dir.md") }
        // A file where a folder is needed.
        #expect(throws: PublishingError.self) { try folder.write(Array("x".utf8), to: "p/0.md/x.md") }
        #expect(temp.allFiles() == ["p", "p/0.md", "p/1.md", "p/2.md", "p/dir.md"])
    }

    @Test("A directory entry's name is read where the record lies, never past its end")
    func entryNameStaysInsideItsRecord() throws {
        // Two pages, the second inaccessible; a short record (as the kernel lays them
        // out, no longer than its name) ends exactly at the first page's end. Copying
        // the whole 256-byte d_name out of it would fault.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(
            mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(memory != MAP_FAILED)
        defer { munmap(memory, 2 * page) }
        #expect(mprotect(memory + page, page, PROT_NONE) == 0)
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let name = Array(".story.md.tmp-1-2".utf8) + [0]
        let length = (offset + name.count + 7) & ~7
        let record = memory + page - length
        for (index, byte) in name.enumerated() {
            record.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self)
        }
        #expect(OutputFolder.entryName(record.assumingMemoryBound(to: dirent.self)) == ".story.md.tmp-1-2")
    }

    @Test("Creating a file never replaces what is there: identical bytes are reported, others left alone")
    func createNeverReplaces() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path)
        #expect(try folder.create(Array("new".utf8), at: "a/new.md") == .created)
        #expect(folder.read("a/new.md") == Array("new".utf8))
        #expect(try folder.create(Array("new".utf8), at: "a/new.md") == .identical)
        #expect(try folder.create(Array("newer".utf8), at: "a/new.md") == .occupied)
        #expect(folder.read("a/new.md") == Array("new".utf8))
        // A folder or a symbolic link at the path is something else too.
        try FileManager.default.createDirectory(atPath: temp.path + "/a/dir.md", withIntermediateDirectories: true)
        #expect(try folder.create(Array("x".utf8), at: "a/dir.md") == .occupied)
        try FileManager.default.createSymbolicLink(atPath: temp.path + "/a/link.md", withDestinationPath: "new.md")
        #expect(try folder.create(Array("new".utf8), at: "a/link.md") == .occupied)
        #expect(temp.allFiles() == ["a", "a/dir.md", "a/link.md", "a/new.md"])
        #expect(throws: PublishingError.self) { try folder.create(Array("x".utf8), at: "../x.md") }
    }

    @Test("A folder removed or replaced by a symlink after it was checked is handled again")
    func folderChangedAfterItWasChecked() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let outside = try TemporaryFolder()
        defer { outside.remove() }
        let folder = try OutputFolder(directory: temp.path)
        try folder.write(Array("one".utf8), to: "2026/11/a.md")
        // Someone removes the folder while a run goes on: the next write makes it again.
        try FileManager.default.removeItem(atPath: temp.path + "/2026/11")
        try folder.write(Array("two".utf8), to: "2026/11/b.md")
        #expect(temp.allFiles() == ["2026", "2026/11", "2026/11/b.md"])
        // Replaced by a symbolic link leading outside: the write is refused, nothing lands outside.
        try FileManager.default.removeItem(atPath: temp.path + "/2026/11")
        try FileManager.default.createSymbolicLink(atPath: temp.path + "/2026/11", withDestinationPath: outside.path)
        #expect(throws: PublishingError.self) { try folder.write(Array("three".utf8), to: "2026/11/c.md") }
        #expect(outside.allFiles() == [])
    }

    @Test(
        "Paths that could leave the folder are refused",
        arguments: [
            "", "/etc/passwd", "../x.md", "a/../../x.md", "a/./x.md", "./x.md", "a//x.md", "a/", "..", ".",
            "x\u{0}.md",
        ]
    )
    func unsafePaths(path: String) throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path + "/out")
        #expect(throws: PublishingError.self) { try folder.write(Array("x".utf8), to: path) }
        #expect(throws: PublishingError.self) { try folder.remove(path) }
        #expect(!folder.exists(path))
        #expect(folder.read(path) == nil)
        #expect(temp.allFiles() == ["out"])
    }

    @Test("A symlinked subfolder leading outside is refused; one leading inside is followed")
    func symlinkedFolders() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let manager = FileManager.default
        try manager.createDirectory(atPath: temp.path + "/outside", withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: temp.path + "/outside/secret.md"))
        let folder = try OutputFolder(directory: temp.path + "/out")
        try manager.createSymbolicLink(atPath: temp.path + "/out/escape", withDestinationPath: temp.path + "/outside")
        try manager.createSymbolicLink(atPath: temp.path + "/out/relative", withDestinationPath: "../outside")

        for link in ["escape", "relative"] {
            do {
                try folder.write(Array("x".utf8), to: "\(link)/new/x.md")
                Issue.record("wrote through \(link)")
            } catch let error as PublishingError {
                #expect(error.shortDescription == "unsafe_path")
                #expect(error.description.contains(link))
            }
            #expect(throws: PublishingError.self) { try folder.write(Array("x".utf8), to: "\(link)/secret.md") }
            #expect(throws: PublishingError.self) { try folder.remove("\(link)/secret.md") }
            #expect(folder.read("\(link)/secret.md") == nil)
            #expect(!folder.exists("\(link)/secret.md"))
        }
        #expect(try manager.contentsOfDirectory(atPath: temp.path + "/outside") == ["secret.md"])
        #expect(manager.contents(atPath: temp.path + "/outside/secret.md") == Data("secret".utf8))

        // A link to a folder inside the output folder is fine.
        try manager.createDirectory(atPath: temp.path + "/out/real", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: temp.path + "/out/alias", withDestinationPath: "real")
        #expect(try folder.write(Array("y".utf8), to: "alias/y.md"))
        #expect(manager.contents(atPath: temp.path + "/out/real/y.md") == Data("y".utf8))
    }

    @Test("A symlink at the file's own path is replaced, never written through")
    func symlinkedFile() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let manager = FileManager.default
        try Data("secret".utf8).write(to: URL(fileURLWithPath: temp.path + "/secret.md"))
        let folder = try OutputFolder(directory: temp.path + "/out")
        try manager.createSymbolicLink(atPath: temp.path + "/out/x.md", withDestinationPath: temp.path + "/secret.md")
        #expect(folder.read("x.md") == nil)
        #expect(try folder.write(Array("secret".utf8), to: "x.md"))
        #expect(manager.contents(atPath: temp.path + "/secret.md") == Data("secret".utf8))
        let type = try manager.attributesOfItem(atPath: temp.path + "/out/x.md")[.type] as? FileAttributeType
        #expect(type == .typeRegular)
        try folder.remove("x.md")
        #expect(manager.fileExists(atPath: temp.path + "/secret.md"))
    }

    @Test("Removing deletes the file; a missing file or folder is not an error")
    func remove() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path)
        try folder.write(Array("x".utf8), to: "a/x.md")
        try folder.remove("a/x.md")
        #expect(!folder.exists("a/x.md"))
        try folder.remove("a/x.md")
        try folder.remove("missing/x.md")
        #expect(temp.allFiles() == ["a"])
    }

    @Test("A long file name still gets a temporary name within the limit")
    func longName() throws {
        let temp = try TemporaryFolder()
        defer { temp.remove() }
        let folder = try OutputFolder(directory: temp.path)
        let name = String(repeating: "é", count: 120) + ".md"  // 243 bytes
        #expect(try folder.write(Array("x".utf8), to: name))
        #expect(temp.allFiles() == [name])
    }
}

@Suite("OutputFolder path checks")
struct OutputFolderPathTests {
    /// The outcome of a check as text: the parts, or the error's description.
    func outcome(_ body: () throws -> (String, String)) -> String {
        do {
            let (folder, name) = try body()
            return "ok \(folder) | \(name)"
        } catch {
            return "error \(error)"
        }
    }

    /// The rules spelled out segment by segment (how the check was written before it
    /// became one pass over the bytes).
    static func referenceSegments(of relativePath: String) throws -> [String] {
        guard !relativePath.isEmpty else { throw PublishingError.unsafePath(relativePath, "the path is empty") }
        guard !relativePath.hasPrefix("/") else {
            throw PublishingError.unsafePath(relativePath, "the path is absolute")
        }
        guard !relativePath.utf8.contains(0) else {
            throw PublishingError.unsafePath(relativePath, "the path contains a NUL character")
        }
        var names: [String] = []
        for segment in relativePath.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !segment.isEmpty else {
                throw PublishingError.unsafePath(relativePath, "the path has an empty segment")
            }
            if segment.count <= 2 && segment.allSatisfy({ $0 == UInt8(ascii: ".") }) {
                throw PublishingError.unsafePath(relativePath, "the path has a \"\(Substring(segment))\" segment")
            }
            names.append(String(Substring(segment)))
        }
        return names
    }

    @Test("Splitting at the last slash agrees with the segment-by-segment rules")
    func splitAgreesWithSegments() {
        let pieces = ["a", "2025", "12", "slug.md", ".", "..", "...", ".x", "", "/", "\u{0}", "é", "a b", "x..y"]
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<5000 {
            let path = (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined(separator: next(4) == 0 ? "" : "/")
            let expected = outcome {
                let names = try Self.referenceSegments(of: path)
                return (names.dropLast().joined(separator: "/"), names[names.count - 1])
            }
            #expect(outcome { try OutputFolder.split(path) } == expected, "\(visible(path))")
            let segments = outcome { (try OutputFolder.segments(of: path).joined(separator: "|"), "") }
            let referenceSegments = outcome { (try Self.referenceSegments(of: path).joined(separator: "|"), "") }
            #expect(segments == referenceSegments, "\(visible(path))")
        }
        #expect(outcome { try OutputFolder.split("2025/12/a.md") } == "ok 2025/12 | a.md")
        #expect(outcome { try OutputFolder.split("a.md") } == "ok  | a.md")
    }
}
