import Foundation
import Testing

/// Every AWS command the labs and the README teach is one the real AWS CLI accepts: awscli's
/// argument and shorthand parsers, then botocore's ParamValidator, run by
/// scripts/check_cli_commands.py with the course venv's awscli (no network: it stops before
/// sending).
@Suite(.serialized)
struct RealCLIAcceptanceTests {
    static let script = BinaryRunner.packageRoot.appendingPathComponent("scripts/check_cli_commands.py")

    func runChecker(_ arguments: [String]) throws -> BinaryRunner.Result {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-cli-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = EndpointServer.venv.appendingPathComponent("bin/python")
        process.arguments = [Self.script.path] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["HOME"] = home.path
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRunner.Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                                   error: String(decoding: err, as: UTF8.self))
    }

    @Test func everyLabAndReadmeCommandPassesTheRealCLIsParsingAndValidation() throws {
        let result = try runChecker([BinaryRunner.packageRoot.path])
        #expect(result.status == 0, "the real AWS CLI rejects:\n\(result.output)\(result.error)")
        let summary = try #require(result.output.split(separator: "\n").last.map(String.init))
        let checked = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(checked >= 200, "only \(checked) commands found: \(summary)")
        #expect(summary.hasSuffix("0 rejected"))
    }

    /// The checker can fail: the shorthand the labs once taught is refused with awscli's words,
    /// and botocore's validator refuses an instance count of 0.
    @Test func theCheckerRefusesWhatTheRealCLIRefuses() throws {
        let base = "aws sagemaker create-transform-job --transform-job-name j --model-name m --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://b/in/}}' --transform-output S3OutputPath=s3://b/out/"
        let shorthand = try runChecker(["--command", base + " --transform-resources InstanceType=ml.m5.large,InstanceCount=1 --data-processing 'InputFilter=$[1:],JoinSource=Input,OutputFilter=$[0,-1]'"])
        #expect(shorthand.status == 1)
        #expect(shorthand.output.contains("Error parsing parameter '--data-processing': Expected: ',', received: ']' for input:"))
        let validation = try runChecker(["--command", base + " --transform-resources InstanceType=ml.m5.large,InstanceCount=0"])
        #expect(validation.status == 1)
        #expect(validation.output.contains("Invalid value for parameter TransformResources.InstanceCount, value: 0, valid min value: 1"))
        let accepted = try runChecker(["--command", base + " --transform-resources InstanceType=ml.m5.large,InstanceCount=1"])
        #expect(accepted.status == 0 && accepted.output.contains("accepted"))
    }
}
