/// Turns the words after a command's name into an `Invocation`, enforcing the declaration.
enum CommandParser {
    struct Parsed {
        var arguments: [String] = []
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
    }

    static func parse(_ words: [String], for spec: CommandSpec) throws -> Parsed {
        var parsed = Parsed()
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                parsed.arguments.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = spec.option(named: name) else {
                throw ShellError.usage(unknownOptionMessage(name, spec: spec), command: spec)
            }
            if parsed.values[name] != nil || parsed.flags.contains(name), !option.isRepeatable {
                throw ShellError.usage("--\(name) was given more than once", command: spec)
            }
            switch option.kind {
            case .flag:
                if inlineValue != nil { throw ShellError.usage("--\(name) takes no value", command: spec) }
                parsed.flags.insert(name)
            case .value:
                if let inlineValue {
                    parsed.values[name, default: []].append(inlineValue)
                } else {
                    guard index < words.count else {
                        throw ShellError.usage("--\(name) expects a value: \(option.synopsis)", command: spec)
                    }
                    parsed.values[name, default: []].append(words[index])
                    index += 1
                }
            case .list:
                var items = inlineValue.map { [$0] } ?? []
                while index < words.count, !(words[index].hasPrefix("--") && words[index].count > 2) {
                    items.append(words[index])
                    index += 1
                }
                guard !items.isEmpty else {
                    throw ShellError.usage("--\(name) expects one or more values: \(option.synopsis)", command: spec)
                }
                parsed.values[name, default: []].append(contentsOf: items)
            }
        }
        try checkArguments(parsed.arguments, spec: spec)
        // As awscli: with --cli-input-json the required members may come from the JSON instead
        // (botocore's validation then names any still missing); --generate-cli-skeleton needs none.
        let fromJSON = parsed.values["cli-input-json"] != nil || (spec.option(named: "generate-cli-skeleton") != nil && parsed.flags.contains("generate-cli-skeleton"))
        let missing = spec.options.filter { $0.isRequired && !fromJSON && parsed.values[$0.name] == nil && !parsed.flags.contains($0.name) }
        if !missing.isEmpty {
            let names = missing.map { "--\($0.name)" }.joined(separator: ", ")
            throw ShellError.usage("the following arguments are required: \(names)", command: spec)
        }
        return parsed
    }

    private static func checkArguments(_ arguments: [String], spec: CommandSpec) throws {
        let declared = spec.arguments
        let takesRest = declared.last?.isVariadic ?? false
        if arguments.count > declared.count, !takesRest {
            let extra = arguments[declared.count...].map { "'\($0)'" }.joined(separator: " ")
            throw ShellError.usage("unexpected argument(s): \(extra)", command: spec)
        }
        let required = declared.filter { !$0.isOptional }
        if arguments.count < required.count {
            let names = required[arguments.count...].map { $0.name }.joined(separator: ", ")
            throw ShellError.usage("the following arguments are required: \(names)", command: spec)
        }
    }

    private static func unknownOptionMessage(_ name: String, spec: CommandSpec) -> String {
        if let member = spec.unofferedOptions[name] {
            return "--\(name) is an option of the AWS CLI (\(member)) that InferLab does not offer; leave it out"
        }
        let known = spec.options.map(\.name)
        if let nearest = Suggestion.nearest(to: name, in: known) {
            return "unknown option --\(name); did you mean --\(nearest)?"
        }
        return "unknown option --\(name); `\(spec.displayName) --help` lists the options"
    }
}

/// Finds the closest known word to a mistyped one.
enum Suggestion {
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(2, word.count / 3)
        if best.1 <= limit || best.0.hasPrefix(word) { return best.0 }
        return nil
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
