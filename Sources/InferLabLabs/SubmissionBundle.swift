import Crypto
import Foundation
import InferLabEngine
import ZIPFoundation

/// A learner's submission: progress, hints and skips, the command log, and the artefacts the
/// checks look at (object listings and the objects checks read, job, model and endpoint
/// descriptions), with SHA-256 hashes in a manifest. An instructor's `verify` recomputes every
/// check from these artefacts and the kit's own reference models; recorded results are never trusted.
public enum SubmissionBundle {
    public static let format = 1

    public struct Manifest: Codable, Sendable, Equatable {
        public var format: Int
        public var labId: String
        public var labVersion: Int
        public var student: String
        public var createdAt: Date
        /// SHA-256 (hex) of every other file in the bundle, by path.
        public var sha256: [String: String]
    }

    /// Writes the bundle as a zip file.
    public static func write(lab: LabDefinition, progress: LabProgress, engine: Engine, student: String, to url: URL) throws {
        var files: [String: Data] = [:]
        files["progress.json"] = try LabProgress.encoder.encode(progress)
        let state = LiveLabState(engine: engine)
        let events = try engine.catalog.recentEvents(limit: 1_000_000).filter { $0.kind == "command" }
        files["events.jsonl"] = Data(events.map { event in
            JSONValue.object([("time", .double(event.time.timeIntervalSince1970)), ("command", .string(event.subject)),
                              ("result", .string(event.detail))]).compact + "\n"
        }.joined().utf8)
        var listing: [(String, JSONValue)] = []
        for bucket in try engine.store.listBuckets() {
            let keys = try engine.store.listAllObjects(bucket: bucket.name).map { object in
                JSONValue.object([("Key", .string(object.key)), ("Size", .int(object.size)), ("ETag", .string(object.etag))])
            }
            listing.append((bucket.name, .array(keys)))
        }
        files["state/buckets.json"] = Data(JSONValue.object(listing).rendered().utf8)
        var models: [(String, JSONValue)] = []
        for check in lab.allChecks {
            switch check.kind {
            case .objectLines(let uri, _):
                try addObject(uri, engine: engine, to: &files)
            case .predictionsMatch(let model, let input, let output, _, _, _):
                try addObject(input, engine: engine, to: &files)
                try addObject(output, engine: engine, to: &files)
                if let image = state.modelImage(model) { models.append((model, .string(image))) }
            case .modelExists(let name, _):
                if let image = state.modelImage(name) { models.append((name, .string(image))) }
            case .transformJob(let name, _, _):
                if let job = state.transformJob(name) { files["state/transform-jobs/\(name).json"] = Data(job.rendered().utf8) }
            case .endpoint(let name, _, _):
                if let endpoint = state.endpoint(name) { files["state/endpoints/\(name).json"] = Data(endpoint.rendered().utf8) }
            case .asyncResults(let endpoint, _, _):
                if let stats = state.queueStatistics(endpoint: endpoint) {
                    files["state/queues/\(endpoint).json"] = Data(JSONValue.object([
                        ("succeeded", .int(Int64(stats.succeeded))), ("failed", .int(Int64(stats.failed))),
                        ("queued", .int(Int64(stats.queued))), ("inflight", .int(Int64(stats.inflight))),
                    ]).rendered().utf8)
                }
            default:
                break
            }
        }
        files["state/models.json"] = Data(JSONValue.object(models).rendered().utf8)
        let manifest = Manifest(format: format, labId: lab.id, labVersion: lab.version, student: student, createdAt: Date(),
                                sha256: files.mapValues(sha256))
        files["manifest.json"] = try LabProgress.encoder.encode(manifest)
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    private static func addObject(_ uri: String, engine: Engine, to files: inout [String: Data]) throws {
        guard let location = S3Location(uri), let data = try? engine.store.readObject(bucket: location.bucket, key: location.key) else { return }
        files["state/objects/\(location.bucket)/\(location.key)"] = data
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// The files of a bundle: a zip, or a folder it was unpacked into.
    public static func read(_ url: URL) throws -> [String: Data] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw VerifyError("\(url.path) does not exist")
        }
        var files: [String: Data] = [:]
        if isDirectory.boolValue {
            let base = url.standardizedFileURL.path + "/"
            for case let file as URL in FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) ?? .init() {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                files[String(file.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: file)
            }
            return files
        }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw VerifyError("\(url.lastPathComponent) is not a zip bundle: \(error)") }
        for entry in archive where entry.type == .file {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = data
        }
        return files
    }
}

public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
