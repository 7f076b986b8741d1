import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

struct AWSCLITests {
    /// Option names come from botocore's `xform_name`, applied by the generator.
    @Test(arguments: [("CreateTransformJob", "TransformJobName", "transform-job-name"), ("CreateTransformJob", "MaxPayloadInMB", "max-payload-in-mb"),
                      ("CreateModel", "ExecutionRoleArn", "execution-role-arn"), ("CreateEndpointConfig", "KmsKeyId", "kms-key-id"),
                      ("CreateModel", "EnableNetworkIsolation", "enable-network-isolation")])
    func optionNamesFollowTheAWSCLI(operation: String, member: String, option: String) throws {
        let api = try #require(AWSModels.operation("sagemaker", operation))
        #expect(api.input.member(member)?.optionName == option)
    }

    @Test func shorthandKeepsValuesAsTheyAreWrittenAndTheModelTypesThem() throws {
        let parsed = try ShorthandParser.parse("Image=xgboost,ModelDataUrl=s3://b/k.tar.gz?v=1,Environment={A=1,B='x,y'}")
        #expect(parsed.map(\.0) == ["Image", "ModelDataUrl", "Environment"])
        #expect(parsed[2].1 == .object([("A", .string("1")), ("B", .string("x,y"))]))
        let resources = try #require(AWSModels.operation("sagemaker", "CreateTransformJob")?.input.member("TransformResources"))
        let typed = try ArgumentUnpacking.unpack(["InstanceType=ml.m5.large,InstanceCount=2"], member: resources)
        #expect(typed == .object([("InstanceType", .string("ml.m5.large")), ("InstanceCount", .int(2))]))
        #expect { try ArgumentUnpacking.unpack(["InstanceCount=two"], member: resources) } throws: {
            ($0 as? ArgumentUnpacking.Failure)?.message == "invalid literal for int() with base 10: 'two'"
        }
    }

    @Test func shorthandSyntaxLineIsAwsclis() throws {
        let resources = try #require(AWSModels.operation("sagemaker", "CreateTransformJob")?.input.member("TransformResources"))
        #expect(resources.shape.shorthandSyntax == "InstanceType=string,InstanceCount=integer,VolumeKmsKeyId=string,TransformAmiVersion=string")
        let tags = try #require(AWSModels.operation("sagemaker", "CreateModel")?.input.member("Tags"))
        #expect(tags.shape.shorthandSyntax == "Key=string,Value=string ...")
    }

    @Test func jsonParsesInOrderAndRendersLikeTheAWSCLI() throws {
        let text = #"{"b": 1, "a": [true, null, -2.5e3, "x\"y\u00e9"], "c": {}}"#
        let value = try JSONValue.parse(text)
        #expect(value.rendered() == """
            {
                "b": 1,
                "a": [
                    true,
                    null,
                    -2500.0,
                    "x\\"yé"
                ],
                "c": {}
            }
            """)
        #expect(try JSONValue.parse(value.rendered()) == value)
        #expect { try JSONValue.parse("{\"a\": 1,\n \"b\" 2}") } throws: { "\($0)".contains("line 2") && "\($0)".contains("expected ':'") }
    }

    struct EchoInput: Codable, Sendable { var name: String; var count: Int?; var tags: [String]?; var config: [String: String]? }
    struct EchoOutput: Codable, Sendable { var name: String; var count: Int?; var seen: Date }

    static let echoModel: APIOperation = {
        let name = APIShape(name: "Name", .string, min: 1)
        let input = APIShape(name: "EchoInput", .structure([
            APIMember("Name", name, required: true), APIMember("Count", APIShape(name: "Count", .integer, min: 1)),
            APIMember("Tags", APIShape(name: "Tags", .list(name))),
            APIMember("Config", APIShape(name: "Config", .map(key: name, value: name))),
            APIMember("Hidden", AWSModels.unchecked),
        ]))
        return APIOperation(service: "sagemaker", name: "EchoTest", input: input, leftOut: ["Hidden"])
    }()

    private func echoRegistry() -> CommandRegistry {
        var registry = AllCommands.registry()
        registry.register(AWSCommand.make(
            .sagemaker, "echo-test", operation: "EchoTest", summary: "echo", model: Self.echoModel,
            input: EchoInput.self, output: EchoOutput.self
        ) { input, _ in EchoOutput(name: input.name + "|" + (input.tags ?? []).joined(separator: ","), count: input.count,
                                   seen: Date(timeIntervalSince1970: 1_529_870_369.986)) })
        return registry
    }

    @Test func optionsOverrideCliInputJSONAndOutputKeepsAPIOrder() async throws {
        let harness = try ShellHarness(registry: echoRegistry())
        let file = harness.session.workspace.root.appendingPathComponent("input.json")
        try Data(#"{"Name": "from-file", "Count": 2, "Tags": ["a"]}"#.utf8).write(to: file)
        #expect(await harness.run("sagemaker echo-test --cli-input-json file://\(file.path) --count 5 --tags x y") == 0)
        #expect(harness.output.output == """
            {
                "Name": "from-file|x,y",
                "Count": 5,
                "Seen": "2018-06-24T19:59:29.986000+00:00"
            }

            """)
    }

    @Test func requiredMembersTypesAndMinimaAreCheckedAsBotocoreDoes() async throws {
        let harness = try ShellHarness(registry: echoRegistry())
        #expect(await harness.run("sagemaker echo-test --count 1") == ExitCode.usage)
        #expect(harness.output.error.contains("the following arguments are required: --name"))
        #expect(await harness.run("sagemaker echo-test --name n --count many") == ExitCode.usage)
        #expect(harness.output.error.contains("invalid literal for int() with base 10: 'many'"))
        #expect(await harness.run("sagemaker echo-test --name n --count 0") == ExitCode.usage)
        #expect(harness.output.error.contains("Parameter validation failed:\nInvalid value for parameter Count, value: 0, valid min value: 1"))
        #expect(await harness.run(#"sagemaker echo-test --cli-input-json '{"Name": "n", "Colour": 1}'"#) == ExitCode.usage)
        #expect(harness.output.error.contains(#"Unknown parameter in input: "Colour", must be one of: Name, Count, Tags, Config, Hidden"#))
        #expect(await harness.run(#"sagemaker echo-test --cli-input-json '{"Name": 5, "Count": 0}'"#) == ExitCode.usage)
        #expect(harness.output.error.contains("""
            Parameter validation failed:
            Invalid type for parameter Name, value: 5, type: <class 'int'>, valid types: <class 'str'>
            Invalid value for parameter Count, value: 0, valid min value: 1
            """))
        #expect(await harness.run(#"sagemaker echo-test --cli-input-json '{"Name": "n", "Hidden": 1}'"#) == ExitCode.usage)
        #expect(harness.output.error.contains("InferLab does not offer Hidden of EchoTest"))
        #expect(await harness.run("sagemaker echo-test --name n --hidden 1") == ExitCode.usage)
        #expect(harness.output.error.contains("--hidden is an option of the AWS CLI (Hidden of EchoTest) that InferLab does not offer"))
    }

    @Test func skeletonListsEveryMember() async throws {
        let harness = try ShellHarness(registry: echoRegistry())
        #expect(await harness.run("sagemaker echo-test --generate-cli-skeleton") == 0)
        let skeleton = try JSONValue.parse(harness.output.output)
        #expect(skeleton["Name"] == .string(""))
        #expect(skeleton["Count"] == .int(0))
        #expect(skeleton["Tags"] == .array([.string("")]))
        #expect(skeleton["Config"] == .object([("KeyName", .string(""))]))
        #expect(skeleton["Hidden"] == nil, "a member the kit leaves out is not offered")
    }
}
