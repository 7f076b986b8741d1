import Foundation
import Testing

/// The binary reads AWS commands as the real CLI does: botocore's validation before anything
/// runs (exit 252), awscli's shorthand, boolean flags, blob parameters, required options in
/// usage lines, silent waiters, and `aws s3api` for every S3 operation of the table.
@Suite(.serialized)
struct CLIParsingTests {
    static let setup = """
        aws s3 mb s3://loan-lab
        aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
        aws s3 cp datasets/loans/data.csv s3://loan-lab/batch-input/data.csv
        """
    static let job = "aws sagemaker create-transform-job --transform-job-name j1 --model-name loan-xgb --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://loan-lab/out/,AssembleWith=Line"

    @Test func validationFailsBeforeAnythingRunsInBotocoresWords() throws {
        let runner = BinaryRunner()
        let result = try runner.script(Self.setup + "\n" + """
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            \(Self.job) --transform-resources InstanceType=ml.m5.large,InstanceCount=0,Colour=red
            """)
        #expect(result.status == 252)
        #expect(result.error.contains("""
            Parameter validation failed:
            Unknown parameter in TransformResources: "Colour", must be one of: InstanceType, InstanceCount, VolumeKmsKeyId, TransformAmiVersion
            Invalid value for parameter TransformResources.InstanceCount, value: 0, valid min value: 1
            """), "\(result.error)")
        let listed = try runner.script("aws sagemaker list-transform-jobs")
        #expect(listed.output.contains("\"TransformJobSummaries\": []"), "no job was made: \(listed.output)")
    }

    @Test func shorthandTheRealCLIRefusesIsRefusedWithItsMessage() throws {
        let result = try BinaryRunner().script(Self.job + " --transform-resources InstanceType=ml.m5.large,InstanceCount=1 --data-processing 'InputFilter=$[1:],JoinSource=Input,OutputFilter=$[0,-1]'")
        #expect(result.status == 252)
        #expect(result.error.contains("""
            Error parsing parameter '--data-processing': Expected: ',', received: ']' for input:
            InputFilter=$[1:],JoinSource=Input,OutputFilter=$[0,-1]
                            ^
            """), "\(result.error)")
    }

    @Test func booleansAreBareFlagsAndTheirNegations() throws {
        let runner = BinaryRunner()
        let result = try runner.script(Self.setup + "\n" + """
            aws sagemaker create-model --model-name isolated --enable-network-isolation --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-model --model-name open --no-enable-network-isolation --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker describe-model --model-name isolated
            aws sagemaker describe-model --model-name open
            """)
        #expect(result.status == 0, "\(result.error)")
        let flags = result.output.split(separator: "\n").filter { $0.contains("\"EnableNetworkIsolation\"") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(flags == ["\"EnableNetworkIsolation\": true", "\"EnableNetworkIsolation\": false"], "\(result.output)")
        let valued = try runner.script("aws sagemaker create-model --model-name x --enable-network-isolation true")
        #expect(valued.status == 252, "a boolean takes no value, as on the CLI")
    }

    @Test func usageLinesShowRequiredOptionsAsRequired() throws {
        let result = try BinaryRunner().script("aws sagemaker create-model")
        #expect(result.status == 252)
        #expect(result.error.contains("the following arguments are required: --model-name"))
        #expect(result.error.contains("aws sagemaker create-model --model-name MODELNAME [--primary-container"), "\(result.error)")
    }

    @Test func blobParametersReadFiles() throws {
        let runner = BinaryRunner()
        let result = try runner.script("""
            aws s3 mb s3://loan-lab
            aws s3api put-object --bucket loan-lab --key in/data.csv --body datasets/loans/data.csv
            aws s3api put-object --bucket loan-lab --key in/missing.csv --body datasets/loans/no-such-file.csv
            """, ["--keep-going"])
        #expect(result.error.contains("Error parsing parameter '--body': Blob values must be a path to a file."), "\(result.error)")
        let listed = try runner.script("aws s3api list-objects-v2 --bucket loan-lab")
        #expect(listed.output.contains("\"Key\": \"in/data.csv\"") && !listed.output.contains("missing.csv"))
    }

    @Test func everyS3OperationIsAnS3APICommand() throws {
        let runner = BinaryRunner()
        let result = try runner.script("""
            aws s3api create-bucket --bucket loan-lab
            aws s3api put-object --bucket loan-lab --key a.csv --body datasets/loans/data.csv
            aws s3api copy-object --copy-source loan-lab/a.csv --bucket loan-lab --key b.csv
            aws s3api list-buckets
            aws s3api delete-objects --bucket loan-lab --delete 'Objects=[{Key=a.csv},{Key=b.csv}]'
            aws s3api list-objects --bucket loan-lab
            aws s3api get-object --bucket loan-lab --key a.csv out.csv
            """, ["--keep-going"])
        #expect(result.output.contains("\"CopyObjectResult\""), "\(result.output)")
        #expect(result.output.contains("\"Name\": \"loan-lab\""))
        #expect(result.output.contains("\"Deleted\": [") && result.output.contains("\"Key\": \"b.csv\""))
        #expect(result.error.contains("An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."), "\(result.error)")
        #expect(result.status == 254)
    }

    @Test func awaiterPrintsNothingWhenItSucceeds() throws {
        let runner = BinaryRunner()
        let result = try runner.run([], input: Self.setup + "\n" + """
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            \(Self.job) --transform-resources InstanceType=ml.m5.large,InstanceCount=1
            aws sagemaker wait transform-job-completed-or-stopped --transform-job-name j1
            aws sagemaker list-models
            aws logs describe-log-groups --log-group-name-prefix /aws/sagemaker/
            """, environment: ["INFERLAB_PROVISIONING_SECONDS": "0.1"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let arn = try #require(lines.firstIndex { $0.contains("\"TransformJobArn\"") })
        #expect(lines[arn + 1] == "}" && lines[arn + 2] == "{" && lines[arn + 3].contains("\"Models\""), "the waiter printed: \(result.output)")
        // CloudWatch Logs' operations are commands too, camelCase as the service writes them.
        #expect(result.output.contains("\"logGroupName\": \"/aws/sagemaker/TransformJobs\""), "\(result.output)")
    }

    /// The real CLI, asked through the kit's endpoint, prints the same timestamp as the shell:
    /// AWS's millisecond precision, as Python's isoformat writes it. (CLI v1 prints the wire's
    /// epoch number unless `cli_timestamp_format = iso8601`, v2's default, which the kit follows.)
    @Test func timestampsPrintAsTheRealCLIPrintsThemFromTheEndpoint() throws {
        let runner = BinaryRunner()
        let made = try runner.script(Self.setup + "\n" + "aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz")
        #expect(made.status == 0, "\(made.error)")
        let server = try EndpointServer(runner: runner)
        defer { server.stop() }
        func creationTime(_ text: String) -> String? {
            text.split(separator: "\n").first { $0.contains("\"CreationTime\"") }.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let config = runner.workspace.appendingPathComponent("cli-v2-timestamps.ini")
        try Data("[default]\ncli_timestamp_format = iso8601\n".utf8).write(to: config)
        let real = try server.client(["aws", "sagemaker", "describe-model", "--model-name", "loan-xgb"], extra: ["AWS_CONFIG_FILE": config.path])
        let shell = try runner.run(["-c", "aws sagemaker describe-model --model-name loan-xgb"])
        let printed = try #require(creationTime(real.output), "\(real.output)\(real.error)")
        #expect(creationTime(shell.output) == printed)
        #expect(printed.range(of: #"T\d\d:\d\d:\d\d(\.\d{3}000)?\+00:00",?$"#, options: .regularExpression) != nil, "\(printed)")
    }
}
