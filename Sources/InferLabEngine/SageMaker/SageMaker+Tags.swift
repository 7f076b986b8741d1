import Foundation

// AddTags, ListTags, DeleteTags, and the Tags member of the Create* requests: what the SDKs send
// (a Transformer's or Model.deploy's `tags=`) and what `aws sagemaker list-tags` shows. Tags live
// in the catalog by ARN and go with their resource.
extension SageMakerService {
    /// SageMaker's limit of tags on one resource.
    static let tagLimit = 50
    static let tagPattern = #"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"#
    static let resourceArnPattern = #"arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+"#

    public func addTags(_ input: AddTagsInput) throws -> AddTagsOutput {
        let operation = "AddTags"
        var validation = APIValidation(operation: operation)
        validateArn(input.resourceArn, in: &validation)
        validateTags(input.tags, at: "tags", in: &validation)
        try validation.check()
        let arn = try requireTaggable(input.resourceArn, operation: operation)
        guard try catalog.addTags(input.tags, to: arn, limit: Self.tagLimit) else {
            throw AWSError.validation("Adding these tags would give \(input.resourceArn) more than \(Self.tagLimit) tags.", operation: operation,
                                      hint: "`aws sagemaker delete-tags` removes tags it no longer needs")
        }
        return AddTagsOutput(tags: input.tags)
    }

    public func listTags(_ input: ListTagsInput) throws -> ListTagsOutput {
        let operation = "ListTags"
        var validation = APIValidation(operation: operation)
        validateArn(input.resourceArn, in: &validation)
        validation.range(input.maxResults, at: "maxResults", 50...Int.max)
        try validation.check()
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
        var validation = APIValidation(operation: operation)
        validateArn(input.resourceArn, in: &validation)
        validation.count(input.tagKeys, at: "tagKeys", 1...Self.tagLimit)
        for (index, key) in input.tagKeys.enumerated() {
            validation.length(key, at: "tagKeys.\(index + 1).member", max: 128, min: 1)
            validation.pattern(key, at: "tagKeys.\(index + 1).member", Self.tagPattern)
        }
        try validation.check()
        try catalog.deleteTags(keys: input.tagKeys, of: try requireTaggable(input.resourceArn, operation: operation))
    }

    /// The checks of a Create* request's Tags member.
    func validateTags(_ tags: [Tag]?, at path: String, in validation: inout APIValidation) {
        guard let tags else { return }
        validation.count(tags, at: path, 0...Self.tagLimit)
        for (index, tag) in tags.enumerated() {
            let member = "\(path).\(index + 1).member"
            validation.length(tag.key, at: "\(member).key", max: 128, min: 1)
            validation.pattern(tag.key, at: "\(member).key", Self.tagPattern)
            validation.length(tag.value, at: "\(member).value", max: 256)
            validation.pattern(tag.value, at: "\(member).value", Self.tagPattern)
        }
    }

    private func validateArn(_ arn: String, in validation: inout APIValidation) {
        validation.length(arn, at: "resourceArn", max: 256)
        validation.pattern(arn, at: "resourceArn", Self.resourceArnPattern)
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
