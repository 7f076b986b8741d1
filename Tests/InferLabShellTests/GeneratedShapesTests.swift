import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The generated request shapes are what the generator makes of the checked-in models, and they
/// cover the operation table.
struct GeneratedShapesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theGeneratedFileIsUpToDateWithTheModels() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-shapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("AWSModels.swift")
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".venv/bin/python")
        process.arguments = [Self.root.appendingPathComponent("scripts/generate_api_shapes.py").path, "generate", "--output", output.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let fresh = try String(contentsOf: output, encoding: .utf8)
        let committed = try String(contentsOf: Self.root.appendingPathComponent("Sources/InferLabShell/AWSCLI/Generated/AWSModels.swift"), encoding: .utf8)
        #expect(fresh == committed, "Generated/AWSModels.swift is out of date with scripts/aws-models: run `make shapes`")
    }

    /// Every operation of the engine's table (but IAM's, which no command offers) has its
    /// request shape from AWS's model, and required members are AWS's.
    @Test func everyOperationOfTheTableHasItsModel() throws {
        for entry in OperationTable.all where entry.service != .iam {
            #expect(AWSModels.operation(entry.service.rawValue, entry.name) != nil, "\(entry.service.rawValue) \(entry.name) has no model")
        }
        let job = try #require(AWSModels.operation("sagemaker", "CreateTransformJob"))
        #expect(job.input.members.filter(\.isRequired).map(\.name)
                == ["TransformJobName", "ModelName", "TransformInput", "TransformOutput", "TransformResources"])
        let count = try #require(job.input.member("TransformResources")?.shape.member("InstanceCount"))
        #expect(count.shape.min == 1 && count.isRequired)
        #expect(AWSModels.operation("sagemaker", "CreateModel")?.leftOut == ["VpcConfig"])
    }
}
