import Foundation

// AddTags, ListTags, DeleteTags, and the Tags member of the Create* requests: what the SDKs send
// (a Transformer's or Model.deploy's `tags=`) and what `aws sagemaker list-tags` shows. Tags live
// in the catalog by ARN and go with their resource.
extension SageMakerService {
    /// SageMaker's limit of tags on one resource.
    static let tagLimit = 50

    public func addTags(_ input: AddTagsInput) throws -> AddTagsOutput {
        let operation = "AddTags"
        try input.validation(for: operation).check()
        let arn = try requireTaggable(input.resourceArn, operation: operation)
        guard try catalog.addTags(input.tags, to: arn, limit: Self.tagLimit) else {
            throw AWSError.validation("Adding these tags would give \(input.resourceArn) more than \(Self.tagLimit) tags.", operation: operation,
                                      hint: "`aws sagemaker delete-tags` removes tags it no longer needs")
        }
        return AddTagsOutput(tags: input.tags)
    }

    public func listTags(_ input: ListTagsInput) throws -> ListTagsOutput {
        let operation = "ListTags"
        try input.validation(for: operation).check()
        let tags = try catalog.tags(of: try requireTaggable(input.resourceArn, operation: operation))
        let start: Int
        if let token = input.nextToken {
            guard let offset = Int(token), offset >= 0, offset <= tags.count else {
                throw AWSError.validation("Invalid pagination token \(token).", operation: operation)
            }
            start = offset
        } else {
            start = 0
        }
        let end = min(tags.count, start + (input.maxResults ?? 50))
        return ListTagsOutput(tags: Array(tags[start..<end]), nextToken: end < tags.count ? String(end) : nil)
    }

    public func deleteTags(_ input: DeleteTagsInput) throws {
        let operation = "DeleteTags"
        try input.validation(for: operation).check()
        try catalog.deleteTags(keys: input.tagKeys, of: try requireTaggable(input.resourceArn, operation: operation))
    }

    /// The catalog's ARN of the resource `arn` names (ARNs are matched without regard to case),
    /// or ValidationException when there is none.
    private func requireTaggable(_ arn: String, operation: String) throws -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let resource = parts.count == 6 ? parts[5].split(separator: "/", maxSplits: 1).map(String.init) : []
        let found: String?
        if parts.count == 6, parts[3] == configuration.region, parts[4] == configuration.account, resource.count == 2 {
            switch resource[0] {
            case "model": found = try catalog.model(named: resource[1])?.arn
            case "transform-job": found = try catalog.transformJob(named: resource[1])?.arn
            case "training-job": found = try catalog.trainingJob(named: resource[1])?.arn
            case "endpoint-config": found = try catalog.endpointConfig(named: resource[1])?.arn
            case "endpoint": found = try catalog.endpoint(named: resource[1])?.arn
            default: found = nil
            }
        } else {
            found = nil
        }
        guard let found else {
            throw AWSError.validation("Could not find resource \"\(arn)\".", operation: operation,
                                      hint: "InferLab keeps tags on its models, transform and training jobs, endpoint configs and endpoints; a Describe* call shows their ARNs")
        }
        return found
    }
}
