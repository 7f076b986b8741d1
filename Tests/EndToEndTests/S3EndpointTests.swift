#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// The local AWS endpoint, driven by the course's real clients (boto3 and the aws CLI from the
/// course venv) with nothing but the environment `inferlab env` prints.
@Suite(.serialized)
struct S3EndpointTests {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func boto3DoesWhatTheCourseDoes() throws {
        let server = try EndpointServer()
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/s3_boto3.py")
        let result = try server.client(["python", script.path], extra: ["SCRATCH": try scratch().path])
        #expect(result.status == 0, "\(result.error)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        #expect(seen["buckets"] as? [String] == ["loan-lab"])
        let head = seen["head"] as? [String: Any]
        #expect(head?["length"] as? Int == 11 && head?["type"] as? String == "text/csv")
        #expect(head?["meta"] as? [String: String] == ["owner": "learner"])
        #expect(seen["get"] as? String == "25,50000,2\n" && seen["range"] as? String == "50000")
        let checksum = seen["checksum"] as? [String] ?? []
        #expect(checksum.count == 3 && checksum[0] == checksum[1] && checksum[2] == "35,60000,3\n", "stored CRC32 returned: \(checksum)")
        #expect(seen["checksum_head"] as? String == checksum.first)
        #expect(seen["list"] as? [String] == ["batch-input/a b+c.csv"] && seen["list_v1"] as? [String] == ["batch-input/a b+c.csv"])
        #expect(seen["paged"] as? [Int] == [2, 2, 1])
        #expect(seen["prefixes"] as? [String] == ["batch-input/", "many/"])
        #expect(seen["copied"] as? String == "25,50000,2\n")
        #expect(seen["roundtrip"] as? Bool == true)
        #expect(seen["part_copy"] as? Bool == true && seen["part_copy_same"] as? Bool == true, "UploadPartCopy")
        #expect((seen["big_etag"] as? String)?.hasSuffix("-26\"") == true, "a 200 MB upload in 8 MB parts has S3's multipart ETag")
        #expect(seen["presigned_get"] as? String == "25,50000,2\n" && seen["presigned_put"] as? String == "via presigned PUT")
        #expect(seen["presigned_v4"] as? String == "25,50000,2\n")
        func code(_ name: String) -> [String] { (seen[name] as? [Any])?.map { "\($0)" } ?? [] }
        #expect(code("no_such_key") == ["NoSuchKey", "404"])
        #expect(code("head_missing") == ["404", "404"])
        #expect(code("no_such_bucket") == ["NoSuchBucket", "404"])
        #expect(code("not_empty") == ["BucketNotEmpty", "409"])
        #expect(code("bad_range") == ["InvalidRange", "416"])
        #expect(code("dot_dot").first == "InvalidArgument" || code("dot_dot").first == "InvalidKey", "\(code("dot_dot"))")
        #expect(seen["not_modified"] as? Int == 304)
        #expect(code("wrong_secret") == ["SignatureDoesNotMatch", "403"])
        #expect(code("wrong_key") == ["InvalidAccessKeyId", "403"])
        #expect(code("expired") == ["403", "1"], "403 and the words \"Request has expired\"")
        #expect(seen["deleted"] as? [String] == (0..<5).map { "many/\($0).txt" })

        // One store: what boto3 put is the shell's object and a plain file in the workspace.
        let listing = try server.runner.run(["-c", "aws s3 ls s3://loan-lab --recursive"])
        #expect(listing.output.contains("big/big.bin") && listing.output.contains("batch-input/a b+c.csv"), "\(listing.output)")
        let file = server.runner.workspace.appendingPathComponent("buckets/loan-lab/presigned.txt")
        #expect(try String(contentsOf: file, encoding: .utf8) == "via presigned PUT")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    @Test func theAWSCLIRunsWithOnlyTheEnvironment() throws {
        let server = try EndpointServer()
        let folder = try scratch()
        try Data(repeating: 7, count: 12 << 20).write(to: folder.appendingPathComponent("twelve.bin"))
        try Data("25,50000,2\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
        let steps = [
            ["aws", "s3", "mb", "s3://loan-lab"],
            ["aws", "s3", "cp", folder.appendingPathComponent("twelve.bin").path, "s3://loan-lab/in/twelve.bin", "--only-show-errors"],
            ["aws", "s3", "sync", folder.path, "s3://loan-lab/synced/", "--only-show-errors"],
            ["aws", "s3", "cp", "s3://loan-lab/in/twelve.bin", folder.appendingPathComponent("back.bin").path, "--only-show-errors"],
        ]
        for step in steps {
            let result = try server.client(step)
            #expect(result.status == 0, "\(step.joined(separator: " ")): \(result.error)")
        }
        #expect(try Data(contentsOf: folder.appendingPathComponent("back.bin")) == Data(repeating: 7, count: 12 << 20))
        let listing = try server.client(["aws", "s3", "ls", "s3://loan-lab", "--recursive"])
        #expect(listing.output.contains("in/twelve.bin") && listing.output.contains("synced/data.csv"), "\(listing.output)")
        #expect(try server.client(["aws", "s3", "ls"]).output.contains("loan-lab"))
        let missing = try server.client(["aws", "s3api", "get-object", "--bucket", "loan-lab", "--key", "nope", folder.appendingPathComponent("x").path])
        #expect(missing.status == 255 && missing.error.contains("NoSuchKey"), "\(missing.error)")
        #expect(try server.client(["aws", "s3", "rm", "s3://loan-lab", "--recursive", "--only-show-errors"]).status == 0)
        #expect(try server.client(["aws", "s3", "rb", "s3://loan-lab"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: server.runner.workspace.appendingPathComponent("buckets/loan-lab").path))
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// A client configured for another region is told which one the kit is.
    @Test func anotherRegionIsNamed() throws {
        let server = try EndpointServer()
        let result = try server.client(["aws", "s3", "ls", "--region", "eu-west-1"])
        #expect(result.status != 0 && result.error.contains("AuthorizationHeaderMalformed") && result.error.contains("us-east-1"), "\(result.error)")
    }

    /// The batch lesson with boto3 over SageMaker's JSON protocol: a real transform job, its
    /// waiter, its output; SageMaker's errors through botocore; and the shell sees the same job.
    @Test func boto3RunsABatchTransformJob() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/sagemaker_boto3.py")
        let result = try server.client(["python", script.path], extra: ["CHECKOUT": BinaryRunner.packageRoot.path])
        #expect(result.status == 0, "\(result.error)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        func code(_ name: String) -> String { (seen[name] as? [Any])?.map { "\($0)" }.joined(separator: " ") ?? "?" }
        #expect(seen["model"] as? String == "loan-xgb" && seen["models"] as? [String] == ["loan-xgb"])
        #expect(seen["status"] as? String == "Completed" && seen["times"] as? Bool == true)
        let scores = (seen["scores"] as? [String] ?? []).compactMap(Double.init)
        #expect(scores.count == 3 && scores.allSatisfy { (0...1).contains($0) }, "\(seen["scores"] ?? "")")
        #expect((seen["log_streams"] as? [Bool])?.isEmpty == false && (seen["log_streams"] as? [Bool])?.allSatisfy { $0 } == true)
        #expect(seen["log_events"] as? Bool == true && seen["get_log_events"] as? Bool == true)
        #expect((seen["log_groups"] as? [String])?.contains("/aws/sagemaker/TransformJobs") == true)
        #expect(code("typo_group") == "ResourceNotFoundException 400")
        #expect(seen["scalable_arn"] as? Bool == true)
        let targets = (seen["targets"] as? [[Any]])?.map { $0.map { "\($0)" }.joined(separator: " ") }
        #expect(targets == ["endpoint/loan-async/variant/AllTraffic 0 2"], "\(seen["targets"] ?? "")")
        #expect(code("missing_model") == "ValidationException 400")
        #expect(code("invalid") == "ValidationException 400")
        #expect(code("taken").hasPrefix("ResourceInUse") || code("taken").hasPrefix("ValidationException"), "\(code("taken"))")
        #expect(code("wrong_secret") == "InvalidSignatureException 403")
        #expect(code("unknown") == "UnknownOperationException 400")
        // One catalog: the shell describes the job boto3 made, and the request log names the client.
        let shell = try server.runner.run(["-c", "aws sagemaker describe-transform-job --transform-job-name loan-batch-1"])
        #expect(shell.output.contains(#""TransformJobStatus": "Completed""#), "\(shell.output)")
        let log = try server.runner.run(["requests", "--last", "50"])
        #expect(log.output.contains("sagemaker.CreateTransformJob") && log.output.contains("Boto3/"), "\(log.output)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// The async and real-time lessons with boto3: endpoints made over HTTP, results at the
    /// OutputLocation, a failure at the FailureLocation, a real-time answer, ModelError.
    @Test func boto3InvokesAsyncAndRealTimeEndpoints() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/runtime_boto3.py")
        let result = try server.client(["python", script.path], extra: ["CHECKOUT": BinaryRunner.packageRoot.path])
        #expect(result.status == 0, "\(result.error)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        func code(_ name: String) -> String { (seen[name] as? [Any])?.map { "\($0)" }.joined(separator: " ") ?? "?" }
        #expect(seen["status"] as? String == "InService")
        #expect(seen["async_status"] as? Int == 202 && seen["has_id"] as? Bool == true)
        let asyncScores = (seen["async_scores"] as? [String] ?? []).compactMap(Double.init)
        let realtimeScores = (seen["realtime_scores"] as? [String] ?? []).compactMap(Double.init)
        #expect(asyncScores.count == 2 && asyncScores == realtimeScores, "the same rows score the same: \(asyncScores) \(realtimeScores)")
        #expect(seen["failure"] as? Bool == true)
        #expect(seen["variant"] as? String == "AllTraffic")
        #expect(code("model_error") == "ModelError 424", "\(code("model_error"))")
        #expect(code("missing").hasSuffix("400") || code("missing").hasSuffix("404"), "\(code("missing"))")
        #expect(seen["policy_described"] as? [String] == ["backlog"], "\(seen["policy_described"] ?? "")")
        #expect(seen["targets_left"] as? Int == 0 && seen["deregister_again"] as? String == "ObjectNotFoundException")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// STS and IAM over the query protocol: who the caller is (the assumed SageMakerRole), a role.
    @Test func stsAndIAMAnswerWhoTheCallerIs() throws {
        let server = try EndpointServer()
        let identity = try server.client(["aws", "sts", "get-caller-identity"])
        #expect(identity.status == 0 && identity.output.contains("arn:aws:sts::123456789012:assumed-role/SageMakerRole/inferlab"), "\(identity.output) \(identity.error)")
        let role = try server.client(["aws", "iam", "get-role", "--role-name", "SageMakerRole"])
        #expect(role.status == 0 && role.output.contains("arn:aws:iam::123456789012:role/SageMakerRole"), "\(role.output) \(role.error)")
        let bad = try server.client(["aws", "iam", "get-role", "--role-name", "bad name"])
        #expect(bad.status != 0 && bad.error.contains("ValidationError"), "\(bad.error)")
        let wrong = try server.client(["aws", "sts", "get-caller-identity"], extra: ["AWS_SECRET_ACCESS_KEY": "wrong"])
        #expect(wrong.status != 0 && wrong.error.contains("SignatureDoesNotMatch"), "\(wrong.error)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// The async lab's boto3 script (the lesson's code) against an endpoint made in the shell.
    @Test func theAsyncLabsBoto3ScriptQueuesAndReadsItsAnswer() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let setup = try server.runner.run([], input: """
            aws s3 mb s3://loan-lab
            aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
            aws s3 cp datasets/loans/async/ s3://loan-lab/async-input/ --recursive
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-endpoint-config --endpoint-config-name async-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/async-output/}'
            aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name async-config
            aws sagemaker wait endpoint-in-service --endpoint-name loan-async
            """, environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        #expect(setup.status == 0, "\(setup.error)")
        let script = BinaryRunner.packageRoot.appendingPathComponent("labs/async-inference/scripts/invoke_async.py")
        let result = try server.client(["python", script.path, "request-2.csv"])
        #expect(result.status == 0, "\(result.error)")
        let rows = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("datasets/loans/async/request-2.csv"), encoding: .utf8)
            .split(separator: "\n").count
        let scores = result.output.split(separator: "\n").compactMap { Double($0) }
        #expect(result.output.contains("OutputLocation: s3://loan-lab/async-output/") && scores.count == rows, "\(result.output)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// The real aws CLI's SageMaker commands against the endpoint: a transform job and its waiter,
    /// an async invocation.
    @Test func theAWSCLIRunsSageMakerAndRuntimeCommands() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-cli-\(UUID().uuidString)")
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
            ["aws", "sagemaker", "create-endpoint", "--endpoint-name", "loan-async", "--endpoint-config-name", "async-config"],
            ["aws", "sagemaker", "wait", "endpoint-in-service", "--endpoint-name", "loan-async"],
        ]
        for step in steps {
            let result = try server.client(step)
            #expect(result.status == 0, "\(step.prefix(3).joined(separator: " ")): \(result.error)")
        }
        let described = try server.client(["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "cli-job"])
        #expect(described.output.contains(#""TransformJobStatus": "Completed""#), "\(described.output)")
        let invoked = try server.client(["aws", "sagemaker-runtime", "invoke-endpoint-async", "--endpoint-name", "loan-async",
                                         "--input-location", "s3://loan-lab/batch-input/data.csv", "--content-type", "text/csv"])
        #expect(invoked.status == 0 && invoked.output.contains("OutputLocation"), "\(invoked.output) \(invoked.error)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// SIGTERM (as Ctrl-C) stops `inferlab serve` cleanly: exit status 0, the request log written.
    @Test func serveStopsCleanlyOnSIGTERM() throws {
        let server = try EndpointServer()
        #expect(try server.client(["aws", "s3", "mb", "s3://stop-lab"]).status == 0)
        server.stop()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        let log = try server.runner.run(["requests", "--last", "1"])
        #expect(log.output.contains("s3.CreateBucket") && log.output.contains("200"), "\(log.output)")
    }

    /// `--no-auth` is for loopback only: on any other address anyone could empty the workspace.
    @Test func noAuthIsRefusedOffLoopback() throws {
        let result = try BinaryRunner().run(["serve", "--host", "0.0.0.0", "--port", "0", "--no-auth"])
        #expect(result.status == 252 && result.error.contains("--no-auth only on loopback"), "\(result.error)")
    }

    /// Hostile requests get S3's errors and leave the server serving.
    @Test func brokenRequestsAreRefusedAndTheServerGoesOn() throws {
        let server = try EndpointServer()
        #expect(try server.client(["aws", "s3", "mb", "s3://loan-lab"]).status == 0)
        let script = """
            import socket, sys
            port = int(sys.argv[1])
            def send(raw):
                s = socket.create_connection(("127.0.0.1", port)); s.sendall(raw); s.settimeout(5)
                data = b""
                try:
                    while True:
                        chunk = s.recv(65536)
                        if not chunk: break
                        data += chunk
                        if b"\\r\\n\\r\\n" in data and (b"</Error>" in data or b"Content-Length: 0" in data): break
                except socket.timeout: pass
                s.close(); return data.split(b"\\r\\n")[0].decode(errors="replace")
            print(send(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"))                       # unsigned
            print(send(b"PUT /loan-lab/k HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100\\r\\n\\r\\nshort"))  # truncated, then closed
            print(send(b"GARBAGE\\r\\n\\r\\n"))
            print(send(b"GET /loan-lab/" + b"a" * 100000 + b" HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"))
            """
        let result = try server.client(["python", "-c", script, String(server.port)])
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("403") == true, "\(result.output) \(result.error)")
        #expect(lines.count == 4)
        // Still serving, and nothing half-written was stored.
        let listing = try server.client(["aws", "s3", "ls", "s3://loan-lab", "--recursive"])
        #expect(listing.status == 0 && !listing.output.contains(" k"), "\(listing.output)")
    }
}

/// What real clients never send: each gets S3's error, stores nothing, and the server goes on.
@Suite(.serialized)
struct S3WireTests {
    @Test func hostileAndBrokenRequests() throws {
        let server = try EndpointServer()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("SECRET".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/s3_wire.py")
        let result = try server.client(["python", script.path], extra: [
            "BUCKETS": server.runner.workspace.appendingPathComponent("buckets").path, "OUTSIDE": outside.path])
        #expect(result.status == 0, "\(result.error)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        func answer(_ name: String) -> String { (seen[name] as? [Any])?.map { "\($0)" }.joined(separator: " ") ?? "?" }
        #expect(answer("chunked") == "200 <null>" && seen["chunked_same"] as? Bool == true)
        #expect(answer("chunked_bad_crc") == "400 BadDigest" && seen["chunked_bad_crc_stored"] as? Bool == false)
        #expect(answer("chunked_garbage").hasPrefix("400 "))
        #expect(answer("signed_chunks") == "200 <null>" && seen["signed_chunks_same"] as? Bool == true, "chunk signatures chained from the seed")
        #expect(answer("signed_chunks_bad") == "403 SignatureDoesNotMatch" && seen["signed_chunks_bad_stored"] as? Bool == false)
        #expect(answer("bad_md5") == "400 BadDigest" && seen["bad_md5_stored"] as? Bool == false)
        #expect(answer("bad_sha256") == "400 XAmzContentSHA256Mismatch" && seen["bad_sha256_stored"] as? Bool == false)
        #expect(answer("bad_crc_header") == "400 BadDigest" && seen["bad_crc_header_stored"] as? Bool == false)
        #expect(answer("good_crc_header") == "200 <null>")
        #expect(answer("skewed") == "403 RequestTimeTooSkewed")
        #expect(answer("malformed_xml") == "400 MalformedXML")
        #expect(answer("acl") == "501 NotImplemented")
        #expect(answer("bad_part_number") == "400 InvalidArgument" && answer("no_such_upload") == "404 NoSuchUpload")
        #expect(seen["half_stored"] as? Bool == false && seen["half_leftovers"] as? Int == 0)
        #expect(answer("dot_dot_prefix") == "200 0", "a ../ prefix lists nothing outside the bucket")
        #expect(answer("negative_max_parts") == "400 InvalidArgument")
        #expect(answer("delete_bad_md5") == "400 BadDigest" && seen["delete_bad_md5_kept"] as? Bool == true)
        #expect(answer("unsigned_header") == "403 1" && seen["unsigned_header_stored"] as? Bool == false)
        #expect(answer("link_get") == "404 NoSuchKey" && answer("link_put") == "400 InvalidArgument" && answer("link_bucket") == "404 NoSuchBucket")
        #expect(seen["outside"] as? [String] == ["secret.txt"])
        #expect(try server.client(["aws", "s3", "ls"]).status == 0, "the server still serves")
    }
}

/// A server killed with SIGKILL in the middle of a 1 GiB multipart upload: no object appears, and
/// the next server lists the upload, which can then be aborted.
@Suite(.serialized)
struct S3KilledUploadTests {
    @Test func aKilledServerLeavesAnUploadToListAndAbort() throws {
        let runner = BinaryRunner()
        let first = try EndpointServer(runner: runner)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-gig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let uploader = Process()
        uploader.executableURL = EndpointServer.venv.appendingPathComponent("bin/python")
        uploader.arguments = [BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/s3_killed_upload.py").path]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment.merge(try first.environment()) { $1 }
        environment["SCRATCH"] = scratch.path
        environment["BUCKETS"] = runner.workspace.appendingPathComponent("buckets").path
        environment["HOME"] = scratch.path
        uploader.environment = environment
        let output = Pipe()
        uploader.standardOutput = output
        uploader.standardError = FileHandle.nullDevice
        try uploader.run()
        let ready = output.fileHandleForReading.availableData
        #expect(String(decoding: ready, as: UTF8.self).contains("READY"))
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        uploader.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("FAILED"))

        let second = try EndpointServer(runner: runner)
        let check = """
            import boto3, json
            s3 = boto3.client("s3")
            uploads = s3.list_multipart_uploads(Bucket="big-lab").get("Uploads", [])
            seen = {"uploads": [u["Key"] for u in uploads]}
            seen["parts"] = len(s3.list_parts(Bucket="big-lab", Key="gig.bin", UploadId=uploads[0]["UploadId"]).get("Parts", [])) if uploads else 0
            seen["objects"] = s3.list_objects_v2(Bucket="big-lab").get("KeyCount")
            for upload in uploads:
                s3.abort_multipart_upload(Bucket="big-lab", Key=upload["Key"], UploadId=upload["UploadId"])
            seen["after_abort"] = len(s3.list_multipart_uploads(Bucket="big-lab").get("Uploads", []))
            print(json.dumps(seen))
            """
        let result = try second.client(["python", "-c", check])
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output) \(result.error)")
        #expect(seen["uploads"] as? [String] == ["gig.bin"])
        #expect((seen["parts"] as? Int ?? 0) >= 2)
        #expect(seen["objects"] as? Int == 0)
        #expect(seen["after_abort"] as? Int == 0)
        let uploads = runner.workspace.appendingPathComponent("buckets/.uploads")
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty, "abort removed the parts")
    }
}
