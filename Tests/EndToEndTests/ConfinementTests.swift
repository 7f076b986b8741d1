#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Every command that touches objects, run by the real binary against a workspace with links
/// planted in `buckets/`: none reads or writes the folder the links point to.
@Suite(.serialized)
struct ConfinementTests {
    /// A workspace with a bucket, a model, a lesson file, and links to an `outside/` folder:
    /// `bk1/linked` (a folder link), `bk1/linked.csv` (a file link), `buckets/evil` (a bucket link).
    struct Fixture {
        /// The income in the files outside the workspace: eight digits no timestamp, ARN or
        /// count in a command's output holds (a describe's "07:36:19.500000" held "50000").
        static let secret = "97531864"
        let runner = BinaryRunner()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-outside-\(UUID().uuidString)")
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-local-\(UUID().uuidString)")
        static let environment = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]

        init() throws {
            for folder in [outside.appendingPathComponent("dir"), local] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try Data("25,\(Fixture.secret),2\n".utf8).write(to: outside.appendingPathComponent("secret.csv"))
            try Data("25,\(Fixture.secret),2\n".utf8).write(to: outside.appendingPathComponent("dir/secret.csv"))
            try Data("35,60000,3\n".utf8).write(to: local.appendingPathComponent("mine.csv"))
            let setup = try runner.run([], input: """
                aws s3 mb s3://bk1
                aws s3 cp datasets/models/xgboost/model.tar.gz s3://bk1/models/model.tar.gz
                aws s3 cp \(local.path)/mine.csv s3://bk1/in/mine.csv
                aws sagemaker create-model --model-name m --primary-container Image=xgboost,ModelDataUrl=s3://bk1/models/model.tar.gz
                """, environment: Self.environment)
            #expect(setup.status == 0, "\(setup.error)")
            let buckets = runner.workspace.appendingPathComponent("buckets")
            #expect(symlink(outside.appendingPathComponent("dir").path, buckets.appendingPathComponent("bk1/linked").path) == 0)
            #expect(symlink("../../../\(outside.lastPathComponent)/secret.csv", buckets.appendingPathComponent("bk1/linked.csv").path) == 0)
            #expect(symlink(outside.appendingPathComponent("dir").path, buckets.appendingPathComponent("evil").path) == 0)
        }

        func run(_ command: String) throws -> BinaryRunner.Result {
            try runner.run(["-c", command], environment: Self.environment)
        }

        /// Names and contents of everything outside.
        func outsideSnapshot() -> [String: Data] {
            var snapshot: [String: Data] = [:]
            let walker = FileManager.default.enumerator(atPath: outside.path)
            while let path = walker?.nextObject() as? String {
                snapshot[path] = FileManager.default.contents(atPath: outside.appendingPathComponent(path).path) ?? Data()
            }
            return snapshot
        }
    }

    /// Commands that would read the secret through a link: each fails, and prints nothing of it.
    @Test(arguments: [
        "aws s3api get-object --bucket bk1 --key linked/secret.csv LOCAL/got.csv",
        "aws s3api get-object --bucket bk1 --key linked.csv LOCAL/got.csv",
        "aws s3api head-object --bucket bk1 --key linked/secret.csv",
        "aws s3api head-object --bucket evil --key secret.csv",
        "aws s3 cp s3://bk1/linked/secret.csv LOCAL/got.csv",
        "aws s3 cp s3://bk1/linked.csv LOCAL/got.csv",
        "aws s3 cp s3://bk1/linked/ LOCAL/got --recursive",
        "aws s3 cp s3://evil/secret.csv LOCAL/got.csv",
        "aws s3 mv s3://bk1/linked/secret.csv s3://bk1/moved.csv",
        "aws s3 mv s3://bk1/linked.csv s3://bk1/moved.csv",
        "head s3://bk1/linked/secret.csv",
        "head s3://bk1/linked.csv",
        "predict --model-name m --body s3://bk1/linked/secret.csv --content-type text/csv",
        "predict --model-name m --body s3://bk1/linked.csv --content-type text/csv",
    ])
    func readsThroughALinkFail(command: String) throws {
        let fixture = try Fixture()
        let before = fixture.outsideSnapshot()
        let result = try fixture.run(command.replacingOccurrences(of: "LOCAL", with: fixture.local.path))
        let recursive = command.contains("--recursive")
        // A recursive copy of a prefix with no objects copies nothing and succeeds, as S3's does.
        #expect(recursive ? result.status == 0 : result.status != 0, "\(command): \(result.output) \(result.error)")
        #expect(!result.output.contains(Fixture.secret) && !result.error.contains(Fixture.secret), "\(command) printed the secret")
        let copied = FileManager.default.enumerator(atPath: fixture.local.path)?.allObjects as? [String] ?? []
        #expect(copied == ["mine.csv"], "\(command) copied \(copied)")
        #expect(fixture.outsideSnapshot() == before)
    }

    /// Commands that would write or delete through a link: nothing changes outside.
    @Test(arguments: [
        "aws s3api put-object --bucket bk1 --key linked/new.csv --body LOCAL/mine.csv",
        "aws s3api put-object --bucket evil --key new.csv --body LOCAL/mine.csv",
        "aws s3 cp LOCAL/mine.csv s3://bk1/linked/new.csv",
        "aws s3 cp LOCAL/mine.csv s3://bk1/linked/secret.csv",
        "aws s3 cp s3://bk1/in/mine.csv s3://bk1/linked/copied.csv",
        "aws s3 mv s3://bk1/in/mine.csv s3://bk1/linked/moved.csv",
        "aws s3 sync LOCAL s3://bk1/linked/",
        "aws s3 rm s3://bk1/linked/secret.csv",
        "aws s3 rm s3://bk1/linked.csv",
        "aws s3 rm s3://bk1 --recursive",
        "aws s3 rb s3://evil --force",
        "aws s3api delete-object --bucket bk1 --key linked/secret.csv",
    ])
    func writesThroughALinkLeaveTheOutsideAlone(command: String) throws {
        let fixture = try Fixture()
        let before = fixture.outsideSnapshot()
        let result = try fixture.run(command.replacingOccurrences(of: "LOCAL", with: fixture.local.path))
        if command.contains("linked/") && !command.contains(" rm ") && !command.contains("delete-object") {
            #expect(result.status != 0, "\(command) succeeded: \(result.output)")
            #expect(result.error.contains("symbolic link"), "\(command): \(result.error)")
        }
        #expect(fixture.outsideSnapshot() == before, "\(command) changed the outside")
    }

    @Test func aLinkedBucketIsNotListed() throws {
        let fixture = try Fixture()
        let buckets = try fixture.run("aws s3 ls")
        #expect(buckets.status == 0)
        #expect(buckets.output.contains("bk1") && !buckets.output.contains("evil"), "\(buckets.output)")
        let objects = try fixture.run("aws s3 ls s3://bk1 --recursive")
        #expect(objects.output.contains("in/mine.csv") && !objects.output.contains("secret") && !objects.output.contains("linked"), "\(objects.output)")
        let evil = try fixture.run("aws s3 ls s3://evil")
        #expect(evil.status == 254 && evil.error.contains("NoSuchBucket"), "\(evil.error)")
    }

    /// A transform job whose output prefix is a link fails, writing nothing there; a manifest
    /// that lists a linked key fails on it; an input prefix through a link finds no object.
    @Test(arguments: [
        ("S3Prefix", "s3://bk1/in/", "s3://bk1/linked/"),
        ("ManifestFile", "s3://bk1/manifest.json", "s3://bk1/out-manifest/"),
        ("S3Prefix", "s3://bk1/linked/", "s3://bk1/out-prefix/"),
    ])
    func transformJobsStayInside(dataType: String, input: String, output: String) throws {
        let fixture = try Fixture()
        try Data(#"[{"prefix": "s3://bk1/"}, "linked/secret.csv", "linked.csv"]"#.utf8).write(to: fixture.local.appendingPathComponent("manifest.json"))
        #expect(try fixture.run("aws s3 cp \(fixture.local.path)/manifest.json s3://bk1/manifest.json").status == 0)
        let before = fixture.outsideSnapshot()
        let result = try fixture.runner.run([], input: """
            aws sagemaker create-transform-job --transform-job-name job --model-name m --transform-input 'DataSource={S3DataSource={S3DataType=\(dataType),S3Uri=\(input)}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=\(output) --transform-resources InstanceType=ml.m5.large,InstanceCount=1
            transform wait-ended job
            aws sagemaker describe-transform-job --transform-job-name job
            """, environment: Fixture.environment)
        #expect(result.output.contains(#""TransformJobStatus": "Failed""#), "\(result.output) \(result.error)")
        #expect(fixture.outsideSnapshot() == before)
        #expect(!result.output.contains(Fixture.secret) && !result.error.contains(Fixture.secret))
    }
}
