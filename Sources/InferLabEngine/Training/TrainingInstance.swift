import Foundation

/// One training instance's file system, SageMaker's `/opt/ml` mapped into the workspace:
/// `<root>/<job>/algo-1/opt/ml/{input/config, input/data/<channel>, model, output/data, code}`.
/// The folder is made afresh for each run of the job (an adopted job starts again here) and
/// kept afterwards, so a learner can look at what the container saw.
struct TrainingInstance {
    static let host = "algo-1"
    static let groupName = "homogeneousCluster"

    let root: URL
    let job: CreateTrainingJobInput

    init(jobsFolder: URL, job: CreateTrainingJobInput) {
        self.job = job
        root = jobsFolder.appendingPathComponent(job.trainingJobName, isDirectory: true)
            .appendingPathComponent(Self.host, isDirectory: true)
    }

    var optML: URL { root.appendingPathComponent("opt/ml", isDirectory: true) }
    var inputDirectory: URL { optML.appendingPathComponent("input", isDirectory: true) }
    var configDirectory: URL { inputDirectory.appendingPathComponent("config", isDirectory: true) }
    var dataDirectory: URL { inputDirectory.appendingPathComponent("data", isDirectory: true) }
    var modelDirectory: URL { optML.appendingPathComponent("model", isDirectory: true) }
    var outputDirectory: URL { optML.appendingPathComponent("output", isDirectory: true) }
    var outputDataDirectory: URL { outputDirectory.appendingPathComponent("data", isDirectory: true) }
    var codeDirectory: URL { optML.appendingPathComponent("code", isDirectory: true) }
    func channelDirectory(_ name: String) -> URL { dataDirectory.appendingPathComponent(name, isDirectory: true) }

    var instanceType: String { job.resourceConfig?.instanceType ?? "ml.m5.large" }
    var channels: [Channel] { job.inputDataConfig ?? [] }

    /// Empties and lays out the folders, and writes the three config files the container reads.
    func prepare() throws {
        let files = FileManager.default
        // The kit follows no link in the workspace: a link planted here would lead the job's
        // writes (channels, the unpacked code) outside it.
        for folder in [root.deletingLastPathComponent().deletingLastPathComponent(), root.deletingLastPathComponent(), root] {
            if let type = try? files.attributesOfItem(atPath: folder.path)[.type] as? FileAttributeType, type == .typeSymbolicLink {
                throw TrainingFailure.client("\(folder.path) is a symbolic link; InferLab follows no links in the workspace. Remove it and start the job again under a new name.")
            }
        }
        if files.fileExists(atPath: root.path) { try files.removeItem(at: root) }
        for folder in [configDirectory, modelDirectory, outputDataDirectory, codeDirectory] + channels.map({ channelDirectory($0.channelName) }) {
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try write(job.hyperParameters ?? [:], to: "hyperparameters.json")
        try write(resourceConfig, to: "resourceconfig.json")
        var dataConfig: [String: Any] = [:]
        for channel in channels {
            var entry: [String: Any] = [
                "TrainingInputMode": channel.inputMode ?? job.algorithmSpecification?.trainingInputMode ?? "File",
                "S3DistributionType": channel.dataSource.s3DataSource?.s3DataDistributionType ?? "FullyReplicated",
                "RecordWrapperType": channel.recordWrapperType ?? "None",
            ]
            if let type = channel.contentType { entry["ContentType"] = type }
            dataConfig[channel.channelName] = entry
        }
        try write(dataConfig, to: "inputdataconfig.json")
    }

    /// `resourceconfig.json`, as SageMaker writes it for one instance.
    var resourceConfig: [String: Any] {
        ["current_host": Self.host, "current_instance_type": instanceType, "current_group_name": Self.groupName,
         "hosts": [Self.host], "network_interface_name": "eth0",
         "instance_groups": [["instance_group_name": Self.groupName, "instance_type": instanceType, "hosts": [Self.host]]]]
    }

    private func write(_ object: Any, to name: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: configDirectory.appendingPathComponent(name))
    }

    /// The environment a container gets: the interpreter's folder first on the PATH, the locale,
    /// HOME and TMPDIR in the instance's folder, the job's `Environment`, `TRAINING_JOB_NAME` and
    /// `_ARN`; nothing else of the kit's own (no AWS keys, no `INFERLAB_*`, no PYTHONPATH).
    func baseEnvironment(arn: String, python: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment: [String: String] = [
            "PATH": ((python.contains("/") ? [URL(fileURLWithPath: python).deletingLastPathComponent().path] : [])
                     + [inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]).joined(separator: ":"),
            "HOME": root.path,
            "LANG": inherited["LANG"] ?? "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TMPDIR": root.appendingPathComponent("tmp").path,
            "TRAINING_JOB_NAME": job.trainingJobName,
            "TRAINING_JOB_ARN": arn,
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
        ]
        try? FileManager.default.createDirectory(at: root.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        for (key, value) in job.environment ?? [:] { environment[key] = value }
        return environment
    }

    /// What the training toolkit sets for a script (`sagemaker-training`'s `to_env_vars`): `SM_*`
    /// from the layout, the user's hyperparameters (JSON-decoded, the `sagemaker_*` ones apart)
    /// and the command-line arguments it passes them as.
    func toolkitEnvironment(userHyperparameters: [(name: String, value: HyperparameterValue)], entryPoint: String,
                            submitDirectory: String?) -> [String: String] {
        func json(_ object: Any) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        let channelNames = channels.map(\.channelName).sorted()
        let hps = Dictionary(userHyperparameters.map { ($0.name, $0.value.object) }, uniquingKeysWith: { $1 })
        var channelDirs: [String: String] = [:]
        for name in channelNames { channelDirs[name] = channelDirectory(name).path }
        let inputConfig = (try? JSONSerialization.jsonObject(with: Data(contentsOf: configDirectory.appendingPathComponent("inputdataconfig.json")))) ?? [:]
        let moduleName = entryPoint.hasSuffix(".py") ? String(entryPoint.dropLast(3)) : entryPoint
        let userArgs = TrainingScript.arguments(userHyperparameters)
        let training: [String: Any] = [
            "additional_framework_parameters": [String: Any](), "channel_input_dirs": channelDirs, "current_host": Self.host,
            "current_instance_type": instanceType, "current_instance_group": Self.groupName, "framework_module": "sagemaker_sklearn_container.training:main",
            "hosts": [Self.host], "hyperparameters": hps, "input_config_dir": configDirectory.path, "input_data_config": inputConfig,
            "input_dir": inputDirectory.path, "is_master": true, "job_name": job.trainingJobName, "log_level": 20,
            "master_hostname": Self.host, "model_dir": modelDirectory.path, "module_dir": submitDirectory ?? codeDirectory.path,
            "module_name": moduleName, "network_interface_name": "eth0", "num_cpus": ProcessInfo.processInfo.activeProcessorCount,
            "num_gpus": 0, "num_neurons": 0, "output_data_dir": outputDataDirectory.path, "output_dir": outputDirectory.path,
            "output_intermediate_dir": outputDirectory.appendingPathComponent("intermediate").path, "resource_config": resourceConfig,
            "user_entry_point": entryPoint,
        ]
        var environment: [String: String] = [
            "SM_HOSTS": json([Self.host]), "SM_NETWORK_INTERFACE_NAME": "eth0", "SM_HPS": json(hps),
            "SM_USER_ENTRY_POINT": entryPoint, "SM_FRAMEWORK_PARAMS": "{}", "SM_RESOURCE_CONFIG": json(resourceConfig),
            "SM_INPUT_DATA_CONFIG": json(inputConfig), "SM_OUTPUT_DATA_DIR": outputDataDirectory.path, "SM_CHANNELS": json(channelNames),
            "SM_CURRENT_HOST": Self.host, "SM_CURRENT_INSTANCE_TYPE": instanceType, "SM_CURRENT_INSTANCE_GROUP": Self.groupName,
            "SM_MODULE_NAME": moduleName, "SM_LOG_LEVEL": "20", "SM_FRAMEWORK_MODULE": "sagemaker_sklearn_container.training:main",
            "SM_INPUT_DIR": inputDirectory.path, "SM_INPUT_CONFIG_DIR": configDirectory.path, "SM_OUTPUT_DIR": outputDirectory.path,
            "SM_NUM_CPUS": String(ProcessInfo.processInfo.activeProcessorCount), "SM_NUM_GPUS": "0", "SM_NUM_NEURONS": "0",
            "SM_MODEL_DIR": modelDirectory.path, "SM_MODULE_DIR": submitDirectory ?? codeDirectory.path,
            "SM_TRAINING_ENV": json(training), "SM_USER_ARGS": json(userArgs),
            "SM_OUTPUT_INTERMEDIATE_DIR": outputDirectory.appendingPathComponent("intermediate").path,
        ]
        for (name, path) in channelDirs { environment["SM_CHANNEL_\(name.uppercased())"] = path }
        for (name, value) in userHyperparameters { environment["SM_HP_\(name.uppercased())"] = value.environmentText }
        return environment
    }
}

/// A hyperparameter as the training toolkit reads it: its text JSON-decoded when it is JSON
/// (the SDK sends `"\"abc\""` and `"5"`), else the text itself.
struct HyperparameterValue: Equatable {
    let text: String
    let decoded: JSONValue?

    init(_ text: String) {
        self.text = text
        decoded = try? JSONValue.parse(Data(text.utf8))
    }

    /// For SM_HPS and SM_TRAINING_ENV.
    var object: Any {
        guard let decoded else { return text }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? decoded.compact
    }

    /// `str()` of the decoded value, as the toolkit passes it on the command line.
    var argumentText: String {
        switch decoded {
        case .string(let value)?: value
        case .bool(let value)?: value ? "True" : "False"
        case .null?: "None"
        case nil: text
        default: text.trimmingCharacters(in: .whitespaces)
        }
    }

    /// SM_HP_<NAME>: strings as they are, anything else as compact JSON.
    var environmentText: String {
        switch decoded {
        case .string(let value)?: value
        case nil: text
        case let value?: value.compact
        }
    }
}
