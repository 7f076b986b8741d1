import Foundation
import Testing
@testable import InferLabEngine

/// The committed sample model, trained by scripts/train_sample_models.py with the real xgboost.
let sampleXGBoostArtifact = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("datasets/models/xgboost/model.tar.gz")

/// An in-memory engine with the sample XGBoost model uploaded to s3://loan-lab/models/xgboost/model.tar.gz.
func engineWithSampleModel() throws -> Engine {
    let engine = try Engine.inMemory(workspace: Workspace(root: temporaryFolder()))
    try engine.store.createBucket("loan-lab")
    try engine.store.putObject(bucket: "loan-lab", key: "models/xgboost/model.tar.gz", data: Data(contentsOf: sampleXGBoostArtifact))
    return engine
}

func xgboostModelInput(_ name: String, url: String = "s3://loan-lab/models/xgboost/model.tar.gz") -> CreateModelInput {
    CreateModelInput(modelName: name, primaryContainer: ContainerDefinition(image: BuiltinAlgorithm.xgboost.exampleImage, modelDataUrl: url))
}

struct SageMakerModelTests {
    @Test func createDescribeListDelete() throws {
        let service = try engineWithSampleModel().sagemaker
        let created = try service.createModel(xgboostModelInput("Loan-XGB"))
        #expect(created.modelArn == "arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb")
        let described = try service.describeModel(DescribeModelInput(modelName: "Loan-XGB"))
        #expect(described.modelName == "Loan-XGB")
        #expect(described.primaryContainer?.modelDataUrl == "s3://loan-lab/models/xgboost/model.tar.gz")
        #expect(try service.listModels(ListModelsInput()).models.map(\.modelName) == ["Loan-XGB"])
        try service.deleteModel(DeleteModelInput(modelName: "Loan-XGB"))
        #expect(try service.listModels(ListModelsInput()).models.isEmpty)
    }

    @Test func awsErrorsForDuplicatesMissingAndBadNames() throws {
        let service = try engineWithSampleModel().sagemaker
        _ = try service.createModel(xgboostModelInput("loan-xgb"))
        #expect(throws: AWSError.validation("Cannot create already existing model \"arn:aws:sagemaker:us-east-1:123456789012:model/loan-xgb\".",
                                            operation: "CreateModel")) { try service.createModel(xgboostModelInput("LOAN-xgb")) }
        #expect { try service.describeModel(DescribeModelInput(modelName: "nope")) } throws: {
            ($0 as? AWSError)?.message == "Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/nope\"."
        }
        #expect { try service.createModel(xgboostModelInput("bad_name")) } throws: {
            ($0 as? AWSError)?.message == "1 validation error detected: Value 'bad_name' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?"
        }
        #expect { try service.createModel(xgboostModelInput("m2", url: "s3://loan-lab/none.tar.gz")) } throws: {
            ($0 as? AWSError)?.message == "Could not find model data at s3://loan-lab/none.tar.gz."
        }
        var unknownImage = xgboostModelInput("m3")
        unknownImage.primaryContainer?.image = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1"
        #expect { try service.createModel(unknownImage) } throws: { ($0 as? AWSError)?.hint?.contains("linear-learner") == true }
    }

    @Test func listFiltersSortsAndPaginates() throws {
        var clock = 1_000.0
        let engine = try engineWithSampleModel()
        let service = SageMakerService(catalog: engine.catalog, store: engine.store, now: { Date(timeIntervalSince1970: 0) })
        for name in ["b-model", "a-model", "c-other"] {
            clock += 1
            let now = clock
            _ = try SageMakerService(catalog: engine.catalog, store: engine.store, now: { Date(timeIntervalSince1970: now) })
                .createModel(xgboostModelInput(name))
        }
        #expect(try service.listModels(ListModelsInput()).models.map(\.modelName) == ["c-other", "a-model", "b-model"])
        var byName = ListModelsInput()
        byName.sortBy = "Name"
        byName.sortOrder = "Ascending"
        byName.nameContains = "model"
        #expect(try service.listModels(byName).models.map(\.modelName) == ["a-model", "b-model"])
        var paged = ListModelsInput()
        paged.maxResults = 2
        let first = try service.listModels(paged)
        #expect(first.models.count == 2)
        paged.nextToken = first.nextToken
        let second = try service.listModels(paged)
        #expect(second.models.map(\.modelName) == ["b-model"])
        #expect(second.nextToken == nil)
        var bad = ListModelsInput()
        bad.sortBy = "Size"
        #expect { try service.listModels(bad) } throws: { ($0 as? AWSError)?.message.contains("Member must satisfy enum value set: [Name, CreationTime]") == true }
    }

    @Test func theLessonRowsScoreToThreeProbabilities() throws {
        let engine = try engineWithSampleModel()
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        let container = try engine.sagemaker.container(forModel: "loan-xgb")
        let response = try container.invoke(body: Data("25,50000,2\n35,60000,3\n45,45000,1\n".utf8), contentType: "text/csv",
                                            accept: nil, mode: .batchTransform)
        let scores = String(decoding: response.body, as: UTF8.self).split(separator: "\n").compactMap { Float($0) }
        #expect(scores.count == 3)
        #expect(scores.allSatisfy { (0...1).contains($0) })
    }

    @Test func aCorruptArtifactIsNamedWhenTheModelIsUsed() throws {
        let engine = try engineWithSampleModel()
        try engine.store.putObject(bucket: "loan-lab", key: "models/broken/model.tar.gz", data: Data("not a tarball".utf8))
        _ = try engine.sagemaker.createModel(xgboostModelInput("broken", url: "s3://loan-lab/models/broken/model.tar.gz"))
        #expect { try engine.sagemaker.container(forModel: "broken") } throws: {
            "\($0)".contains("the model artifact s3://loan-lab/models/broken/model.tar.gz")
        }
    }
}
