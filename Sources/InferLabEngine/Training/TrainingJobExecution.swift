import Foundation

/// One run of one training job, through SageMaker's secondary statuses: Starting (instances
/// acquired, not billed) → Downloading (TrainingStartTime: billed from here; the channels copied
/// into the instance, the image "pulled") → Training (the algorithm or the learner's script) →
/// Uploading (`model.tar.gz`, and `output.tar.gz` when `/opt/ml/output/data` is not empty) →
/// Completed; or Failed, Stopped, MaxRuntimeExceeded.
struct TrainingJobExecution {
    let name: String
    let dependencies: TrainingJobRunner.Dependencies
    let stopFlag: JobThreads.StopFlag

    private var catalog: Catalog { dependencies.catalog }

    func run() {
        guard let record = try? catalog.trainingJob(named: name), !record.hasEnded,
              let job = try? AWSCoding.decoder().decode(CreateTrainingJobInput.self, from: record.definition) else { return }
        if record.startTime == nil {
            guard pause(dependencies.provisioningDelay) else { return finishStopped(job, instance: nil) }
        }
        let started = record.startTime ?? dependencies.now()
        try? catalog.advanceTrainingJob(name, to: "Downloading", message: "Downloading input data", at: dependencies.now(), started: record.startTime == nil)
        let stream = Self.logStream(job: name, start: started)
        let log: @Sendable (String) -> Void = { [dependencies, name] line in
            try? dependencies.catalog.appendLog(group: TrainingJobRunner.logGroup, stream: "\(name)/\(stream)",
                                                message: Self.logText(line), at: dependencies.now())
        }
        let instance = TrainingInstance(jobsFolder: dependencies.jobsFolder, job: job)
        let deadline = started.addingTimeInterval(Double(job.stoppingCondition?.maxRuntimeInSeconds ?? SageMakerService.defaultMaxRuntime))
        let image = TrainingImage(job.algorithmSpecification?.trainingImage ?? "")
        do {
            try instance.prepare()
            try TrainingChannels(store: dependencies.store, job: job, roleArn: job.roleArn).download(into: instance, log: log)
            if dependencies.startupDelay > 0 {
                log(String(format: "Pulling the training image %@ (%.0f s here; a minute or more on AWS; billed).",
                           job.algorithmSpecification?.trainingImage ?? "", dependencies.startupDelay))
                guard pause(dependencies.startupDelay) else { return finishStopped(job, instance: instance) }
            }
            try catalog.advanceTrainingJob(name, to: "Training", message: "Training image download completed. Training in progress.", at: dependencies.now())
            let scraper: MetricScraper
            let outcome: TrainingContainerRun.Outcome
            switch image {
            case .builtin(.linearLearner)?:
                scraper = try MetricScraper(definitions: MetricScraper.linearLearnerDefinitions)
                let scraped: @Sendable (String) -> Void = { line in log(line); scraper.read(Self.logText(line), at: dependencies.now()) }
                try LinearLearnerAlgorithm.train(instance, log: scraped)
                outcome = stopFlag.isRaised ? .stopped : .finished
            case .builtin(.xgboost)? where !(image?.runsScript(job.hyperParameters ?? [:]) ?? false):
                scraper = try MetricScraper(definitions: [], xgboostEvaluations: true)
                outcome = try runXGBoost(instance, log: log, scraper: scraper, deadline: deadline)
            case _?:
                scraper = try MetricScraper(definitions: job.algorithmSpecification?.metricDefinitions ?? [])
                outcome = try runScript(instance, record: record, log: log, scraper: scraper, deadline: deadline)
            case nil:
                throw TrainingFailure.client("InferLab cannot run the training image \(job.algorithmSpecification?.trainingImage ?? "")")
            }
            switch outcome {
            case .finished: break
            case .stopped: return finishStopped(job, instance: instance, metrics: scraper.finalMetrics)
            case .timedOut:
                log("The job ran for MaxRuntimeInSeconds (\(job.stoppingCondition?.maxRuntimeInSeconds ?? SageMakerService.defaultMaxRuntime) s): SageMaker stops it.")
                return finishStopped(job, instance: instance, metrics: scraper.finalMetrics, secondary: "MaxRuntimeExceeded",
                                     message: "Training job runtime exceeded MaxRuntimeInSeconds provided")
            }
            try catalog.advanceTrainingJob(name, to: "Uploading", message: "Uploading generated training model", at: dependencies.now())
            try TrainingArtifacts(store: dependencies.store, job: job).upload(instance, log: log)
            finish(status: "Completed", secondary: "Completed", message: "Training job completed", reason: nil, metrics: scraper.finalMetrics)
        } catch let failure as TrainingFailure {
            log(failure.reason)
            if stopFlag.isRaised { return finishStopped(job, instance: instance) }
            finish(status: "Failed", secondary: "Failed", message: "Training job failed", reason: failure.reason, metrics: nil)
        } catch {
            let reason = "ClientError: \(ErrorSentence.of(error))"
            log(reason)
            finish(status: "Failed", secondary: "Failed", message: "Training job failed", reason: reason, metrics: nil)
        }
    }

    /// The built-in XGBoost algorithm: its script, written beside `/opt/ml`, on the course interpreter.
    private func runXGBoost(_ instance: TrainingInstance, log: @escaping @Sendable (String) -> Void, scraper: MetricScraper,
                            deadline: Date) throws -> TrainingContainerRun.Outcome {
        let script = instance.root.appendingPathComponent(XGBoostAlgorithmScript.fileName)
        try Data(XGBoostAlgorithmScript.source.utf8).write(to: script)
        let run = containerRun(instance, directory: instance.root, environment: instance.baseEnvironment(arn: arn, python: dependencies.python),
                               deadline: deadline, log: log, scraper: scraper)
        return try run.run([script.path, instance.optML.path]) { code, tail in
            let failure = instance.outputDirectory.appendingPathComponent("failure")
            if let text = try? String(contentsOf: failure, encoding: .utf8), !text.isEmpty {
                return text.hasPrefix("ClientError: ") ? .client(String(text.dropFirst("ClientError: ".count))) : .algorithm(text)
            }
            return .algorithm("framework error: exit code \(code): \(tail.suffix(10).joined(separator: "\n"))")
        }
    }

    /// Script mode: the learner's code unpacked into `/opt/ml/code` and run as the toolkit runs it.
    private func runScript(_ instance: TrainingInstance, record: TrainingJobRecord, log: @escaping @Sendable (String) -> Void,
                           scraper: MetricScraper, deadline: Date) throws -> TrainingContainerRun.Outcome {
        guard let script = TrainingScript(hyperparameters: instance.job.hyperParameters ?? [:]) else {
            throw TrainingFailure.client("a script-mode training job names its entry point in the sagemaker_program hyperparameter (the SDK's entry_point) and its code in sagemaker_submit_directory")
        }
        try script.unpackSource(into: instance.codeDirectory, store: dependencies.store)
        if FileManager.default.fileExists(atPath: instance.codeDirectory.appendingPathComponent("requirements.txt").path) {
            log("requirements.txt found: InferLab installs nothing (it runs offline); the script gets the course venv's packages.")
        }
        var environment = instance.baseEnvironment(arn: arn, python: dependencies.python)
        environment.merge(instance.toolkitEnvironment(userHyperparameters: script.hyperparameters, entryPoint: script.program,
                                                      submitDirectory: script.submitDirectory)) { $1 }
        environment.merge(try ImageShims.install(in: instance.root.appendingPathComponent("image-python", isDirectory: true))) { mine, _ in mine }
        let command = script.commandLine(python: dependencies.python)
        log("Invoking user script")
        log("Training Env:")
        log(environment["SM_TRAINING_ENV"] ?? "{}")
        log("Invoking script with the following command:")
        log(command)
        let run = containerRun(instance, directory: instance.codeDirectory, environment: environment, deadline: deadline, log: log, scraper: scraper)
        return try run.run([script.program] + TrainingScript.arguments(script.hyperparameters)) { code, tail in
            TrainingContainerRun.scriptFailure(exitCode: code, errorTail: tail, command: command)
        }
    }

    private func containerRun(_ instance: TrainingInstance, directory: URL, environment: [String: String], deadline: Date,
                              log: @escaping @Sendable (String) -> Void, scraper: MetricScraper) -> TrainingContainerRun {
        let now = dependencies.now
        return TrainingContainerRun(
            python: dependencies.python, directory: directory, environment: environment, deadline: deadline,
            stopGrace: dependencies.stopGrace, isStopRequested: { [stopFlag] in stopFlag.isRaised },
            log: { line in log(line); scraper.read(Self.logText(line), at: now()) })
    }

    private var arn: String { (try? catalog.trainingJob(named: name))?.arn ?? name }

    /// `algo-1-<epoch seconds of TrainingStartTime>`, as SageMaker names an instance's stream.
    static func logStream(job: String, start: Date) -> String {
        "\(TrainingInstance.host)-\(Int(start.timeIntervalSince1970))"
    }

    /// A container line as CloudWatch shows it: a tab as `#011` (what the algorithms' metric
    /// regexes expect), other control characters escaped so a log cannot drive a terminal.
    static func logText(_ line: String) -> String {
        VisibleText.escaped(line.replacingOccurrences(of: "\t", with: "#011").replacingOccurrences(of: "\r", with: ""))
    }

    /// Waits `seconds`, or until the job is asked to stop (then false).
    private func pause(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stopFlag.isRaised { return false }
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
        return !stopFlag.isRaised
    }

    /// Stopped (by StopTrainingJob or MaxRuntimeInSeconds): what the algorithm saved in
    /// `/opt/ml/model` by then is uploaded, as SageMaker does after its SIGTERM.
    private func finishStopped(_ job: CreateTrainingJobInput, instance: TrainingInstance?, metrics: [MetricData]? = nil,
                               secondary: String = "Stopped", message: String = "Training job stopped") {
        if let instance, let contents = try? FileManager.default.contentsOfDirectory(atPath: instance.modelDirectory.path), !contents.isEmpty {
            try? TrainingArtifacts(store: dependencies.store, job: job).upload(instance, log: { _ in })
        }
        finish(status: "Stopped", secondary: secondary, message: message, reason: nil, metrics: metrics)
    }

    private func finish(status: String, secondary: String, message: String, reason: String?, metrics: [MetricData]?) {
        let end = dependencies.now()
        guard (try? catalog.finishTrainingJob(name, status: status, secondary: secondary, message: message, failureReason: reason,
                                               metrics: metrics?.isEmpty == false ? metrics : nil, at: end)) == true else { return }
        let took = (try? catalog.trainingJob(named: name)).map { String(format: " after %.1f s", end.timeIntervalSince($0.creationTime)) } ?? ""
        dependencies.notify("Training job \(name): \(status)\(took)." + (reason.map { " \($0.split(separator: "\n").first ?? "")" } ?? ""))
    }
}
