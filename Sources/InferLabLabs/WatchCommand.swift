import Foundation

/// The commands that look at a job or an endpoint without changing it, for `watched` checks:
/// describe, the waiters, `logs tail` of its group or streams, and the kit's metrics, waiters and
/// `transform progress`.
enum WatchCommand {
    /// Whether `command` (as typed, words joined by single spaces) looks at `resource`.
    static func watches(_ command: String, resource: String) -> Bool {
        var words = command.split(separator: " ").map(String.init)
        if words.first == "aws" { words.removeFirst() }
        guard let first = words.first else { return false }
        let rest = Array(words.dropFirst())
        let looks: Bool = switch first {
        case "sagemaker": ["describe-transform-job", "describe-endpoint", "wait"].contains(rest.first ?? "")
        case "logs": rest.first == "tail"
        case "endpoint": ["metrics", "wait-drained"].contains(rest.first ?? "")
        case "transform": ["wait-ended", "progress"].contains(rest.first ?? "")
        default: false
        }
        return looks && rest.contains { names($0, resource) }
    }

    /// A word that names the resource: `loan-batch-1`, `--transform-job-name=loan-batch-1`, or a
    /// log group or stream prefix such as `/aws/sagemaker/Endpoints/loan-async`.
    private static func names(_ word: String, _ resource: String) -> Bool {
        let value = word.split(separator: "=", maxSplits: 1).last.map(String.init) ?? word
        let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        return unquoted == resource || unquoted.split(separator: "/").last.map(String.init) == resource
    }
}
