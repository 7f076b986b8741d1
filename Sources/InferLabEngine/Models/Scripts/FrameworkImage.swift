/// The framework images whose containers run the learner's own inference script, recognised by
/// the repository of the URI the SDK's `image_uris.retrieve` gives, or by a short form.
public enum FrameworkImage: String, Sendable, CaseIterable {
    /// `…/sagemaker-scikit-learn:1.2-1-cpu-py3` (any framework version), or `sklearn`.
    case sklearn
    /// `…/sagemaker-xgboost:1.7-1` when the model sets SAGEMAKER_PROGRAM (script mode); without
    /// it the same image runs the built-in algorithm.
    case xgboost

    public var exampleImage: String {
        switch self {
        case .sklearn: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
        case .xgboost: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1 with SAGEMAKER_PROGRAM"
        }
    }

    /// The framework an image runs with this environment, or nil for an algorithm image.
    public static func forImage(_ image: String, environment: [String: String]?) -> FrameworkImage? {
        switch repository(of: image) {
        case "sagemaker-scikit-learn", "sklearn", "scikit-learn": return .sklearn
        case "sagemaker-xgboost", "xgboost": return (environment?["SAGEMAKER_PROGRAM"] ?? "").isEmpty ? nil : .xgboost
        default: return nil
        }
    }

    /// `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1` → `sagemaker-xgboost`.
    static func repository(of image: String) -> String {
        var repository = Substring(image)
        if let slash = repository.lastIndex(of: "/") { repository = repository[repository.index(after: slash)...] }
        if let at = repository.firstIndex(of: "@") { repository = repository[..<at] }
        if let colon = repository.firstIndex(of: ":") { repository = repository[..<colon] }
        return repository.lowercased()
    }
}
