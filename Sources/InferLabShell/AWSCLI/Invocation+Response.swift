#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InferLabEngine

extension Invocation {
    /// Prints an AWS response as the AWS CLI does: `--query` first, then `--output` (from the
    /// option, else `AWS_DEFAULT_OUTPUT`, else the workspace config, else json). Every AWS
    /// command prints its response through here.
    ///
    /// - Parameter operation: the API's operation name, the title of `--output table`; by default
    ///   the command's name in PascalCase (`describe-transform-job` → `DescribeTransformJob`).
    /// - Throws: a failure of the `--query` expression, in jmespath's words (exit status 255).
    public func printResponse(_ response: JSONValue, operation: String? = nil) throws {
        let title = operation ?? Self.operationName(spec.path.last ?? "")
        let format = global.output ?? outputFromSettings
        guard let pagination = CLIPagination.operations[title], case .object(let page) = response,
              !pagination.isOff(options: values.keys, global: global) else {
            return try render(query(response), format: format, title: title, paginated: false)
        }
        let (members, token) = try pagination.truncated(page, global: global)
        if format == .text {
            // The CLI's text output queries and prints page by page, and the token on its own.
            var text = TextFormatter.format(try query(pagination.textPage(members)))
            if let token { text += TextFormatter.format(try query(.object([("NextToken", .object([("NextToken", .string(token))]))]))) }
            console.write(text)
            return
        }
        try render(query(pagination.fullResult(members, token: token)), format: format, title: title, paginated: true)
    }

    /// `--query` applied, failing as the CLI fails: a syntax error is a bad value for --query,
    /// the others are jmespath's own messages (exit status 255 for both).
    private func query(_ value: JSONValue) throws -> JSONValue {
        guard let expression = global.query else { return value }
        do {
            return try JMESPath(expression).search(value)
        } catch let error as JMESPathError {
            let message = error.kind == .syntax ? "Bad value for --query \(expression): \(error)" : "\(error)"
            throw CLIFailure("\n" + message, exitCode: ExitCode.generalError)
        }
    }

    private func render(_ result: JSONValue, format: GlobalOptions.OutputFormat, title: String, paginated: Bool) throws {
        switch format {
        case .json:
            if result != .object([]) { console.print(PythonJSON.dumpsIndented(result)) }
        case .text:
            console.write(TextFormatter.format(result))
        case .table:
            let colorized = global.color == "on" || (global.color == "auto" && console.style.usesColor)
            console.write(TableFormatter(terminalWidth: TerminalWidth.ofStandardOutput(for: console), colorized: colorized)
                .format(result, title: title))
        case .yaml:
            if result != .object([]) { console.write(YAMLFormatter.format(result)) }
        case .yamlStream:
            console.write(YAMLFormatter.format(result, stream: true, paginated: paginated))
        case .off:
            break
        }
    }

    /// The output format when `--output` is not given.
    var outputFromSettings: GlobalOptions.OutputFormat {
        if let name = ProcessInfo.processInfo.environment["AWS_DEFAULT_OUTPUT"], let format = GlobalOptions.OutputFormat(rawValue: name) {
            return format
        }
        let config = CLIConfig(workspace: session.baseWorkspace)
        return config.value("output", profile: global.profile ?? "default").flatMap(GlobalOptions.OutputFormat.init(rawValue:)) ?? .json
    }

    static func operationName(_ command: String) -> String {
        command.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// The width `--output table` fits: the terminal's, read from standard output as the AWS CLI
/// reads it (TIOCGWINSZ), or 80 columns when standard output is not a terminal or the output is
/// captured.
enum TerminalWidth {
    static func ofStandardOutput(for console: Console) -> Int {
        guard console.isStandard else { return 80 }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
