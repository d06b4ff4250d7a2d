import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder content files are written to; every path handed to it stays inside it.
///
/// Relative paths with empty, `.` or `..` segments, absolute paths, and paths that
/// pass through a symbolic link leading outside the folder are refused. Files are
/// replaced atomically and only when their bytes change, so Hugo and readers never see
/// a half-written file and unchanged entries keep their modification time.
public struct OutputFolder: Sendable {
    /// The folder as given.
    public let directory: String
    /// The folder with symbolic links resolved; every written path must resolve inside it.
    let root: String

    /// Opens the folder, creating it and its parents when missing.
    ///
    /// - Throws: `PublishingError` when the folder cannot be created or is not a folder.
    public init(directory: String) throws {
        guard !directory.isEmpty else { throw PublishingError.unsafePath(directory, "the output folder is empty") }
        self.directory = directory
        try Self.makeFolders(directory)
        guard let resolved = Self.realPath(directory) else {
            throw PublishingError.fileSystem("resolve the output folder", directory, code: errno)
        }
        var info = stat()
        guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw PublishingError.fileSystem("open the output folder", directory, code: ENOTDIR)
        }
        root = resolved
    }

    /// Writes `bytes` to `relativePath` unless the file already holds exactly them.
    ///
    /// Writes a temporary `.<name>.tmp-<pid>-<random>` in the same folder, flushes it to disk,
    /// and renames it over the file; creates missing folders on the way. Leaves no
    /// temporary file behind on error. A symbolic link at the path itself is replaced,
    /// never written through.
    ///
    /// - Returns: `true` when the file was written, `false` when it was already identical.
    /// - Throws: `PublishingError` for an unsafe path or a failed write.
    @discardableResult
    public func write(_ bytes: [UInt8], to relativePath: String) throws -> Bool {
        let names = try Self.segments(of: relativePath)
        guard let parent = try resolveParent(names, of: relativePath, create: true) else {
            throw PublishingError.fileSystem("create the folder of", relativePath, code: ENOENT)
        }
        let name = names[names.count - 1]
        let target = parent + "/" + name
        if let existing = Self.readRegularFile(target, expectedCount: bytes.count), existing == bytes {
            return false
        }
        let temp = try writeTemporary(bytes, in: parent, name: name, relativePath: relativePath)
        guard rename(temp, target) == 0 else {
            let code = errno
            unlink(temp)
            throw PublishingError.fileSystem("replace", relativePath, code: code)
        }
        Self.syncFolder(parent)
        return true
    }

    /// Removes the temporary files that a killed process left next to `relativePath`
    /// (`.<name>.tmp-<pid>-…` whose process no longer exists); returns how many.
    ///
    /// Files of a live process — another worker writing the same entry — are left alone.
    @discardableResult
    public func removeStaleTemporaryFiles(near relativePath: String) throws -> Int {
        let names = try Self.segments(of: relativePath)
        guard let parent = try resolveParent(names, of: relativePath, create: false),
            let directory = opendir(parent)
        else { return 0 }
        defer { closedir(directory) }
        var stem = Array(names[names.count - 1].utf8.prefix(200))
        while let last = stem.last, last & 0xC0 == 0x80 { stem.removeLast() }
        if let last = stem.last, last >= 0xC0 { stem.removeLast() }
        let prefix = "." + String(decoding: stem, as: UTF8.self) + ".tmp-"
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix) else { continue }
            let pid = name.dropFirst(prefix.count).prefix { $0 != "-" }
            if let pid = pid_t(pid), pid != getpid(), kill(pid, 0) == 0 || errno != ESRCH { continue }
            stale.append(name)
        }
        for name in stale { unlink(parent + "/" + name) }
        return stale.count
    }

    /// Removes the file at `relativePath`; a missing file (or folder) is not an error.
    ///
    /// - Throws: `PublishingError` for an unsafe path or when the file cannot be removed.
    public func remove(_ relativePath: String) throws {
        let names = try Self.segments(of: relativePath)
        guard let parent = try resolveParent(names, of: relativePath, create: false) else { return }
        let target = parent + "/" + names[names.count - 1]
        guard unlink(target) == 0 || errno == ENOENT else {
            throw PublishingError.fileSystem("remove", relativePath, code: errno)
        }
    }

    /// Whether something exists at `relativePath`; `false` for unsafe paths.
    public func exists(_ relativePath: String) -> Bool {
        guard let names = try? Self.segments(of: relativePath),
            let parent = try? resolveParent(names, of: relativePath, create: false)
        else { return false }
        var info = stat()
        return lstat(parent + "/" + names[names.count - 1], &info) == 0
    }

    /// The bytes of the regular file at `relativePath`; `nil` when it is missing, not a
    /// regular file, a symbolic link, or the path is unsafe.
    public func read(_ relativePath: String) -> [UInt8]? {
        guard let names = try? Self.segments(of: relativePath),
            let parent = try? resolveParent(names, of: relativePath, create: false)
        else { return nil }
        return Self.readRegularFile(parent + "/" + names[names.count - 1], expectedCount: nil)
    }

    // MARK: - Paths

    /// The segments of a safe relative path.
    static func segments(of relativePath: String) throws -> [String] {
        guard !relativePath.isEmpty else { throw PublishingError.unsafePath(relativePath, "the path is empty") }
        guard !relativePath.hasPrefix("/") else {
            throw PublishingError.unsafePath(relativePath, "the path is absolute")
        }
        guard !relativePath.utf8.contains(0) else {
            throw PublishingError.unsafePath(relativePath, "the path contains a NUL character")
        }
        let names = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for name in names {
            guard !name.isEmpty else { throw PublishingError.unsafePath(relativePath, "the path has an empty segment") }
            guard name != "." && name != ".." else {
                throw PublishingError.unsafePath(relativePath, "the path has a \"\(name)\" segment")
            }
        }
        return names
    }

    /// The real folder holding the path's last segment, walking (and, with `create`,
    /// making) each folder and checking that no symbolic link leads outside `root`.
    /// `nil` when a folder is missing and `create` is false.
    private func resolveParent(_ names: [String], of relativePath: String, create: Bool) throws -> String? {
        var current = root
        for name in names.dropLast() {
            let next = current + "/" + name
            var info = stat()
            if lstat(next, &info) != 0 {
                guard errno == ENOENT else {
                    throw PublishingError.fileSystem("inspect", relativePath, code: errno)
                }
                guard create else { return nil }
                guard mkdir(next, 0o755) == 0 || errno == EEXIST else {
                    throw PublishingError.fileSystem("create the folder of", relativePath, code: errno)
                }
                guard lstat(next, &info) == 0 else {
                    throw PublishingError.fileSystem("create the folder of", relativePath, code: errno)
                }
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                current = next
            case S_IFLNK:
                guard let resolved = Self.realPath(next), isInsideRoot(resolved) else {
                    throw PublishingError.unsafePath(
                        relativePath, "\"\(name)\" is a symbolic link leading outside the output folder")
                }
                var target = stat()
                guard stat(resolved, &target) == 0, target.st_mode & S_IFMT == S_IFDIR else {
                    throw PublishingError.unsafePath(relativePath, "\"\(name)\" is not a folder")
                }
                current = resolved
            default:
                throw PublishingError.unsafePath(relativePath, "\"\(name)\" is not a folder")
            }
        }
        return current
    }

    private func isInsideRoot(_ path: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `mkdir -p`, reporting the failing call's errno.
    static func makeFolders(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for name in path.split(separator: "/") {
            prefix += name
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw PublishingError.fileSystem("create the folder", prefix, code: errno)
            }
            prefix += "/"
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: - Files

    /// Writes `bytes` to a new temporary file next to `name`, flushed to disk; returns its path.
    private func writeTemporary(_ bytes: [UInt8], in parent: String, name: String, relativePath: String) throws
        -> String
    {
        // Keep the temporary name within the 255-byte file name limit.
        var stem = Array(name.utf8.prefix(200))
        while let last = stem.last, last & 0xC0 == 0x80 { stem.removeLast() }
        if let last = stem.last, last >= 0xC0 { stem.removeLast() }
        let prefix = parent + "/." + String(decoding: stem, as: UTF8.self) + ".tmp-"
        var path = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            path = prefix + "\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw PublishingError.fileSystem("create a temporary file for", relativePath, code: errno)
        }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(path)
            throw PublishingError.fileSystem("write", relativePath, code: failure)
        }
        return path
    }

    /// The bytes of a regular file, not following a symbolic link; `nil` when the file is
    /// missing, not regular, or (when `expectedCount` is given) of another size.
    private static func readRegularFile(_ path: String, expectedCount: Int?) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        if let expectedCount, expectedCount != size { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return bytes
    }

    /// Flushes a folder's entries so a rename survives a crash; best effort.
    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
    private let systemRead = Glibc.read
#elseif canImport(Musl)
    private let systemWrite = Musl.write
    private let systemRead = Musl.read
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
    private let systemRead = Darwin.read
#endif
