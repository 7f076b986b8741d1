import Foundation
import InferLabEngine

/// A lab as an instructor writes it: `labs/<id>/lab.yaml` plus a Markdown file per step.
/// Data, not code: see labs/README.md for the format.
public struct LabDefinition: Sendable, Equatable {
    public var format: Int
    public var id: String
    public var title: String
    public var version: Int
    public var summary: String
    public var minutes: Int?
    /// The lab's place in the course (1 is where a learner starts); `lab list` goes in this order.
    public var position: Int?
    public var setup: [String]
    public var steps: [LabStep]
    /// How long the lab's simulated waits take, when the lab sets them (`time_scale`).
    public var timeScale: LabTimeScale?
    /// The lab's folder, for step texts.
    public var folder: URL

    /// Every check of every step.
    public var allChecks: [LabCheck] { steps.flatMap(\.checks) }
    public var totalPoints: Int { allChecks.reduce(0) { $0 + $1.points } }
}

/// A lab's clock (`time_scale:` in lab.yaml): long enough to watch what the lab is about.
/// `INFERLAB_PROVISIONING_SECONDS` and `INFERLAB_STARTUP_SECONDS` still win when set, and
/// `INFERLAB_TIME_SCALE` multiplies them all (tests and `lab selftest` shorten a lab with it).
public struct LabTimeScale: Sendable, Equatable {
    /// Acquiring a transform job's instances, before TransformStartTime (not billed); an endpoint's Creating.
    public var provisioningSeconds: Double?
    /// The container start and model load on a job's instances, after TransformStartTime (billed).
    public var startupSeconds: Double?

    public init(provisioningSeconds: Double? = nil, startupSeconds: Double? = nil) {
        self.provisioningSeconds = provisioningSeconds
        self.startupSeconds = startupSeconds
    }
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
    /// `algorithm` names the image of a one-container model; `containers`, a pipeline's images in order.
    case modelExists(name: String, algorithm: String?, containers: [String]?)
    case transformJob(name: String, status: String?, parameters: [String: String])
    case trainingJob(name: String, status: String?, parameters: [String: String])
    case predictionsMatch(model: String, input: String, output: String, contentType: String, tolerance: Double, idColumn: Bool)
    case endpoint(name: String, status: String?, isAsync: Bool?)
    case asyncResults(endpoint: String, outputs: Int?, errors: Int?)
    case quiz(question: String, choices: [String], answer: Int)
    case commandRan(pattern: String)
    /// A call the local AWS endpoint answered successfully, as `service.Operation client`
    /// (`sagemaker-runtime.InvokeEndpointAsync Boto3/1.43.11`), matches the pattern.
    case apiCalled(pattern: String)
    /// The learner looked at a job or an endpoint (describe, wait, logs tail, metrics) with a
    /// command that succeeded: where watching is the lesson, a step is not done before it.
    case watched(resource: String)

    /// The YAML key that names the kind.
    public var key: String {
        switch self {
        case .bucketExists: "bucket_exists"
        case .objectExists: "object_exists"
        case .objects: "objects"
        case .objectLines: "object_lines"
        case .modelExists: "model_exists"
        case .transformJob: "transform_job"
        case .trainingJob: "training_job"
        case .predictionsMatch: "predictions_match"
        case .endpoint: "endpoint"
        case .asyncResults: "async_results"
        case .quiz: "quiz"
        case .commandRan: "command_ran"
        case .apiCalled: "api_called"
        case .watched: "watched"
        }
    }

    public static let keys = ["bucket_exists", "object_exists", "objects", "object_lines", "model_exists", "transform_job",
                              "training_job", "predictions_match", "endpoint", "async_results", "quiz", "command_ran", "api_called", "watched"]
}

extension LabDefinition {
    /// Labs in course order: by position, then those without one by id.
    public static func inCourseOrder(_ labs: [LabDefinition]) -> [LabDefinition] {
        labs.sorted { ($0.position ?? Int.max, $0.id) < ($1.position ?? Int.max, $1.id) }
    }

    /// The engine's settings for this lab's workspace: the lab's time scale over the kit's
    /// defaults, with the environment's settings winning.
    public func engineConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) -> SageMakerService.Configuration {
        var defaults = SageMakerService.Configuration()
        if let seconds = timeScale?.provisioningSeconds { defaults.provisioningDelay = seconds }
        if let seconds = timeScale?.startupSeconds { defaults.startupDelay = seconds }
        return .fromEnvironment(environment, defaults: defaults)
    }
}
