import Foundation
import InferLabEngine

/// `aws sagemaker create-model`, `describe-model`, `list-models`, `delete-model`.
enum ModelCommands {
    static var all: [CommandSpec] { [createModel, describeModel, listModels, deleteModel, PredictCommand.predict] }

    /// Completes existing model names.
    static let modelNames = CompletionSource.dynamic { session, _ in
        (try? session.engine.catalog.allModels().map(\.name)) ?? []
    }

    static let createModel = AWSCommand.make(
        .sagemaker, "create-model", operation: "CreateModel", summary: "Register a model: an algorithm image and its model.tar.gz",
        discussion: """
        The image picks the runtime: XGBoost (\(BuiltinAlgorithm.xgboost.exampleImage), or `xgboost`) or \
        Linear Learner (\(BuiltinAlgorithm.linearLearner.exampleImage), or `linear-learner`). ModelDataUrl must \
        name an existing model.tar.gz; a corrupt artifact is reported when the model is first used, as on AWS. \
        Environment INFERLAB_MODEL_LATENCY_MS adds that much latency to every invocation (a kit setting, to \
        make queues visible).
        """,
        notes: [
            "ModelName": MemberNote("1–63 letters, digits and hyphens"),
            "PrimaryContainer": MemberNote("the model's container: Image and ModelDataUrl"),
            "Containers": MemberNote("(one container only in InferLab)"),
            "ExecutionRoleArn": MemberNote("accepted and recorded; InferLab has no IAM"),
        ],
        examples: [
            "aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz",
            "aws sagemaker create-model --cli-input-json file://create-model.json",
        ],
        input: CreateModelInput.self, output: CreateModelOutput.self
    ) { input, invocation in
        try SageMakerOperations.CreateModel.run(input, on: invocation.session.engine)
    }

    static let describeModel = AWSCommand.make(
        .sagemaker, "describe-model", operation: "DescribeModel", summary: "Show a model",
        notes: ["ModelName": MemberNote(completion: modelNames)],
        examples: ["aws sagemaker describe-model --model-name loan-xgb"],
        input: DescribeModelInput.self, output: DescribeModelOutput.self
    ) { input, invocation in
        try SageMakerOperations.DescribeModel.run(input, on: invocation.session.engine)
    }

    static let listModels = AWSCommand.make(
        .sagemaker, "list-models", operation: "ListModels", summary: "List models, newest first",
        discussion: "Every page is fetched and merged, as the AWS CLI does; --max-results, --next-token or --no-paginate print one page and its NextToken.",
        notes: ["MaxResults": MemberNote("1–100")],
        examples: ["aws sagemaker list-models", "aws sagemaker list-models --name-contains loan --sort-by Name --sort-order Ascending"],
        input: ListModelsInput.self, output: ListModelsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListModels.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListModels.run($0, on: engine) }) { $0.models += $1.models }
        all.nextToken = nil
        return all
    }

    static let deleteModel = AWSCommand.make(
        .sagemaker, "delete-model", operation: "DeleteModel", summary: "Delete a model (its artifact stays in S3)",
        notes: ["ModelName": MemberNote(completion: modelNames)],
        examples: ["aws sagemaker delete-model --model-name loan-xgb"],
        input: DeleteModelInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.DeleteModel.run(input, on: invocation.session.engine)
        return nil
    }
}
