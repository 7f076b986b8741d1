/// The AWS CLI's global options, accepted before or after the service on every AWS command
/// (`aws --region us-east-1 s3 mb s3://b`, `aws s3 mb s3://b --region us-east-1`), parsed here
/// and nowhere else.
///
/// What they do in the kit: `--output`, `--query` and `--color` shape the output exactly as the
/// CLI does; `--region` must name the kit's region (it is one region); `--profile` must name a
/// profile of the workspace's config (`aws configure`); `--max-items`, `--starting-token` and
/// `--page-size` page list commands. The rest only matter on a network and are accepted so
/// that commands from AWS's documentation run unchanged: the shell calls its engine in process,
/// so there is no endpoint to override (`--endpoint-url`), no TLS to verify (`--no-verify-ssl`,
/// `--ca-bundle`), no request to sign or time out, no pager (`--no-cli-pager`) and no HTTP log
/// (`--debug`).
public struct GlobalOptions: Sendable, Equatable {
    public enum OutputFormat: String, Sendable, CaseIterable {
        case json, text, table, yaml
        case yamlStream = "yaml-stream"
        case off
    }

    public var region: String?
    public var profile: String?
    public var endpointURL: String?
    public var output: OutputFormat?
    public var query: String?
    public var color = "auto"
    public var noPaginate = false
    public var pageSize: Int?
    public var maxItems: Int?
    public var startingToken: String?
    public var debug = false
    public var noCLIPager = false
    public var noSignRequest = false
    public var noVerifySSL = false
    public var caBundle: String?
    public var readTimeout: Int?
    public var connectTimeout: Int?
    public var cliBinaryFormat: String?

    public init() {}

    /// Every global option: name, whether it takes a value, and its help line.
    public static let declarations: [(name: String, takesValue: Bool, help: String)] = [
        ("region", true, "the region (the kit is one region, us-east-1; another region is refused)"),
        ("profile", true, "a profile of the workspace's config (`aws configure list`); no credentials are needed"),
        ("output", true, "json (default), text, table, yaml, yaml-stream or off, printed as the AWS CLI v2 prints them"),
        ("query", true, "a JMESPath expression applied to the response before it is printed"),
        ("color", true, "on, off or auto (auto: colour --output table when the terminal has colour)"),
        ("endpoint-url", true, "accepted; the shell calls its own engine, so there is no other endpoint to reach"),
        ("no-paginate", false, "list commands return the first page only"),
        ("page-size", true, "accepted; the kit answers a list command in one piece"),
        ("max-items", true, "list commands: at most N items, and a NextToken to continue with --starting-token"),
        ("starting-token", true, "list commands: continue after a previous --max-items answer's NextToken"),
        ("debug", false, "accepted; there is no HTTP traffic to log"),
        ("no-cli-pager", false, "accepted; the shell never pages output"),
        ("no-sign-request", false, "accepted; the kit needs no credentials"),
        ("no-verify-ssl", false, "accepted; there is no TLS to verify"),
        ("ca-bundle", true, "accepted; there is no TLS to verify"),
        ("cli-read-timeout", true, "accepted (whole seconds); nothing here waits on a network"),
        ("cli-connect-timeout", true, "accepted (whole seconds); nothing here waits on a network"),
        ("cli-binary-format", true, "base64 or raw-in-base64-out (CLI v2); blobs are read from files as given"),
    ]

    /// What Tab offers after a global option.
    static let valueCompletions: [String: [String]] = [
        "output": OutputFormat.allCases.map(\.rawValue), "color": ["on", "off", "auto"], "region": [CLIConfig.kitRegion],
        "cli-binary-format": ["base64", "raw-in-base64-out"],
    ]

    /// The global options of a line that names an AWS command, and the line without them;
    /// nil for kit commands, whose own options (`dataset make --output FILE`) stay theirs.
    static func separate(_ words: [String], registry: CommandRegistry) throws -> (GlobalOptions, [String])? {
        let (given, rest) = partition(words)
        guard !given.isEmpty else { return nil }
        switch registry.resolve(rest) {
        case .command(let spec, _) where spec.family.isAWS: break
        case .group(let prefix, _) where prefix.first.map({ CommandSpec.Family(rawValue: $0)?.isAWS ?? false }) ?? false: break
        default:
            guard rest.first == "aws" else { return nil }
        }
        var options = GlobalOptions()
        for (name, value) in given {
            guard let declaration = declarations.first(where: { $0.name == name }) else { continue }
            if declaration.takesValue, value == nil { throw usage("argument --\(name): expected one argument") }
            try options.set(name, value)
        }
        return (options, rest)
    }

    /// The global options (name, value) wherever they stand, and the other words in order.
    static func partition(_ words: [String]) -> ([(String, String?)], [String]) {
        var given: [(String, String?)] = []
        var rest: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--") else {
                rest.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let declaration = declarations.first(where: { $0.name == name }) else {
                rest.append(word)
                continue
            }
            if declaration.takesValue, inline == nil, index < words.count {
                inline = words[index]
                index += 1
            }
            given.append((name, inline))
        }
        return (given, rest)
    }

    /// The profile and region the command runs with: they must be the workspace config's and
    /// the kit's.
    func check(for spec: CommandSpec, config: CLIConfig) throws {
        let profile = self.profile ?? "default"
        guard config.hasProfile(profile) else {
            throw ShellError("The config profile (\(profile)) could not be found",
                             hint: "`aws configure set region us-east-1 --profile \(profile)` makes it (no credentials needed)",
                             exitCode: ExitCode.generalError)
        }
        if let region = region ?? config.value("region", profile: profile) {
            try Regions.check(region, service: spec.family == .sagemakerRuntime ? "runtime.sagemaker" : spec.family.rawValue)
        }
    }

    private mutating func set(_ name: String, _ value: String?) throws {
        switch name {
        case "region": region = value
        case "profile": profile = value
        case "endpoint-url":
            guard let value, value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw ShellError("Bad value for --endpoint-url \"\(value ?? "")\": scheme is missing. Must be of the form http://<hostname>/ or https://<hostname>/",
                                 exitCode: ExitCode.generalError)
            }
            endpointURL = value
        case "output":
            guard let format = OutputFormat(rawValue: value ?? "") else {
                throw Self.usage("argument --output: Invalid choice, valid choices are:\n\n"
                                 + OutputFormat.allCases.map(\.rawValue).joined(separator: " | "))
            }
            output = format
        case "query":
            query = value
        case "color":
            guard let value, ["on", "off", "auto"].contains(value) else {
                throw Self.usage("argument --color: Invalid choice, valid choices are:\n\non | off | auto")
            }
            color = value
        case "no-paginate": noPaginate = true
        case "page-size": pageSize = try Self.integer(name, value)
        case "max-items": maxItems = try Self.integer(name, value)
        case "starting-token": startingToken = value
        case "debug": debug = true
        case "no-cli-pager": noCLIPager = true
        case "no-sign-request": noSignRequest = true
        case "no-verify-ssl": noVerifySSL = true
        case "ca-bundle": caBundle = value
        case "cli-read-timeout": readTimeout = try Self.integer(name, value)
        case "cli-connect-timeout": connectTimeout = try Self.integer(name, value)
        case "cli-binary-format":
            guard let value, ["base64", "raw-in-base64-out"].contains(value) else {
                throw Self.usage("argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64 | raw-in-base64-out")
            }
            cliBinaryFormat = value
        default: break
        }
    }

    private static func integer(_ name: String, _ value: String?) throws -> Int {
        guard let value, let number = Int(value) else {
            throw usage("argument --\(name): invalid int value: '\(value ?? "")'")
        }
        return number
    }

    private static func usage(_ message: String) -> ShellError {
        ShellError.usage(message, command: nil)
    }
}
