import Foundation

/// A lab as an instructor writes it: `labs/<id>/lab.yaml` plus a Markdown file per step.
/// Data, not code: see labs/README.md for the format.
public struct LabDefinition: Sendable, Equatable {
    public var format: Int
    public var id: String
    public var title: String
    public var version: Int
    public var summary: String
    public var minutes: Int?
    public var setup: [String]
    public var steps: [LabStep]
    /// The lab's folder, for step texts.
    public var folder: URL

    /// Every check of every step.
    public var allChecks: [LabCheck] { steps.flatMap(\.checks) }
    public var totalPoints: Int { allChecks.reduce(0) { $0 + $1.points } }
}

public struct LabStep: Sendable, Equatable {
    public var id: String
    public var title: String
    public var textFile: String
    public var practises: [String]
    public var hints: [String]
    public var checks: [LabCheck]
    public var solve: [String]
}

public struct LabCheck: Sendable, Equatable {
    public var id: String
    public var description: String
    public var points: Int
    public var failure: String
    public var kind: CheckKind
}

/// What a check inspects: always the engine's real state, never a recorded answer (quizzes
/// excepted: their answer is what the learner typed).
public enum CheckKind: Sendable, Equatable {
    case bucketExists(String)
    case objectExists(String)
    case objects(prefix: String, count: Int?, minCount: Int?, suffix: String?)
    case objectLines(uri: String, lines: Int)
    case modelExists(name: String, algorithm: String?)
    case transformJob(name: String, status: String?, parameters: [String: String])
    case predictionsMatch(model: String, input: String, output: String, contentType: String, tolerance: Double, idColumn: Bool)
    case endpoint(name: String, status: String?, isAsync: Bool?)
    case asyncResults(endpoint: String, outputs: Int?, errors: Int?)
    case quiz(question: String, choices: [String], answer: Int)
    case commandRan(pattern: String)
    /// A call the local AWS endpoint answered successfully, as `service.Operation client`
    /// (`sagemaker-runtime.InvokeEndpointAsync Boto3/1.43.11`), matches the pattern.
    case apiCalled(pattern: String)

    /// The YAML key that names the kind.
    public var key: String {
        switch self {
        case .bucketExists: "bucket_exists"
        case .objectExists: "object_exists"
        case .objects: "objects"
        case .objectLines: "object_lines"
        case .modelExists: "model_exists"
        case .transformJob: "transform_job"
        case .predictionsMatch: "predictions_match"
        case .endpoint: "endpoint"
        case .asyncResults: "async_results"
        case .quiz: "quiz"
        case .commandRan: "command_ran"
        case .apiCalled: "api_called"
        }
    }

    public static let keys = ["bucket_exists", "object_exists", "objects", "object_lines", "model_exists", "transform_job",
                              "predictions_match", "endpoint", "async_results", "quiz", "command_ran", "api_called"]
}
