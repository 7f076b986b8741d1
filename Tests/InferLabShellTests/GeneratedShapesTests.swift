import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The generated shapes (the shell's request shapes, the engine's Codable shapes) are what the
/// generator makes of the checked-in models, and they cover the operation table.
struct GeneratedShapesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every generated file: the shell's request shapes and the engine's Codable shapes.
    static let generated = [
        "Sources/InferLabShell/AWSCLI/Generated/AWSModels.swift",
        "Sources/InferLabEngine/API/Generated/SageMakerShapes.swift",
        "Sources/InferLabEngine/API/Generated/ApplicationAutoScalingShapes.swift",
        "Sources/InferLabEngine/API/Generated/LogsShapes.swift",
    ]

    @Test func theGeneratedFilesAreUpToDateWithTheModels() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-shapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".venv/bin/python")
        process.arguments = [Self.root.appendingPathComponent("scripts/generate_api_shapes.py").path, "generate", "--output-dir", folder.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(written == Self.generated.map { ($0 as NSString).lastPathComponent }.sorted(), "the generator writes other files than the test knows")
        for path in Self.generated {
            let name = (path as NSString).lastPathComponent
            let fresh = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let committed = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            #expect(fresh == committed, "\(path) is out of date with scripts/aws-models: run `make shapes`")
        }
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
