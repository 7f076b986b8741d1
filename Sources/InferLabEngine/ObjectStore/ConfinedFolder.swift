#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A folder held open by its descriptor, inside which names are resolved one component at a
/// time with `openat(…, O_NOFOLLOW)`: a symbolic link is never followed, so nothing reached
/// through a `ConfinedFolder` can be outside it, even when a link is swapped in mid-operation.
///
/// Written by hand on the system calls because neither Foundation nor any package here resolves
/// paths beneath a folder: a `realpath` check before opening races with a link planted between
/// the check and the open. (Linux's `openat2` with `RESOLVE_BENEATH` would do it in one call, but
/// only on Linux 5.6 and later; component by component works on every system.)
final class ConfinedFolder {
    let descriptor: Int32
    /// For messages only: the folder's path when it was opened.
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Opens the folder at `path`, following links in all but its last component (the workspace
    /// itself may live behind a link; what is in it may not). Creates it when `create` is set.
    static func open(_ path: String, create: Bool) throws -> ConfinedFolder {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var descriptor = Glibc.open(path, flags)
        if descriptor < 0, errno == ENOENT, create {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            descriptor = Glibc.open(path, flags)
        }
        guard descriptor >= 0 else {
            let code = errno
            var info = Glibc.stat()
            let isLink = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
            throw ConfinementError(path: path, problem: isLink ? .link : code == ENOTDIR ? .notFolder : .system(code))
        }
        return ConfinedFolder(descriptor: descriptor, path: path)
    }

    /// One component, never `.`, `..`, empty or with a `/`: `openat` takes `..` to the parent
    /// (O_NOFOLLOW stops links, not that), so such a name is never looked up.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.utf8.contains(UInt8(ascii: "/")) && !name.utf8.contains(0)
    }

    /// What a name in this folder is (a link is a link, not what it points to); nil when absent.
    func stat(of name: String) -> FileStat? {
        guard Self.isPlainName(name) else { return nil }
        var info = Glibc.stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStat(info)
    }

    /// The sub-folder `name`; nil when it is absent (and `create` is off). Throws when the name is
    /// a link or a file.
    func folder(_ name: String, create: Bool) throws -> ConfinedFolder? {
        guard Self.isPlainName(name) else { return nil }
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var child = openat(descriptor, name, flags)
        if child < 0, errno == ENOENT, create {
            if mkdirat(descriptor, name, 0o755) != 0, errno != EEXIST { throw error(for: name) }
            child = openat(descriptor, name, flags)
        }
        if child < 0 {
            if errno == ENOENT { return nil }
            throw error(for: name)
        }
        return ConfinedFolder(descriptor: child, path: path + "/" + name)
    }

    /// The folder reached by `components`, each resolved without following links.
    func folder<S: Sequence>(at components: S, create: Bool) throws -> ConfinedFolder? where S.Element: StringProtocol {
        var current = self
        for component in components {
            guard let next = try current.folder(String(component), create: create) else { return nil }
            current = next
        }
        return current
    }

    /// Opens the regular file `name` for reading; nil when absent or not a regular file (a link,
    /// a folder, a FIFO: none is an object). Opened non-blocking so a planted FIFO cannot hang a
    /// reader; for a regular file that flag changes nothing.
    func openFileForReading(_ name: String) throws -> (descriptor: Int32, stat: FileStat)? {
        guard Self.isPlainName(name) else { return nil }
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if file < 0 {
            if errno == ENOENT || errno == ELOOP || errno == ENOTDIR || errno == ENXIO { return nil }
            throw error(for: name)
        }
        guard let stat = FileStat(descriptor: file), stat.isRegularFile else {
            close(file)
            return nil
        }
        return (file, stat)
    }

    /// Opens `name` with `flags` (say `O_WRONLY | O_CREAT | O_EXCL`), never through a link;
    /// a new file gets mode 0644. Returns the descriptor, or -1 with `errno` set.
    func openFile(_ name: String, flags: Int32) -> Int32 {
        guard Self.isPlainName(name) else {
            errno = EINVAL
            return -1
        }
        return openat(descriptor, name, flags | O_NOFOLLOW | O_CLOEXEC, 0o644)
    }

    /// The whole regular file `name`, if it is one and at most `limit` bytes.
    func readFile(_ name: String, limit: Int) -> Data? {
        guard let (file, stat) = try? openFileForReading(name) else { return nil }
        defer { close(file) }
        guard stat.size <= Int64(limit) else { return nil }
        var data = Data(count: Int(stat.size))
        let count = data.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, 0) }
        return count == data.count ? data : nil
    }

    /// Renames `name` into `folder` as `newName`, replacing a file (or a link: the link itself,
    /// never what it points to) of that name.
    func move(_ name: String, to folder: ConfinedFolder, as newName: String) throws {
        guard Self.isPlainName(name), Self.isPlainName(newName) else { throw ConfinementError(path: folder.path + "/" + newName, errno: EINVAL) }
        guard renameat(descriptor, name, folder.descriptor, newName) == 0 else { throw folder.error(for: newName) }
    }

    /// Removes the file or link `name` (a link itself, never what it points to).
    @discardableResult
    func removeFile(_ name: String) -> Bool { Self.isPlainName(name) && unlinkat(descriptor, name, 0) == 0 }

    /// Removes the folder `name` if it is empty; false otherwise.
    @discardableResult
    func removeEmptyFolder(_ name: String) -> Bool { Self.isPlainName(name) && unlinkat(descriptor, name, AT_REMOVEDIR) == 0 }

    /// Removes `name` and, if it is a real folder, everything in it; links are removed, never
    /// followed.
    func removeTree(_ name: String) {
        guard let stat = stat(of: name) else { return }
        guard stat.isDirectory else {
            removeFile(name)
            return
        }
        if let child = try? folder(name, create: false) {
            for entry in child.entries() { child.removeTree(entry.name) }
        }
        removeEmptyFolder(name)
    }

    /// The names in this folder (without `.` and `..`) and what each is, links not followed.
    func entries() -> [(name: String, stat: FileStat)] {
        let copy = dup(descriptor)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.compactMap { name in stat(of: name).map { (name, $0) } }
    }

    /// The error for a call on `name` that just failed: a link or a file where a folder was due
    /// are told apart from other failures, whatever `errno` the system chose for them.
    func error(for name: String) -> ConfinementError {
        let code = errno
        let problem: ConfinementError.Problem
        if let stat = stat(of: name) {
            problem = stat.isSymbolicLink ? .link : !stat.isDirectory && code == ENOTDIR ? .notFolder : .system(code)
        } else {
            problem = code == ELOOP ? .link : .system(code)
        }
        return ConfinementError(path: path + "/" + name, problem: problem)
    }
}

/// A path the store could not use: a link where a folder or file was expected, a file where a
/// folder was, or a system error.
struct ConfinementError: Error, CustomStringConvertible {
    enum Problem: Equatable {
        case link
        case notFolder
        case system(Int32)
    }

    let path: String
    let problem: Problem

    init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, problem: code == ELOOP ? .link : code == ENOTDIR ? .notFolder : .system(code))
    }

    var description: String {
        switch problem {
        case .link: "\(path) is a symbolic link, which InferLab does not follow"
        case .notFolder: "\(path) is not a folder"
        case .system(let code): "\(path): \(String(cString: strerror(code)))"
        }
    }
}
