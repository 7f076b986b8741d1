import Foundation
import Hummingbird
import InferLabEngine
import Logging
import NIOCore
import Synchronization

/// The local AWS endpoint: one HTTP/1.1 server (Hummingbird 2 on SwiftNIO) answering AWS's wire
/// protocols for the workspace it is given. `inferlab serve` runs it in the foreground; the shell
/// runs it in-process, serving whichever workspace the learner is in.
public struct APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = APIServer.defaultPort
        /// Accept any credentials, signed or not (documented, for quick experiments).
        public var noAuth = false

        public init() {}
    }

    /// The kit's fixed port: `inferlab env` points clients here.
    public static let defaultPort = 4599

    public let configuration: Configuration
    let workspace: @Sendable () -> ServedWorkspace

    /// - Parameter workspace: asked on every request, so the shell can switch workspaces.
    public init(configuration: Configuration, workspace: @escaping @Sendable () -> ServedWorkspace) {
        self.configuration = configuration
        self.workspace = workspace
    }

    /// Runs until SIGINT or SIGTERM, then stops cleanly: requests in flight finish.
    public func run(onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
    }

    /// Starts serving in the background; answers once the port is bound (or throws why not).
    public func start() async throws -> RunningServer {
        let bound = Bound()
        let app = application { port in bound.resolve(.success(port)) }
        let task = Task {
            do { try await app.run() } catch { bound.resolve(.failure(error)) }
        }
        let port = try await bound.wait()
        return RunningServer(port: port, task: task)
    }

    private func application(onRunning: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        var logger = Logger(label: "inferlab.server")
        logger.logLevel = .critical
        let responder = AWSResponder(workspace: workspace, noAuth: configuration.noAuth)
        return Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(120))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Resolves once, with the bound port or the error that kept the server from binding.
    private final class Bound: Sendable {
        private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

        func resolve(_ result: Result<Int, any Error>) {
            let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
                guard state.result == nil else { return nil }
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(with: result)
        }

        func wait() async throws -> Int {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<Int, any Error>? in
                    if state.result == nil { state.waiter = continuation }
                    return state.result
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}

/// A server started in-process; `stop()` ends it gracefully.
public final class RunningServer: Sendable {
    public let port: Int
    private let task: Task<Void, Never>

    init(port: Int, task: Task<Void, Never>) {
        self.port = port
        self.task = task
    }

    public func stop() async {
        task.cancel()
        await task.value
    }
}

/// What a request is served from: the engine of the workspace, and the keys clients sign with.
public struct ServedWorkspace: Sendable {
    public var engine: Engine
    public var credentials: AccessCredentials

    public init(engine: Engine, credentials: AccessCredentials) {
        self.engine = engine
        self.credentials = credentials
    }
}
