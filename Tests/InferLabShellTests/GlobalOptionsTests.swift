import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The AWS CLI's global options on the shell's AWS commands: anywhere on the line, checked once,
/// and `aws configure` / `aws sts get-caller-identity`.
struct GlobalOptionsTests {
    @Test func globalOptionsStandBeforeOrAfterTheService() async throws {
        let shell = try ShellHarness()
        #expect(await shell.run("aws --region us-east-1 --output text --query Account sts get-caller-identity") == 0)
        #expect(await shell.run("aws sts get-caller-identity --query Account --output=text --region=us-east-1") == 0)
        #expect(shell.output.output == "123456789012\n123456789012\n")
    }

    @Test func optionsThatOnlyMatterOnANetworkAreAccepted() async throws {
        let shell = try ShellHarness()
        let line = "aws sts get-caller-identity --no-verify-ssl --endpoint-url http://localhost:4566 --debug --no-cli-pager "
            + "--cli-read-timeout 5 --cli-connect-timeout 5 --no-sign-request --color off --cli-binary-format raw-in-base64-out --query Account"
        #expect(await shell.run(line) == 0, "\(shell.output.error)")
        #expect(shell.output.output == "\"123456789012\"\n")
    }

    @Test(arguments: [
        ("aws sts get-caller-identity --output xml", ExitCode.usage, "argument --output: Invalid choice"),
        ("aws sts get-caller-identity --cli-read-timeout soon", ExitCode.usage, "invalid int value: 'soon'"),
        ("aws sts get-caller-identity --query", ExitCode.usage, "argument --query: expected one argument"),
        ("aws sts get-caller-identity --region us-west-2", ExitCode.generalError, "the kit is one region, us-east-1, and has no us-west-2"),
        ("aws sts get-caller-identity --region moon-base-1", ExitCode.generalError, "Could not connect to the endpoint URL: \"https://sts.moon-base-1.amazonaws.com/\""),
        ("aws sts get-caller-identity --region us_east_1", ExitCode.generalError, "Provided region_name 'us_east_1' doesn't match a supported format."),
        ("aws sts get-caller-identity --profile nope", ExitCode.generalError, "The config profile (nope) could not be found"),
        ("aws sts get-caller-identity --endpoint-url localhost", ExitCode.generalError, "scheme is missing"),
        ("aws sts get-caller-identity --query 'Account['", ExitCode.generalError, "Bad value for --query Account[: Invalid jmespath expression: Incomplete expression"),
        ("aws sts get-caller-identity --query 'length(`1`)'", ExitCode.generalError, "In function length(), invalid type for value: 1"),
    ])
    func badGlobalOptionsAreRefusedAsTheCLIRefusesThem(line: String, status: Int32, message: String) async throws {
        let shell = try ShellHarness()
        #expect(await shell.run(line) == status)
        #expect(shell.output.error.contains(message), "\(shell.output.error)")
        #expect(shell.output.output.isEmpty)
    }

    @Test func kitCommandsKeepTheirOwnOutputOption() throws {
        let registry = AllCommands.registry()
        #expect(try GlobalOptions.separate(["dataset", "make", "--output", "loans.csv"], registry: registry) == nil)
        let (options, rest) = try #require(try GlobalOptions.separate(["aws", "--output", "table", "sagemaker", "list-models"], registry: registry))
        #expect(options.output == .table && rest == ["aws", "sagemaker", "list-models"])
    }

    @Test func configureSetsRegionAndOutputInTheWorkspace() async throws {
        let shell = try ShellHarness()
        #expect(await shell.run("aws configure get output") == ExitCode.failure)
        #expect(await shell.run("aws configure set output text") == 0)
        #expect(await shell.run("aws configure set region us-east-1") == 0)
        #expect(await shell.run("aws configure get output") == 0)
        #expect(await shell.run("aws sts get-caller-identity --query Account") == 0)
        #expect(shell.output.output == "text\n123456789012\n")
        let file = try String(contentsOf: shell.session.baseWorkspace.stateDirectory.appendingPathComponent("aws-config"), encoding: .utf8)
        #expect(file == "[default]\noutput = text\nregion = us-east-1\n")
        #expect(await shell.run("aws configure set region eu-west-1") == ExitCode.generalError)
        #expect(await shell.run("aws configure set aws_access_key_id AKIA") == ExitCode.usage)
        #expect(shell.output.error.contains("The kit needs no credentials"))
    }

    @Test func profilesComeFromTheWorkspaceConfig() async throws {
        let shell = try ShellHarness()
        #expect(await shell.run("aws configure set output json --profile lab") == 0)
        #expect(await shell.run("aws sts get-caller-identity --profile lab --query Account --output text") == 0)
        #expect(await shell.run("aws configure list --profile lab") == 0)
        #expect(shell.output.output.hasPrefix("123456789012\n      Name                    Value             Type    Location\n"))
        #expect(shell.output.output.contains("   profile                      lab           manual    --profile\n"))
        #expect(shell.output.output.contains("access_key                <not set>             None    None\n"))
    }

    @Test func tableOutputCarriesTheOperationName() async throws {
        let shell = try ShellHarness()
        #expect(await shell.run("aws sts get-caller-identity --output table") == 0)
        // Wider than 80 columns, so the CLI turns the one row into key-value rows.
        #expect(shell.output.output == """
            ------------------------------------------------------------------------------
            |                              GetCallerIdentity                             |
            +---------+------------------------------------------------------------------+
            |  Account|  123456789012                                                    |
            |  Arn    |  arn:aws:sts::123456789012:assumed-role/SageMakerRole/inferlab   |
            |  UserId |  AROA123456789012INFERLAB:inferlab                               |
            +---------+------------------------------------------------------------------+

            """)
    }

    /// `--no-paginate` (or a token) prints one page as the service sent it, NextToken and all;
    /// without, the CLI follows the tokens and prints every configuration.
    @Test func noPaginatePrintsTheServicesPage() async throws {
        let shell = try ShellHarness()
        let store = shell.session.engine.store
        try store.createBucket("bkt")
        _ = try store.putObject(bucket: "bkt", key: "model.tar.gz", data: try Data(contentsOf: KitConfiguration.checkout.referenceModelsFolder.appendingPathComponent("xgboost/model.tar.gz")))
        _ = try shell.session.engine.sagemaker.createModel(CreateModelInput(
            modelName: "m", primaryContainer: ContainerDefinition(image: "xgboost", modelDataUrl: "s3://bkt/model.tar.gz")))
        for index in 0..<12 {
            _ = try shell.session.engine.sagemaker.createEndpointConfig(CreateEndpointConfigInput(
                endpointConfigName: "c-\(index)", productionVariants: [ProductionVariant(variantName: "v", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large")]))
        }
        #expect(await shell.run("aws sagemaker list-endpoint-configs --query 'length(EndpointConfigs)' --output text") == 0)
        #expect(await shell.run("aws sagemaker list-endpoint-configs --no-paginate --query '[length(EndpointConfigs), NextToken != null]' --output text") == 0)
        #expect(shell.output.output == "12\n10\tTrue\n", "SageMaker's default page is 10 configurations")
    }
}
