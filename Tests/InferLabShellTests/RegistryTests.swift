import Testing
@testable import InferLabShell

struct RegistryTests {
    @Test func resolvesWithAndWithoutTheAWSPrefix() {
        let registry = sampleRegistry()
        for words in [["aws", "s3", "cp", "a", "b"], ["s3", "cp", "a", "b"]] {
            guard case .command(let spec, let rest) = registry.resolve(words) else {
                Issue.record("\(words) did not resolve")
                continue
            }
            #expect(spec.path == ["s3", "cp"])
            #expect(rest == ["a", "b"])
        }
    }

    @Test func aGroupNameListsItsCommands() {
        guard case .group(let prefix, let members) = sampleRegistry().resolve(["aws", "sagemaker"]) else {
            Issue.record("not a group")
            return
        }
        #expect(prefix == ["sagemaker"])
        #expect(Set(members.map(\.path.last!)) == ["create-model", "list-models"])
    }

    @Test func unknownCommandsSuggestTheNearest() {
        guard case .unknown(_, let suggestion) = sampleRegistry().resolve(["hlep"]) else {
            Issue.record("resolved")
            return
        }
        #expect(suggestion == "help")
        guard case .unknown(_, let nested) = sampleRegistry().resolve(["sagemaker", "create-modle"]) else {
            Issue.record("resolved")
            return
        }
        #expect(nested == "sagemaker create-model")
    }

    @Test func nextWordsOfferAWSOnlyAfterAWS() {
        let registry = sampleRegistry()
        #expect(registry.nextWords(after: []).contains("aws"))
        #expect(registry.nextWords(after: []).contains("help"))
        #expect(registry.nextWords(after: ["aws"]) == ["s3", "sagemaker"])
        #expect(registry.nextWords(after: ["sagemaker"]) == ["create-model", "list-models"])
    }

    @Test func parsesOptionsArgumentsAndLists() async throws {
        let recorder = Recorder()
        let harness = try ShellHarness(registry: sampleRegistry(recorder: recorder))
        #expect(await harness.run("s3 cp a.csv s3://b/k --recursive --exclude '*.tmp' --exclude=x --content-type text/csv") == 0)
        let invocation = try #require(recorder.last)
        #expect(invocation.arguments == ["a.csv", "s3://b/k"])
        #expect(invocation.flag("recursive"))
        #expect(invocation.values("exclude") == ["*.tmp", "x"])
        #expect(invocation.value("content-type") == "text/csv")

        #expect(await harness.run("sagemaker create-model --model-name m --tags a b c") == 0)
        #expect(recorder.last?.values("tags") == ["a", "b", "c"])
    }

    @Test(arguments: [
        ("sagemaker create-model", "the following arguments are required: --model-name"),
        ("sagemaker create-model --model-name a --model-nme b", "did you mean --model-name?"),
        ("sagemaker create-model --model-name a --model-name b", "--model-name was given more than once"),
        ("s3 cp onlyone", "the following arguments are required: DESTINATION"),
        ("s3 cp a b c", "unexpected argument(s): 'c'"),
        ("s3 cp a b --recursive=yes", "--recursive takes no value"),
        ("sagemaker list-models --max-results ten", "--max-results takes a whole number, not 'ten'"),
        ("s3 cp 'a b", "unterminated single quote"),
        ("frobnicate", "unknown command 'frobnicate'"),
    ])
    func usageErrorsAreClearAndExit252(line: String, message: String) async throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        #expect(await harness.run(line) == ExitCode.usage)
        #expect(harness.output.error.contains(message), "stderr: \(harness.output.error)")
    }

    @Test func helpComesFromTheDeclaration() async throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        for line in ["help s3 cp", "s3 cp --help", "aws s3 cp help"] {
            #expect(await harness.run(line) == 0)
        }
        let usage = "Usage: aws s3 cp SOURCE DESTINATION [--recursive] [--exclude VALUE] [--content-type VALUE]"
        #expect(harness.output.output.components(separatedBy: usage).count == 4)
        #expect(await harness.run("help") == 0)
        #expect(harness.output.output.contains("AWS SageMaker"))
        #expect(harness.output.output.contains("create-model"))
    }

    @Test func markdownReferenceListsEveryVisibleCommand() {
        let markdown = HelpRenderer.markdownReference(sampleRegistry())
        #expect(markdown.contains("| `aws sagemaker create-model --model-name VALUE [--tags VALUE [VALUE ...]]` | Create a model |"))
        #expect(markdown.contains("#### InferLab (kit commands, not part of AWS)"))
    }

    @Test func exitStopsTheSessionWithItsStatus() async throws {
        let harness = try ShellHarness()
        #expect(await harness.run("exit 3") == 0)
        #expect(harness.session.requestedExitStatus == 3)
        #expect(await harness.run("exit 300") == ExitCode.usage)
    }
}
