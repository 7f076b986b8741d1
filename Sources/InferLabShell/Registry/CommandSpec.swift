/// The one declaration of a command: help, parsing, completion and the README's command reference
/// are all derived from it.
public struct CommandSpec: Sendable {
    /// Which family a command belongs to. AWS commands may be typed with or without `aws`.
    public enum Family: String, Sendable, CaseIterable {
        case s3, s3api, sagemaker, sagemakerRuntime = "sagemaker-runtime", applicationAutoscaling = "application-autoscaling", logs, sts, configure, kit

        public var isAWS: Bool { self != .kit }
        public var title: String {
            switch self {
            case .s3: "AWS S3 (high-level)"
            case .s3api: "AWS S3 API"
            case .sagemaker: "AWS SageMaker"
            case .sagemakerRuntime: "AWS SageMaker Runtime"
            case .applicationAutoscaling: "AWS Application Auto Scaling"
            case .logs: "AWS CloudWatch Logs"
            case .sts: "AWS STS"
            case .configure: "AWS CLI configuration (aws configure)"
            case .kit: "InferLab (kit commands, not part of AWS)"
            }
        }
    }

    /// The words that name the command, without the optional leading `aws`: `["s3", "cp"]`.
    public var path: [String]
    public var family: Family
    public var summary: String
    /// Longer help: what it does, how it differs from AWS where it must, what to try next.
    public var discussion: String
    public var arguments: [ArgumentSpec]
    public var options: [OptionSpec]
    public var examples: [String]
    /// Not listed in `help` (still runnable and documented with `help NAME`).
    public var isHidden: Bool
    /// Options of the real AWS CLI that the kit does not offer, with what they set: typing one
    /// says so instead of "unknown option".
    public var unofferedOptions: [String: String] = [:]
    public var handler: CommandHandler

    public init(
        _ path: [String], family: Family, summary: String, discussion: String = "",
        arguments: [ArgumentSpec] = [], options: [OptionSpec] = [], examples: [String] = [],
        isHidden: Bool = false, handler: @escaping CommandHandler
    ) {
        self.path = path
        self.family = family
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.examples = examples
        self.isHidden = isHidden
        self.handler = handler
    }

    /// The name as a learner types it on AWS: `aws s3 cp`, or `lab start` for kit commands.
    public var displayName: String {
        (family.isAWS ? ["aws"] + path : path).joined(separator: " ")
    }

    /// A waiter (`aws sagemaker wait …`, `aws s3api wait …`, `transform wait-ended`): it keeps
    /// the process alive until something happens, so the process takes up work that dead
    /// processes left — without that, nothing might ever finish what it waits for.
    public var isWaiter: Bool {
        path.contains("wait") || path.last?.hasPrefix("wait-") == true
    }

    public func option(named name: String) -> OptionSpec? {
        options.first { $0.name == name }
    }
}

/// Runs a parsed command. Throwing reports the error and sets the exit status.
public typealias CommandHandler = @Sendable (Invocation) async throws -> Void

/// A positional argument.
public struct ArgumentSpec: Sendable {
    public var name: String
    public var help: String
    public var isOptional: Bool
    /// Takes every remaining positional word.
    public var isVariadic: Bool
    public var completion: CompletionSource

    public init(
        _ name: String, help: String, isOptional: Bool = false, isVariadic: Bool = false,
        completion: CompletionSource = .none
    ) {
        self.name = name
        self.help = help
        self.isOptional = isOptional
        self.isVariadic = isVariadic
        self.completion = completion
    }
}

/// A `--name` option or flag.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Present or absent, takes no value.
        case flag
        /// One value.
        case value
        /// One or more values, up to the next `--option` (as the AWS CLI's list parameters).
        case list
    }

    /// Without the dashes: `model-name`.
    public var name: String
    public var kind: Kind
    public var help: String
    /// Shown in usage: `--model-name NAME`.
    public var placeholder: String
    public var isRequired: Bool
    /// May be given more than once (`--exclude A --exclude B`).
    public var isRepeatable: Bool
    public var completion: CompletionSource

    public init(
        _ name: String, kind: Kind = .value, placeholder: String = "VALUE", help: String,
        isRequired: Bool = false, isRepeatable: Bool = false, completion: CompletionSource = .none
    ) {
        self.name = name
        self.kind = kind
        self.help = help
        self.placeholder = placeholder
        self.isRequired = isRequired
        self.isRepeatable = isRepeatable
        self.completion = completion
    }

    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, kind: .flag, placeholder: "", help: help)
    }

    public var synopsis: String {
        switch kind {
        case .flag: "--\(name)"
        case .value: "--\(name) \(placeholder)"
        case .list: "--\(name) \(placeholder) [\(placeholder) ...]"
        }
    }
}
