import Foundation
import LineEditor

/// Tab completion for the shell: command words, options, and each argument's own candidates.
public struct ShellCompleter: LineCompleter {
    public let session: Session

    public init(session: Session) {
        self.session = session
    }

    public func complete(precedingText: String, word: String) -> LineCompletion {
        let scan = Tokenizer.scan(precedingText + word)
        let current = scan.lastWordOpen ? scan.words.last ?? "" : ""
        let before = scan.lastWordOpen ? Array(scan.words.dropLast()) : scan.words
        let found = candidates(before: before, current: current).filter { $0.hasPrefix(current) }
        // libedit replaces only its own word; ours may be longer (`--x=val` breaks at `=`).
        let typedPrefix = current.hasSuffix(word) ? String(current.dropLast(word.count)) : ""
        let replacements = found.map { candidate -> String in
            let tail = String(candidate.dropFirst(typedPrefix.count))
            return tail.contains(" ") ? Tokenizer.quote(tail) : tail
        }
        let isPrefix = found.count == 1 && (found[0].hasSuffix("/") || found[0].hasSuffix("="))
        return LineCompletion(candidates: replacements.sorted(), appendsSpace: !isPrefix)
    }

    /// Every word that could stand where `current` is being typed, before prefix filtering.
    func candidates(before: [String], current: String) -> [String] {
        let registry = session.registry
        let named = CommandRegistry.droppingAWS(before)
        guard let spec = registry.commands
            .filter({ named.starts(with: $0.path) })
            .max(by: { $0.path.count < $1.path.count })
        else {
            return registry.nextWords(after: before)
        }
        let rest = Array(named.dropFirst(spec.path.count))
        if current.hasPrefix("-") {
            return optionNames(spec, used: rest) + globalOptionNames(spec, used: rest, current: current)
        }
        if spec.family.isAWS, let last = rest.last, let choices = GlobalOptions.valueCompletions[String(last.dropFirst(2))] {
            return choices
        }
        if let last = rest.last, last.hasPrefix("--"),
           let option = spec.option(named: String(last.dropFirst(2))), option.kind != .flag {
            return values(from: option.completion, current: current)
        }
        if let option = listOptionInProgress(spec, rest: rest) {
            return values(from: option.completion, current: current) + optionNames(spec, used: rest)
        }
        let position = positionalCount(spec, rest: rest)
        if position < spec.arguments.count || spec.arguments.last?.isVariadic == true {
            let argument = spec.arguments[min(position, spec.arguments.count - 1)]
            let found = values(from: argument.completion, current: current)
            if !found.isEmpty || !current.isEmpty { return found }
        }
        return optionNames(spec, used: rest)
    }

    private func optionNames(_ spec: CommandSpec, used: [String]) -> [String] {
        let usedNames = Set(used.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) })
        return spec.options.filter { $0.isRepeatable || !usedNames.contains($0.name) }.map { "--\($0.name)" }
    }

    /// The AWS CLI's global options, once a letter of one is typed (a bare `--` lists the
    /// command's own options only).
    private func globalOptionNames(_ spec: CommandSpec, used: [String], current: String) -> [String] {
        guard spec.family.isAWS, current.count > 2 else { return [] }
        let usedNames = Set(used.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) })
        return GlobalOptions.declarations.map(\.name).filter { !usedNames.contains($0) }.map { "--" + $0 }
    }

    /// A list option (`--model-names a b`) keeps taking values until the next option.
    private func listOptionInProgress(_ spec: CommandSpec, rest: [String]) -> OptionSpec? {
        guard let lastOption = rest.lastIndex(where: { $0.hasPrefix("--") }),
              let option = spec.option(named: String(rest[lastOption].dropFirst(2))),
              option.kind == .list
        else { return nil }
        return option
    }

    private func positionalCount(_ spec: CommandSpec, rest: [String]) -> Int {
        var count = 0
        var index = 0
        while index < rest.count {
            let word = rest[index]
            if word.hasPrefix("--"), let option = spec.option(named: String(word.dropFirst(2))) {
                index += option.kind == .value && !word.contains("=") ? 2 : 1
                if option.kind == .list {
                    while index < rest.count, !rest[index].hasPrefix("--") { index += 1 }
                }
            } else {
                count += 1
                index += 1
            }
        }
        return count
    }

    private func values(from source: CompletionSource, current: String) -> [String] {
        switch source {
        case .none: []
        case .values(let words): words
        case .localPath: PathCompletion.local(current, paths: session.localPaths)
        case .s3Path: session.s3Completion(current)
        case .localOrS3Path:
            current.hasPrefix("s") && "s3://".hasPrefix(String(current.prefix(5))) || current.hasPrefix("s3://")
                ? session.s3Completion(current) + (current.count < 5 ? PathCompletion.local(current, paths: session.localPaths) : [])
                : PathCompletion.local(current, paths: session.localPaths)
        case .dynamic(let provider): provider(session, current)
        }
    }
}

/// Candidates for paths on this computer, where LocalPaths resolves them (`lab-data/` is the
/// workspace's folder, `datasets/` the kit's when the current folder has none).
enum PathCompletion {
    static func local(_ typed: String, paths: LocalPaths) -> [String] {
        let typedFolder = typed.hasSuffix("/") ? typed : typed.contains("/") ? String(typed[...typed.lastIndex(of: "/")!]) : ""
        let stem = String(typed.dropFirst(typedFolder.count))
        let folder = typedFolder.isEmpty ? paths.current : paths.url(typedFolder, for: .reading)
        var names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var folders: Set<String> = []
        if typedFolder.isEmpty {
            // The two names the kit knows, offered wherever it was started.
            for name in [LocalPaths.labDataName, "datasets"] where !names.contains(name) {
                names.append(name)
                folders.insert(name)
            }
        }
        return names.sorted()
            .filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }
            .map { name in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                return typedFolder + name + (isDirectory.boolValue || folders.contains(name) ? "/" : "")
            }
    }
}
