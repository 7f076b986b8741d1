/// Reads the fields of a parsed XGBoost model (JSON and UBJSON share the schema) and builds the
/// runtime pieces. Anything the runtime would evaluate differently from XGBoost is refused with a
/// message rather than approximated: a wrong score is worse than no score in a lab about scoring.
enum XGBoostModelDecoder {
    static func decode(_ document: ModelNode) throws -> XGBoostModel {
        guard case .object = document.value else { throw document.wrongType("an object") }
        let learner = try document.field("learner")
        let parameters = try learner.field("learner_model_param")
        let featureCount = try parameters.field("num_feature").int()
        let classCount = try parameters.optionalField("num_class")?.int() ?? 0
        let targetCount = try parameters.optionalField("num_target")?.int() ?? 1
        guard featureCount >= 0, classCount >= 0 else {
            throw parameters.wrongType("non-negative num_feature and num_class")
        }
        guard targetCount <= 1 else {
            throw XGBoostModelError.unsupported("multi-target models (num_target \(targetCount)) are not supported; train one model per target")
        }

        let objectiveName = try learner.field("objective").field("name").string()
        let objective = try XGBoostObjective(name: objectiveName)
        if objective.isMulticlass, classCount < 1 {
            throw XGBoostModelError.unsupported("\(objectiveName) needs num_class, but \(parameters.path).num_class is \(classCount)")
        }
        let groupCount = max(1, classCount)

        let baseScores = try baseScores(try parameters.field("base_score"))
        guard baseScores.count == 1 || baseScores.count == groupCount else {
            throw XGBoostModelError.unsupported("\(parameters.path).base_score has \(baseScores.count) values for \(groupCount) outputs")
        }
        let baseMargins = (0..<groupCount).map { objective.baseMargin(baseScores[baseScores.count == 1 ? 0 : $0]) }

        let booster = try learner.field("gradient_booster")
        let boosterName = try booster.field("name").string()
        let evaluator: XGBoostModel.Booster
        switch boosterName {
        case "gbtree":
            evaluator = .trees(try trees(in: try booster.field("model"), weights: nil, featureCount: featureCount, groupCount: groupCount))
        case "dart":
            // Prediction (not training) keeps every tree, scaled by its weight_drop entry.
            let weights = try booster.field("weight_drop").floats()
            let model = try booster.field("gbtree").field("model")
            evaluator = .trees(try trees(in: model, weights: weights, featureCount: featureCount, groupCount: groupCount))
        case "gblinear":
            let weights = try booster.field("model").field("weights")
            evaluator = .linear(try LinearBooster(weights: try weights.floats(), featureCount: featureCount,
                                                  groupCount: groupCount, path: weights.path))
        default:
            throw XGBoostModelError.unsupported("unsupported booster '\(boosterName)'; supported: gbtree, dart, gblinear")
        }

        return XGBoostModel(featureCount: featureCount, objective: objectiveName, transform: objective,
                            groupCount: groupCount, baseMargins: baseMargins, booster: evaluator)
    }

    /// base_score as written by each XGBoost generation: `"0.5"` (1.x), `"5E-1"` (2.x),
    /// `"[5E-1]"` or `"[a,b,c]"` (3.x, one per class), or a plain number.
    private static func baseScores(_ node: ModelNode) throws -> [Float] {
        if case .number(let number) = node.value, let value = number.float { return [value] }
        let text = try node.string()
        let scores = text.filter { $0 != "[" && $0 != "]" && $0 != " " }.split(separator: ",").map { Float($0) }
        guard !scores.isEmpty, scores.allSatisfy({ $0 != nil }) else {
            throw node.wrongType("a number or a list of numbers, not \"\(text)\"")
        }
        return scores.map { $0! }
    }

    private static func trees(in model: ModelNode, weights: [Float]?, featureCount: Int, groupCount: Int) throws -> TreeEnsemble {
        let trees = try model.field("trees").elements()
        let treeInfo = try model.field("tree_info").int32s()
        guard treeInfo.count == trees.count else {
            throw XGBoostModelError.unsupported("\(model.path).tree_info has \(treeInfo.count) entries for \(trees.count) trees")
        }
        if let weights, weights.count != trees.count {
            throw XGBoostModelError.unsupported("weight_drop has \(weights.count) entries for \(trees.count) trees")
        }
        var ensemble = TreeEnsemble()
        for (index, tree) in trees.enumerated() {
            let group = Int(treeInfo[index])
            guard (0..<groupCount).contains(group) else {
                throw XGBoostModelError.unsupported("\(model.path).tree_info[\(index)] is \(group), but the model has \(groupCount) outputs")
            }
            try ensemble.append(try sourceTree(tree), group: group, weight: weights?[index], featureCount: featureCount)
        }
        return ensemble
    }

    private static func sourceTree(_ tree: ModelNode) throws -> TreeEnsemble.SourceTree {
        if let leafSize = try tree.optionalField("tree_param")?.optionalField("size_leaf_vector")?.int(), leafSize > 1 {
            throw XGBoostModelError.unsupported("\(tree.path) has vector leaves (size_leaf_vector \(leafSize)); multi-output trees are not supported")
        }
        if let splitTypes = try tree.optionalField("split_type")?.int32s(), let node = splitTypes.firstIndex(where: { $0 != 0 }) {
            throw XGBoostModelError.unsupported("\(tree.path) has a categorical split at node \(node); categorical splits are not supported (train with enable_categorical=False or one-hot encode)")
        }
        let source = TreeEnsemble.SourceTree(
            leftChildren: try tree.field("left_children").int32s(),
            rightChildren: try tree.field("right_children").int32s(),
            splitIndices: try tree.field("split_indices").int32s(),
            // XGBoost predicts from split_conditions, which holds a leaf's value (one field serves
            // both); base_weights is a per-node training statistic that prediction never reads.
            splitConditions: try tree.field("split_conditions").floats(),
            defaultLeft: try tree.field("default_left").flags(),
            path: tree.path)
        let counts = [source.rightChildren.count, source.splitIndices.count, source.splitConditions.count, source.defaultLeft.count]
        guard counts.allSatisfy({ $0 == source.leftChildren.count }) else {
            throw XGBoostModelError.unsupported("\(tree.path): left_children, right_children, split_indices, split_conditions and default_left differ in length")
        }
        return source
    }
}
