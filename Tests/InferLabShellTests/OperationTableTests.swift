import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The shell's `aws …` commands are a front end of the engine's operation table: every AWS
/// operation a command offers is an entry there.
struct OperationTableTests {
    /// Every AWS family but `s3` (high-level transfers, no one operation each), with its service.
    static let services: [CommandSpec.Family: AWSService] = [
        .s3api: .s3, .sagemaker: .sagemaker, .sagemakerRuntime: .sagemakerRuntime, .logs: .logs,
        .applicationAutoscaling: .applicationAutoscaling,
    ]

    /// Commands that are CLI customizations rather than one operation: what they call.
    static let customizations: [String: String] = [
        "sagemaker wait transform-job-completed-or-stopped": "DescribeTransformJob",
        "sagemaker wait training-job-completed-or-stopped": "DescribeTrainingJob",
        "sagemaker wait endpoint-in-service": "DescribeEndpoint",
        "sagemaker wait endpoint-deleted": "DescribeEndpoint",
        "s3api wait object-exists": "HeadObject",
        "logs tail": "FilterLogEvents",
    ]

    /// `list-objects-v2` → `ListObjectsV2`, as botocore names operations.
    static func operationName(_ word: String) -> String {
        word.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    @Test func everyAWSCommandOfTheShellIsAnEntryOfTheTable() {
        let commands = AllCommands.registry().commands.filter { Self.services[$0.family] != nil }
        #expect(commands.count >= 20)
        for command in commands {
            let service = Self.services[command.family]!
            let words = command.path.joined(separator: " ")
            let name = Self.customizations[words] ?? Self.operationName(command.path.last!)
            #expect(OperationTable.entry(service, name) != nil, "aws \(words) offers \(service.rawValue) \(name), which the operation table lacks")
        }
    }

    @Test func entriesAreUniqueAndNamedAsAWSNamesThem() {
        let keys = OperationTable.all.map { "\($0.service.rawValue) \($0.name)" }
        #expect(Set(keys).count == keys.count)
        #expect(OperationTable.entry(.sagemaker, "CreateTransformJob") != nil)
        #expect(OperationTable.entry(.sagemakerRuntime, "InvokeEndpoint") != nil)
        #expect(OperationTable.entry(.sagemaker, "InvokeEndpoint") == nil)
        for entry in OperationTable.all {
            #expect(entry.name.first?.isUppercase == true && !entry.name.contains("-"), "\(entry.name) is not an AWS operation name")
        }
    }

    @Test func anEntryRunsOnTheEngine() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let engine = try Engine.inMemory(workspace: Workspace(root: root))
        let models = try await engine.call(SageMakerOperations.ListModels.self, ListModelsInput())
        #expect(models.models.isEmpty)
        await #expect(throws: AWSError.self) {
            try await engine.call(SageMakerOperations.DescribeModel.self, DescribeModelInput(modelName: "missing"))
        }
    }
}
