import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a bundle's files, a zip or a folder it was unpacked into, within `BundleLimits`.
///
/// Hostile input is expected: entries are inflated in chunks (`ZipScanner`) with a running count and abandoned
/// at a limit; duplicate names and links (zip symlink entries, or links in a folder) are refused,
/// never followed. Every refusal is a `VerifyError` that says what was wrong and where.
struct BundleReader {
    let limits: BundleLimits

    struct LimitHit: Error { let reason: String }

    func read(_ url: URL) throws -> [String: Data] {
        // The path the instructor typed may be a link; links inside a bundle folder are refused.
        var status = stat()
        guard stat(url.path, &status) == 0 else { throw VerifyError("\(url.path) does not exist (or cannot be read)") }
        return status.st_mode & S_IFMT == S_IFDIR ? try readFolder(url) : try readZip(url)
    }

    // MARK: Zip

    private func readZip(_ url: URL) throws -> [String: Data] {
        let zip = try ZipScanner(url: url)
        defer { zip.close() }
        let entries: [ZipScanner.Entry]
        do { entries = try zip.entries(limit: limits.entries) } catch let stop as LimitHit {
            throw VerifyError(stop.reason)
        } catch {
            throw VerifyError("\(Display.text(url.lastPathComponent)) is not a zip bundle: \(error); ask the student for the file `lab submit` wrote")
        }
        var files: [String: Data] = [:]
        var total: Int64 = 0
        for entry in entries {
            let path = try checkedPath(entry.path)
            if entry.isSymlink { throw VerifyError("entry \(path) is a symbolic link; bundles hold plain files only") }
            if entry.isDirectory { continue }
            guard files[path] == nil else { throw VerifyError("entry \(path) appears twice; a bundle made by `lab submit` has each file once") }
            var data = Data()
            do {
                try zip.extract(entry) { chunk in
                    let size = Int64(data.count) + Int64(chunk.count)
                    try check(size: size, total: total + size, compressed: entry.compressedSize, path: path)
                    data.append(contentsOf: chunk)
                }
            } catch let stop as LimitHit {
                throw VerifyError(stop.reason)
            } catch {
                throw VerifyError("\(error)")
            }
            total += Int64(data.count)
            files[path] = data
        }
        return files
    }

    private func check(size: Int64, total: Int64, compressed: Int64, path: String) throws {
        if size > limits.entryBytes {
            throw LimitHit(reason: "entry \(path) inflates to more than \(Self.mebibytes(limits.entryBytes)) (the limit for one file); not read further")
        }
        if total > limits.bundleBytes {
            throw LimitHit(reason: "the bundle inflates to more than \(Self.mebibytes(limits.bundleBytes)) (the limit for a bundle), at entry \(path); not read further")
        }
        let (allowed, overflow) = limits.compressionRatio.multipliedReportingOverflow(by: max(compressed, 1))
        if size > limits.ratioFloor, !overflow, size > allowed {
            throw LimitHit(reason: "entry \(path) inflates more than \(limits.compressionRatio) times its compressed size: a zip bomb, not a bundle; not read further")
        }
    }

    private func checkedPath(_ raw: String) throws -> String {
        let path = Display.text(raw, limit: limits.pathCharacters)
        guard raw.count <= limits.pathCharacters else { throw VerifyError("entry \(path) has a path longer than \(limits.pathCharacters) characters") }
        guard !raw.hasPrefix("/"), !raw.split(separator: "/").contains(".."), !raw.contains("\\"), Display.isPlain(raw) else {
            throw VerifyError("entry \(path) has a path a bundle never holds (absolute, with .., a backslash or control characters)")
        }
        return raw
    }

    // MARK: Folder

    /// Walks the folder with `lstat`, never following a link, and opens files with `O_NOFOLLOW`.
    private func readFolder(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        var total: Int64 = 0
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root.path : root.path + "/" + relative
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            for name in names {
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = root.path + "/" + path
                _ = try checkedPath(path)
                var status = stat()
                guard lstat(full, &status) == 0 else { throw VerifyError("\(path) in the bundle folder cannot be read") }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: pending.append(path)
                case S_IFREG:
                    guard files.count < limits.entries else { throw VerifyError("the bundle folder has more than \(limits.entries) files; a real bundle has fewer than 50") }
                    let data = try readFile(full, path: path, total: total)
                    total += Int64(data.count)
                    files[path] = data
                case S_IFLNK: throw VerifyError("\(path) in the bundle folder is a symbolic link; verify does not follow links (unpack the zip again)")
                default: throw VerifyError("\(path) in the bundle folder is not a plain file")
                }
            }
        }
        return files
    }

    private func readFile(_ full: String, path: String, total: Int64) throws -> Data {
        let descriptor = open(full, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { throw VerifyError("\(path) in the bundle folder cannot be opened (a link, or not readable)") }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw VerifyError("\(path) in the bundle folder cannot be read") }
            if count == 0 { return data }
            let size = Int64(data.count + count)
            do { try check(size: size, total: total + size, compressed: .max, path: path) } catch let stop as LimitHit { throw VerifyError(stop.reason) }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    static func mebibytes(_ bytes: Int64) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes" }
}

/// Untrusted text made safe to print: control characters shown as `?`, long text cut.
enum Display {
    static func text(_ raw: String, limit: Int = 100) -> String {
        let plain = String(raw.unicodeScalars.prefix(limit + 1).map { isPlainScalar($0) ? Character($0) : "?" })
        return plain.count > limit ? String(plain.prefix(limit)) + "…" : plain
    }

    static func isPlain(_ raw: String) -> Bool { raw.unicodeScalars.allSatisfy(isPlainScalar) }

    private static func isPlainScalar(_ scalar: Unicode.Scalar) -> Bool {
        !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
          || scalar == "\u{2028}" || scalar == "\u{2029}")
    }
}
