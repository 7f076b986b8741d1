import Foundation
import InferLabEngine

/// `aws s3 cp`, `mv`, `rm`, `sync`.
enum S3TransferCommands {
    static var all: [CommandSpec] { [cp, mv, rm, sync] }

    static let filterOptions: [OptionSpec] = [
        OptionSpec("exclude", placeholder: "PATTERN", help: "skip paths matching the pattern (`*` spans folders)", isRepeatable: true),
        OptionSpec("include", placeholder: "PATTERN", help: "take back paths an earlier --exclude skipped", isRepeatable: true),
    ]
    static let commonOptions: [OptionSpec] = [
        .flag("dryrun", help: "show what would be done, do nothing"),
        .flag("quiet", help: "print nothing but errors"),
    ]

    static let cp = CommandSpec(
        ["s3", "cp"], family: .s3, summary: "Copy files to, from or between S3 locations",
        discussion: """
        A destination ending in `/` (or an existing folder) keeps the source's file name. With \
        --recursive, every file under the source folder or prefix is copied, filtered by --exclude and \
        --include in the order given (the last matching pattern wins). Objects are written atomically: \
        an interrupted copy leaves no partial object.
        """,
        arguments: [ArgumentSpec("SOURCE", help: "a local path or s3://bucket/key", completion: .localOrS3Path),
                    ArgumentSpec("DESTINATION", help: "a local path or s3://bucket/key", completion: .localOrS3Path)],
        options: [.flag("recursive", help: "copy every file under the source"),
                  OptionSpec("content-type", placeholder: "TYPE", help: "the uploaded objects' Content-Type (default: guessed from the extension)",
                             completion: .values(["text/csv", "application/json", "application/jsonlines", "text/plain"]))]
            + filterOptions + commonOptions,
        examples: ["aws s3 cp datasets/loans/data.csv s3://loan-lab/batch-input/data.csv",
                   "aws s3 cp s3://loan-lab/batch-output/ results/ --recursive",
                   "aws s3 cp datasets/loans s3://loan-lab/all/ --recursive --exclude '*' --include '*.csv'"]
    ) { invocation in
        try transfer(invocation, verb: nil, removeSource: false)
    }

    static let mv = CommandSpec(
        ["s3", "mv"], family: .s3, summary: "Move files to, from or between S3 locations",
        discussion: "Copies like `aws s3 cp`, then deletes each source once its copy is complete.",
        arguments: cp.arguments, options: [.flag("recursive", help: "move every file under the source")] + filterOptions + commonOptions,
        examples: ["aws s3 mv s3://loan-lab/tmp/data.csv s3://loan-lab/batch-input/data.csv"]
    ) { invocation in
        try transfer(invocation, verb: "move", removeSource: true)
    }

    static let rm = CommandSpec(
        ["s3", "rm"], family: .s3, summary: "Delete objects",
        discussion: "Deleting a key that does not exist succeeds, as on S3.",
        arguments: [ArgumentSpec("S3_URI", help: "s3://bucket/key, or a prefix with --recursive", completion: .s3Path)],
        options: [.flag("recursive", help: "delete every object under the prefix")] + filterOptions + commonOptions,
        examples: ["aws s3 rm s3://loan-lab/batch-output/data.csv.out", "aws s3 rm s3://loan-lab/batch-output/ --recursive"]
    ) { invocation in
        let location = try S3Commands.s3Location(invocation.arguments[0], spec: invocation.spec)
        let engine = invocation.session.engine
        let filter = TransferFilter(words: invocation.words)
        let keys: [String]
        if invocation.flag("recursive") {
            keys = try Transferer(engine: engine).entries(under: .s3(location))
                .filter { filter.allows($0.relativePath) }
                .map { TransferEndpoint.s3(location).appending($0.relativePath) }
                .compactMap { if case .s3(let target) = $0 { target.key } else { nil } }
        } else {
            keys = filter.allows(location.fileName) ? [location.key] : []
        }
        for key in keys {
            try Task.checkCancellation()
            let shown = "s3://\(location.bucket)/\(key)"
            if invocation.flag("dryrun") {
                invocation.console.print("(dryrun) delete: \(shown)")
                continue
            }
            do {
                _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: location.bucket, key: key), on: engine)
            } catch let error as AWSError {
                throw CLIFailure("delete failed: \(shown) \(error.renderedMessage)", hint: error.hint)
            }
            if !invocation.flag("quiet") { invocation.console.print("delete: \(shown)") }
        }
    }

    static let sync = CommandSpec(
        ["s3", "sync"], family: .s3, summary: "Make a destination folder or prefix match a source",
        discussion: """
        Copies files that are missing at the destination, differ in size, or are newer at the source. \
        --delete also removes destination files that the source does not have.
        """,
        arguments: cp.arguments,
        options: [.flag("delete", help: "delete destination files that are not in the source")] + filterOptions + commonOptions,
        examples: ["aws s3 sync datasets/loans/split s3://loan-lab/split-input/", "aws s3 sync s3://loan-lab/batch-output/ results/"]
    ) { invocation in
        let source = TransferEndpoint(invocation.arguments[0], paths: invocation.session.localPaths, access: .reading)
        let destination = TransferEndpoint(invocation.arguments[1], paths: invocation.session.localPaths, access: .writing)
        guard source.isS3 || destination.isS3 else {
            throw ShellError.usage("one side must be an s3:// URI", command: invocation.spec)
        }
        let transferer = Transferer(engine: invocation.session.engine)
        let filter = TransferFilter(words: invocation.words)
        let wanted = try listOrEmpty(transferer, source, mustExist: true).filter { filter.allows($0.relativePath) }
        let present = Dictionary(try listOrEmpty(transferer, destination, mustExist: false).map { ($0.relativePath, $0) }) { a, _ in a }
        var plan: [(TransferEndpoint, TransferEndpoint)] = []
        for entry in wanted {
            if let existing = present[entry.relativePath], existing.size == entry.size, existing.modified >= entry.modified { continue }
            plan.append((source.appending(entry.relativePath), destination.appending(entry.relativePath)))
        }
        let failures = try run(plan, invocation: invocation, verb: nil, removeSource: false, contentType: nil)
        if invocation.flag("delete") {
            let kept = Set(wanted.map(\.relativePath))
            for entry in present.values.sorted(by: { $0.relativePath < $1.relativePath })
            where !kept.contains(entry.relativePath) && filter.allows(entry.relativePath) {
                let target = destination.appending(entry.relativePath)
                if invocation.flag("dryrun") { invocation.console.print("(dryrun) delete: \(target.display)"); continue }
                switch target {
                case .s3(let location):
                    _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: location.bucket, key: location.key), on: invocation.session.engine)
                case .local: if let url = target.localURL { try FileManager.default.removeItem(at: url) }
                }
                if !invocation.flag("quiet") { invocation.console.print("delete: \(target.display)") }
            }
        }
        if failures > 0 { throw CLIFailure("", exitCode: ExitCode.failure) }
    }

    private static func listOrEmpty(_ transferer: Transferer, _ endpoint: TransferEndpoint, mustExist: Bool) throws -> [SourceEntry] {
        if case .local = endpoint, let url = endpoint.localURL, !FileManager.default.fileExists(atPath: url.path) {
            if mustExist { throw CLIFailure("The user-provided path \(endpoint.display) does not exist.", exitCode: ExitCode.generalError) }
            return []
        }
        return try transferer.entries(under: endpoint)
    }

    /// cp and mv: plans the copies, then runs them.
    private static func transfer(_ invocation: Invocation, verb: String?, removeSource: Bool) throws {
        let source = TransferEndpoint(invocation.arguments[0], paths: invocation.session.localPaths, access: .reading)
        let destination = TransferEndpoint(invocation.arguments[1], paths: invocation.session.localPaths, access: .writing)
        guard source.isS3 || destination.isS3 else {
            throw ShellError.usage("one side must be an s3:// URI: \(source.display) and \(destination.display) are both local paths",
                                   command: invocation.spec)
        }
        let engine = invocation.session.engine
        // `-` as the destination prints the object, as the AWS CLI streams to standard output.
        if invocation.arguments[1] == "-", case .s3(let location) = source, !invocation.flag("recursive") {
            let reader = try S3Operations.GetObject.run(GetObjectInput(bucket: location.bucket, key: location.key), on: engine).body
            defer { reader.close() }
            while true {
                try Task.checkCancellation()
                let chunk = try reader.read(upTo: 1 << 20)
                if chunk.isEmpty { return }
                invocation.console.write(String(decoding: chunk, as: UTF8.self))
            }
        }
        let transferer = Transferer(engine: engine)
        let filter = TransferFilter(words: invocation.words)
        var plan: [(TransferEndpoint, TransferEndpoint)] = []
        if invocation.flag("recursive") {
            for entry in try transferer.entries(under: source) where filter.allows(entry.relativePath) {
                plan.append((source.appending(entry.relativePath), destination.appending(entry.relativePath)))
            }
        } else {
            let name = try singleSourceName(source, engine: engine)
            if filter.allows(name) { plan.append((source, target(destination, keepingName: name))) }
        }
        let failures = try run(plan, invocation: invocation, verb: verb, removeSource: removeSource,
                               contentType: invocation.value("content-type"))
        if failures > 0 { throw CLIFailure("", exitCode: ExitCode.failure) }
    }

    /// Checks a single source exists and returns its file name.
    private static func singleSourceName(_ source: TransferEndpoint, engine: Engine) throws -> String {
        switch source {
        case .s3(let location):
            do {
                _ = try S3Operations.HeadObject.run(HeadObjectInput(bucket: location.bucket, key: location.key), on: engine)
            } catch let error as AWSError {
                let message = error.code == "404" ? "An error occurred (404) when calling the HeadObject operation: Key \"\(location.key)\" does not exist" : error.renderedMessage
                throw CLIFailure("fatal error: \(message)", hint: error.hint)
            }
            return location.fileName
        case .local(let typed, _):
            var isDirectory: ObjCBool = false
            guard let url = source.localURL, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw CLIFailure("The user-provided path \(typed) does not exist.", exitCode: ExitCode.generalError)
            }
            if isDirectory.boolValue {
                throw ShellError.usage("\(typed) is a folder: add --recursive to copy what it holds", command: nil)
            }
            return url.lastPathComponent
        }
    }

    /// A destination ending in `/`, a bucket alone, or an existing folder keeps the source's name.
    private static func target(_ destination: TransferEndpoint, keepingName name: String) -> TransferEndpoint {
        switch destination {
        case .s3(let location):
            return location.key.isEmpty || location.key.hasSuffix("/") ? .s3(location.appending(name)) : destination
        case .local(let typed, _):
            var isDirectory: ObjCBool = false
            let exists = destination.localURL.map { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) } ?? false
            return typed.hasSuffix("/") || (exists && isDirectory.boolValue) ? destination.appending(name) : destination
        }
    }

    /// Runs planned copies, printing the AWS CLI's lines. Returns how many failed.
    private static func run(_ plan: [(TransferEndpoint, TransferEndpoint)], invocation: Invocation, verb: String?,
                            removeSource: Bool, contentType: String?) throws -> Int {
        let console = invocation.console
        let engine = invocation.session.engine
        let transferer = Transferer(engine: engine)
        let progress = TransferProgress(console: console, enabled: invocation.session.isInteractive && console.style.isDecorated,
                                        files: plan.count)
        var failures = 0
        for (source, destination) in plan {
            let word = verb ?? (source.isS3 ? (destination.isS3 ? "copy" : "download") : "upload")
            let line = "\(word): \(source.display) to \(destination.display)"
            if invocation.flag("dryrun") { console.print("(dryrun) " + line); continue }
            do {
                try transferer.copy(from: source, to: destination, contentType: contentType) { progress.advance(by: $0) }
                if removeSource { try remove(source, engine: engine) }
                progress.clear()
                if !invocation.flag("quiet") { console.print(line) }
            } catch let error as AWSError {
                progress.clear()
                console.printError("\(word) failed: \(source.display) to \(destination.display) \(error.renderedMessage)")
                failures += 1
            }
            progress.fileDone()
        }
        return failures
    }

    private static func remove(_ endpoint: TransferEndpoint, engine: Engine) throws {
        switch endpoint {
        case .s3(let location): _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: location.bucket, key: location.key), on: engine)
        case .local: if let url = endpoint.localURL { try FileManager.default.removeItem(at: url) }
        }
    }
}

/// The AWS CLI's transfer progress line on standard error, in the interactive shell only.
final class TransferProgress {
    private let console: Console
    private let enabled: Bool
    private var remaining: Int
    private var done: Int64 = 0
    private var lastShown: Int64 = 0
    private let started = Date()

    init(console: Console, enabled: Bool, files: Int) {
        self.console = console
        self.enabled = enabled
        remaining = files
    }

    func advance(by bytes: Int64) {
        done += bytes
        guard enabled, done - lastShown >= 8 << 20 else { return }
        lastShown = done
        let rate = Double(done) / max(0.001, Date().timeIntervalSince(started))
        console.writeError("\rCompleted \(S3Formatting.humanSize(done)) (\(S3Formatting.humanSize(Int64(rate)))/s) with \(remaining) file(s) remaining\u{1B}[K")
    }

    func fileDone() { remaining -= 1 }

    func clear() {
        if enabled && lastShown > 0 { console.writeError("\r\u{1B}[K") }
    }
}
