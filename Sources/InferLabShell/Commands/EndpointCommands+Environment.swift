import Foundation
import InferLabEngine

/// `env`: the `export` lines that point unmodified AWS clients (boto3, the aws CLI, the SageMaker
/// SDK) at the kit's local endpoint: `eval "$(inferlab env)"` in a second terminal.
enum EnvironmentCommand {
    static let env = CommandSpec(
        ["env"], family: .kit, summary: "Print the export lines that point AWS clients at the kit's endpoint",
        discussion: """
            In another terminal, `eval "$(inferlab env)"` is all boto3, the aws CLI and the SageMaker SDK need \
            (SAGEMAKER_USER_CONFIG_OVERRIDE gives the SDK a default bucket, so it asks no STS at AWS's address). \
            In the shell, `!COMMAND` runs a system command with these variables already set (`!python3 invoke.py`). \
            The access key is the workspace's own (.inferlab/credentials.json); requests must be signed with it.
            """,
        options: [OptionSpec("port", placeholder: "N", help: "the endpoint's port, if not the shell's or the default 4599")],
        examples: ["env", "!aws s3 ls"]
    ) { invocation in
        let port = try invocation.integer("port")
        for (name, value) in try variables(invocation.session, port: port) {
            invocation.console.print("export \(name)=\(shellQuoted(value))")
        }
    }

    /// The variables, in the order they are printed.
    static func variables(_ session: Session, port: Int? = nil) throws -> [(String, String)] {
        let credentials = try AccessCredentials.of(session.baseWorkspace)
        let port = port ?? session.endpointPort ?? defaultPort
        return [
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:\(port)"),
            ("AWS_ACCESS_KEY_ID", credentials.accessKeyId),
            ("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey),
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_REGION", "us-east-1"),
            // The SageMaker Python SDK's defaults: a default bucket (so it needs no STS at AWS's own
            // address) and no telemetry.
            ("SAGEMAKER_USER_CONFIG_OVERRIDE", try SageMakerSDKConfig.write(for: session.baseWorkspace).path),
        ]
    }

    /// The kit's fixed port (the server module's `APIServer.defaultPort`).
    static let defaultPort = 4599

    static func shellQuoted(_ value: String) -> String {
        value.allSatisfy { $0.isLetter || $0.isNumber || "-_./:".contains($0) } ? value
            : "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
