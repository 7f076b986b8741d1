import InferLabEngine
import InferLabLabs
import LineEditor

/// Runs one line: split, resolve, parse, run with Ctrl-C cancellation, report errors.
public struct CommandExecutor: Sendable {
    public let session: Session

    public init(session: Session) {
        self.session = session
    }

    /// Runs a line and returns its exit status. Never throws: errors are printed.
    public func run(line: String) async -> Int32 {
        if let bang = line.drop(while: { $0 == " " }).first, bang == "!" {
            let command = String(line.drop(while: { $0 == " " }).dropFirst())
            await session.ensureEndpoint()
            let status = SystemCommand.run(command, session: session)
            try? session.engine.catalog.logEvent(kind: "command", subject: "!" + command, detail: "exit \(status)")
            checkLab()  // a program (the SDK's scripts) may have done the step's work
            return status
        }
        let words: [String]
        do {
            words = try Tokenizer.split(line)
        } catch {
            return report(ShellError.usage("\(error)", command: nil))
        }
        return await run(words: words)
    }

    /// Runs already-split words and returns the exit status. Every command that names a known
    /// command is recorded in the catalog's event log (labs and graders read it).
    public func run(words: [String]) async -> Int32 {
        let status = await dispatch(words)
        if !words.isEmpty {
            try? session.engine.catalog.logEvent(kind: "command", subject: Tokenizer.join(words), detail: "exit \(status)")
        }
        // In a lab, every command is followed by the current step's checks (lab commands run
        // their own); passed checkpoints and a completed step are announced, never silent.
        if !["lab", "help", "history", "exit", "quit"].contains(words.first ?? "lab") { checkLab() }
        return status
    }

    private func checkLab() {
        guard session.lab != nil else { return }
        do { try LabGuide(session: session).check(verbose: false) } catch { report(error) }
    }

    private func dispatch(_ words: [String]) async -> Int32 {
        // The AWS CLI's global options, wherever they stand on an AWS command's line.
        var words = words
        var global = GlobalOptions()
        do {
            if let separated = try GlobalOptions.separate(words, registry: session.registry) { (global, words) = separated }
        } catch {
            return report(error)
        }
        switch session.registry.resolve(words) {
        case .empty:
            return ExitCode.success
        case .unknown(let typed, let suggestion):
            var error = ShellError.usage("unknown command '\(typed)'", command: nil)
            error.hint = suggestion.map { "did you mean '\($0)'? Type `help` for every command." }
                ?? "type `help` for every command"
            return report(error)
        case .group(let prefix, let members):
            HelpRenderer(style: session.console.style).printGroup(prefix: prefix, members: members, to: session.console)
            return ExitCode.success
        case .command(let spec, let rest):
            if rest == ["help"] || rest.contains("--help") {
                HelpRenderer(style: session.console.style).printCommand(spec, to: session.console)
                return ExitCode.success
            }
            // A waiter makes this process long-lived (in `-c`, script mode or the shell alike).
            if spec.isWaiter { session.engine.adoptOrphanedWork() }
            do {
                if spec.family.isAWS, spec.family != .configure { try global.check(for: spec, config: CLIConfig(workspace: session.baseWorkspace)) }
                let parsed = try CommandParser.parse(rest, for: spec)
                let invocation = Invocation(
                    spec: spec, arguments: parsed.arguments, values: parsed.values,
                    flags: parsed.flags, words: rest, session: session, global: global)
                try await runCancellable { try await spec.handler(invocation) }
                return ExitCode.success
            } catch {
                return report(error)
            }
        }
    }

    /// Runs the handler in a task that Ctrl-C cancels.
    private func runCancellable(_ body: @escaping @Sendable () async throws -> Void) async throws {
        _ = InterruptMonitor.consume()
        let work = Task { try await body() }
        let watcher = Task {
            while !Task.isCancelled {
                if InterruptMonitor.consume() {
                    work.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
        defer { watcher.cancel() }
        try await work.value
        if work.isCancelled { throw CancellationError() }
    }

    /// Prints an error for people and returns its exit status.
    @discardableResult
    public func report(_ error: any Error) -> Int32 {
        let console = session.console
        let style = console.style
        switch error {
        case let error as ShellError:
            console.printError("\(style.errorLabel) \(error.message)")
            if let spec = error.usageOf {
                console.printError("usage: \(HelpRenderer.synopsis(of: spec))")
                console.printError("       `\(spec.displayName) --help` shows every option")
            }
            if let hint = error.hint { console.printError("hint: \(hint)") }
            return error.exitCode
        case is CancellationError:
            console.printError("Cancelled (Ctrl-C).")
            return ExitCode.interrupted
        case let error as any LearnerFacingError:
            if !error.renderedMessage.isEmpty { console.printError(error.renderedMessage) }
            if let hint = error.hint { console.printError("hint: \(hint)") }
            return error.exitCode
        default:
            console.printError("\(style.errorLabel) \(ErrorSentence.of(error))")
            return ExitCode.generalError
        }
    }
}
