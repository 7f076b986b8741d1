import Foundation
import InferLabEngine

/// The outcome of one check.
public struct CheckResult: Sendable, Equatable, Codable {
    public var checkId: String
    public var passed: Bool
    public var points: Int
    /// Why it failed, in terms of what was found (empty when it passed).
    public var detail: String
}

/// Evaluates checks against a lab state: the engine's real state while a learner works, or a
/// submitted bundle when an instructor verifies it.
public struct CheckEvaluator: Sendable {
    public let state: any LabState
    public let answers: [String: Int]

    public init(state: any LabState, answers: [String: Int]) {
        self.state = state
        self.answers = answers
    }

    public init(engine: Engine, answers: [String: Int]) {
        self.init(state: LiveLabState(engine: engine), answers: answers)
    }

    public func evaluate(_ check: LabCheck) -> CheckResult {
        let detail: String?
        do { detail = try problem(check) } catch { detail = "\(error)" }
        return CheckResult(checkId: check.id, passed: detail == nil, points: detail == nil ? check.points : 0, detail: detail ?? "")
    }

    /// nil when the check passes; otherwise what was found instead.
    private func problem(_ check: LabCheck) throws -> String? {
        switch check.kind {
        case .bucketExists(let name):
            return state.bucketExists(name) ? nil : "there is no bucket \(name)"
        case .objectExists(let uri):
            let location = S3Location(uri)!
            return state.objectKeys(bucket: location.bucket, prefix: location.key).contains(location.key) ? nil : "there is no object \(uri)"
        case .objects(let prefix, let count, let minCount, let suffix):
            let location = S3Location(prefix)!
            let found = state.objectKeys(bucket: location.bucket, prefix: location.key).filter { suffix.map($0.hasSuffix) ?? true }.count
            if let count, found != count { return "found \(found) object(s) under \(prefix), expected \(count)" }
            if let minCount, found < minCount { return "found \(found) object(s) under \(prefix), expected at least \(minCount)" }
            return nil
        case .objectLines(let uri, let lines):
            let location = S3Location(uri)!
            guard let data = state.objectData(bucket: location.bucket, key: location.key) else { return "there is no object \(uri)" }
            let found = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.isEmpty }.count
            return found == lines ? nil : "\(uri) has \(found) line(s), expected \(lines)"
        case .modelExists(let name, let algorithm, let containers):
            guard let images = state.modelImages(name) else { return "there is no model \(name)" }
            if let algorithm {
                guard images.count == 1 else { return "model \(name) is a pipeline of \(images.count) containers, not one \(algorithm) container" }
                if ImageKind.of(images[0]) != algorithm { return "model \(name) runs \(images[0]), not \(algorithm)" }
            }
            if let containers, images.map(ImageKind.of) != containers {
                return "model \(name) runs \(images.joined(separator: " then ")), expected \(containers.joined(separator: " then "))"
            }
            return nil
        case .transformJob(let name, let status, let parameters):
            guard let job = state.transformJob(name) else { return "there is no transform job \(name)" }
            if let status, job["TransformJobStatus"] != .string(status) {
                return "job \(name) is \(job["TransformJobStatus"]?.compact ?? "?"), expected \(status)"
            }
            return ParameterMatcher.mismatch(in: job, parameters: parameters, what: "job \(name)")
        case .trainingJob(let name, let status, let parameters):
            guard let job = state.trainingJob(name) else { return "there is no training job \(name)" }
            if let status, job["TrainingJobStatus"] != .string(status) {
                let reason = job["FailureReason"].map { ": \($0.compact)" } ?? ""
                return "training job \(name) is \(job["TrainingJobStatus"]?.compact ?? "?"), expected \(status)\(reason)"
            }
            return ParameterMatcher.mismatch(in: job, parameters: parameters, what: "training job \(name)")
        case .predictionsMatch(let model, let input, let output, let contentType, let tolerance, let idColumn):
            return try PredictionCheck(state: state).mismatch(model: model, input: input, output: output, contentType: contentType,
                                                              tolerance: tolerance, idColumn: idColumn)
        case .endpoint(let name, let status, let isAsync):
            guard let endpoint = state.endpoint(name) else { return "there is no endpoint \(name)" }
            if let status, endpoint["EndpointStatus"] != .string(status) {
                return "endpoint \(name) is \(endpoint["EndpointStatus"]?.compact ?? "?"), expected \(status)"
            }
            if let isAsync, (endpoint["AsyncInferenceConfig"] != nil) != isAsync {
                return "endpoint \(name) is \(isAsync ? "real-time" : "asynchronous"), expected \(isAsync ? "asynchronous" : "real-time")"
            }
            return nil
        case .asyncResults(let endpoint, let outputs, let errors):
            guard let stats = state.queueStatistics(endpoint: endpoint) else { return "there is no endpoint \(endpoint)" }
            if let outputs, stats.succeeded < outputs { return "\(stats.succeeded) result(s) from \(endpoint), expected at least \(outputs)" }
            if let errors, stats.failed < errors { return "\(stats.failed) error(s) from \(endpoint), expected at least \(errors)" }
            return nil
        case .quiz(_, let choices, let answer):
            guard let given = answers[check.id] else { return "not answered yet: `lab answer \(check.id) N`" }
            return given == answer ? nil : "answer \(given) (\(choices[safe: given &- 1] ?? "?")) is not right"
        case .commandRan(let pattern):
            let regex = try NSRegularExpression(pattern: pattern)
            let ran = state.successfulCommands().contains { command in
                regex.firstMatch(in: command, range: NSRange(command.startIndex..., in: command)) != nil
            }
            return ran ? nil : "no command matching \(pattern) has run successfully yet"
        case .apiCalled(let pattern):
            let regex = try NSRegularExpression(pattern: pattern)
            let called = state.successfulAPICalls().contains { call in
                regex.firstMatch(in: call, range: NSRange(call.startIndex..., in: call)) != nil
            }
            return called ? nil : "no call to the local AWS endpoint matching \(pattern) has succeeded yet (`requests` lists the calls)"
        case .watched(let resource):
            return state.successfulCommands().contains { WatchCommand.watches($0, resource: resource) } ? nil
                : "you have not looked at \(resource) yet: describe it, wait for it, or read its logs or metrics"
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// What `model_exists` calls an image: the built-in algorithm (`xgboost`, `linear-learner`) or
/// the framework (`sklearn`) it runs, whatever form of the URI was typed; else the image itself.
enum ImageKind {
    static func of(_ image: String) -> String {
        BuiltinAlgorithm.forImage(image)?.rawValue ?? FrameworkImage.forImage(image, environment: ["SAGEMAKER_PROGRAM": "script"])?.rawValue ?? image
    }
}

/// Compares dotted paths of a response shape (`TransformResources.InstanceCount`) with expected values.
enum ParameterMatcher {
    static func mismatch(in json: JSONValue, parameters: [String: String], what: String) -> String? {
        for (path, expected) in parameters.sorted(by: { $0.key < $1.key }) {
            var current: JSONValue? = json
            for part in path.split(separator: ".") { current = current?[String(part)] }
            let found: String? = switch current {
            case .string(let text)?: text
            case .int(let number)?: String(number)
            case .double(let number)?: number == number.rounded() ? String(Int(number)) : String(number)
            case .bool(let flag)?: String(flag)
            default: nil
            }
            if found != expected { return "\(what) has \(path) = \(found ?? "nothing"), expected \(expected)" }
        }
        return nil
    }
}
