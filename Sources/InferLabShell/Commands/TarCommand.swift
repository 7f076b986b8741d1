import Foundation
import InferLabEngine

/// `tar czf ARCHIVE [-C DIR] FILE…`: the one use of tar that SageMaker's script mode needs — the
/// learner's code packed as `sourcedir.tar.gz` (training) or beside a model — typed as on any
/// computer. A kit command: it makes a gzip-compressed tar and nothing else, of regular files
/// and folders (walked in name order), never following a link, and writes it whole or not at all.
enum TarCommand {
    /// What a code archive may hold: far more than a script folder, far less than memory.
    static let maximumBytes = 64 << 20
    static let usage = "tar czf ARCHIVE [-C DIR] FILE…"

    static let tar = CommandSpec(
        ["tar"], family: .kit, summary: "Pack files into a .tar.gz, as `tar czf` does (not an AWS command)",
        discussion: """
            Makes the archive SageMaker's script mode reads: `sourcedir.tar.gz` for a training job's \
            sagemaker_submit_directory, or a model's SAGEMAKER_SUBMIT_DIRECTORY. Only `czf` (create, gzip, \
            to a file) is offered; `-C DIR` makes the files that follow relative to DIR, so the archive holds \
            `preprocessor.py` rather than its whole path, as the toolkits expect. On your own computer the \
            system's tar does the same.
            """,
        arguments: [ArgumentSpec("czf", help: "the mode: create a gzip-compressed archive in a file"),
                    ArgumentSpec("ARCHIVE", help: "the .tar.gz to write, e.g. lab-data/sourcedir.tar.gz", completion: .localPath),
                    ArgumentSpec("FILE", help: "files or folders to pack; -C DIR before them reads them from DIR", isOptional: true, isVariadic: true,
                                 completion: .localPath)],
        examples: ["tar czf lab-data/sourcedir.tar.gz -C datasets/code/loan-preprocessor preprocessor.py"]
    ) { invocation in
        let words = invocation.arguments
        guard isCreateMode(words[0]) else {
            throw ShellError.usage("the kit's tar only creates gzip-compressed archives: \(usage) (not '\(words[0])')", command: invocation.spec)
        }
        let archive = invocation.localURL(words[1], for: .writing)
        let files = try collect(Array(words.dropFirst(2)), invocation: invocation)
        guard !files.isEmpty else { throw ShellError.usage("name the files to pack: \(usage)", command: invocation.spec) }
        let data: Data
        do { data = try ModelArchive.write(files: files) } catch {
            throw ShellError("cannot pack \(words[1]): \(error)")
        }
        do {
            // Missing folders are made, as a download's are (`lab-data/` need not exist yet).
            try FileManager.default.createDirectory(at: archive.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: archive, options: .atomic)
        } catch {
            throw ShellError("cannot write \(words[1]): \(error.localizedDescription)")
        }
        invocation.console.print("\(words[1]): \(files.count) file(s), \(data.count) bytes: \(files.keys.sorted().joined(separator: ", "))")
    }

    /// `czf`, `-czf`, `zcf`…: create (c), gzip (z) and a file (f, last, as its argument follows).
    static func isCreateMode(_ word: String) -> Bool {
        let letters = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
        return letters.count == 3 && Set(letters) == ["c", "z", "f"] && letters.last == "f"
    }

    /// The files to pack, by their name in the archive: each FILE (a folder's files, walked) as
    /// typed, relative to the last `-C DIR` before it.
    static func collect(_ words: [String], invocation: Invocation) throws -> [String: Data] {
        var files: [String: Data] = [:]
        var total = 0
        var base: (typed: String, url: URL)?
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "-C" {
                guard index < words.count else { throw ShellError.usage("-C needs a folder: \(usage)", command: invocation.spec) }
                base = (words[index], invocation.localURL(words[index], for: .reading))
                index += 1
                continue
            }
            guard !word.hasPrefix("-") else {
                throw ShellError.usage("the kit's tar takes no option \(word); only -C DIR: \(usage)", command: invocation.spec)
            }
            let parts = word.split(separator: "/").filter { $0 != "." }
            guard !word.hasPrefix("/") || base == nil, !parts.contains("..") else {
                throw ShellError.usage("\(word) would be stored outside the archive's folder: name files below -C DIR, without `..`", command: invocation.spec)
            }
            let url = base.map { $0.url.appendingPathComponent(word) } ?? invocation.localURL(word, for: .reading)
            let shown = base.map { "\($0.typed)/\(word)" } ?? word
            for (name, file) in try walk(url, named: parts.joined(separator: "/"), shown: shown) {
                let data: Data
                do { data = try Data(contentsOf: file) } catch {
                    throw ShellError("cannot read \(shown): \(error.localizedDescription)")
                }
                total += data.count
                guard total <= maximumBytes else {
                    throw ShellError("the files come to more than \(maximumBytes >> 20) MiB", hint: "a code archive holds scripts, not data: put data in S3")
                }
                files[name] = data
            }
        }
        return files
    }

    /// The regular files at `url` (itself, or a folder's, in name order), with their archive names.
    private static func walk(_ url: URL, named name: String, shown: String) throws -> [(String, URL)] {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw ShellError("\(shown): no such file or folder")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?:
            return [(name, url)]
        case .typeDirectory?:
            let children = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            return try children.flatMap { child in
                try walk(url.appendingPathComponent(child), named: name.isEmpty ? child : "\(name)/\(child)", shown: "\(shown)/\(child)")
            }
        case .typeSymbolicLink?:
            throw ShellError("\(shown) is a symbolic link; the kit's tar follows no links: pack the file it points to")
        default:
            throw ShellError("\(shown) is neither a file nor a folder")
        }
    }
}
