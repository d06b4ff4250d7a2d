import CSyncFS
import Foundation
import Synchronization

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
    /// Folders already walked and checked (relative folder path → real path), so writing
    /// thousands of files into a few folders checks each folder once, not once per file.
    private let checkedFolders = CheckedFolders()

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
    /// With `durably: false` nothing is flushed: a caller writing many files flushes
    /// them all at once with ``synchronize()`` (one `syncfs` instead of two `fsync`s
    /// per file) before it records them as written.
    ///
    /// - Returns: `true` when the file was written, `false` when it was already identical.
    /// - Throws: `PublishingError` for an unsafe path or a failed write.
    @discardableResult
    public func write(_ bytes: [UInt8], to relativePath: String, durably: Bool = true) throws -> Bool {
        try withParent(of: relativePath) { parent, name in
            if let existing = Self.readRegularFile(in: parent, name, expectedCount: bytes.count), existing == bytes {
                return false
            }
            try replace(name, in: parent, with: bytes, relativePath: relativePath, durably: durably)
            return true
        }
    }

    /// What ``create(_:at:durably:)`` found at its path.
    public enum Creation: Sendable, Hashable {
        /// Nothing was there: the file is written.
        case created
        /// A file holding exactly these bytes was there, and is left as it is.
        case identical
        /// Something else is there (a file Tidings did not write, a folder, a link):
        /// nothing was written.
        case occupied
    }

    /// Writes `bytes` as a new file at `relativePath`, never replacing anything there.
    ///
    /// For a path just reserved: the caller need not look first, as whatever is found
    /// there is reported (and kept) instead of being overwritten. Like ``write(_:to:durably:)``
    /// the file appears whole or not at all, and missing folders are created.
    ///
    /// - Throws: `PublishingError` for an unsafe path or a failed write.
    public func create(_ bytes: [UInt8], at relativePath: String, durably: Bool = true) throws -> Creation {
        try withParent(of: relativePath) { parent, name in
            switch try Self.createUnnamed(bytes, at: name, in: parent, relativePath, durably: durably) {
            case .created:
                if durably { _ = fsync(parent) }
                return .created
            case .exists:
                return Self.compare(bytes, with: name, in: parent)
            case .unsupported:
                break
            }
            let temp = try writeTemporary(bytes, in: parent, name: name, relativePath: relativePath, durably: durably)
            if Self.renameWithoutReplacing(temp, to: name, in: parent) {
                if durably { _ = fsync(parent) }
                return .created
            }
            var info = stat()
            if fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                unlinkat(parent, temp, 0)
                return Self.compare(bytes, with: name, in: parent)
            }
            // Nothing there, and a rename that cannot refuse (no renameat2).
            guard renameat(parent, temp, parent, name) == 0 else {
                let code = errno
                unlinkat(parent, temp, 0)
                throw PublishingError.fileSystem("create", relativePath, code: code)
            }
            if durably { _ = fsync(parent) }
            return .created
        }
    }

    private static func compare(_ bytes: [UInt8], with name: String, in folder: Int32) -> Creation {
        readRegularFile(in: folder, name, expectedCount: bytes.count) == bytes ? .identical : .occupied
    }

    /// Runs `body` with the open parent folder of `relativePath` (created when
    /// missing) and the file's name.
    private func withParent<Result>(
        of relativePath: String, _ body: (_ parent: Int32, _ name: String) throws -> Result
    ) throws -> Result {
        let (folder, name) = try Self.split(relativePath)
        func attempt() throws -> Result {
            guard let parent = try openParent(folder, of: relativePath, create: true) else {
                throw PublishingError.fileSystem("create the folder of", relativePath, code: ENOENT)
            }
            defer { parent.close() }
            return try body(parent.descriptor, name)
        }
        do {
            return try attempt()
        } catch let error as PublishingError where error.errorNumber == ENOENT && !folder.isEmpty {
            // A folder opened earlier in this run was removed since (creating a file in
            // a removed folder fails): check, and make, it again.
            checkedFolders.forget(folder)
            return try attempt()
        }
    }

    /// Writes `bytes` to a temporary file and renames it over `name`.
    private func replace(_ name: String, in parent: Int32, with bytes: [UInt8], relativePath: String, durably: Bool)
        throws
    {
        let temp = try writeTemporary(bytes, in: parent, name: name, relativePath: relativePath, durably: durably)
        guard renameat(parent, temp, parent, name) == 0 else {
            let code = errno
            unlinkat(parent, temp, 0)
            throw PublishingError.fileSystem("replace", relativePath, code: code)
        }
        if durably { _ = fsync(parent) }
    }

    private enum UnnamedCreation {
        case created, exists, unsupported
    }

    /// Writes `bytes` to an unnamed file in `folder` (`O_TMPFILE`) and links it in as
    /// `name` unless something is there.
    ///
    /// Cheaper than a temporary name and a rename (one name operation instead of
    /// three), and a process killed while writing leaves nothing behind: the unnamed
    /// file disappears with its descriptor. `.unsupported` when the system or the file
    /// system has no unnamed files (then the caller writes a temporary file).
    private static func createUnnamed(
        _ bytes: [UInt8], at name: String, in folder: Int32, _ relativePath: String, durably: Bool
    ) throws -> UnnamedCreation {
        #if os(Linux)
            let fd = openat(folder, ".", TIDINGS_O_TMPFILE | O_WRONLY | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return .unsupported }
            defer { close(fd) }
            var failure = writeAll(bytes, to: fd)
            if failure == 0 && durably && fsync(fd) != 0 { failure = errno }
            guard failure == 0 else { throw PublishingError.fileSystem("write", relativePath, code: failure) }
            if linkat(fd, "", folder, name, TIDINGS_AT_EMPTY_PATH) == 0 { return .created }
            var code = errno
            if code == ENOENT || code == EPERM {
                // Linking a descriptor needs CAP_DAC_READ_SEARCH before Linux 6.10; its
                // /proc name does not.
                if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", folder, name, AT_SYMLINK_FOLLOW) == 0 { return .created }
                code = errno
            }
            if code == EEXIST { return .exists }
            if code == ENOENT || code == EPERM || code == EOPNOTSUPP { return .unsupported }
            throw PublishingError.fileSystem("create", relativePath, code: code)
        #else
            return .unsupported
        #endif
    }

    /// Writes all of `bytes` to `fd`; 0, or the `errno` of the write that failed.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    /// Renames `temp` to `name` in `folder` unless something is at `name`; false when
    /// something is, or when the system cannot tell (no `renameat2` here).
    private static func renameWithoutReplacing(_ temp: String, to name: String, in folder: Int32) -> Bool {
        #if os(Linux)
            return renameat2(folder, temp, folder, name, TIDINGS_RENAME_NOREPLACE) == 0
        #else
            return false
        #endif
    }

    /// Flushes everything written to the output folder's file system to disk.
    public func synchronize() throws {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw PublishingError.fileSystem("open", root, code: errno) }
        defer { close(fd) }
        #if os(Linux)
            let flushed = syncfs(fd) == 0
        #else
            let flushed = fsync(fd) == 0
        #endif
        guard flushed else { throw PublishingError.fileSystem("flush", root, code: errno) }
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
            let name = Self.entryName(entry)
            guard name.hasPrefix(prefix) else { continue }
            let pid = name.dropFirst(prefix.count).prefix { $0 != "-" }
            if let pid = pid_t(pid), pid != getpid(), kill(pid, 0) == 0 || errno != ESRCH { continue }
            stale.append(name)
        }
        for name in stale { unlink(parent + "/" + name) }
        return stale.count
    }

    /// The name of a directory entry from `readdir`, read where it lies. The kernel's
    /// record is only as long as its name, so copying `d_name` (256 bytes) out of it —
    /// as `entry.pointee.d_name` does — reads past the record, and faulted when the
    /// record ended a mapped page: a re-run after a SIGKILL crashed that way, rarely,
    /// while removing a dead run's temporary files.
    static func entryName(_ entry: UnsafePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
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
        guard let (folder, name) = try? Self.split(relativePath),
            let parent = try? openParent(folder, of: relativePath, create: false)
        else { return false }
        defer { parent.close() }
        var info = stat()
        return fstatat(parent.descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Whether a file this folder did not write may be at `relativePath`: what
    /// ``exists(_:)`` says, except in a folder this instance created, where nothing but
    /// its own writes can be (it was empty when made) and no look is needed. A sync's
    /// first run writes every entry into folders it creates: one `fstatat` less per file
    /// (1.4% of its CPU). A file of someone else's that appears after the look (or,
    /// here, instead of it) is still never replaced: ``create(_:at:durably:)`` refuses
    /// to overwrite.
    public func mayHoldOthersFile(_ relativePath: String) -> Bool {
        if let (folder, _) = try? Self.split(relativePath), checkedFolders.wasCreated(folder) { return false }
        return exists(relativePath)
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

    /// A safe relative path split at its last `/`: the folder (`""` for the top) and the
    /// name. Safe: not empty, not absolute, no NUL, no empty, `.` or `..` segment. Checked
    /// in one pass over the bytes, without an array or a string per segment: a sync
    /// splits two paths per entry it writes.
    static func split(_ relativePath: String) throws -> (folder: String, name: String) {
        guard !relativePath.isEmpty else { throw PublishingError.unsafePath(relativePath, "the path is empty") }
        // One pass over the contiguous bytes: walking the String's UTF-8 view by index,
        // and its generic `contains`, were 0.4% of a first sync (two calls per file).
        var path = relativePath
        let lastSlash: Int? = try path.withUTF8 { bytes in
            guard bytes[0] != UInt8(ascii: "/") else {
                throw PublishingError.unsafePath(relativePath, "the path is absolute")
            }
            guard memchr(bytes.baseAddress!, 0, bytes.count) == nil else {
                throw PublishingError.unsafePath(relativePath, "the path contains a NUL character")
            }
            var start = 0
            var lastSlash: Int?
            var index = 0
            while true {
                let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "/")
                if byte == UInt8(ascii: "/") {
                    let length = index - start
                    guard length > 0 else {
                        throw PublishingError.unsafePath(relativePath, "the path has an empty segment")
                    }
                    if length <= 2 && bytes[start] == UInt8(ascii: ".")
                        && (length == 1 || bytes[start + 1] == UInt8(ascii: "."))
                    {
                        let segment = String(
                            decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                        throw PublishingError.unsafePath(relativePath, "the path has a \"\(segment)\" segment")
                    }
                    guard index < bytes.count else { break }
                    lastSlash = index
                    start = index + 1
                }
                index += 1
            }
            return lastSlash
        }
        guard let lastSlash else { return ("", relativePath) }
        return path.withUTF8 { bytes in
            (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<lastSlash]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[(lastSlash + 1)...]), as: UTF8.self)
            )
        }
    }

    /// The segments of a safe relative path (checked by ``split(_:)``).
    static func segments(of relativePath: String) throws -> [String] {
        let (folder, name) = try split(relativePath)
        return folder.split(separator: "/").map(String.init) + [name]
    }

    /// The real folder holding the path's last segment, walking (and, with `create`,
    /// making) each folder and checking that no symbolic link leads outside `root`.
    /// `nil` when a folder is missing and `create` is false.
    /// The folder holding the path's last segment, open: checked by ``resolveParent``
    /// once, then kept open for the rest of the run (up to a bound), so writing thousands
    /// of files into a few folders walks each folder once. Writes through the descriptor
    /// land in the folder that was checked, even if its path is swapped for a symbolic
    /// link afterwards. `nil` when a folder is missing and `create` is false.
    private func openParent(_ folder: String, of relativePath: String, create: Bool) throws -> OpenFolder? {
        if let known = checkedFolders.descriptor(of: folder) { return OpenFolder(descriptor: known, owned: false) }
        let names = try Self.segments(of: relativePath)
        var made = false
        guard let resolved = try resolveParent(names, of: relativePath, create: create, made: &made) else {
            return nil
        }
        if made { checkedFolders.noteCreated(folder) }
        let descriptor = open(resolved, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT && !create { return nil }
            throw PublishingError.fileSystem("open the folder of", relativePath, code: errno)
        }
        if let kept = checkedFolders.keep(descriptor, for: folder) { return OpenFolder(descriptor: kept, owned: false) }
        return OpenFolder(descriptor: descriptor, owned: true)
    }

    private func resolveParent(_ names: [String], of relativePath: String, create: Bool) throws -> String? {
        var made = false
        return try resolveParent(names, of: relativePath, create: create, made: &made)
    }

    /// The real path of the folder holding `names`' last; `made` tells whether this
    /// call created that folder (it was empty then).
    private func resolveParent(_ names: [String], of relativePath: String, create: Bool, made: inout Bool) throws
        -> String?
    {
        var current = root
        made = false
        for name in names.dropLast() {
            let next = current + "/" + name
            var info = stat()
            made = false
            if lstat(next, &info) != 0 {
                guard errno == ENOENT else {
                    throw PublishingError.fileSystem("inspect", relativePath, code: errno)
                }
                guard create else { return nil }
                if mkdir(next, 0o755) == 0 {
                    made = true
                } else if errno != EEXIST {
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

    /// Writes `bytes` to a new temporary file next to `name` in the folder open as `folder`
    /// (flushed to disk when `durably`); returns its name.
    private func writeTemporary(
        _ bytes: [UInt8], in folder: Int32, name: String, relativePath: String, durably: Bool
    ) throws -> String {
        // Keep the temporary name within the 255-byte file name limit.
        var stem = Array(name.utf8.prefix(200))
        while let last = stem.last, last & 0xC0 == 0x80 { stem.removeLast() }
        if let last = stem.last, last >= 0xC0 { stem.removeLast() }
        let prefix = "." + String(decoding: stem, as: UTF8.self) + ".tmp-"
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            temp = prefix + TemporaryName.next()
            fd = openat(folder, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw PublishingError.fileSystem("create a temporary file for", relativePath, code: errno)
        }
        var failure = Self.writeAll(bytes, to: fd)
        if failure == 0 && durably && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlinkat(folder, temp, 0)
            throw PublishingError.fileSystem("write", relativePath, code: failure)
        }
        return temp
    }

    /// The bytes of a regular file, not following a symbolic link; `nil` when the file is
    /// missing, not regular, or (when `expectedCount` is given) of another size.
    private static func readRegularFile(_ path: String, expectedCount: Int?) -> [UInt8]? {
        readRegularFile(in: AT_FDCWD, path, expectedCount: expectedCount)
    }

    /// ``readRegularFile(_:expectedCount:)`` for `name` in the folder open as `folder`.
    private static func readRegularFile(in folder: Int32, _ name: String, expectedCount: Int?) -> [UInt8]? {
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
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
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
    private let systemRead = Glibc.read
    private let systemClose = Glibc.close
#elseif canImport(Musl)
    private let systemWrite = Musl.write
    private let systemRead = Musl.read
    private let systemClose = Musl.close
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
    private let systemRead = Darwin.read
    private let systemClose = Darwin.close
#endif

/// A folder open for writing: kept by `CheckedFolders`, or the caller's to close.
private struct OpenFolder {
    let descriptor: Int32
    let owned: Bool

    func close() {
        if owned { _ = systemClose(descriptor) }
    }
}

/// The folders an `OutputFolder` has checked, open, shared by its copies and safe across
/// threads. Descriptors are closed only when the last copy goes, so one in use is never
/// closed under a writer; past `limit` folders, callers open and close their own.
private final class CheckedFolders: Sendable {
    private static let limit = 256

    private struct State {
        /// Relative folder path → open descriptor.
        var open: [String: Int32] = [:]
        /// Descriptors of folders found removed, closed with the rest at the end.
        var retired: [Int32] = []
        /// Relative paths of the folders this instance created.
        var created: Set<String> = []
    }

    private let state = Mutex(State())

    func descriptor(of folder: String) -> Int32? {
        state.withLock { $0.open[folder] }
    }

    /// Keeps `descriptor` for `folder` and returns the one to use (another thread may have
    /// kept one first; `descriptor` is then closed); nil when the cache is full.
    func keep(_ descriptor: Int32, for folder: String) -> Int32? {
        let (kept, surplus) = state.withLock { state -> (Int32?, Int32?) in
            if let existing = state.open[folder] { return (existing, descriptor) }
            guard state.open.count < Self.limit else { return (nil, nil) }
            state.open[folder] = descriptor
            return (descriptor, nil)
        }
        if let surplus { _ = systemClose(surplus) }
        return kept
    }

    /// Drops a folder found removed; its descriptor stays open (a writer may still hold
    /// it) until the cache goes.
    func forget(_ folder: String) {
        state.withLock { state in
            if let descriptor = state.open.removeValue(forKey: folder) { state.retired.append(descriptor) }
            state.created.remove(folder)
        }
    }

    /// Records that this instance created `folder` (and found it empty).
    func noteCreated(_ folder: String) {
        state.withLock { state in
            if state.created.count < CheckedFolders.limit { state.created.insert(folder) }
        }
    }

    /// Whether this instance created `folder`.
    func wasCreated(_ folder: String) -> Bool {
        state.withLock { $0.created.contains(folder) }
    }

    deinit {
        state.withLock { state in
            for descriptor in state.open.values { _ = systemClose(descriptor) }
            for descriptor in state.retired { _ = systemClose(descriptor) }
        }
    }
}

/// Unique temporary-file suffixes: `<pid>-<counter>-<random>`, with the process id and a
/// random part read once per process instead of one `getpid` and `getrandom` per file.
private enum TemporaryName {
    private static let prefix = "\(getpid())-"
    private static let salt = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + String(n, radix: 36) + "-" + salt
    }
}
