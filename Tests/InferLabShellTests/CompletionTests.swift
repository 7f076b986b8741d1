import Foundation
import Testing
@testable import InferLabShell

struct CompletionTests {
    private func complete(_ line: String, harness: ShellHarness) -> [String] {
        // libedit hands over the text after the last space as the word.
        let word = line.hasSuffix(" ") ? "" : String(line.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
        let preceding = String(line.dropLast(word.count))
        return ShellCompleter(session: harness.session).complete(precedingText: preceding, word: word).candidates
    }

    @Test func completesCommandWords() throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        #expect(complete("he", harness: harness) == ["help"])
        #expect(complete("hi", harness: harness) == ["history"])
        #expect(complete("aws s", harness: harness) == ["s3", "sagemaker"])
        #expect(complete("sagemaker cr", harness: harness) == ["create-model"])
        #expect(complete("aws sagemaker ", harness: harness) == ["create-model", "list-models"])
    }

    @Test func completesOptionsNotYetUsed() throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        #expect(complete("s3 cp a b --", harness: harness) == ["--content-type", "--exclude", "--recursive"])
        #expect(complete("s3 cp a b --recursive --", harness: harness) == ["--content-type", "--exclude"])
        #expect(complete("s3 cp a b --exclude x --", harness: harness) == ["--content-type", "--exclude", "--recursive"])
    }

    @Test func completesOptionValues() throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        #expect(complete("s3 cp a b --content-type text/", harness: harness) == ["text/csv"])
        #expect(complete("s3 cp a b --content-type ", harness: harness) == ["application/json", "text/csv"])
    }

    @Test func completesLocalPathsWithoutASpaceAfterFolders() throws {
        let harness = try ShellHarness(registry: sampleRegistry())
        let folder = harness.session.workspace.root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("inner"), withIntermediateDirectories: true)
        try Data("1\n".utf8).write(to: folder.appendingPathComponent("loans.csv"))
        let typed = folder.path + "/"
        #expect(complete("s3 cp \(typed)", harness: harness) == [typed + "inner/", typed + "loans.csv"])
        let single = ShellCompleter(session: harness.session).complete(precedingText: "s3 cp ", word: typed + "in")
        #expect(single.candidates == [typed + "inner/"])
        #expect(!single.appendsSpace)
    }

    @Test func completesUTF8Words() throws {
        var registry = sampleRegistry()
        registry.register(CommandSpec(["lab", "start"], family: .kit, summary: "start",
            arguments: [ArgumentSpec("ID", help: "lab", completion: .values(["émotions", "batch"]))]) { _ in })
        let harness = try ShellHarness(registry: registry)
        #expect(complete("lab start é", harness: harness) == ["émotions"])
    }
}

struct S3CompletionTests {
    @Test func completesBucketsThenOneFolderLevelAtATime() throws {
        let harness = try ShellHarness()
        let store = harness.session.engine.store
        try store.createBucket("loan-lab")
        try store.createBucket("other-lab")
        try store.putObject(bucket: "loan-lab", key: "batch-input/data.csv", data: Data("1\n".utf8))
        try store.putObject(bucket: "loan-lab", key: "batch-output/data.csv.out", data: Data("1\n".utf8))
        try store.putObject(bucket: "loan-lab", key: "readme.txt", data: Data())
        let completer = ShellCompleter(session: harness.session)
        #expect(completer.complete(precedingText: "aws s3 ls ", word: "s3://lo").candidates == ["s3://loan-lab/"])
        #expect(!completer.complete(precedingText: "aws s3 ls ", word: "s3://lo").appendsSpace)
        #expect(completer.complete(precedingText: "aws s3 ls ", word: "s3://loan-lab/").candidates
                == ["s3://loan-lab/batch-input/", "s3://loan-lab/batch-output/", "s3://loan-lab/readme.txt"])
        #expect(completer.complete(precedingText: "s3 cp ", word: "s3://loan-lab/batch-i").candidates == ["s3://loan-lab/batch-input/"])
        #expect(completer.complete(precedingText: "s3 cp ", word: "s3://loan-lab/batch-input/").candidates
                == ["s3://loan-lab/batch-input/data.csv"])
        // Bucket names complete for s3api's --bucket too.
        #expect(completer.complete(precedingText: "s3api head-object --bucket ", word: "ot").candidates == ["other-lab"])
    }
}
