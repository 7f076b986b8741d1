import Foundation

/// Script mode, as the framework containers run it through AWS's `sagemaker-training` toolkit:
/// the SDK uploads the learner's folder as `sourcedir.tar.gz` and names it and the entry point in
/// the `sagemaker_submit_directory` and `sagemaker_program` hyperparameters (JSON-encoded); the
/// container unpacks it into `/opt/ml/code` and runs `python <program> --<name> <value> …` with
/// the user's hyperparameters, in sorted order, and the `SM_*` environment.
struct TrainingScript {
    /// The hyperparameters the toolkit keeps for itself (never passed to the script).
    static let toolkitParameters: Set<String> = [
        "sagemaker_program", "sagemaker_submit_directory", "sagemaker_container_log_level", "sagemaker_job_name",
        "sagemaker_region", "sagemaker_enable_cloudwatch_metrics", "sagemaker_s3_output", "sagemaker_mpi_enabled",
        "sagemaker_parameter_server_enabled", "sagemaker_distributed_dataparallel_enabled", "sagemaker_instance_type",
    ]

    /// The most a code archive may unpack to: scripts, not data (data comes in channels).
    static let sourceLimit = 256 << 20

    let program: String
    let submitDirectory: String?
    /// The user's hyperparameters, by name.
    let hyperparameters: [(name: String, value: HyperparameterValue)]

    /// Script mode is asked for when `sagemaker_program` is among the hyperparameters.
    init?(hyperparameters: [String: String]) {
        guard let program = hyperparameters["sagemaker_program"].map(HyperparameterValue.init)?.argumentText, !program.isEmpty else { return nil }
        self.program = program
        submitDirectory = hyperparameters["sagemaker_submit_directory"].map(HyperparameterValue.init)?.argumentText
        self.hyperparameters = hyperparameters.filter { !Self.toolkitParameters.contains($0.key) && !$0.key.hasPrefix("_tuning") }
            .sorted { $0.key < $1.key }.map { ($0.key, HyperparameterValue($0.value)) }
    }

    /// `--name value` pairs in sorted order (`-n value` for one-letter names), as the toolkit's
    /// `to_cmd_args` makes them.
    static func arguments(_ hyperparameters: [(name: String, value: HyperparameterValue)]) -> [String] {
        hyperparameters.sorted { $0.name < $1.name }.flatMap { name, value in
            [name.count > 1 ? "--\(name)" : "-\(name)", value.argumentText]
        }
    }

    /// The command the log and a FailureReason show: `/miniconda3/bin/python train.py --a 1`,
    /// with the course interpreter's path.
    func commandLine(python: String) -> String {
        ([python, program] + Self.arguments(hyperparameters)).joined(separator: " ")
    }

    /// Unpacks `sourcedir.tar.gz` (an `s3://` URI) into the code folder. Names that would leave
    /// the folder (absolute, `..`) are refused, so an archive cannot write elsewhere.
    func unpackSource(into folder: URL, store: any ObjectStore) throws {
        guard let submitDirectory else { return }
        guard let location = S3Location(submitDirectory), location.key.hasSuffix(".tar.gz") || location.key.hasSuffix(".tgz") else {
            throw TrainingFailure.client("sagemaker_submit_directory must be the s3:// URI of a .tar.gz of your code (the SDK uploads sourcedir.tar.gz); it is \(submitDirectory)")
        }
        let archive: Data
        do { archive = try store.readObject(bucket: location.bucket, key: location.key) } catch {
            throw TrainingFailure.client("the code archive \(submitDirectory) cannot be read: \(ErrorSentence.of(error))")
        }
        let files: [String: Data]
        do { files = try ModelArchive.read(archive, limit: Self.sourceLimit) } catch {
            throw TrainingFailure.client("the code archive \(submitDirectory) cannot be unpacked: \(ErrorSentence.of(error))")
        }
        for (name, data) in files {
            let parts = name.split(separator: "/", omittingEmptySubsequences: true)
            guard !name.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." }) else {
                throw TrainingFailure.client("the code archive \(submitDirectory) holds \(VisibleText.escaped(name)), which would land outside /opt/ml/code")
            }
            let target = parts.reduce(folder) { $0.appendingPathComponent(String($1)) }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(program).path) else {
            throw TrainingFailure.client("the entry point \(program) is not in \(submitDirectory) (it holds: \(files.keys.sorted().prefix(10).joined(separator: ", ")))")
        }
    }
}

/// Why a training job fails, in AWS's two kinds: the user's data or settings (`ClientError`), or
/// the algorithm itself (`AlgorithmError`, a script's non-zero exit).
enum TrainingFailure: Error {
    case client(String)
    case algorithm(String)

    var reason: String {
        switch self {
        case .client(let message): "ClientError: \(message)"
        case .algorithm(let message): "AlgorithmError: \(message)"
        }
    }
}
