import Foundation

/// How one instance's framework container starts: the interpreter, the instance folder (its
/// /opt/ml), the script's folder, the environment, and where its log goes.
struct ScriptLaunch: Sendable {
    var python: String
    var framework: FrameworkImage
    var folder: URL
    /// Where the script is imported from (SAGEMAKER_SUBMIT_DIRECTORY as it is in the instance).
    var moduleDirectory: String
    var environment: [String: String]
    /// `primary`, or the container's hostname in a pipeline: what errors name it.
    var hostname: String
    var log: @Sendable (String) -> Void
    /// Multiplies invocation and start-up timeouts (`INFERLAB_INVOCATION_TIMEOUT_SCALE`), so
    /// tests of a script that never answers take milliseconds, not minutes.
    var timeoutScale: Double
    /// The invocation timeout when the caller gives none.
    var defaultTimeout: Duration = .seconds(60)

    /// How long importing the script, model_fn and the first health check may take: 8 minutes,
    /// scaled (at least 2 s, the interpreter's own start).
    var startupTimeout: Duration { .seconds(max(2, 480 * timeoutScale)) }
}

/// One instance of a framework container (the SKLearn image, XGBoost in script mode): one
/// long-lived Python process running the learner's inference script behind the toolkit's Flask
/// worker, one request at a time, as one gunicorn worker serves.
///
/// Like gunicorn, which kills a worker that overruns its timeout or dies and starts another, a
/// process that times out or ends is replaced before the next request (the log says so), so one
/// bad request does not take the instance down; the request itself fails as SageMaker reports it.
final class ScriptContainer: InferenceContainer, @unchecked Sendable {
    let launch: ScriptLaunch
    /// One request at a time: the process reads one, answers it, reads the next.
    private let requests = NSLock()
    /// Guards `process` and `stopped`, which `stop()` changes from any thread.
    private let state = NSLock()
    private var process: ScriptProcess?
    private var stopped = false

    /// Starts the process and waits until it passes the health check (`GET /ping`).
    /// - Throws: `ModelLoadError` when the script fails to import or load its model, with the
    ///   error's last line (the traceback is in the log).
    init(_ launch: ScriptLaunch) throws {
        self.launch = launch
        process = try Self.boot(launch)
    }

    deinit { stop() }

    /// The process serving now (tests check that two instances are two processes).
    var pid: Int32? { state.withLock { process?.pid } }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        try invoke(body: body, contentType: contentType, accept: accept, mode: mode, timeout: launch.defaultTimeout)
    }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
        requests.lock()
        defer { requests.unlock() }
        let process = try current()
        var headers: [String: String] = [:]
        if let contentType { headers["Content-Type"] = contentType }
        if let accept { headers["Accept"] = accept }
        let deadline = ContinuousClock.now + timeout * launch.timeoutScale
        do {
            let reply = try Self.exchange(process, method: "POST", path: "/invocations", headers: headers, body: body, until: deadline)
            guard (200..<300).contains(reply.status) else {
                throw ContainerError(status: reply.status, message: String(decoding: reply.body, as: UTF8.self), origin: launch.hostname)
            }
            return ContainerResponse(body: reply.body, contentType: reply.contentType ?? accept ?? "application/json")
        } catch let failure as ScriptProcess.Failure {
            throw replace(process, after: failure)
        }
    }

    /// Kills the process (a request in flight fails); the container answers no more.
    func stop() {
        let process = state.withLock { () -> ScriptProcess? in
            stopped = true
            defer { self.process = nil }
            return self.process
        }
        process?.stop()
    }

    // MARK: The process's life

    private func current() throws -> ScriptProcess {
        if let process = try state.withLock({ () throws -> ScriptProcess? in
            if stopped { throw ContainerError(status: 503, message: "The instance has stopped.", origin: launch.hostname) }
            return process
        }) { return process }
        launch.log("Starting a new worker for the container (the previous one ended).")
        do {
            let started = try Self.boot(launch)
            state.withLock { process = started }
            return started
        } catch {
            throw ContainerError(status: 500, message: ErrorSentence.of(error), origin: launch.hostname)
        }
    }

    /// Ends a process that timed out or broke, logs why, and says how the request failed.
    private func replace(_ broken: ScriptProcess, after failure: ScriptProcess.Failure) -> ContainerError {
        let wasStopped = state.withLock { () -> Bool in
            if process === broken { process = nil }
            return stopped
        }
        let ended = failure.kind == .ended ? broken.endedDescription() : nil
        broken.stop()
        broken.drainLog()
        if wasStopped { return ContainerError(status: 503, message: "The instance stopped during the request.", origin: launch.hostname) }
        switch failure.kind {
        case .timedOut:
            launch.log("Worker (pid \(broken.pid)) timed out and was killed; a new one starts for the next request.")
            return ContainerError(status: 0, message: "Your invocation timed out while waiting for a response from container \(launch.hostname). Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.", origin: launch.hostname)
        case .ended, .protocolBroken:
            let why = ended ?? failure.description
            launch.log("Worker (pid \(broken.pid)) ended during a request: \(why); a new one starts for the next request.")
            return ContainerError(status: 502, message: "Bad Gateway: the worker serving the request ended (\(why)). See the container's log.", origin: launch.hostname)
        }
    }

    private static func boot(_ launch: ScriptLaunch) throws -> ScriptProcess {
        let process = try ScriptProcess(
            python: launch.python, runner: try runnerPath(), arguments: [launch.framework.rawValue, launch.moduleDirectory],
            environment: launch.environment, directory: launch.folder, log: launch.log)
        let deadline = ContinuousClock.now + launch.startupTimeout
        do {
            let report = try process.readHeader(until: deadline)
            guard case .bool(true)? = report["ready"] else {
                process.drainLog()
                process.stop()
                let error = report["error"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "it did not start"
                throw ModelLoadError(message: "the \(launch.hostname) container's inference script failed to start: \(error) (the traceback is in the log)")
            }
            let ping = try exchange(process, method: "GET", path: "/ping", headers: [:], body: Data(), until: deadline)
            guard ping.status == 200 else {
                process.stop()
                throw ModelLoadError(message: "the \(launch.hostname) container did not pass the ping health check (status \(ping.status))")
            }
        } catch let failure as ScriptProcess.Failure {
            let why = failure.kind == .timedOut ? "it did not start within \(launch.startupTimeout.components.seconds) s" : process.endedDescription()
            process.stop()
            process.drainLog()
            throw ModelLoadError(message: "the \(launch.hostname) container did not pass the ping health check: \(why) (see the log)")
        }
        return process
    }

    struct Reply {
        var status: Int
        var contentType: String?
        var body: Data
    }

    /// One request and its response, over the process's pipes.
    private static func exchange(_ process: ScriptProcess, method: String, path: String, headers: [String: String], body: Data,
                                 until deadline: ContinuousClock.Instant) throws(ScriptProcess.Failure) -> Reply {
        let header = JSONValue.object([
            ("method", .string(method)), ("path", .string(path)),
            ("headers", .object(headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("length", .int(Int64(body.count))),
        ])
        var request = Data(header.compact.utf8)
        request.append(0x0A)
        request.append(body)
        try process.write(request, until: deadline)
        let reply = try process.readHeader(until: deadline)
        guard case .int(let status)? = reply["status"], case .int(let length)? = reply["length"], length >= 0 else {
            throw ScriptProcess.Failure(kind: .protocolBroken, description: "the container's process answered outside the serving protocol")
        }
        var contentType: String?
        if case .object(let members)? = reply["headers"] {
            for (name, value) in members where name.lowercased() == "content-type" {
                if case .string(let text) = value { contentType = text }
            }
        }
        let body = try process.readBody(Int(length), until: deadline)
        return Reply(status: Int(status), contentType: contentType, body: body)
    }

    /// `framework_serving.py`, from the engine's resources.
    private static func runnerPath() throws -> String {
        guard let url = Bundle.module.url(forResource: "framework_serving", withExtension: "py") else {
            throw ModelLoadError(message: "the kit's framework_serving.py is missing from its resources; reinstall the kit")
        }
        return url.path
    }
}
