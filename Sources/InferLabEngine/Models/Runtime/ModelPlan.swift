/// What a model runs, read from its CreateModel request: one container (PrimaryContainer), or
/// the containers of an inference pipeline in order, each a built-in algorithm or a framework
/// container running the learner's script.
struct ModelPlan: Sendable {
    enum Runtime: Sendable, Equatable {
        case builtin(BuiltinAlgorithm)
        case script(FrameworkImage)
    }

    struct Container: Sendable {
        /// What errors and logs call it: `primary` for a single container; in a pipeline its
        /// ContainerHostname, or `container-N` (counted from 1) when it has none.
        var hostname: String
        var definition: ContainerDefinition
        var runtime: Runtime
    }

    var containers: [Container]
    /// InferenceExecutionConfig Mode Direct: the containers are separate models, each invoked
    /// on its own (by TargetContainerHostname, which the kit does not serve), not a chain.
    var isDirect: Bool

    var isPipeline: Bool { containers.count > 1 }
    var runsScripts: Bool { containers.contains { if case .script = $0.runtime { true } else { false } } }

    /// The plan of a model, or why it cannot run (for CreateModel's validation and at load).
    static func of(_ model: CreateModelInput) throws(ModelLoadError) -> ModelPlan {
        let definitions = model.primaryContainer.map { [$0] } ?? model.containers ?? []
        guard !definitions.isEmpty else { throw ModelLoadError(message: "model \(model.modelName) has no container") }
        let pipeline = model.primaryContainer == nil && definitions.count > 1
        var containers: [Container] = []
        for (index, definition) in definitions.enumerated() {
            let hostname = pipeline ? (definition.containerHostname ?? "container-\(index + 1)") : "primary"
            guard let image = definition.image else {
                throw ModelLoadError(message: "the \(hostname) container has no Image")
            }
            if let framework = FrameworkImage.forImage(image, environment: definition.environment) {
                containers.append(Container(hostname: hostname, definition: definition, runtime: .script(framework)))
            } else if let algorithm = BuiltinAlgorithm.forImage(image) {
                containers.append(Container(hostname: hostname, definition: definition, runtime: .builtin(algorithm)))
            } else {
                throw ModelLoadError(message: "Requested image \(image) is not an image InferLab can run")
            }
        }
        return ModelPlan(containers: containers, isDirect: model.inferenceExecutionConfig?.mode == "Direct")
    }
}
