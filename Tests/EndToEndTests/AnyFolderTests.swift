import Foundation
import Testing

/// The kit started from a folder that is not its checkout: it finds its labs and datasets beside
/// its binary, and everything a lab makes (local files, bundles, the learner's name) goes into the
/// workspace, never into the folder it was started in.
@Suite(.serialized)
struct AnyFolderTests {
    /// An empty folder outside the checkout to start the kit in.
    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let environment = ["INFERLAB_PROVISIONING_SECONDS": "0"]

    @Test func labOneRunsFromAnotherFolderAndLeavesItEmpty() throws {
        let runner = BinaryRunner()
        let here = try Self.emptyFolder()
        let steps = String(repeating: "lab solve\n", count: 5)
        let result = try runner.run([], input: "lab start batch-end-to-end\n" + steps + """
            aws s3 cp s3://loan-lab/batch-output/data.csv.out lab-data/data.csv.out
            datasets generate --rows 10 --seed 1 --output lab-data/more/ten.csv
            lab grade --output json
            lab submit --name erin
            """, environment: Self.environment, in: here)
        #expect(result.status == 0, "\(result.error)")
        #expect(!result.output.contains("no labs found"), "\(result.output)")
        #expect(result.output.contains("Lab complete!"))
        let grade = result.output.components(separatedBy: "\"Points\": ").dropFirst().first?.prefix { $0.isNumber }
        let maximum = result.output.components(separatedBy: "\"MaxPoints\": ").dropFirst().first?.prefix { $0.isNumber }
        #expect(grade != nil && grade == maximum, "full marks: the solves' datasets/… paths were found from another folder")

        let lab = runner.workspace.appendingPathComponent("labs/batch-end-to-end")
        // lab start says where lab-data/ is.
        #expect(result.output.contains("lab-data/ in commands, are in \(lab.path)/lab-data/"), "\(result.output)")
        let download = try String(contentsOf: lab.appendingPathComponent("lab-data/data.csv.out"), encoding: .utf8)
        #expect(download.split(separator: "\n").count == 3, "the download went to the lab's lab-data/: \(download)")
        #expect(FileManager.default.fileExists(atPath: lab.appendingPathComponent("lab-data/more/ten.csv").path))
        let bundle = runner.workspace.appendingPathComponent("submissions/submission-batch-end-to-end-erin.zip")
        #expect(FileManager.default.fileExists(atPath: bundle.path), "the bundle goes into the workspace by default")
        #expect(result.output.contains("Wrote \(bundle.path)"))
        let left = try FileManager.default.contentsOfDirectory(atPath: here.path)
        #expect(left.isEmpty, "the folder the kit was started in stays empty: \(left)")

        let verified = try BinaryRunner().run(["verify", bundle.path], environment: Self.environment, in: here)
        #expect(verified.status == 0, "\(verified.output)\(verified.error)")
        #expect(verified.output.contains("erin"))
    }

    /// `lab-data/` outside a lab is the learner's workspace's; `datasets/` reads the kit's, but a
    /// file of that name in the current folder comes first, and writing never goes into the kit.
    @Test func labDataAndDatasetsMeanTheSameFromAnyFolder() throws {
        let runner = BinaryRunner()
        let here = try Self.emptyFolder()
        let result = try runner.run([], input: """
            aws s3 mb s3://loan-b
            aws s3 cp datasets/loans/data.csv s3://loan-b/kit.csv
            aws s3 cp s3://loan-b/kit.csv lab-data/copy.csv
            aws s3 cp s3://loan-b/kit.csv datasets/loans/data.csv
            aws s3 cp datasets/loans/data.csv s3://loan-b/mine.csv
            aws s3 ls s3://loan-b/
            """, environment: Self.environment, in: here)
        #expect(result.status == 0, "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("lab-data/copy.csv").path))
        // The download to datasets/… went into the current folder, not into the kit.
        #expect(FileManager.default.fileExists(atPath: here.appendingPathComponent("datasets/loans/data.csv").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path) == ["datasets"])
    }

    @Test func theLearnersNameIsGivenOnceAndKept() throws {
        let runner = BinaryRunner()
        let here = try Self.emptyFolder()
        #expect(try runner.run(["-c", "lab start batch-end-to-end"], environment: Self.environment, in: here).status == 0)

        let nameless = try runner.run(["-c", "lab submit"], environment: Self.environment, in: here)
        #expect(nameless.status == 252, "\(nameless.output)\(nameless.error)")
        #expect(nameless.error.contains("give it once with --name NAME"), "\(nameless.error)")
        #expect(!nameless.error.contains("student"))

        let first = try runner.run(["-c", "lab submit --name 'Ada Lovelace'"], environment: Self.environment, in: here)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("submissions/submission-batch-end-to-end-Ada_Lovelace.zip"), "\(first.output)")
        // The next bundle takes the kept name, without --name.
        let again = runner.workspace.appendingPathComponent("again.zip")
        let second = try runner.run(["-c", "lab submit --output \(again.path)"], environment: Self.environment, in: here)
        #expect(second.status == 0, "\(second.error)")
        let verified = try runner.run(["verify", again.path], environment: Self.environment, in: here)
        #expect(verified.output.contains("Ada Lovelace"), "\(verified.output)")

        // INFERLAB_LEARNER_NAME gives it as well.
        let other = BinaryRunner()
        #expect(try other.run(["-c", "lab start batch-end-to-end"], environment: Self.environment, in: here).status == 0)
        var environment = Self.environment
        environment["INFERLAB_LEARNER_NAME"] = "grace"
        let fromEnvironment = try other.run(["-c", "lab submit"], environment: environment, in: here)
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.error)")
        #expect(FileManager.default.fileExists(atPath: other.workspace.appendingPathComponent("submissions/submission-batch-end-to-end-grace.zip").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path).isEmpty)
    }
}
