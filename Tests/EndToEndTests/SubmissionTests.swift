import Foundation
import Testing

/// grade → submit → verify, and each kind of tampering detected.
@Suite(.serialized)
struct SubmissionTests {
    static let lab = """
        format: 1
        id: mini-batch
        title: Mini batch
        version: 1
        summary: Score the lesson rows.
        setup:
          - aws s3 mb s3://loan-lab
          - aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
          - aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
        steps:
          - id: score
            title: Score the rows
            text: steps/01.md
            checks:
              - id: job-done
                description: The job completed
                points: 1
                transform_job: {name: lesson, status: Completed}
              - id: predictions
                description: The output holds the model's predictions
                points: 2
                predictions_match: {model: loan-xgb, input: s3://loan-lab/in/data.csv, output: s3://loan-lab/out/data.csv.out}
            solve:
              - aws s3 cp datasets/loans/data.csv s3://loan-lab/in/data.csv
              - aws sagemaker create-transform-job --transform-job-name lesson --model-name loan-xgb --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/in/}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://loan-lab/out/,AssembleWith=Line --transform-resources InstanceType=ml.m5.large,InstanceCount=1
              - aws sagemaker wait transform-job-completed-or-stopped --transform-job-name lesson
        """

    struct Setup {
        let labs: URL
        let environment: [String: String]
        let bundles: URL
    }

    private func setup() throws -> Setup {
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: labs.appendingPathComponent("mini-batch/steps"), withIntermediateDirectories: true)
        try Self.lab.write(to: labs.appendingPathComponent("mini-batch/lab.yaml"), atomically: true, encoding: .utf8)
        try "# Score\n".write(to: labs.appendingPathComponent("mini-batch/steps/01.md"), atomically: true, encoding: .utf8)
        let bundles = FileManager.default.temporaryDirectory.appendingPathComponent("bundles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bundles, withIntermediateDirectories: true)
        return Setup(labs: labs, environment: ["INFERLAB_LABS_DIR": labs.path, "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"], bundles: bundles)
    }

    private func python(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func submitThenVerifyAgreesAndTamperingIsFlagged() throws {
        let setup = try setup()
        let honest = setup.bundles.appendingPathComponent("alice.zip")
        let learner = try BinaryRunner().run([], input: "lab start mini-batch\nlab solve\nlab grade\nlab submit --name alice --output \(honest.path)\n",
                                             environment: setup.environment)
        #expect(learner.status == 0, "\(learner.error)")
        #expect(learner.output.contains("Total: 3/3 points"))

        // A student who only edits their progress file to claim the step.
        let lazyRunner = BinaryRunner()
        let lazyBundle = setup.bundles.appendingPathComponent("bob.zip")
        #expect(try lazyRunner.run(["-c", "lab start mini-batch"], environment: setup.environment).status == 0)
        let progress = lazyRunner.workspace.appendingPathComponent("labs/mini-batch/.inferlab/lab-progress.json")
        var text = try String(contentsOf: progress, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"completedSteps\" : [\n\n  ]", with: "\"completedSteps\" : [\"score\"]")
            .replacingOccurrences(of: "\"completedSteps\" : [\n\n]", with: "\"completedSteps\" : [\"score\"]")
            .replacingOccurrences(of: "\"completedSteps\" : []", with: "\"completedSteps\" : [\"score\"]")
        try text.write(to: progress, atomically: true, encoding: .utf8)
        #expect(try lazyRunner.run(["-c", "lab submit --name bob --output \(lazyBundle.path)"], environment: setup.environment).status == 0)

        // A student who edits one prediction inside an honest bundle.
        let edited = setup.bundles.appendingPathComponent("carol.zip")
        try python("""
            import sys, zipfile
            source, target = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    if item.filename.endswith("data.csv.out"):
                        lines = data.decode().splitlines()
                        lines[0] = "0.99"
                        data = ("\\n".join(lines) + "\\n").encode()
                    if item.filename == "manifest.json":
                        data = data.replace(b'"alice"', b'"carol"')
                    zout.writestr(item, data)
            """, [honest.path, edited.path])

        // A bundle with an artefact missing.
        let missing = setup.bundles.appendingPathComponent("dave.zip")
        try python("""
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w") as zout:
                for item in zin.infolist():
                    if not item.filename.startswith("state/transform-jobs/"):
                        zout.writestr(item, zin.read(item.filename).replace(b'"alice"', b'"dave"'))
            """, [honest.path, missing.path])

        let csv = setup.bundles.appendingPathComponent("roster.csv")
        let result = try BinaryRunner().run(["verify", setup.bundles.path, "--csv", csv.path], environment: setup.environment)
        #expect(result.status == 1, "flagged bundles give exit status 1")
        let roster = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(roster.count == 5)
        let alice = try #require(roster.first { $0.hasPrefix("alice.zip") })
        #expect(alice.hasPrefix("alice.zip,alice,mini-batch,3,3,0,1,0,"), "honest work verifies with full marks")
        #expect(alice.contains("one learner's artefacts under two names"), "flagged only because carol and dave copied alice's files")
        #expect(!alice.contains("changed after") && !alice.contains("progress.json says"))
        let bob = try #require(roster.first { $0.hasPrefix("bob.zip") })
        #expect(bob.contains(",0,3,") && bob.contains("progress says step score is done, but check job-done fails"))
        let carol = try #require(roster.first { $0.hasPrefix("carol.zip") })
        #expect(carol.contains("data.csv.out was changed after the bundle was made"))
        #expect(carol.contains(",1,3,"), "the edited prediction fails the recomputed check")
        let dave = try #require(roster.first { $0.hasPrefix("dave.zip") })
        #expect(dave.contains("missing artefact state/transform-jobs/lesson.json"))

        let alone = try BinaryRunner().run(["verify", honest.path], environment: setup.environment)
        #expect(alone.status == 0, "honest work on its own has no flags: \(alone.output)")
        #expect(alone.output.contains("3/3") && alone.output.contains("OK"))

        // A bundle from another version of the lab.
        try Self.lab.replacingOccurrences(of: "version: 1", with: "version: 2")
            .write(to: setup.labs.appendingPathComponent("mini-batch/lab.yaml"), atomically: true, encoding: .utf8)
        let old = try BinaryRunner().run(["verify", honest.path], environment: setup.environment)
        #expect(old.output.contains("made for version 1 of mini-batch; this kit has version 2"))
    }

    @Test func submitIntoAMissingFolderSaysWhatToDo() throws {
        let setup = try setup()
        let missing = setup.bundles.appendingPathComponent("no-such-folder")
        let runner = BinaryRunner()
        #expect(try runner.run(["-c", "lab start mini-batch"], environment: setup.environment).status == 0)
        let result = try runner.run(["-c", "lab submit --name alice --output \(missing.path)/alice.zip"], environment: setup.environment)
        #expect(result.status == 252, "a bad --output value is a usage error (README's exit statuses)")
        #expect(result.error.contains("the folder \(missing.path) does not exist. Create it first (mkdir -p \(missing.path)), or choose another --output"), "\(result.error)")
        #expect(!result.error.contains("NSCocoaErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: missing.path))

        let folder = try runner.run(["-c", "lab submit --name alice --output \(setup.bundles.path)"], environment: setup.environment)
        #expect(folder.status == 252 && folder.error.contains("it is a folder"), "\(folder.error)")
        #expect(FileManager.default.fileExists(atPath: setup.bundles.path), "a folder given as --output is never replaced")

        let long = try runner.run(["-c", "lab submit --name \(String(repeating: "x", count: 101)) --output \(setup.bundles.path)/x.zip"], environment: setup.environment)
        #expect(long.status == 252 && long.error.contains("--name must be 1 to 100 characters on one line"), "\(long.error)")
    }
}
