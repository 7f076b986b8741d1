import Foundation
import Testing
import InferLabShell

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
            ["aws", "sagemaker", "create-endpoint", "--endpoint-name", "async-endpoint", "--endpoint-config-name", "async-config"],
            ["aws", "sagemaker", "wait", "endpoint-in-service", "--endpoint-name", "async-endpoint"],
        ]
        for step in steps {
            let result = try server.client(step)
            guard result.status == 0 else { throw EndpointServer.ServerError(message: "\(step.prefix(3)): \(result.error)") }
        }
        return server
    }

    /// The lines compared, each with --output json, text and table: whole describe and list answers
    /// (the issue's "byte for byte"), and queries around them.
    static let lines: [[String]] = {
        let job = ["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "cli-job"]
        let model = ["aws", "sagemaker", "describe-model", "--model-name", "loan-xgb"]
        let config = ["aws", "sagemaker", "describe-endpoint-config", "--endpoint-config-name", "async-config"]
        let objects = ["aws", "s3api", "list-objects-v2", "--bucket", "loan-lab"]
        return [
            job, config, objects,
            ["aws", "sagemaker", "describe-endpoint", "--endpoint-name", "async-endpoint"],
            ["aws", "s3api", "list-buckets"],
            job + ["--query", "TransformJobStatus"],
            job + ["--query", "{Name: TransformJobName, Status: TransformJobStatus, Type: TransformInput.ContentType, Resources: TransformResources}"],
            job + ["--query", "[TransformJobName, TransformInput.DataSource.S3DataSource.S3Uri, TransformOutput.S3OutputPath]"],
            model, model + ["--query", "PrimaryContainer"],
            ["aws", "sagemaker", "list-models"], ["aws", "sagemaker", "list-models", "--query", "Models[].ModelName"],
            ["aws", "sagemaker", "list-models", "--max-items", "1"],
            ["aws", "sagemaker", "list-transform-jobs"],
            ["aws", "sagemaker", "list-transform-jobs", "--query", "TransformJobSummaries[?TransformJobStatus=='Completed'].[TransformJobName, TransformJobStatus]"],
            ["aws", "sagemaker", "list-endpoint-configs"],
            config + ["--query", "{Name: EndpointConfigName, Variants: ProductionVariants[].{Name: VariantName, Type: InstanceType, Count: InitialInstanceCount}, Async: AsyncInferenceConfig}"],
            objects + ["--query", "Contents[].{Key: Key, Size: Size, ETag: ETag}"],
            objects + ["--query", "length(Contents)"],
            objects + ["--max-items", "1", "--query", "{Keys: Contents[].Key, Token: NextToken}"],
            ["aws", "s3api", "head-object", "--bucket", "loan-lab", "--key", "batch-input/data.csv", "--query", "[ContentLength, ETag, ContentType]"],
            ["aws", "sts", "get-caller-identity"], ["aws", "sts", "get-caller-identity", "--query", "Account"],
        ]
    }()

    /// The real CLI set to print timestamps as v2 does (ISO 8601; v1's default is the wire's
    /// epoch seconds). The shell follows v2.
    static let cliConfig: URL = {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-diff-config-\(UUID().uuidString)")
        try? Data("[default]\ncli_timestamp_format = iso8601\n".utf8).write(to: file)
        return file
    }()

    /// What the shell prints and returns for a line, and what the real CLI does.
    static func both(_ server: EndpointServer, _ words: [String]) throws -> (shell: BinaryRunner.Result, cli: BinaryRunner.Result) {
        return (try server.runner.run(["-c", Tokenizer.join(words)]), try server.client(words, extra: ["AWS_CONFIG_FILE": cliConfig.path]))
    }

    @Test func outputsMatchTheRealCLI() throws {
        let server = try Self.preparedServer()
        var compared = 0
        for line in Self.lines {
            for format in ["json", "text", "table"] {
                let words = line + ["--output", format]
                let (shell, cli) = try Self.both(server, words)
                guard cli.status == 0 else {
                    Issue.record("the real CLI failed: \(words.joined(separator: " ")): \(cli.error)")
                    continue
                }
                compared += 1
                #expect(shell.status == 0, "\(words.joined(separator: " ")): \(shell.error)")
                #expect(shell.output == cli.output, "\(words.joined(separator: " "))\n--- shell:\n\(shell.output)\n--- aws:\n\(cli.output)")
            }
        }
        #expect(compared == Self.lines.count * 3)
    }

    /// describe-transform-job has AWS's members alone, as the real CLI shows them; the kit's view
    /// inside the job is a kit command of its own.
    @Test func theKitsProgressIsAKitCommand() throws {
        let server = try Self.preparedServer()
        let described = try server.runner.run(["-c", "aws sagemaker describe-transform-job --transform-job-name cli-job"])
        #expect(described.status == 0 && !described.output.contains("InferLabProgress") && described.output.contains("\"TransformJobStatus\": \"Completed\""))
        let progress = try server.runner.run(["-c", "transform progress cli-job"])
        #expect(progress.status == 0, "\(progress.error)")
        let json = try JSONSerialization.jsonObject(with: Data(progress.output.utf8)) as? [String: Any]
        let inside = json?["InferLabProgress"] as? [String: Any]
        #expect(json?["TransformJobStatus"] as? String == "Completed")
        #expect(inside?["FilesDone"] as? Int == 1 && inside?["Records"] as? Int == 2, "\(progress.output)")
        let missing = try server.runner.run(["-c", "transform progress nope"])
        #expect(missing.status != 0 && missing.error.contains("ValidationException"), "\(missing.error)")
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
