import Foundation
import InferLabEngine

/// `predict`: score a payload with a registered model, without an endpoint or a job.
enum PredictCommand {
    static let predict = CommandSpec(
        ["predict"], family: .kit, summary: "Score a payload with a model directly (not an AWS command)",
        discussion: """
        Sends the body to the model's container exactly as an endpoint would (same content types, \
        accept types and errors), with no endpoint to deploy. On AWS you would deploy an endpoint and \
        call `aws sagemaker-runtime invoke-endpoint`; use this to check a model and its input quickly.
        """,
        options: [
            OptionSpec("model-name", placeholder: "NAME", help: "a model from create-model", isRequired: true,
                       completion: ModelCommands.modelNames),
            OptionSpec("body", placeholder: "fileb://PATH|s3://URI", help: "the request body", isRequired: true,
                       completion: .localOrS3Path),
            OptionSpec("content-type", placeholder: "TYPE", help: "default text/csv",
                       completion: .values(["text/csv", "text/libsvm", "application/json", "application/jsonlines"])),
            OptionSpec("accept", placeholder: "TYPE", help: "the response type (default: the container's)",
                       completion: .values(["text/csv", "application/json", "application/jsonlines"])),
        ],
        examples: ["predict --model-name loan-xgb --body fileb://datasets/loans/data.csv --content-type text/csv"]
    ) { invocation in
        let engine = invocation.session.engine
        let body = try readBody(invocation.value("body")!, engine: engine, paths: invocation.session.localPaths, spec: invocation.spec)
        let container = try engine.sagemaker.container(forModel: invocation.value("model-name")!)
        do {
            let response = try container.invoke(body: body, contentType: invocation.value("content-type") ?? "text/csv",
                                                accept: invocation.value("accept"), mode: .endpoint)
            invocation.console.write(String(decoding: response.body, as: UTF8.self))
            if response.body.last != 0x0A { invocation.console.print() }
        } catch let error as ContainerError {
            throw CLIFailure("ModelError: the model container answered \(error.status): \(error.message)", exitCode: ExitCode.serviceError)
        }
    }

    /// A body from `fileb://path`, `file://path`, a plain path, or `s3://bucket/key`.
    static func readBody(_ text: String, engine: Engine, paths: LocalPaths, spec: CommandSpec) throws -> Data {
        if let location = S3Location(text) {
            return try S3Operations.GetObject.run(GetObjectInput(bucket: location.bucket, key: location.key), on: engine).body.readAll()
        }
        var path = text
        for prefix in ["fileb://", "file://"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        guard let data = FileManager.default.contents(atPath: paths.url(path, for: .reading).path) else {
            throw ShellError.usage("cannot read the body file \(path): no such file", command: spec)
        }
        return data
    }
}
