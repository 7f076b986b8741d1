/// The built-in algorithms InferLab can serve, recognised by an image's repository name as
/// SageMaker's real ECR URIs name them, or by a short form.
public enum BuiltinAlgorithm: String, Sendable, CaseIterable {
    case xgboost
    case linearLearner = "linear-learner"

    /// Real image URIs, for help and error messages.
    public var exampleImage: String {
        switch self {
        case .xgboost: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
        case .linearLearner: "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"
        }
    }

    /// The algorithm an image runs: `…/sagemaker-xgboost:1.7-1`, `xgboost`, `linear-learner:1`…
    public static func forImage(_ image: String) -> BuiltinAlgorithm? {
        var repository = image
        if let slash = repository.lastIndex(of: "/") { repository = String(repository[repository.index(after: slash)...]) }
        if let at = repository.firstIndex(of: "@") { repository = String(repository[..<at]) }
        if let colon = repository.firstIndex(of: ":") { repository = String(repository[..<colon]) }
        switch repository.lowercased() {
        case "sagemaker-xgboost", "xgboost": return .xgboost
        case "linear-learner", "linear_learner", "linearlearner": return .linearLearner
        default: return nil
        }
    }

    /// Every image form accepted, for the "unknown image" error.
    public static var knownImagesText: String {
        allCases.map { "\($0.exampleImage) (or `\($0.rawValue)`)" }.joined(separator: ", ")
    }
}
