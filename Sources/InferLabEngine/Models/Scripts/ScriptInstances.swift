import Foundation

/// Starts framework containers on instances: fetches the model artifact and the script's
/// source from the object store into a fresh instance folder, builds the container's
/// environment, and starts its process (`ScriptContainer`).
///
/// The process gets the course interpreter (`SageMakerService.Configuration.python`) and an
/// environment made from nothing but what SageMaker gives a container: the model's Environment,
/// the platform's variables, and a PATH, HOME and TMPDIR inside the instance folder. None of the
/// kit's own variables (its credentials, its settings) reach it, and it has no handle on the
/// catalog or the buckets: what it reads is what was copied into its folder.
struct ScriptInstances: Sendable {
    let store: any ObjectStore
    let python: String
    let region: String
    let timeoutScale: Double

    /// Starts `container` of a model on `instance`.
    func start(_ container: ModelPlan.Container, framework: FrameworkImage, extraEnvironment: [String: String],
               placement: InstancePlacement, instance: String, inPipeline: Bool) throws -> ScriptContainer {
        var environment = container.definition.environment ?? [:]
        environment.merge(extraEnvironment) { $1 }
        let program = environment["SAGEMAKER_PROGRAM"] ?? ""
        guard !program.isEmpty else {
            throw ModelLoadError(message: "the \(container.hostname) container (\(framework.rawValue)) needs SAGEMAKER_PROGRAM, the file name of your inference script (the SDK sets it from entry_point), in its Environment")
        }
        var url = placement.folder.appendingPathComponent(instance, isDirectory: true)
        if inPipeline { url.appendPathComponent(container.hostname, isDirectory: true) }
        let folder = try InstanceFolder.fresh(url)
        if let modelData = container.definition.modelDataUrl {
            try InstanceFolder.extract(try read(modelData, what: "ModelDataUrl"), into: folder.modelDirectory,
                                       what: "the model artifact \(modelData)")
        }
        let moduleDirectory = try sourceDirectory(environment["SAGEMAKER_SUBMIT_DIRECTORY"], folder: folder)
        guard FileManager.default.fileExists(atPath: moduleDirectory.appendingPathComponent(program).path) else {
            let found = (try? FileManager.default.contentsOfDirectory(atPath: moduleDirectory.path))?.sorted().joined(separator: ", ")
            throw ModelLoadError(message: "the inference script \(program) (SAGEMAKER_PROGRAM) is not in SAGEMAKER_SUBMIT_DIRECTORY \(environment["SAGEMAKER_SUBMIT_DIRECTORY"] ?? "(not set: /opt/ml/model/code)")" + (found.map { $0.isEmpty ? "" : "; it holds: \($0)" } ?? ""))
        }
        let hostname = container.hostname
        let launch = ScriptLaunch(
            python: python, framework: framework, folder: folder.url, moduleDirectory: moduleDirectory.path,
            environment: processEnvironment(environment, placement: placement, folder: folder), hostname: hostname,
            log: { line in placement.log(instance, inPipeline ? "[\(hostname)] \(line)" : line) },
            timeoutScale: timeoutScale, defaultTimeout: placement.defaultTimeout)
        return try ScriptContainer(launch)
    }

    /// Where the script is imported from, as SAGEMAKER_SUBMIT_DIRECTORY says: an `s3://` tarball
    /// (an estimator's `create_model`, an SDK model without network isolation) is extracted into
    /// the instance's `code/`; `/opt/ml/…` (the SDK's repack into `model/code/`) is that folder
    /// of the instance; unset is `model/code/`.
    private func sourceDirectory(_ submitDirectory: String?, folder: InstanceFolder) throws -> URL {
        guard let submitDirectory, !submitDirectory.isEmpty else { return folder.modelDirectory.appendingPathComponent("code") }
        if submitDirectory.hasPrefix("s3://") {
            try InstanceFolder.extract(try read(submitDirectory, what: "SAGEMAKER_SUBMIT_DIRECTORY"), into: folder.codeDirectory,
                                       what: "the source archive \(submitDirectory)")
            return folder.codeDirectory
        }
        if submitDirectory.hasPrefix("/opt/ml/") {
            let relative = submitDirectory.dropFirst("/opt/ml/".count).split(separator: "/").filter { $0 != "." && $0 != ".." }
            return relative.reduce(folder.url) { $0.appendingPathComponent(String($1)) }
        }
        throw ModelLoadError(message: "SAGEMAKER_SUBMIT_DIRECTORY \(VisibleText.escaped(submitDirectory)) is neither an s3:// URI of a sourcedir.tar.gz nor a folder under /opt/ml (such as /opt/ml/model/code); a local path means nothing on an instance")
    }

    private func read(_ uri: String, what: String) throws -> Data {
        guard let location = S3Location(uri), !location.key.isEmpty else {
            throw ModelLoadError(message: "\(what) \(VisibleText.escaped(uri)) is not an s3:// URI of an object")
        }
        do { return try store.readObject(bucket: location.bucket, key: location.key) } catch {
            throw ModelLoadError(message: "\(what) \(uri) could not be read: \(ErrorSentence.of(error))")
        }
    }

    private func processEnvironment(_ container: [String: String], placement: InstancePlacement, folder: InstanceFolder) -> [String: String] {
        var path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if python.contains("/") { path = URL(fileURLWithPath: python).deletingLastPathComponent().path + ":" + path }
        var environment: [String: String] = [
            "PATH": path, "HOME": folder.url.path, "TMPDIR": folder.temporaryDirectory.path,
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "UTF-8",
            "SAGEMAKER_BASE_DIR": folder.url.path, "SM_MODEL_DIR": folder.modelDirectory.path,
            "AWS_REGION": region, "AWS_DEFAULT_REGION": region, "SAGEMAKER_BIND_TO_PORT": "8080",
        ]
        environment.merge(placement.environment) { $1 }
        environment.merge(container) { $1 }
        return environment
    }
}
