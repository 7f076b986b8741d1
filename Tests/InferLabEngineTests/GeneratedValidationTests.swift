import Foundation
import Testing
@testable import InferLabEngine

/// The generated `validate` of the request shapes (Sources/InferLabEngine/API/Generated/): AWS's
/// min, max, pattern and enum from the model, the member paths lowerCamel as AWS writes them, and
/// kit.json's requiredness beyond AWS.
struct GeneratedValidationTests {
    func problems(_ request: some AWSValidatable, _ operation: String) -> String? {
        do {
            try request.validation(for: operation).check()
            return nil
        } catch {
            return (error as? AWSError)?.message ?? "\(error)"
        }
    }

    @Test func nestedMembersListsAndMapsAreCheckedAtTheirPaths() {
        var job = transformJob("ok", input: "s3://b/in/", output: "s3://b/out/")
        #expect(problems(job, "CreateTransformJob") == nil)
        job.transformResources.instanceCount = 0
        job.environment = Dictionary(uniqueKeysWithValues: (1...17).map { ("K\($0)", "v") })
        job.tags = [Tag(key: "", value: "v")]
        #expect(problems(job, "CreateTransformJob") == "3 validation errors detected: "
            + "Value with 17 members at 'environment' failed to satisfy constraint: Member must have length less than or equal to 16; "
            + "Value '0' at 'transformResources.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1; "
            + "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1")
    }

    @Test func enumsAreAWSsValueSets() throws {
        var job = transformJob("ok", input: "s3://b/in/", output: "s3://b/out/")
        job.transformInput.splitType = "Lines"
        #expect(problems(job, "CreateTransformJob") == "1 validation error detected: Value 'Lines' at 'transformInput.splitType' failed to "
            + "satisfy constraint: Member must satisfy enum value set: [None, Line, RecordIO, TFRecord]")
        let target = RegisterScalableTargetInput(serviceNamespace: "sagemaker2", resourceId: "endpoint/e/variant/AllTraffic",
                                                 scalableDimension: "sagemaker:variant:DesiredInstanceCount", minCapacity: 0, maxCapacity: 1)
        let message = try #require(problems(target, "RegisterScalableTarget"))
        #expect(message.hasPrefix("1 validation error detected: Value 'sagemaker2' at 'serviceNamespace' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [ecs, elasticmapreduce, ec2, appstream, dynamodb, rds, sagemaker,"))
    }

    @Test func floatBoundsAndTheKitsRequiredMembers() {
        var variant = ProductionVariant(variantName: "AllTraffic", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large")
        variant.initialVariantWeight = -1
        let config = CreateEndpointConfigInput(endpointConfigName: "c", productionVariants: [variant])
        #expect(problems(config, "CreateEndpointConfig") == "1 validation error detected: Value '-1.0' at "
            + "'productionVariants.1.member.initialVariantWeight' failed to satisfy constraint: Member must have value greater than or equal to 0.0")
        var training = CreateTrainingJobInput(trainingJobName: "t", image: "xgboost", channels: [Channel(channelName: "train", s3Uri: "s3://b/t/")],
                                              outputPath: "s3://b/out/")
        #expect(problems(training, "CreateTrainingJob") == nil)
        training.resourceConfig = nil
        #expect(problems(training, "CreateTrainingJob")
                == "1 validation error detected: Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null")
    }
}
