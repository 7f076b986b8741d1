import Foundation
import Testing
@testable import InferLabEngine

/// Issue 13, finding 5: what a learner's broken input is told, each test the finding's reproduction.
@Suite(.serialized)
struct InputErrorMessageTests {
    private let linearLearner = LinearLearnerContainer(
        model: try! LinearLearnerModel(predictorType: .binaryClassifier, featureMeans: [0, 0], featureScales: [1, 1], weights: [1, 0], bias: 0))

    private func failure(_ container: any InferenceContainer, _ body: Data, _ type: String) -> String? {
        do {
            _ = try container.invoke(body: body, contentType: type, accept: nil, mode: .endpoint)
            return nil
        } catch let error as ContainerError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    private func xgboost() throws -> any InferenceContainer {
        let engine = try transformEngine()
        return try engine.sagemaker.container(forModel: "loan-xgb")
    }

    @Test func aTruncatedBodyIsInvalidJSONNotAShapeError() {
        let message = failure(linearLearner, Data(#"{"instances": ["#.utf8), "application/json")
        #expect(message == "Unable to evaluate payload provided: the body is not valid JSON: expected a value, found the end of the data at byte 16")
        let line = failure(linearLearner, Data("{\"features\":[1,2]}\n{\"features\": [1,\n".utf8), "application/jsonlines")
        #expect(line?.contains("record 2 is not valid JSON") == true, "\(line ?? "")")
    }

    @Test func aMillionOpeningBracketsAreInvalidJSONWithADepthLimit() throws {
        let deep = Data(repeating: UInt8(ascii: "["), count: 1_000_000)
        let message = failure(linearLearner, deep, "application/json")
        #expect(message == "Unable to evaluate payload provided: the body is not valid JSON: nesting deeper than 128 levels at byte 129", "\(message ?? "")")
        #expect(message?.contains("must be an object") == false)
        // The engine's own parser (requests, records, manifests) refuses it too, without running out of stack.
        #expect { try JSONValue.parse(deep) } throws: { error in
            "\(error)".hasPrefix("invalid JSON at line 1, byte 257: lists and objects nested deeper than 256 levels")
        }
        #expect { try JSONValue.parse(#"{"instances": ["#) } throws: { error in
            "\(error)" == "invalid JSON at line 1, byte 16: unexpected end of input where a value was expected"
        }
    }

    @Test func aByteOrderMarkIsNamed() throws {
        let body = Data([0xEF, 0xBB, 0xBF] + Array("25,50000,2\n35,60000,3\n".utf8))
        let message = failure(try xgboost(), body, "text/csv")
        #expect(message == "Unable to evaluate payload provided: record 1, field 1: the input starts with a UTF-8 byte order mark (BOM); save it without one")
        #expect(message?.contains("\u{FEFF}") == false)
        #expect { try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("{}".utf8))) } throws: { error in
            "\(error)".contains("the input starts with a UTF-8 byte order mark (BOM); save it without one")
        }
        // A BOM anywhere else is not a number, and shown escaped rather than invisible.
        let inside = failure(try xgboost(), Data("25,\u{FEFF}50000,2\n".utf8), "text/csv")
        #expect(inside == "Unable to evaluate payload provided: record 1, field 2: '\\ufeff50000' is not a number")
    }

    @Test func controlCharactersFromTheDataAreShownEscaped() throws {
        let body = Data("25,\u{1B}[2J\u{07}bad,2\n".utf8)
        let xgb = failure(try xgboost(), body, "text/csv")
        #expect(xgb == #"Unable to evaluate payload provided: record 1, field 2: '\x1b[2J\x07bad' is not a number"#)
        let ll = failure(linearLearner, Data("1,\u{1B}]0;owned\u{07}\n".utf8), "text/csv")
        #expect(ll == #"Unable to evaluate payload provided: record 1, feature 2: '\x1b]0;owned\x07' is not a number"#)
        for message in [xgb, ll] {
            #expect(message?.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } == false)
        }
        #expect(VisibleText.escaped("a\tb\u{7F}\u{85}\u{202E}é") == #"a\tb\x7f\u0085\u202eé"#)
    }

    @Test func controlCharactersNeverReachAFailureReasonOrTheJobLogRaw() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/hostile/a.csv", "25,50000,2\n35,\u{1B}[31mred\u{07},3\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("hostile", input: "s3://loan-lab/hostile/", output: "s3://loan-lab/hostile-out/"))
        let job = try waitForJob(engine, "hostile")
        #expect(job.transformJobStatus == "Failed")
        #expect(job.failureReason?.contains(#"'\x1b[31mred\x07' is not a number"#) == true, "\(job.failureReason ?? "")")
        let log = try engine.catalog.logEvents(group: TransformJobRunner.logGroup, streamPrefix: "hostile/").map(\.message)
        #expect(log.contains { $0.contains(#"\x1b[31mred\x07"#) })
        for text in log + [job.failureReason ?? ""] {
            #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(text)")
        }
    }

    @Test func anInputDeletedMidJobGivesAReadableFailureReason() throws {
        let engine = try engineWithSampleModel()
        var model = xgboostModelInput("slow")
        model.primaryContainer?.environment = ["INFERLAB_MODEL_LATENCY_MS": "200"]
        _ = try engine.sagemaker.createModel(model)
        try put(engine, "s3://loan-lab/deleted/a.csv", String(repeating: "35,60000,3\n", count: 10))
        try put(engine, "s3://loan-lab/deleted/b.csv", TransformJobTests.lesson)
        var job = transformJob("deleted", input: "s3://loan-lab/deleted/", output: "s3://loan-lab/deleted-out/", model: "slow")
        job.batchStrategy = "SingleRecord"
        _ = try engine.sagemaker.createTransformJob(job)
        // a.csv is being scored (ten 200 ms requests) when b.csv goes away: after the job listed
        // both files, however long a loaded machine took to get there.
        #expect(eventually {
            (try? engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: "deleted")))?.inferLabProgress?.filesTotal == 2
        })
        try engine.store.deleteObject(bucket: "loan-lab", key: "deleted/b.csv")
        let described = try waitForJob(engine, "deleted")
        #expect(described.transformJobStatus == "Failed")
        let reason = described.failureReason ?? ""
        #expect(reason.contains("s3://loan-lab/deleted/b.csv: NoSuchKey: The specified key does not exist."), "\(reason)")
        #expect(!reason.contains("AWSError(") && !reason.contains("Optional("), "\(reason)")
    }

    @Test func errorsBecomeSentences() {
        #expect(ErrorSentence.of(AWSError.noSuchKey(bucket: "b", key: "k", operation: "GetObject")) == "NoSuchKey: The specified key does not exist.")
        let missing = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileReadNoSuchFile.rawValue, userInfo: [NSFilePathErrorKey: "data/input.csv"])
        #expect(ErrorSentence.of(missing) == "the file data/input.csv does not exist")
        let denied = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "out/x.csv"])
        #expect(ErrorSentence.of(denied) == "permission denied writing out/x.csv")
        #expect(!ErrorSentence.of(missing).contains("NSCocoaErrorDomain"))
    }
}
