import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The shell's shorthand parser and parameter validator against the real ones: awscli's
/// ShorthandParser and botocore's ParamValidator from the course venv, asked through
/// scripts/cli_parsing_oracle.py, on hand-picked and generated inputs. Same value or same
/// message, byte for byte.
@Suite(.serialized)
struct CLIParsingDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func oracle(_ cases: [JSONValue]) throws -> [JSONValue] {
        let process = Process()
        process.executableURL = root.appendingPathComponent(".venv/bin/python")
        process.arguments = [root.appendingPathComponent("scripts/cli_parsing_oracle.py").path]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(JSONValue.array(cases).compactData)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard case .array(let answers) = try JSONValue.parse(String(decoding: data, as: UTF8.self)) else { return [] }
        return answers
    }

    static func plain(_ value: ShorthandParser.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .list(let items): .array(items.map(plain))
        case .object(let entries): .object(entries.map { ($0.0, plain($0.1)) })
        }
    }

    static let handPicked = [
        "InputFilter=$[1:],JoinSource=Input,OutputFilter=$[0,-1]",
        "InputFilter=\"$[1:]\",JoinSource=Input,OutputFilter=\"$[0,-1]\"",
        "DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},ContentType=text/csv,SplitType=Line",
        "S3OutputPath=s3://b/o/,AssembleWith=Line", "a=b,c,d=e", "a=b,c=d,e", "a=[b,c],d={e=f,g=[h,i]}", "a=", "a",
        "a='x,y',b=\"p=q\"", "a='it\\'s'", "a=b\\,c", "a = b , c = d", "a=b,a=c", "a={b=c,b=d}", "=b", "a=b,", "a={b=c", "a=[b,c",
        "a=[]", "a={}", "a=[{b=c},{d=e}]", "a='unterminated", "a=b c", "a=\"x\\\"y\"", "Key=Name,Value=Loan App", "a@=b",
        "VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1",
        "OutputConfig={S3OutputPath=s3://loan-lab/async-output/,S3FailurePath=s3://loan-lab/async-failures/}",
        "a=b\nc=d", "a=b,\nc==d", "a=é,b=ü", "TargetValue=5.0,CustomizedMetricSpecification={MetricName=ApproximateBacklogSizePerInstance,Namespace=AWS/SageMaker,Dimensions=[{Name=EndpointName,Value=loan-async}],Statistic=Average}",
    ]

    /// Random sequences of the tokens that matter to the grammar, from a fixed seed.
    static func generated(count: Int) -> [String] {
        let tokens = ["a", "Key", "b1", "=", "=", ",", ",", "[", "]", "{", "}", "'x,y'", "\"q\"", " ", "\\,", "$", ":", "-1", "s3://b/k", "@", "'", "\""]
        var state: UInt64 = 0x5EED_1234
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        return (0..<count).map { _ in
            var text = "k="
            for _ in 0..<(1 + next() % 9) { text += tokens[next() % tokens.count] }
            return text
        }
    }

    @Test func shorthandMatchesAwscliOnHandPickedAndGeneratedInputs() throws {
        let inputs = Self.handPicked + Self.generated(count: 600)
        let answers = try Self.oracle(inputs.map { .object([("shorthand", .string($0))]) })
        try #require(answers.count == inputs.count, "the oracle did not answer (is the course venv set up?)")
        var mismatches: [String] = []
        for (input, answer) in zip(inputs, answers) {
            let mine: JSONValue
            do {
                mine = .object([("value", Self.plain(.object(try ShorthandParser.parse(input))))])
            } catch let failure as ShorthandParser.Failure {
                mine = .object([("error", .string(failure.message))])
            }
            if mine != answer { mismatches.append("\(input.debugDescription):\n  awscli: \(answer.rendered())\n  shell:  \(mine.rendered())") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(inputs.count) differ:\n\(mismatches.prefix(8).joined(separator: "\n"))")
    }

    /// A valid request per operation, then one mistake at a time.
    static let requests: [(String, String, JSONValue)] = {
        func parse(_ text: String) -> JSONValue { try! JSONValue.parse(text) }
        return [
            ("sagemaker", "CreateTransformJob", parse(#"{"TransformJobName": "j", "ModelName": "m", "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in/"}}, "ContentType": "text/csv"}, "TransformOutput": {"S3OutputPath": "s3://b/out/"}, "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1}, "MaxPayloadInMB": 6, "DataProcessing": {"InputFilter": "$[1:]", "JoinSource": "Input"}, "Environment": {"A": "1"}}"#)),
            ("sagemaker", "CreateModel", parse(#"{"ModelName": "m", "PrimaryContainer": {"Image": "xgboost", "ModelDataUrl": "s3://b/m.tar.gz", "Environment": {"K": "v"}}, "Tags": [{"Key": "a", "Value": "b"}], "EnableNetworkIsolation": true}"#)),
            ("sagemaker", "CreateEndpointConfig", parse(#"{"EndpointConfigName": "c", "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1, "InitialVariantWeight": 1.0}], "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://b/o/"}}}"#)),
            ("sagemaker", "ListTransformJobs", parse(#"{"MaxResults": 10, "StatusEquals": "Completed", "CreationTimeAfter": "2026-01-01T00:00:00Z"}"#)),
            ("sagemaker-runtime", "InvokeEndpointAsync", parse(#"{"EndpointName": "e", "InputLocation": "s3://b/k", "RequestTTLSeconds": 60}"#)),
            ("application-autoscaling", "RegisterScalableTarget", parse(#"{"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/AllTraffic", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 0, "MaxCapacity": 2}"#)),
            ("application-autoscaling", "PutScalingPolicy", parse(#"{"PolicyName": "p", "ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/AllTraffic", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 5.0, "ScaleInCooldown": 60}}"#)),
        ]
    }()

    /// Every variant of a request with one member removed, replaced by a wrong or too-small
    /// value, or joined by an unknown one, at every depth.
    static func mutations(_ value: JSONValue) -> [JSONValue] {
        guard case .object(let members) = value else { return [] }
        var results: [JSONValue] = [.object(members + [("Colour", .string("red"))])]
        for (offset, (key, item)) in members.enumerated() {
            var without = members
            without.remove(at: offset)
            results.append(.object(without))
            let replacements: [JSONValue] = [.int(0), .string(""), .bool(true), .array([]), .object([]), .double(0.5), .null, .string("x")]
            for replacement in replacements {
                var changed = members
                changed[offset] = (key, replacement)
                results.append(.object(changed))
            }
            for nested in mutations(item) {
                var changed = members
                changed[offset] = (key, nested)
                results.append(.object(changed))
            }
            if case .array(let items) = item, let first = items.first {
                for nested in mutations(first) {
                    var changed = members
                    changed[offset] = (key, .array([nested] + items.dropFirst()))
                    results.append(.object(changed))
                }
            }
        }
        return results
    }

    @Test func validationReportsMatchBotocoreForEveryMutation() throws {
        var cases: [(String, String, JSONValue)] = []
        for (service, operation, request) in Self.requests {
            cases.append((service, operation, request))
            cases += Self.mutations(request).map { (service, operation, $0) }
        }
        let answers = try Self.oracle(cases.map { .object([("validate", $0.2), ("service", .string($0.0)), ("operation", .string($0.1))]) })
        try #require(answers.count == cases.count, "the oracle did not answer (is the course venv set up?)")
        var mismatches: [String] = []
        for ((service, operation, request), answer) in zip(cases, answers) {
            let api = try #require(AWSModels.operation(service, operation))
            let problems = ParamValidator.validate(request, api.input)
            let mine: JSONValue = .object([("report", problems.isEmpty ? .null : .string(problems.joined(separator: "\n")))])
            if mine != answer { mismatches.append("\(operation) \(request.compact):\n  botocore: \(answer.rendered())\n  shell:    \(mine.rendered())") }
        }
        #expect(cases.count > 300)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) differ:\n\(mismatches.prefix(6).joined(separator: "\n"))")
    }
}
