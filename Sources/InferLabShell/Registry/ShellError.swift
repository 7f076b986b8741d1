/// An error the shell reports to the learner: what was wrong and what to do about it.
public struct ShellError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// What to do next, printed on its own line.
    public var hint: String?
    public var exitCode: Int32
    /// For usage errors: whose usage line to print.
    public var usageOf: CommandSpec?

    public init(_ message: String, hint: String? = nil, exitCode: Int32 = ExitCode.generalError, usageOf: CommandSpec? = nil) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
        self.usageOf = usageOf
    }

    public var description: String { message }

    /// The command line was wrong: an unknown option, a missing argument, a bad value.
    public static func usage(_ message: String, command: CommandSpec?) -> ShellError {
        ShellError(message, exitCode: ExitCode.usage, usageOf: command)
    }
}

/// Exit statuses, following the AWS CLI v2's documented return codes so scripts transfer.
public enum ExitCode {
    public static let success: Int32 = 0
    /// An `aws s3` transfer failed for one or more files, or a kit check did not pass.
    public static let failure: Int32 = 1
    /// Ctrl-C stopped the command (128 + SIGINT).
    public static let interrupted: Int32 = 130
    /// The command line could not be parsed: unknown command or option, missing or bad value.
    public static let usage: Int32 = 252
    /// The workspace or configuration is unusable.
    public static let configuration: Int32 = 253
    /// The (emulated) service answered with an error, such as ValidationException or NoSuchKey.
    public static let serviceError: Int32 = 254
    /// Anything else.
    public static let generalError: Int32 = 255
}
