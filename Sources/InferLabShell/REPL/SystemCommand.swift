import Foundation

/// `!COMMAND`: a system command run by `/bin/sh`, in the terminal, with the variables of `env`
/// set, so `!python3 invoke.py` reaches the kit's endpoint without a second terminal.
enum SystemCommand {
    static func run(_ command: String, session: Session) -> Int32 {
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            session.console.printError("error: `!` needs a command to run, e.g. `!aws s3 ls` or `!python3 invoke.py`")
            return ExitCode.usage
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        do {
            for (name, value) in try EnvironmentCommand.variables(session) { environment[name] = value }
        } catch {
            session.console.printError("error: \(error)")
            return ExitCode.configuration
        }
        process.environment = environment
        do {
            try process.run()
        } catch {
            session.console.printError("error: cannot run /bin/sh: \(error.localizedDescription)")
            return ExitCode.generalError
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
