/// Script mode: one command per line from a non-terminal input, no prompt, no colour.
/// Stops at the first failing command unless told to keep going.
public struct ScriptRunner: Sendable {
    public let executor: CommandExecutor
    public let keepGoing: Bool

    public init(executor: CommandExecutor, keepGoing: Bool) {
        self.executor = executor
        self.keepGoing = keepGoing
    }

    /// Runs lines until the input ends, `exit` runs, or a command fails.
    /// - Returns: 0 when every command succeeded, else the first failing command's status.
    public func run(readLine: @Sendable () -> String?) async -> Int32 {
        let session = executor.session
        var lineNumber = 0
        var firstFailure: Int32 = 0
        while var line = readLine() {
            lineNumber += 1
            // `\` at the end of a line continues the command on the next one.
            while let start = Tokenizer.continuation(line), let next = readLine() {
                lineNumber += 1
                line = start + next
            }
            let status = await executor.run(line: line)
            for event in session.events.drain() { session.console.print(event) }
            if let requested = session.requestedExitStatus { return requested == 0 ? firstFailure : requested }
            guard status != 0 else { continue }
            if firstFailure == 0 { firstFailure = status }
            if !keepGoing {
                session.console.printError("inferlab: stopped at input line \(lineNumber) (exit status \(status)); use --keep-going to run the remaining lines")
                return status
            }
        }
        return firstFailure
    }
}
