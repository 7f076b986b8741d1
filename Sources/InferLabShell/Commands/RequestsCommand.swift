import Foundation
import InferLabEngine

/// `requests`: the calls the local AWS endpoint answered, newest last.
enum RequestsCommand {
    static let requests = CommandSpec(
        ["requests"], family: .kit, summary: "Show the calls the local AWS endpoint answered (boto3, the aws CLI, the SDK)",
        discussion: "Each call: when, which client (from its User-Agent), service, operation, status, time taken, error code, and what it was about. Kept in the workspace's catalog; lab checks read it too.",
        options: [
            OptionSpec("last", placeholder: "N", help: "how many recent calls, default 20"),
            .flag("errors", help: "only calls that failed (status 400 and up)"),
        ],
        examples: ["requests", "requests --last 5", "requests --errors"]
    ) { invocation in
        let count = try invocation.integer("last") ?? 20
        guard count > 0 else { throw ShellError.usage("--last takes a positive number", command: invocation.spec) }
        let engine = invocation.session.engine
        engine.requests.flush()
        let records = try engine.catalog.recentRequests(limit: count, errorsOnly: invocation.flag("errors"))
        guard !records.isEmpty else {
            invocation.console.print(invocation.flag("errors") ? "No failed calls." : "No calls yet. `env` prints what points boto3 and the aws CLI here.")
            return
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        for record in records {
            let status = record.errorCode.map { "\(record.status) \($0)" } ?? String(record.status)
            let milliseconds = String(format: "%.1f ms", record.durationMilliseconds)
            // The client and resource come from the request: shown escaped, never as raw bytes.
            invocation.console.print([formatter.string(from: record.time), VisibleText.escaped(record.client), "\(record.service).\(record.operation)",
                                      VisibleText.escaped(status), milliseconds, VisibleText.escaped(record.resource)].joined(separator: "  "))
        }
    }
}
