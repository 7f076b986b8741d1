import Foundation
import InferLabEngine

/// What a command adds to a generated request member: help, Tab completion, a placeholder.
struct MemberNote: Sendable {
    var help: String
    var completion: CompletionSource
    var placeholder: String?

    init(_ help: String = "", completion: CompletionSource = .none, placeholder: String? = nil) {
        self.help = help
        self.completion = completion
        self.placeholder = placeholder
    }
}

/// Builds an AWS CLI command from an operation of AWS's models (Generated/AWSModels.swift): one
/// `--kebab-case` option per request member the kit offers (booleans as `--x`/`--no-x`, lists
/// taking one word per element, structures as shorthand or JSON, `file://` anywhere),
/// `--cli-input-json` and `--generate-cli-skeleton` (the global options, `--query` and `--output`
/// among them, are `Invocation`'s). Before anything runs, the request is read
/// as awscli reads it and checked as botocore checks it; what either refuses exits 252 with
/// their words. The handler receives the request decoded into the engine's input shape;
/// its answer is printed by `Invocation.printResponse`.
enum AWSCommand {
    static func make<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ family: CommandSpec.Family, _ name: String, operation: String, summary: String, discussion: String = "",
        notes: [String: MemberNote] = [:], model: APIOperation? = nil, arguments: [ArgumentSpec] = [], examples: [String] = [],
        input: Input.Type, output: Output.Type,
        run: @escaping @Sendable (Input, Invocation) async throws -> Output?
    ) -> CommandSpec {
        let api = model ?? AWSModels.operation(service(of: family), operation)!
        return makeRaw(family, name, api: api, summary: summary, discussion: discussion, notes: notes, arguments: arguments,
                       examples: examples) { request, invocation in
            let decoded: Input
            do {
                decoded = try AWSCoding.decoder().decode(Input.self, from: request.compactData)
            } catch let error as DecodingError {
                throw CLIFailure("Parameter validation failed:\n\(describe(error))", exitCode: ExitCode.usage)
            }
            guard let result = try await run(decoded, invocation) else { return nil }
            return JSONValue(reflecting: result)
        }
    }

    /// The same, for handlers that take the validated request as JSON (S3's shapes are not
    /// Codable: the handler builds the engine's input) and return what to print.
    static func makeRaw(
        _ family: CommandSpec.Family, _ name: String, api: APIOperation, summary: String, discussion: String = "",
        notes: [String: MemberNote] = [:], arguments: [ArgumentSpec] = [], examples: [String] = [],
        run: @escaping @Sendable (JSONValue, Invocation) async throws -> JSONValue?
    ) -> CommandSpec {
        let members = offered(api)
        let options = members.flatMap { option(for: $0, note: notes[$0.name]) } + [
            OptionSpec("cli-input-json", placeholder: "JSON|file://PATH", help: "the whole request as JSON; options given as well override its members",
                       completion: .localPath),
            .flag("generate-cli-skeleton", help: "print a JSON skeleton of the request for --cli-input-json, and do nothing else"),
        ]
        var details = discussion
        if !api.leftOut.isEmpty {
            details += (details.isEmpty ? "" : "\n\n") + "Not offered by InferLab (AWS has them): "
                + api.leftOut.map { "--" + (api.input.member($0)?.optionName ?? $0) }.joined(separator: ", ") + "."
        }
        var spec = CommandSpec(
            [family.rawValue] + name.split(separator: " ").map(String.init), family: family, summary: summary, discussion: details,
            arguments: arguments, options: options, examples: examples
        ) { invocation in
            if invocation.flag("generate-cli-skeleton") {
                invocation.console.print(APIShape(name: api.input.name, .structure(members)).skeleton.rendered())
                return
            }
            let request = try buildRequest(invocation, api: api)
            guard let json = try await run(request, invocation) else { return }
            try invocation.printResponse(json, operation: api.name)
        }
        spec.unofferedOptions = Dictionary(uniqueKeysWithValues: api.leftOut.map { member in
            (api.input.member(member)?.optionName ?? member, "\(member) of \(api.name)")
        })
        return spec
    }

    static func service(of family: CommandSpec.Family) -> String {
        family == .s3api ? "s3" : family.rawValue
    }

    static func offered(_ api: APIOperation) -> [APIMember] {
        api.input.members.filter { !api.leftOut.contains($0.name) }
    }

    /// Whether the AWS CLI makes one call and prints that page as the service sent it (with its
    /// `NextToken`): when a page size or a token is given, or `--no-paginate`.
    static func onePage(maxResults: Int?, nextToken: String?, _ invocation: Invocation) -> Bool {
        maxResults != nil || nextToken != nil || invocation.global.noPaginate
    }

    /// Every page of a List operation merged into one answer, as the AWS CLI does unless
    /// `onePage` says otherwise.
    static func allPages<Input, Output>(_ input: Input, token: WritableKeyPath<Input, String?>, next: KeyPath<Output, String?>,
                                        fetch: (Input) throws -> Output, merge: (inout Output, Output) -> Void) rethrows -> Output {
        var request = input
        var merged = try fetch(request)
        request[keyPath: token] = merged[keyPath: next]
        while request[keyPath: token] != nil {
            let page = try fetch(request)
            merge(&merged, page)
            request[keyPath: token] = page[keyPath: next]
        }
        return merged
    }

    private static func option(for member: APIMember, note: MemberNote?) -> [OptionSpec] {
        var help = note?.help ?? ""
        let values = member.shape.enumValues
        if !values.isEmpty { help += (help.isEmpty ? "" : " ") + "(" + values.joined(separator: " | ") + ")" }
        if member.shape.supportsShorthand {
            if let syntax = member.shape.shorthandSyntax {
                help += (help.isEmpty ? "" : ". ") + "Shorthand: \(syntax), or JSON"
            } else {
                help += (help.isEmpty ? "" : ". ") + "JSON (too deep for a shorthand summary; --generate-cli-skeleton shows it)"
            }
        }
        let completion = values.isEmpty ? (note?.completion ?? .none) : .values(values)
        if case .boolean = member.shape.kind {
            // awscli's BooleanArgument: a bare flag and its --no- negation, no value.
            return [.flag(member.optionName, help: help + (help.isEmpty ? "" : " ") + "(sets \(member.name) true; --no-\(member.optionName) sets it false)"),
                    .flag("no-" + member.optionName, help: "sets \(member.name) false")]
        }
        let placeholder: String = note?.placeholder ?? {
            switch member.shape.kind {
            case .integer, .long: return "N"
            case .structure, .map: return "SHORTHAND|JSON"
            case .list(let element) where element.supportsShorthand || !element.isScalar: return "SHORTHAND|JSON"
            case .blob: return "fileb://PATH"
            default: return member.name.uppercased().count > 14 ? "VALUE" : member.name.uppercased()
            }
        }()
        if case .list = member.shape.kind {
            return [OptionSpec(member.optionName, kind: .list, placeholder: placeholder, help: help, isRequired: member.isRequired,
                               completion: completion)]
        }
        return [OptionSpec(member.optionName, placeholder: placeholder, help: help, isRequired: member.isRequired, completion: completion)]
    }

    /// `--cli-input-json` first, then each option given, read as awscli reads it; then
    /// botocore's validation of the whole request. Exit 252 on any problem, as CLI v2.
    static func buildRequest(_ invocation: Invocation, api: APIOperation) throws -> JSONValue {
        var request: [(String, JSONValue)] = []
        let resolve: (String) -> String = { invocation.localURL($0, for: .reading).path }
        do {
            if let text = invocation.value("cli-input-json") {
                let json = try ArgumentUnpacking.json(try ArgumentUnpacking.paramfile(text, option: "cli-input-json", resolve: resolve),
                                                      option: "cli-input-json")
                guard case .object(let given) = json else {
                    throw ArgumentUnpacking.Failure(message: "Invalid type for parameter input, value: \(PythonText.str(json)), type: \(PythonText.type(json)), valid types: <class 'dict'>")
                }
                request = given
            }
            for member in offered(api) {
                let value: JSONValue
                if case .boolean = member.shape.kind {
                    if invocation.flag(member.optionName) { value = .bool(true) }
                    else if invocation.flag("no-" + member.optionName) { value = .bool(false) }
                    else { continue }
                } else {
                    let words = invocation.values(member.optionName)
                    guard !words.isEmpty else { continue }
                    value = try ArgumentUnpacking.unpack(words, member: member, resolve: resolve)
                }
                request.removeAll { $0.0 == member.name }
                request.append((member.name, value))
            }
        } catch let failure as ArgumentUnpacking.Failure {
            throw CLIFailure(failure.message, exitCode: ExitCode.usage)
        }
        let problems = ParamValidator.validate(.object(request), api.input)
        if !problems.isEmpty { throw CLIFailure(ParamValidator.report(problems), exitCode: ExitCode.usage) }
        if let unoffered = request.first(where: { api.leftOut.contains($0.0) }) {
            throw CLIFailure("InferLab does not offer \(unoffered.0) of \(api.name) (AWS's --\(api.input.member(unoffered.0)?.optionName ?? unoffered.0)); leave it out",
                             hint: "`\(invocation.spec.displayName) help` lists what the kit offers", exitCode: ExitCode.usage)
        }
        return .object(request)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue.prefix(1).uppercased() + $0.stringValue.dropFirst() }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "Invalid type for parameter \(path(context.codingPath)), valid type: \(type)"
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            let name = key.stringValue.prefix(1).uppercased() + key.stringValue.dropFirst()
            return "Missing required parameter in \(parent.isEmpty ? "input" : parent): \"\(name)\""
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
