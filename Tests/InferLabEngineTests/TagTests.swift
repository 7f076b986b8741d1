import Foundation
import Testing
@testable import InferLabEngine

/// AddTags, ListTags, DeleteTags and the Tags of Create*: kept by ARN, in order, limited, checked
/// in AWS's words, and gone with their resource.
struct TagTests {
    let engine: Engine
    let modelArn = "arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb"

    init() throws {
        engine = try engineWithSampleModel()
        var model = xgboostModelInput("Loan-XGB")
        model.tags = [Tag(key: "course", value: "batch"), Tag(key: "lesson", value: "1")]
        _ = try engine.sagemaker.createModel(model)
    }

    @Test func createTagsAreListedAndAddTagsReplacesAValue() async throws {
        let listed = try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn))
        #expect(listed.tags == [Tag(key: "course", value: "batch"), Tag(key: "lesson", value: "1")] && listed.nextToken == nil)
        let added = try await engine.call(SageMakerOperations.AddTags.self,
                                          AddTagsInput(resourceArn: modelArn.replacingOccurrences(of: "loan-xgb", with: "Loan-XGB"),
                                                       tags: [Tag(key: "lesson", value: "2"), Tag(key: "owner", value: "ada")]))
        #expect(added.tags.count == 2)
        let after = try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn))
        #expect(after.tags == [Tag(key: "course", value: "batch"), Tag(key: "lesson", value: "2"), Tag(key: "owner", value: "ada")])
        _ = try await engine.call(SageMakerOperations.DeleteTags.self, DeleteTagsInput(resourceArn: modelArn, tagKeys: ["lesson", "absent"]))
        let left = try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn))
        #expect(left.tags.map(\.key) == ["course", "owner"])
    }

    @Test func fiftyTagsAtMostAndPagesOfFifty() async throws {
        let many = (0..<48).map { Tag(key: "k\($0)", value: "v") }
        _ = try await engine.call(SageMakerOperations.AddTags.self, AddTagsInput(resourceArn: modelArn, tags: many))
        let over = await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.AddTags.self, AddTagsInput(resourceArn: modelArn, tags: [Tag(key: "one-too-many", value: "")]))
        }
        #expect(over?.code == "ValidationException" && over?.message.contains("50") == true)
        let first = try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn, maxResults: 50))
        #expect(first.tags.count == 50 && first.nextToken == nil)
        let tooSmall = await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn, maxResults: 10))
        }
        #expect(tooSmall?.message.contains("at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 50") == true)
    }

    @Test func badTagsAndUnknownResourcesAreValidationErrors() async throws {
        let bad = await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.AddTags.self, AddTagsInput(resourceArn: modelArn, tags: [Tag(key: "", value: "a|b")]))
        }
        #expect(bad?.message.hasPrefix("2 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1") == true,
                "\(bad?.message ?? "")")
        let missing = await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/nope"))
        }
        #expect(missing?.code == "ValidationException" && missing?.message.contains("endpoint/nope") == true)
        let notAnArn = await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: "loan-xgb"))
        }
        #expect(notAnArn?.message.contains("Member must satisfy regular expression pattern: arn:aws[a-z-]*:sagemaker") == true)
    }

    @Test func tagsGoWithTheirResource() async throws {
        _ = try await engine.call(SageMakerOperations.DeleteModel.self, DeleteModelInput(modelName: "loan-xgb"))
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        let fresh = try await engine.call(SageMakerOperations.ListTags.self, ListTagsInput(resourceArn: modelArn))
        #expect(fresh.tags.isEmpty)
    }
}
