#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InferLabEngine

/// One side of a transfer: a path on this computer or an S3 location.
enum TransferEndpoint: Sendable, Equatable {
    /// `typed` is the path as the learner wrote it, for messages; `url` is where it leads (LocalPaths).
    case local(typed: String, url: URL)
    case s3(S3Location)

    init(_ text: String, paths: LocalPaths, access: LocalPaths.Access) {
        self = S3Location(text).map(TransferEndpoint.s3) ?? .local(typed: text, url: paths.url(text, for: access))
    }

    var display: String {
        switch self {
        case .local(let typed, _): typed
        case .s3(let location): location.description
        }
    }

    var isS3: Bool { if case .s3 = self { true } else { false } }

    /// The endpoint for a file below this one (`dir` + `a/b.csv`).
    func appending(_ relative: String) -> TransferEndpoint {
        switch self {
        case .local(let typed, let url):
            return .local(typed: typed.isEmpty || typed.hasSuffix("/") ? typed + relative : typed + "/" + relative,
                          url: url.appendingPathComponent(relative))
        case .s3(let location):
            return .s3(location.appending(relative))
        }
    }

    var localURL: URL? {
        if case .local(_, let url) = self { url } else { nil }
    }
}

/// A file or object found under a transfer's source, with what a sync compares.
struct SourceEntry: Sendable {
    var relativePath: String
    var size: Int64
    var modified: Date
}

/// Moves bytes between the computer and S3, streaming, atomically on both sides: listings and
/// downloads through the S3 entries, uploads and copies through the engine's transfer manager.
struct Transferer: Sendable {
    let engine: Engine

    /// Every file or object under a folder or prefix, relative to it, in key order.
    func entries(under root: TransferEndpoint) throws -> [SourceEntry] {
        switch root {
        case .s3(let location):
            let prefix = location.key.isEmpty || location.key.hasSuffix("/") ? location.key : location.key + "/"
            var request = ListObjectsV2Input(bucket: location.bucket, prefix: prefix)
            var found: [SourceEntry] = []
            repeat {
                let page = try S3Operations.ListObjectsV2.run(request, on: engine)
                found += page.contents.map {
                    SourceEntry(relativePath: String($0.key.dropFirst(prefix.count)), size: $0.size, modified: $0.lastModified)
                }
                request.continuationToken = page.isTruncated ? page.nextContinuationToken : nil
            } while request.continuationToken != nil
            return found
        case .local:
            guard let url = root.localURL, let walker = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey])
            else { return [] }
            let base = url.standardizedFileURL.path.hasSuffix("/") ? url.standardizedFileURL.path : url.standardizedFileURL.path + "/"
            var found: [SourceEntry] = []
            for case let file as URL in walker {
                let values = try? file.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey])
                guard values?.isRegularFile == true else { continue }
                let path = file.standardizedFileURL.path
                guard path.hasPrefix(base) else { continue }
                found.append(SourceEntry(relativePath: String(path.dropFirst(base.count)), size: Int64(values?.fileSize ?? 0),
                                         modified: values?.contentModificationDate ?? Date()))
            }
            return found.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        }
    }

    /// Copies one file or object. Checks for Ctrl-C between chunks; a cancelled copy leaves
    /// nothing behind at the destination.
    func copy(from source: TransferEndpoint, to destination: TransferEndpoint, contentType: String?,
              progress: (Int64) -> Void = { _ in }) throws {
        switch (source, destination) {
        case (.local, .s3(let target)):
            let input = try openLocal(source)
            defer { try? input.close() }
            // The aws CLI uploads a file of 8 MiB or more in 8 MiB parts, which gives S3's multipart
            // ETag: so does `aws s3 cp` here.
            try engine.transfers.upload(to: target, contentType: contentType) { sink in
                try pump(read: { try input.read(upToCount: 1 << 20) ?? Data() }, write: { try sink.write($0) }, progress: progress)
            }
        case (.s3(let origin), .s3(let target)):
            try engine.transfers.copy(from: origin, to: target, contentType: contentType) { size in
                try Task.checkCancellation()
                progress(size)
            }
        case (.s3(let origin), .local):
            let reader = try S3Operations.GetObject.run(GetObjectInput(bucket: origin.bucket, key: origin.key), on: engine).body
            defer { reader.close() }
            try writeLocalAtomically(destination) { output in
                try pump(read: { try reader.read(upTo: 1 << 20) }, write: { try output.write(contentsOf: $0) }, progress: progress)
            }
        case (.local, .local):
            throw ShellError("copying between two local paths is not an S3 transfer; one side must be an s3:// URI",
                             exitCode: ExitCode.usage)
        }
    }

    private func pump(read: () throws -> Data, write: (Data) throws -> Void, progress: (Int64) -> Void) throws {
        while true {
            try Task.checkCancellation()
            let chunk = try read()
            if chunk.isEmpty { return }
            try write(chunk)
            progress(Int64(chunk.count))
        }
    }

    private func openLocal(_ endpoint: TransferEndpoint) throws -> FileHandle {
        guard let url = endpoint.localURL, let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CLIFailure("The user-provided path \(endpoint.display) does not exist.", exitCode: ExitCode.generalError)
        }
        return handle
    }

    /// Downloads go to a hidden temporary file beside the destination, renamed when complete.
    private func writeLocalAtomically(_ endpoint: TransferEndpoint, body: (FileHandle) throws -> Void) throws {
        guard let url = endpoint.localURL else { return }
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).inferlab-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let output = FileHandle(forWritingAtPath: temporary.path) else {
            throw CLIFailure("cannot write \(endpoint.display): permission denied or not a folder", exitCode: ExitCode.failure)
        }
        do {
            try body(output)
            try output.synchronize()
            try output.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw CLIFailure("cannot write \(endpoint.display): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
