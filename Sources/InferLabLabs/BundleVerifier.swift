import Foundation
import InferLabEngine

/// A submitted bundle's artefacts seen as a lab state. Predictions come from the kit's own
/// reference models (`datasets/models/<algorithm>/model.tar.gz`), never from the learner's files.
struct BundleLabState: LabState {
    let files: [String: Data]
    let referenceModels: URL
    var limits: BundleLimits = .standard

    /// Bundle JSON is parsed only when shallow: the parser recurses, and a bundle is untrusted.
    private func json(_ path: String) -> JSONValue? { files[path].flatMap { JSONDepth.isShallow($0) ? try? JSONValue.parse($0) : nil } }

    func bucketExists(_ name: String) -> Bool { json("state/buckets.json")?[name] != nil }

    func objectKeys(bucket: String, prefix: String) -> [String] {
        guard case .array(let objects)? = json("state/buckets.json")?[bucket] else { return [] }
        return objects.compactMap { object in
            if case .string(let key)? = object["Key"], key.hasPrefix(prefix) { return key }
            return nil
        }
    }

    func objectData(bucket: String, key: String) -> Data? { files["state/objects/\(bucket)/\(key)"] }

    /// `state/models.json` gives a model's image, or a pipeline's images as a list.
    func modelImages(_ name: String) -> [String]? {
        switch json("state/models.json")?[name] {
        case .string(let image)?: return [image]
        case .array(let images)?:
            let texts = images.compactMap { image -> String? in if case .string(let text) = image { return text }; return nil }
            return texts.count == images.count && !texts.isEmpty ? texts : nil
        default: return nil
        }
    }

    func transformJob(_ name: String) -> JSONValue? { json("state/transform-jobs/\(name).json") }
    func trainingJob(_ name: String) -> JSONValue? { json("state/training-jobs/\(name).json") }
    func endpoint(_ name: String) -> JSONValue? { json("state/endpoints/\(name).json") }

    func queueStatistics(endpoint: String) -> QueueStatistics? {
        guard let queue = json("state/queues/\(endpoint).json") else { return nil }
        func count(_ key: String) -> Int { if case .int(let n)? = queue[key] { return Int(n) }; return 0 }
        return QueueStatistics(queued: count("queued"), inflight: count("inflight"), succeeded: count("succeeded"), failed: count("failed"),
                               oldestWaiting: nil)
    }

    func successfulCommands() -> [String] {
        String(decoding: files["events.jsonl"] ?? Data(), as: UTF8.self).split(separator: "\n").compactMap { line in
            guard JSONDepth.isShallow(Data(line.utf8)), let event = try? JSONValue.parse(String(line)), event["result"] == .string("exit 0"),
                  case .string(let command)? = event["command"] else { return nil }
            return command
        }
    }

    /// The bundle's `requests.txt`: one successful endpoint call a line, as `service.Operation client`.
    func successfulAPICalls() -> [String] {
        String(decoding: files["requests.txt"] ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func predictions(model: String, csv: Data, contentType: String) throws -> [Double] {
        guard Int64(csv.count) <= limits.predictionInputBytes else {
            throw VerifyError("the input is \(csv.count) bytes; verify recomputes predictions for at most \(BundleReader.mebibytes(limits.predictionInputBytes)) (the labs' inputs are a few KiB)")
        }
        guard let images = modelImages(model), images.count == 1, let algorithm = BuiltinAlgorithm.forImage(images[0]) else {
            throw VerifyError("the bundle does not say which algorithm model \(model) runs")
        }
        let artifact = referenceModels.appendingPathComponent("\(algorithm.rawValue)/model.tar.gz")
        guard let archive = try? Data(contentsOf: artifact) else { throw VerifyError("the reference model \(artifact.path) is missing") }
        let body = try algorithm.container(archive: archive).invoke(body: csv, contentType: contentType, accept: "text/csv", mode: .batchTransform).body
        return String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap { Double($0) }
    }
}

/// An instructor's verdict on one bundle.
public struct Verdict: Sendable, Codable {
    public var bundle: String
    public var student: String
    public var labId: String
    public var points: Int
    public var maxPoints: Int
    public var hintsUsed: Int
    public var solvedSteps: Int
    public var skippedSteps: Int
    /// What looks wrong: edited files, claims the artefacts do not back, version mismatch, missing artefacts.
    public var flags: [String]
    public var checks: [CheckResult]
    /// The lab workspace the bundle was made in (format 2), for the roster's cross-checks.
    public var workspaceId: String?
    /// Hashes of the files that are one learner's own (progress, event log, job and endpoint
    /// descriptions, all with times in them), for the roster's cross-checks.
    public var ownFiles: [String: String] = [:]
}

/// Recomputes every check of a submitted bundle and flags tampering.
public struct BundleVerifier {
    public let labs: [LabDefinition]
    public let referenceModels: URL
    public let limits: BundleLimits

    public init(labs: [LabDefinition], referenceModels: URL, limits: BundleLimits = .standard) {
        self.labs = labs
        self.referenceModels = referenceModels
        self.limits = limits
    }

    /// Never throws and never trusts the bundle: whatever is wrong with it becomes a flag.
    public func verify(_ url: URL) -> Verdict {
        var verdict = Verdict(bundle: Display.text(url.lastPathComponent), student: "?", labId: "?", points: 0, maxPoints: 0, hintsUsed: 0,
                              solvedSteps: 0, skippedSteps: 0, flags: [], checks: [])
        var files: [String: Data]
        do { files = try SubmissionBundle.read(url, limits: limits) } catch {
            verdict.flags.append("\(error)")
            return verdict
        }
        guard let manifest: SubmissionBundle.Manifest = metadata("manifest.json", in: files, flags: &verdict.flags) else { return verdict }
        verdict.student = Display.text(manifest.student, limit: limits.nameCharacters)
        verdict.labId = Display.text(manifest.labId, limit: limits.nameCharacters)
        verdict.workspaceId = manifest.workspaceId.map { Display.text($0, limit: 40) }
        verdict.flags += manifestProblems(manifest)
        for (path, hash) in manifest.sha256.sorted(by: { $0.key < $1.key }) {
            guard let data = files[path] else { verdict.flags.append("missing artefact \(Display.text(path))"); continue }
            if SubmissionBundle.sha256(data) != hash { verdict.flags.append("\(Display.text(path)) was changed after the bundle was made") }
        }
        for path in files.keys.sorted() where path != "manifest.json" && manifest.sha256[path] == nil {
            verdict.flags.append("\(Display.text(path)) was added after the bundle was made")
        }
        verdict.ownFiles = manifest.sha256.filter { Self.isOwnFile($0.key) }
        if let log = files["events.jsonl"], Int64(log.count) > limits.logBytes {
            verdict.flags.append("events.jsonl is larger than \(BundleReader.mebibytes(limits.logBytes)) (about 20,000 commands): not read")
            files["events.jsonl"] = Data()
        }
        guard let lab = labs.first(where: { $0.id == manifest.labId }) else {
            verdict.flags.append("unknown lab \(verdict.labId): this kit's labs are \(labs.map(\.id).joined(separator: ", "))")
            return verdict
        }
        if manifest.labVersion != lab.version {
            verdict.flags.append("made for version \(manifest.labVersion) of \(lab.id); this kit has version \(lab.version)")
        }
        guard let progress: LabProgress = metadata("progress.json", in: files, flags: &verdict.flags) else { return verdict }
        if progress.labId != manifest.labId || progress.labVersion != manifest.labVersion {
            verdict.flags.append("progress.json is for \(Display.text(progress.labId)) v\(progress.labVersion), the manifest says \(verdict.labId) v\(manifest.labVersion)")
        }
        let consistency = BundleConsistency(lab: lab, manifest: manifest, progress: progress, events: files["events.jsonl"] ?? Data())
        verdict.flags += consistency.problems(checkJournal: manifest.format >= 2)
        let evaluator = CheckEvaluator(state: BundleLabState(files: files, referenceModels: referenceModels, limits: limits), answers: progress.answers)
        verdict.checks = lab.allChecks.map(evaluator.evaluate)
        verdict.points = verdict.checks.reduce(0) { $0 + $1.points }
        verdict.maxPoints = lab.totalPoints
        verdict.hintsUsed = progress.hintsUsed.values.reduce(0) { $0 &+ max($1, 0) }
        verdict.solvedSteps = progress.solvedSteps.count
        verdict.skippedSteps = progress.skippedSteps.count
        // Progress that claims more than the artefacts show.
        for step in lab.steps where progress.completedSteps.contains(step.id) && !progress.skippedSteps.contains(step.id) {
            for check in step.checks {
                if let result = verdict.checks.first(where: { $0.checkId == check.id }), !result.passed {
                    verdict.flags.append("progress says step \(step.id) is done, but check \(check.id) fails: \(result.detail)")
                }
            }
        }
        return verdict
    }

    /// `manifest.json` or `progress.json`, decoded only when small and shallow enough.
    private func metadata<T: Decodable>(_ path: String, in files: [String: Data], flags: inout [String]) -> T? {
        guard let data = files[path] else {
            flags.append(path == "manifest.json" ? "no manifest.json: not an InferLab bundle, or damaged" : "missing \(path)")
            return nil
        }
        guard Int64(data.count) <= limits.metadataBytes else {
            flags.append("\(path) is larger than \(BundleReader.mebibytes(limits.metadataBytes)); the kit writes a few KiB: not read")
            return nil
        }
        guard JSONDepth.isShallow(data), let value = try? LabProgress.decoder.decode(T.self, from: data) else {
            flags.append("\(path) cannot be read: not an InferLab bundle, or damaged")
            return nil
        }
        return value
    }

    private func manifestProblems(_ manifest: SubmissionBundle.Manifest) -> [String] {
        var problems: [String] = []
        if manifest.student.count > limits.nameCharacters {
            problems.append("the student's name is \(manifest.student.count) characters long; `lab submit` allows \(limits.nameCharacters)")
        } else if !Display.isPlain(manifest.student) || manifest.student.isEmpty {
            problems.append("the student's name is empty or holds control characters; `lab submit` writes neither")
        }
        if manifest.labId.count > limits.nameCharacters { problems.append("the lab id is longer than \(limits.nameCharacters) characters") }
        switch manifest.format {
        case 1:
            problems.append("bundle format 1 (an older kit): its student name and progress cannot be checked; ask for a new bundle made with this kit")
        case SubmissionBundle.format:
            if manifest.seal != manifest.expectedSeal {
                problems.append("manifest.json was edited after the bundle was made (its seal does not match: student, lab, workspace or hashes)")
            }
            if !(manifest.workspaceId.map(WorkspaceIdentity.isWellFormed) ?? false) {
                problems.append("manifest.json has no well-formed workspace id")
            }
        default:
            problems.append("bundle format \(manifest.format) is newer than this kit knows (\(SubmissionBundle.format)); verify it with a newer kit")
        }
        return problems
    }

    /// Files with times or ids in them, which two learners never share by chance.
    static func isOwnFile(_ path: String) -> Bool {
        path == "progress.json" || path == "events.jsonl" || path.hasPrefix("state/transform-jobs/") || path.hasPrefix("state/endpoints/")
    }
}
