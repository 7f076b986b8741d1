import Crypto
import Foundation
import InferLabEngine
import ZIPFoundation

/// A learner's submission: progress, hints and skips, the command log, and the artefacts the
/// checks look at (object listings and the objects checks read, job, model and endpoint
/// descriptions), with SHA-256 hashes in a manifest. An instructor's `verify` recomputes every
/// check from these artefacts and the kit's own reference models; recorded results are never trusted.
public enum SubmissionBundle {
    /// 2 adds the workspace id, the progress journal in `events.jsonl` and the manifest's seal.
    public static let format = 2

    public struct Manifest: Codable, Sendable, Equatable {
        public var format: Int
        public var labId: String
        public var labVersion: Int
        public var student: String
        public var createdAt: Date
        /// SHA-256 (hex) of every other file in the bundle, by path.
        public var sha256: [String: String]
        /// The id of the lab workspace the bundle was made in (format 2).
        public var workspaceId: String?
        /// SHA-256 over every field above, so that the student's name is covered too (format 2).
        public var seal: String?

        public init(labId: String, labVersion: Int, student: String, createdAt: Date, sha256: [String: String], workspaceId: String) {
            format = SubmissionBundle.format
            self.labId = labId
            self.labVersion = labVersion
            self.student = student
            self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
            self.sha256 = sha256
            self.workspaceId = workspaceId
            seal = expectedSeal
        }

        /// What `seal` must be: the hash of the fields in a fixed text form.
        public var expectedSeal: String {
            var text = "inferlab-bundle\nformat \(format)\nlab \(labId)\nversion \(labVersion)\nstudent \(student)\n"
            text += "workspace \(workspaceId ?? "")\ncreated \(String(format: "%.0f", createdAt.timeIntervalSince1970))\n"
            for (path, hash) in sha256.sorted(by: { $0.key < $1.key }) { text += "file \(hash) \(path)\n" }
            return SubmissionBundle.sha256(Data(text.utf8))
        }
    }

    /// Writes the bundle as a zip file.
    public static func write(lab: LabDefinition, progress: LabProgress, engine: Engine, student: String, to url: URL) throws {
        let workspaceId = try WorkspaceIdentity.id(of: engine.workspace)
        var files: [String: Data] = [:]
        files["progress.json"] = try LabProgress.encoder.encode(progress)
        let state = LiveLabState(engine: engine)
        let events = try engine.catalog.recentEvents(limit: 1_000_000).filter { $0.kind == "command" || $0.kind == ProgressJournal.eventKind }
        files["events.jsonl"] = Data(events.map { event in
            let time = ("time", JSONValue.double(event.time.timeIntervalSince1970))
            if event.kind == ProgressJournal.eventKind {
                return JSONValue.object([time, ("lab", .string(event.subject)), ("progress", (try? JSONValue.parse(event.detail)) ?? .null)]).compact + "\n"
            }
            return JSONValue.object([time, ("command", .string(event.subject)), ("result", .string(event.detail))]).compact + "\n"
        }.joined().utf8)
        // The endpoint's successful calls, for `api_called` checks ("invoked with boto3").
        files["requests.txt"] = Data(state.successfulAPICalls().suffix(10_000).map { $0 + "\n" }.joined().utf8)
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
                if let images = state.modelImages(model) { models.append((model, Self.imagesValue(images))) }
            case .modelExists(let name, _, _):
                if let images = state.modelImages(name) { models.append((name, Self.imagesValue(images))) }
            case .transformJob(let name, _, _):
                if let job = state.transformJob(name) { files["state/transform-jobs/\(name).json"] = Data(job.rendered().utf8) }
            case .trainingJob(let name, _, _):
                if let job = state.trainingJob(name) { files["state/training-jobs/\(name).json"] = Data(job.rendered().utf8) }
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
        let manifest = Manifest(labId: lab.id, labVersion: lab.version, student: student, createdAt: Date(),
                                sha256: files.mapValues(sha256), workspaceId: workspaceId)
        try pack(files, manifest: manifest, to: url)
    }

    /// Writes files and their manifest as a bundle zip. The manifest's hashes and seal are taken
    /// as given: `write` makes them, and tests use this to forge bundles.
    public static func pack(_ files: [String: Data], manifest: Manifest, to url: URL) throws {
        var files = files
        files["manifest.json"] = try LabProgress.encoder.encode(manifest)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SubmitError("the folder \(folder.path) does not exist; create it first (mkdir -p), or choose another --output")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SubmitError("\(url.path) is a folder; give a file name for the bundle")
        }
        try? FileManager.default.removeItem(at: url)
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .create) } catch {
            throw SubmitError("cannot write \(url.path) (\(error.localizedDescription)); check that the folder is writable, or choose another --output")
        }
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// Reads a bundle's files within the limits; see `BundleReader`.
    public static func read(_ url: URL, limits: BundleLimits = .standard) throws -> [String: Data] {
        try BundleReader(limits: limits).read(url)
    }

    private static func addObject(_ uri: String, engine: Engine, to files: inout [String: Data]) throws {
        guard let location = S3Location(uri), let data = try? engine.store.readObject(bucket: location.bucket, key: location.key) else { return }
        files["state/objects/\(location.bucket)/\(location.key)"] = data
    }

    /// A model's entry in `state/models.json`: its image, or a pipeline's images as a list.
    private static func imagesValue(_ images: [String]) -> JSONValue {
        images.count == 1 ? .string(images[0]) : .array(images.map(JSONValue.string))
    }

    static func sha256(_ data: Data) -> String { Hex.string(SHA256.hash(data: data)) }
}

public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `lab submit` could not write the bundle: what and where, and what to do.
public struct SubmitError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
