import ArgumentParser
import Foundation
import InferLabEngine
import InferLabServer
import InferLabShell

/// `inferlab [--workspace DIR] [--plain] [--keep-going] [--no-serve] [-c COMMAND | COMMAND...]`
struct Arguments: ParsableArguments {
    static let configuration = CommandConfiguration(commandName: "inferlab")

    @Option(help: "The workspace folder (default: $INFERLAB_WORKSPACE, else ./workspace).")
    var workspace: String?

    @Flag(help: "No colour and no decoration (also: NO_COLOR, TERM=dumb).")
    var plain = false

    @Flag(help: "Script mode: run the remaining lines after a failing command.")
    var keepGoing = false

    @Flag(help: "The interactive shell starts no local AWS endpoint.")
    var noServe = false

    @Option(name: .customShort("c"), help: "Run one command line and exit with its status.")
    var command: String?

    @Argument(parsing: .captureForPassthrough, help: "A command to run instead of the shell, e.g. `lab list`, or `serve`.")
    var words: [String] = []
}

/// `inferlab serve [--port N] [--host ADDR] [--no-auth]`
struct ServeArguments: ParsableArguments {
    static let configuration = CommandConfiguration(commandName: "inferlab serve")

    @Option(help: "The port to listen on (default \(APIServer.defaultPort)).")
    var port = APIServer.defaultPort

    @Option(help: "The address to listen on; loopback unless you say otherwise.")
    var host = "127.0.0.1"

    @Flag(help: "Accept requests with any credentials, signed or not (for quick experiments).")
    var noAuth = false
}

@main
enum Main {
    // An async main runs on the main thread, where the line editor must read.
    static func main() async {
        let arguments = Arguments.parseOrExit()
        if arguments.words.first == "serve" {
            exit(await serve(arguments, ServeArguments.parseOrExit(Array(arguments.words.dropFirst()))))
        }
        var options = Launcher.Options()
        options.workspace = arguments.workspace
        options.plain = arguments.plain
        options.keepGoing = arguments.keepGoing
        options.commandLine = arguments.command
        options.commandWords = arguments.words
        options.noServe = arguments.noServe
        // INFERLAB_PORT moves the shell's endpoint off the fixed port (tests, two shells at once).
        var shellServer = APIServer.Configuration()
        if let port = ProcessInfo.processInfo.environment["INFERLAB_PORT"].flatMap(Int.init) { shellServer.port = port }
        options.startEndpoint = { [shellServer] engine, credentials in
            let server = APIServer(configuration: shellServer) { ServedWorkspace(engine: engine(), credentials: credentials) }
            let running = try await server.start()
            return StartedEndpoint(port: running.port) { await running.stop() }
        }
        let status = await Launcher(options: options).run()
        exit(status)
    }

    /// Runs the endpoint in the foreground until Ctrl-C or SIGTERM.
    static func serve(_ arguments: Arguments, _ serve: ServeArguments) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let workspace = Workspace.resolve(explicit: arguments.workspace, environment: environment)
        // Framework containers run the course venv's interpreter, as in the shell.
        if environment[SageMakerService.Configuration.pythonVariable] == nil, let python = KitConfiguration.locate(environment: environment).python {
            setenv(SageMakerService.Configuration.pythonVariable, python.path, 1)
        }
        let served: ServedWorkspace
        do {
            let engine = try Engine.open(workspace)
            // A server is long-lived: it takes up work that dead processes left.
            engine.adoptOrphanedWork()
            served = ServedWorkspace(engine: engine, credentials: try AccessCredentials.of(workspace))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 253
        }
        if serve.noAuth, !["127.0.0.1", "localhost", "::1"].contains(serve.host) {
            FileHandle.standardError.write(Data("error: --no-auth only on loopback: with --host \(serve.host), anyone who reaches it could read and delete the workspace; drop --no-auth (clients sign with `inferlab env`'s keys)\n".utf8))
            return 252
        }
        var configuration = APIServer.Configuration()
        configuration.host = serve.host
        configuration.port = serve.port
        configuration.noAuth = serve.noAuth
        let server = APIServer(configuration: configuration) { served }
        do {
            try await server.run { port in
                print("InferLab AWS endpoint on http://\(serve.host):\(port) for \(workspace.root.path)")
                let quoted = "'" + workspace.root.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
                print("In another terminal: eval \"$(inferlab --workspace \(quoted) env --port \(port))\"")
                print("Ctrl-C stops it.")
                fflush(nil)
            }
            served.engine.shutdown()
            return 0
        } catch {
            FileHandle.standardError.write(Data("error: cannot serve on \(serve.host):\(serve.port): \(error)\n".utf8))
            return 255
        }
    }
}
