import Foundation
import Testing

/// The shell against the real AWS CLI (v1, the course venv's) on the same workspace, served by
/// `inferlab serve`: for each command, output format and `--query`, the same stdout and the same
/// exit status. Where v1 and v2 differ the shell follows v2: a service error exits 254 (v1: 255).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: EndpointServer.venv.appendingPathComponent("bin/aws").path)))
struct CLIOutputDifferentialTests {
    /// One workspace with a bucket, objects, a model and a completed transform job, made by the
    /// real CLI.
    static func preparedServer() throws -> EndpointServer {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("25,50000,2\n35,60000,3\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
        let model = BinaryRunner.packageRoot.appendingPathComponent("datasets/models/xgboost/model.tar.gz").path
        let steps: [[String]] = [
            ["aws", "s3", "mb", "s3://loan-lab"],
            ["aws", "s3", "cp", model, "s3://loan-lab/models/xgboost/model.tar.gz", "--only-show-errors"],
            ["aws", "s3", "cp", folder.appendingPathComponent("data.csv").path, "s3://loan-lab/batch-input/data.csv", "--only-show-errors"],
            ["aws", "sagemaker", "create-model", "--model-name", "loan-xgb", "--execution-role-arn", "arn:aws:iam::123456789012:role/SageMakerRole",
             "--primary-container", "Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz"],
            ["aws", "sagemaker", "create-transform-job", "--transform-job-name", "cli-job", "--model-name", "loan-xgb",
             "--transform-input", "DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},ContentType=text/csv,SplitType=Line",
             "--transform-output", "S3OutputPath=s3://loan-lab/batch-output/", "--transform-resources", "InstanceType=ml.m5.large,InstanceCount=1"],
            ["aws", "sagemaker", "wait", "transform-job-completed-or-stopped", "--transform-job-name", "cli-job"],
            ["aws", "sagemaker", "create-endpoint-config", "--endpoint-config-name", "async-config", "--production-variants",
             "VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1",
             "--async-inference-config", "OutputConfig={S3OutputPath=s3://loan-lab/async-output/}"],
        ]
        for step in steps {
            let result = try server.client(step)
            guard result.status == 0 else { throw EndpointServer.ServerError(message: "\(step.prefix(3)): \(result.error)") }
        }
        return server
    }

    static let commands: [[String]] = [
        ["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "cli-job"],
        ["aws", "sagemaker", "describe-model", "--model-name", "loan-xgb"],
        ["aws", "sagemaker", "list-models"],
        ["aws", "sagemaker", "list-transform-jobs"],
        ["aws", "sagemaker", "describe-endpoint-config", "--endpoint-config-name", "async-config"],
        ["aws", "sagemaker", "list-endpoint-configs"],
        ["aws", "s3api", "head-object", "--bucket", "loan-lab", "--key", "batch-input/data.csv"],
        ["aws", "s3api", "list-objects-v2", "--bucket", "loan-lab"],
        ["aws", "sts", "get-caller-identity"],
    ]

    static let queries: [[String]] = [
        [],
        ["--query", "TransformJobStatus"],
        ["--query", "{Name: TransformJobName, Status: TransformJobStatus, Type: TransformInput.ContentType}"],
        ["--query", "Models[].ModelName"],
        ["--query", "TransformJobSummaries[?TransformJobStatus=='Completed'].[TransformJobName, TransformJobStatus]"],
        ["--query", "Contents[].{Key: Key, Size: Size}"],
        ["--query", "length(Contents)"],
        ["--query", "ProductionVariants[0]"],
        ["--query", "Account"],
    ]

    /// What the shell prints and returns for a line, and what the real CLI does.
    static func both(_ server: EndpointServer, _ words: [String]) throws -> (shell: BinaryRunner.Result, cli: BinaryRunner.Result) {
        let line = words.map { $0.contains(where: { " '{}[]?=|,".contains($0) }) ? "'" + $0 + "'" : $0 }.joined(separator: " ")
        return (try server.runner.run(["-c", line]), try server.client(words))
    }

    @Test func outputsMatchTheRealCLI() throws {
        let server = try Self.preparedServer()
        var compared = 0
        for command in Self.commands {
            for query in Self.queries {
                for format in ["json", "text", "table"] {
                    let words = command + query + ["--output", format]
                    let (shell, cli) = try Self.both(server, words)
                    guard cli.status == 0 else { continue }
                    compared += 1
                    #expect(shell.status == 0, "\(words.joined(separator: " ")): \(shell.error)")
                    #expect(shell.output == cli.output, "\(words.joined(separator: " "))\n--- shell:\n\(shell.output)\n--- aws:\n\(cli.output)")
                }
            }
        }
        #expect(compared > 60)
    }

    /// Global options before the service, and the issue's own lines.
    @Test func globalOptionsStandAnywhere() throws {
        let server = try Self.preparedServer()
        let lines: [[String]] = [
            ["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "cli-job", "--region", "us-east-1", "--query", "TransformJobStatus", "--output", "text"],
            ["aws", "--region", "us-east-1", "--output", "table", "sagemaker", "list-models"],
            ["aws", "--query", "Contents[0].Key", "s3api", "list-objects-v2", "--bucket", "loan-lab", "--output=text"],
            ["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text", "--no-verify-ssl", "--cli-read-timeout", "5"],
        ]
        for words in lines {
            let (shell, cli) = try Self.both(server, words)
            #expect(cli.status == 0, "\(cli.error)")
            #expect(shell.status == cli.status && shell.output == cli.output,
                    "\(words.joined(separator: " "))\n--- shell:\n\(shell.output)\(shell.error)\n--- aws:\n\(cli.output)")
        }
        let status = try server.runner.run(["-c", lines[0].joined(separator: " ")])
        #expect(status.output == "Completed\n")
    }

    /// Errors: a missing resource (the service's code on stderr; exit 254 as v2, v1 says 255), a
    /// query that does not parse, a function given the wrong type (255 for both).
    @Test func errorsMatchTheRealCLI() throws {
        let server = try Self.preparedServer()
        let missing = try Self.both(server, ["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "nope"])
        #expect(missing.cli.status == 255 && missing.shell.status == 254)
        #expect(missing.cli.error.contains("ValidationException") && missing.shell.error.contains("ValidationException"), "\(missing.shell.error)")
        #expect(missing.shell.output.isEmpty && missing.cli.output.isEmpty)
        for query in ["Models[", "length(`1`)", "abs(ModelName, `2`)"] {
            let (shell, cli) = try Self.both(server, ["aws", "sagemaker", "describe-model", "--model-name", "loan-xgb", "--query", query])
            #expect(cli.status == 255 && shell.status == 255, "\(query): \(shell.error)")
            #expect(shell.error == cli.error, "\(query)\n--- shell:\n\(shell.error)\n--- aws:\n\(cli.error)")
        }
    }
}
