import Foundation

/// The SageMaker Python SDK's configuration for a workspace (`.inferlab/sagemaker-config.yaml`),
/// which `inferlab env` points `SAGEMAKER_USER_CONFIG_OVERRIDE` at. Without it the SDK's
/// `Session().default_bucket()` asks STS for the account at AWS's own address, which
/// `AWS_ENDPOINT_URL` does not change (offline, it fails after retries); with a default bucket
/// named, it only asks S3 (the kit). Telemetry is off: the SDK would otherwise try to reach AWS.
public enum SageMakerSDKConfig {
    /// The bucket the SDK uses when the code names none: `sagemaker-<region>-<account>`, the SDK's
    /// own convention.
    public static func defaultBucket(account: String = "123456789012", region: String = "us-east-1") -> String {
        "sagemaker-\(region)-\(account)"
    }

    /// Writes the file if it is missing or different; answers its path.
    public static func write(for workspace: Workspace) throws -> URL {
        let file = workspace.stateDirectory.appendingPathComponent("sagemaker-config.yaml")
        let text = """
            # Written by InferLab for the SageMaker Python SDK (SAGEMAKER_USER_CONFIG_OVERRIDE).
            SchemaVersion: '1.0'
            SageMaker:
              PythonSDK:
                Modules:
                  TelemetryOptOut: true
                  Session:
                    DefaultS3Bucket: \(defaultBucket())

            """
        if (try? String(contentsOf: file, encoding: .utf8)) != text {
            try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file, options: .atomic)
        }
        return file
    }
}
