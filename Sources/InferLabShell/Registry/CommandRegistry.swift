/// Every command the shell knows, and how typed words find one.
public struct CommandRegistry: Sendable {
    public private(set) var commands: [CommandSpec]

    public init(_ commands: [CommandSpec] = []) {
        self.commands = []
        for command in commands { register(command) }
    }

    public mutating func register(_ command: CommandSpec) {
        precondition(!commands.contains { $0.path == command.path }, "\(command.path) declared twice")
        commands.append(command)
    }

    /// What a line's words refer to.
    public enum Resolution {
        /// A command and the words after its name.
        case command(CommandSpec, rest: [String])
        /// A group such as `s3` or `lab`: the words typed and the commands under it.
        case group([String], [CommandSpec])
        /// Nothing matches; `suggestion` is the nearest known command, if any is close.
        case unknown(String, suggestion: String?)
        case empty
    }

    /// Resolves words to the command with the longest matching name. A leading `aws` is optional.
    public func resolve(_ words: [String]) -> Resolution {
        let words = Self.droppingAWS(words)
        guard !words.isEmpty else { return .empty }
        let matching = commands.filter { words.starts(with: $0.path) }
        if let best = matching.max(by: { $0.path.count < $1.path.count }) {
            return .command(best, rest: Array(words.dropFirst(best.path.count)))
        }
        // The longest prefix of the words that starts some command's path is a group.
        for length in stride(from: words.count, through: 1, by: -1) {
            let prefix = Array(words.prefix(length))
            let members = commands.filter { $0.path.starts(with: prefix) && $0.path.count > length }
            if !members.isEmpty {
                if length < words.count {
                    let typed = (prefix + [words[length]]).joined(separator: " ")
                    let names = members.map { $0.path.joined(separator: " ") }
                    return .unknown(typed, suggestion: Suggestion.nearest(to: typed, in: names))
                }
                return .group(prefix, members)
            }
        }
        let typed = words.prefix(2).joined(separator: " ")
        let names = commands.filter { !$0.isHidden }.map { $0.path.joined(separator: " ") }
        let firstWords = Array(Set(commands.map { $0.path[0] }))
        let suggestion = Suggestion.nearest(to: typed, in: names) ?? Suggestion.nearest(to: words[0], in: firstWords)
        return .unknown(words[0], suggestion: suggestion)
    }

    /// The words that may follow `prefix` as the next word of a command name.
    public func nextWords(after typed: [String]) -> [String] {
        let afterAWS = typed.first == "aws"
        let prefix = Self.droppingAWS(typed)
        var seen = Set<String>()
        var words: [String] = []
        for command in commands
        where command.path.count > prefix.count && command.path.starts(with: prefix) && (!afterAWS || command.family.isAWS) {
            let word = command.path[prefix.count]
            if !command.isHidden || command.path.count > prefix.count + 1, seen.insert(word).inserted {
                words.append(word)
            }
        }
        if typed.isEmpty, seen.insert("aws").inserted { words.append("aws") }
        return words.sorted()
    }

    static func droppingAWS(_ words: [String]) -> [String] {
        words.first == "aws" ? Array(words.dropFirst()) : words
    }
}
