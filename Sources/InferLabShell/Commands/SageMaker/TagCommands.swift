import Foundation
import InferLabEngine

/// `aws sagemaker add-tags`, `list-tags`, `delete-tags`: tags on models, transform jobs, endpoint
/// configs and endpoints, by ARN.
enum TagCommands {
    static var all: [CommandSpec] { [addTags, listTags, deleteTags] }

    /// Completes the ARNs of the workspace's resources.
    static let resourceArns = CompletionSource.dynamic { session, _ in
        let catalog = session.engine.catalog
        let models = (try? catalog.allModels().map(\.arn)) ?? []
        let configs = (try? catalog.allEndpointConfigs().map(\.arn)) ?? []
        let endpoints = (try? catalog.allEndpoints().map(\.arn)) ?? []
        let jobs = (try? catalog.allTransformJobs().map(\.arn)) ?? []
        let trainingJobs = (try? catalog.allTrainingJobs().map(\.arn)) ?? []
        return models + configs + endpoints + jobs + trainingJobs
    }

    static let addTags = AWSCommand.make(
        .sagemaker, "add-tags", operation: "AddTags", summary: "Tag a model, transform job, endpoint config or endpoint",
        discussion: "A key the resource has already gets the new value. A resource holds at most 50 tags.",
        notes: ["ResourceArn": MemberNote("the ARN a Describe* call shows", completion: resourceArns),
                "Tags": MemberNote("Key=…,Value=… (0–128 and 0–256 characters)")],
        examples: ["aws sagemaker add-tags --resource-arn arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb --tags Key=course,Value=batch"],
        input: AddTagsInput.self, output: AddTagsOutput.self
    ) { input, invocation in
        try SageMakerOperations.AddTags.run(input, on: invocation.session.engine)
    }

    static let listTags = AWSCommand.make(
        .sagemaker, "list-tags", operation: "ListTags", summary: "Show a resource's tags",
        discussion: "Every page is fetched and merged, as the AWS CLI does; --max-results, --next-token or --no-paginate print one page and its NextToken.",
        notes: ["ResourceArn": MemberNote(completion: resourceArns), "MaxResults": MemberNote("50 or more")],
        examples: ["aws sagemaker list-tags --resource-arn arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb"],
        input: ListTagsInput.self, output: ListTagsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListTags.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListTags.run($0, on: engine) }) { $0.tags += $1.tags }
        all.nextToken = nil
        return all
    }

    static let deleteTags = AWSCommand.make(
        .sagemaker, "delete-tags", operation: "DeleteTags", summary: "Remove tags from a resource, by key",
        discussion: "Keys the resource does not have are passed over.",
        notes: ["ResourceArn": MemberNote(completion: resourceArns)],
        examples: ["aws sagemaker delete-tags --resource-arn arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb --tag-keys course"],
        input: DeleteTagsInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.DeleteTags.run(input, on: invocation.session.engine)
        return nil
    }
}
