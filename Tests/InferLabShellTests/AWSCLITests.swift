import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

struct AWSCLITests {
    @Test(arguments: [("ModelName", "model-name"), ("S3OutputPath", "s3-output-path"), ("MaxPayloadInMB", "max-payload-in-mb"),
                      ("ModelDataUrl", "model-data-url"), ("S3Uri", "s3-uri"), ("InferenceId", "inference-id"),
                      ("ExecutionRoleArn", "execution-role-arn"), ("KmsKeyId", "kms-key-id")])
    func optionNamesFollowTheAWSCLI(member: String, option: String) {
        #expect(APIMember(member, .string).optionName == option)
    }

    @Test func shorthandParsesNestedStructuresMapsAndQuotes() throws {
        let shape = ModelCommands.containerShape
        let value = try ShorthandParser.parse("Image=xgboost,ModelDataUrl=s3://b/k.tar.gz?v=1,Environment={A=1,B='x,y'}", shape: shape)
        #expect(value == .object([("Image", .string("xgboost")), ("ModelDataUrl", .string("s3://b/k.tar.gz?v=1")),
                                  ("Environment", .object([("A", .string("1")), ("B", .string("x,y"))]))]))
        let typed = APIShape.structure([APIMember("Count", .integer), APIMember("On", .boolean), APIMember("Ids", .list(.string))])
        #expect(try ShorthandParser.parse("Count=3,On=true,Ids=[a,b]", shape: typed)
                == .object([("Count", .int(3)), ("On", .bool(true)), ("Ids", .array([.string("a"), .string("b")]))]))
    }

    @Test(arguments: [
        ("Image", "Expected: '=', received: 'EOF'"),
        ("Image=x,Colour=red", "Unknown key 'Colour'; valid keys are: ContainerHostname, Image, Mode, ModelDataUrl, Environment"),
        ("Environment={A=1", "Expected: '}', received: 'EOF'"),
    ])
    func shorthandErrorsSayWhatWasExpected(input: String, message: String) {
        #expect { try ShorthandParser.parse(input, shape: ModelCommands.containerShape) } throws: {
            ($0 as? ShorthandParser.Failure)?.message == message
        }
    }

    @Test func shorthandSyntaxLineIsDerivedFromTheShape() {
        #expect(ModelCommands.containerShape.shorthandSyntax
                == "ContainerHostname=string,Image=string,Mode=string,ModelDataUrl=string,Environment={KeyName1=string,KeyName2=string}")
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

    private func echoRegistry() -> CommandRegistry {
        var registry = AllCommands.registry()
        registry.register(AWSCommand.make(
            .sagemaker, "echo-test", operation: "EchoTest", summary: "echo",
            members: [APIMember("Name", .string, required: true), APIMember("Count", .integer),
                      APIMember("Tags", .list(.string)), APIMember("Config", .map(.string))],
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

    @Test func requiredMembersAndTypesAreChecked() async throws {
        let harness = try ShellHarness(registry: echoRegistry())
        #expect(await harness.run("sagemaker echo-test --count 1") == ExitCode.usage)
        #expect(harness.output.error.contains("the following arguments are required: --name"))
        #expect(await harness.run("sagemaker echo-test --name n --count many") == ExitCode.usage)
        #expect(harness.output.error.contains("Error parsing parameter '--count': Expected an integer, received: 'many'"))
        #expect(await harness.run(#"sagemaker echo-test --cli-input-json '{"Name": "n", "Colour": 1}'"#) == ExitCode.usage)
        #expect(harness.output.error.contains("unknown member \"Colour\""))
        #expect(await harness.run(#"sagemaker echo-test --cli-input-json '{"Name": 5}'"#) == ExitCode.usage)
        #expect(harness.output.error.contains("Invalid type for parameter Name"))
    }

    @Test func skeletonListsEveryMember() async throws {
        let harness = try ShellHarness(registry: echoRegistry())
        #expect(await harness.run("sagemaker echo-test --generate-cli-skeleton") == 0)
        let skeleton = try JSONValue.parse(harness.output.output)
        #expect(skeleton["Name"] == .string(""))
        #expect(skeleton["Count"] == .int(0))
        #expect(skeleton["Tags"] == .array([.string("")]))
        #expect(skeleton["Config"] == .object([("KeyName", .string(""))]))
    }
}
