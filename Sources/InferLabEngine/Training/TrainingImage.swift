/// What a training job's `AlgorithmSpecification.TrainingImage` runs: one of the built-in
/// algorithms the kit implements (`BuiltinAlgorithm.forImage` names them, as for models), or a
/// framework container in script mode (SKLearn's images, or XGBoost's when `sagemaker_program`
/// is set, as the XGBoost container then runs the learner's script).
enum TrainingImage: Equatable {
    case builtin(BuiltinAlgorithm)
    case scikitLearn

    static let scikitLearnExample = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"

    init?(_ image: String) {
        if let algorithm = BuiltinAlgorithm.forImage(image) {
            self = .builtin(algorithm)
            return
        }
        var repository = image
        if let slash = repository.lastIndex(of: "/") { repository = String(repository[repository.index(after: slash)...]) }
        if let cut = repository.firstIndex(where: { $0 == ":" || $0 == "@" }) { repository = String(repository[..<cut]) }
        guard ["sagemaker-scikit-learn", "scikit-learn", "sklearn"].contains(repository.lowercased()) else { return nil }
        self = .scikitLearn
    }

    /// Every image form the kit trains with, for the "unknown image" error.
    static var knownImagesText: String {
        BuiltinAlgorithm.knownImagesText + ", \(scikitLearnExample) (or `sklearn`, script mode)"
    }

    /// Whether the image runs the learner's script (`sagemaker_program`) rather than an algorithm.
    func runsScript(_ hyperparameters: [String: String]) -> Bool {
        switch self {
        case .scikitLearn: true
        case .builtin(.xgboost): hyperparameters["sagemaker_program"] != nil
        case .builtin(.linearLearner): false
        }
    }
}
