import Foundation
import InferLabEngine

/// `aws configure list|get|set` on the workspace's own config, and `aws sts get-caller-identity`.
/// The kit needs no credentials: every command is answered by the workspace's one account.
enum ConfigureCommands {
    static var all: [CommandSpec] { [list, get, set] }

    static let settings = ["region", "output"]
    static let noCredentials = "The kit needs no credentials: access keys are neither asked for nor kept."

    static let list = CommandSpec(
        ["configure", "list"], family: .configure, summary: "Show the settings AWS commands run with, and where each comes from",
        discussion: "The workspace's config is its own (never ~/.aws). \(noCredentials)",
        examples: ["aws configure list", "aws configure list --profile lab"]
    ) { invocation in
        let config = CLIConfig(workspace: invocation.session.baseWorkspace)
        let profile = invocation.global.profile
        if let profile, !config.hasProfile(profile) {
            throw ShellError("The config profile (\(profile)) could not be found", exitCode: ExitCode.generalError)
        }
        let name = profile ?? "default"
        // The CLI's layout: '%10s %24s %16s    %s'.
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func row(_ label: String, _ value: String, _ type: String, _ location: String) -> String {
            right(label, 10) + " " + right(value, 24) + " " + right(type, 16) + "    " + location
        }
        var lines = [row("Name", "Value", "Type", "Location"), row("----", "-----", "----", "--------")]
        lines.append(row("profile", profile ?? "<not set>", profile == nil ? "None" : "manual", profile == nil ? "None" : "--profile"))
        lines.append(row("access_key", "<not set>", "None", "None"))
        lines.append(row("secret_key", "<not set>", "None", "None"))
        if let region = invocation.global.region {
            lines.append(row("region", region, "manual", "--region"))
        } else if let region = config.value("region", profile: name) {
            lines.append(row("region", region, "config-file", "workspace config"))
        } else {
            lines.append(row("region", CLIConfig.kitRegion, "kit", "the kit's one region"))
        }
        invocation.console.print(lines.joined(separator: "\n"))
        invocation.console.print("(\(noCredentials))")
    }

    static let get = CommandSpec(
        ["configure", "get"], family: .configure, summary: "Print one setting of the workspace's config",
        discussion: "Prints the value and exits 0, or prints nothing and exits 1 when it is not set, as the CLI does. \(noCredentials)",
        arguments: [ArgumentSpec("NAME", help: "region or output (or profile.NAME.region)", completion: .values(settings))],
        examples: ["aws configure get region"]
    ) { invocation in
        let config = CLIConfig(workspace: invocation.session.baseWorkspace)
        let (profile, key) = split(invocation.arguments[0], profile: invocation.global.profile)
        guard let value = config.value(key, profile: profile) else {
            throw CLIFailure("", exitCode: ExitCode.failure)
        }
        invocation.console.print(value)
    }

    static let set = CommandSpec(
        ["configure", "set"], family: .configure, summary: "Set region or output in the workspace's config",
        discussion: """
        Written to the workspace's own config file, never to ~/.aws. region must be \(CLIConfig.kitRegion) (the kit is one \
        region); output is a default for --output. \(noCredentials)
        """,
        arguments: [ArgumentSpec("NAME", help: "region or output (or profile.NAME.region)", completion: .values(settings)),
                    ArgumentSpec("VALUE", help: "the value")],
        examples: ["aws configure set region us-east-1", "aws configure set output table"]
    ) { invocation in
        var config = CLIConfig(workspace: invocation.session.baseWorkspace)
        let (profile, key) = split(invocation.arguments[0], profile: invocation.global.profile)
        let value = invocation.arguments[1]
        switch key {
        case "region": try Regions.check(value, service: "sts")
        case "output":
            guard GlobalOptions.OutputFormat(rawValue: value) != nil else {
                throw ShellError.usage("output must be one of " + GlobalOptions.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "),
                                       command: invocation.spec)
            }
        case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
            throw ShellError(noCredentials, hint: "nothing to set: commands here work without keys", exitCode: ExitCode.usage)
        default:
            throw ShellError.usage("the kit's config keeps region and output, not '\(key)'", command: invocation.spec)
        }
        config.set(key, value, profile: profile)
        try config.save()
    }

    /// `profile.lab.region` names a profile's setting; a plain name is the current profile's.
    private static func split(_ name: String, profile: String?) -> (String, String) {
        let parts = name.split(separator: ".")
        if parts.count == 3, parts[0] == "profile" { return (String(parts[1]), String(parts[2])) }
        return (profile ?? "default", name)
    }

    static let getCallerIdentity = CommandSpec(
        ["sts", "get-caller-identity"], family: .sts, summary: "Show the account and role commands run as (GetCallerIdentity)",
        discussion: "The workspace's one account, as the role a SageMaker notebook runs as. \(noCredentials)",
        examples: ["aws sts get-caller-identity", "aws sts get-caller-identity --query Account --output text"]
    ) { invocation in
        let identity = try await invocation.session.engine.call(IdentityOperations.GetCallerIdentity.self, EmptyOutput())
        try invocation.printResponse(.object([("UserId", .string(identity.userId)), ("Account", .string(identity.account)),
                                              ("Arn", .string(identity.arn))]))
    }
}
