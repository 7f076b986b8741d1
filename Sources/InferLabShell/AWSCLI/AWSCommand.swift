import Foundation
import InferLabEngine

/// Builds an AWS CLI command from an API operation's description: one `--kebab-case` option per
/// request member (shorthand or JSON for structures, `file://` anywhere), `--cli-input-json`,
/// `--generate-cli-skeleton`. The handler receives the decoded request shape; its answer is
/// printed by `Invocation.printResponse` (`--query`, `--output`: the global options).
enum AWSCommand {
    static func make<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ family: CommandSpec.Family, _ name: String, operation: String, summary: String, discussion: String = "",
        members: [APIMember], arguments: [ArgumentSpec] = [], examples: [String] = [],
        input: Input.Type, output: Output.Type,
        run: @escaping @Sendable (Input, Invocation) async throws -> Output?
    ) -> CommandSpec {
        let options = members.map(option(for:)) + [
            OptionSpec("cli-input-json", placeholder: "JSON|file://PATH", help: "the whole request as JSON; options given as well override its members",
                       completion: .localPath),
            .flag("generate-cli-skeleton", help: "print a JSON skeleton of the request for --cli-input-json, and do nothing else"),
        ]
        var details = discussion
        let required = members.filter(\.isRequired).map { "--\($0.optionName)" }
        if !required.isEmpty {
            details += (details.isEmpty ? "" : "\n\n") + "Required (as options or in --cli-input-json): " + required.joined(separator: ", ") + "."
        }
        return CommandSpec(
            [family.rawValue, name], family: family, summary: summary, discussion: details,
            arguments: arguments, options: options, examples: examples
        ) { invocation in
            if invocation.flag("generate-cli-skeleton") {
                invocation.console.print(APIShape.structure(members).skeleton.rendered())
                return
            }
            let request = try buildRequest(invocation, members: members)
            let decoded: Input
            do {
                decoded = try AWSCoding.decoder().decode(Input.self, from: request.compactData)
            } catch let error as DecodingError {
                throw ShellError.usage("Parameter validation failed: \(describe(error))", command: invocation.spec)
            }
            guard let result = try await run(decoded, invocation) else { return }
            try invocation.printResponse(JSONValue(reflecting: result), operation: operation)
        }
    }

    /// Every page of a List operation merged into one answer, as the AWS CLI does unless a page
    /// size is asked for.
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

    private static func option(for member: APIMember) -> OptionSpec {
        var help = member.help
        if !member.values.isEmpty { help += (help.isEmpty ? "" : " ") + "(" + member.values.joined(separator: " | ") + ")" }
        switch member.shape {
        case .structure, .map:
            help += (help.isEmpty ? "" : ". ") + "Shorthand: \(member.shape.shorthandSyntax), or JSON"
        default: break
        }
        let placeholder: String = switch member.shape {
        case .integer: "N"
        case .boolean: "BOOL"
        case .structure, .map: "SHORTHAND|JSON"
        default: member.name.uppercased().count > 14 ? "VALUE" : member.name.uppercased()
        }
        if case .list = member.shape {
            return OptionSpec(member.optionName, kind: .list, placeholder: placeholder, help: help, completion: member.completion)
        }
        return OptionSpec(member.optionName, placeholder: placeholder, help: help, completion: member.completion)
    }

    /// `--cli-input-json` first, then each option given, converted by its member's shape.
    static func buildRequest(_ invocation: Invocation, members: [APIMember]) throws -> JSONValue {
        var request: [(String, JSONValue)] = []
        if let text = invocation.value("cli-input-json") {
            let json = try parseJSONParameter(text, option: "cli-input-json", spec: invocation.spec)
            guard case .object(let given) = json else {
                throw ShellError.usage("--cli-input-json must be a JSON object", command: invocation.spec)
            }
            let known = Set(members.map(\.name))
            if let unknown = given.first(where: { !known.contains($0.0) }) {
                throw ShellError.usage("--cli-input-json has an unknown member \"\(unknown.0)\"; valid members: \(members.map(\.name).joined(separator: ", "))",
                                       command: invocation.spec)
            }
            request = given
        }
        for member in members {
            let words = invocation.values(member.optionName)
            guard !words.isEmpty else { continue }
            let value = try convert(words, member: member, spec: invocation.spec)
            request.removeAll { $0.0 == member.name }
            request.append((member.name, value))
        }
        let missing = members.filter { member in member.isRequired && !request.contains { $0.0 == member.name } }
        if !missing.isEmpty {
            throw ShellError.usage("the following arguments are required: " + missing.map { "--\($0.optionName)" }.joined(separator: ", "),
                                   command: invocation.spec)
        }
        return .object(request)
    }

    private static func convert(_ words: [String], member: APIMember, spec: CommandSpec) throws -> JSONValue {
        let option = "--\(member.optionName)"
        do {
            if case .list(let element) = member.shape {
                if words.count == 1, let first = words.first, first.hasPrefix("[") || first.hasPrefix("file://") {
                    return try parseJSONParameter(first, option: member.optionName, spec: spec)
                }
                return .array(try words.map { try value(of: $0, shape: element, option: member.optionName, spec: spec) })
            }
            return try value(of: words[0], shape: member.shape, option: member.optionName, spec: spec)
        } catch let failure as ShorthandParser.Failure {
            throw ShellError.usage("Error parsing parameter '\(option)': \(failure.message) for input: \(words.joined(separator: " "))",
                                   command: spec)
        }
    }

    private static func value(of word: String, shape: APIShape, option: String, spec: CommandSpec) throws -> JSONValue {
        if word.hasPrefix("file://") || (!shape.isScalar && (word.hasPrefix("{") || word.hasPrefix("["))) {
            let json = try parseJSONParameter(word, option: option, spec: spec)
            if shape.isScalar, case .string = json {} else if !shape.isScalar { return json }
            if case .string(let text) = json { return try ShorthandParser.coerce(text, to: shape) }
            return json
        }
        if shape.isScalar { return try ShorthandParser.coerce(word, to: shape) }
        return try ShorthandParser.parse(word, shape: shape)
    }

    /// JSON given inline or as `file://path` (read as text, as the AWS CLI does).
    static func parseJSONParameter(_ text: String, option: String, spec: CommandSpec) throws -> JSONValue {
        var body = text
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst(7))
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ShellError.usage("Error parsing parameter '--\(option)': Unable to load paramfile \(text): no such file", command: spec)
            }
            body = contents
            if !(body.trimmingSpaces.hasPrefix("{") || body.trimmingSpaces.hasPrefix("[")) {
                return .string(body.hasSuffix("\n") ? String(body.dropLast()) : body)
            }
        }
        do {
            return try JSONValue.parse(body)
        } catch {
            throw ShellError.usage("Error parsing parameter '--\(option)': \(error)", command: spec)
        }
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
