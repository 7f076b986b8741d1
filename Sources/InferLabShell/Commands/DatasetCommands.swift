import Foundation
import InferLabEngine

/// `datasets generate` and `datasets list`: the synthetic loan applications the labs score.
enum DatasetCommands {
    static var all: [CommandSpec] { [generate, list] }

    /// More would take minutes and tens of gigabytes; the benchmarks use 10 million.
    static let maximumRows = 1_000_000_000
    static let maximumFiles = 10_000

    static let generate = CommandSpec(
        ["datasets", "generate"], family: .kit, summary: "Write synthetic loan applications to local files",
        discussion: """
            Rows are drawn from a seed: the same seed gives the same bytes on every computer. Each row is \
            age, annual_income, existing_loans (csv without a header, or jsonl as {"features":[25,50000,2]}). \
            --with-label puts the label `approved` (1/0) first, as SageMaker's built-in algorithms expect for \
            training; --with-id puts an application id (APP-00000001) before everything. With --files K the rows are \
            spread in order over part-00000.csv … in the folder --output. The data dictionary and the rule the \
            labels come from are in datasets/README.md.
            """,
        options: [
            OptionSpec("rows", placeholder: "N", help: "how many rows", isRequired: true),
            OptionSpec("seed", placeholder: "S", help: "the random seed, a whole number from 0 to 2^64-1", isRequired: true),
            OptionSpec("files", placeholder: "K", help: "spread the rows over K files in the folder --output (default 1)"),
            .flag("with-id", help: "put an application id (APP-00000001) first"),
            .flag("with-label", help: "add the label `approved` (1/0): csv puts it first (after the id with --with-id), jsonl as \"label\""),
            OptionSpec("format", placeholder: "FORMAT", help: "csv (default) or jsonl",
                       completion: .values(LoanDatasetFormat.Encoding.allCases.map(\.rawValue))),
            OptionSpec("output", placeholder: "PATH", help: "the file to write, or the folder when --files is more than 1",
                       isRequired: true, completion: .localPath),
        ],
        examples: [
            "datasets generate --rows 1000 --seed 3 --output batch.csv",
            "datasets generate --rows 20000 --seed 1 --with-label --output train.csv",
            "datasets generate --rows 1000 --seed 3 --files 4 --output split",
            "datasets generate --rows 10000000 --seed 7 --format jsonl --with-id --output big.jsonl",
        ]
    ) { invocation in
        let spec = invocation.spec
        let rows = try number("rows", in: invocation, range: 1...maximumRows)
        let files = invocation.value("files") == nil ? 1 : try number("files", in: invocation, range: 1...maximumFiles)
        guard files <= rows else {
            throw ShellError.usage("--files \(files) is more than --rows \(rows): every file needs at least one row", command: spec)
        }
        let seedText = invocation.value("seed") ?? ""
        guard let seed = UInt64(seedText) else {
            throw ShellError.usage("--seed takes a whole number from 0 to 18446744073709551615, not '\(seedText)'", command: spec)
        }
        let formatText = invocation.value("format") ?? "csv"
        guard let encoding = LoanDatasetFormat.Encoding(rawValue: formatText) else {
            throw ShellError.usage("--format takes csv or jsonl, not '\(formatText)'", command: spec)
        }
        let format = LoanDatasetFormat(encoding, includesID: invocation.flag("with-id"), includesLabel: invocation.flag("with-label"))
        let outputText = invocation.value("output") ?? ""
        guard !outputText.isEmpty else {
            throw ShellError.usage("--output takes a file or folder path, not an empty string", command: spec)
        }
        let output = invocation.localURL(outputText, for: .writing)

        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: output.path, isDirectory: &isFolder)
        let summary: LoanDatasetSummary
        if files == 1 {
            if exists && isFolder.boolValue {
                throw ShellError.usage("--output '\(outputText)' is a folder; give a file name such as '\(outputText)/data.\(format.fileExtension)', or --files K to write part files into it", command: spec)
            }
            summary = try LoanDatasetWriter.write(rows: rows, seed: seed, format: format, to: output)
        } else {
            if exists && !isFolder.boolValue {
                throw ShellError.usage("--output '\(outputText)' is a file; with --files \(files) it must be a folder (it is created if missing)", command: spec)
            }
            summary = try LoanDatasetWriter.write(rows: rows, seed: seed, format: format, files: files, into: output)
        }
        let fileWord = files == 1 ? "1 file" : "\(grouped(files)) files"
        let shown = files == 1 ? outputText : outputText.hasSuffix("/") ? outputText : outputText + "/"
        invocation.console.print("Wrote \(grouped(summary.rows)) rows to \(shown) (\(fileWord), \(grouped(summary.bytes)) bytes, \(format.encoding.rawValue), seed \(seed))")
    }

    static let list = CommandSpec(
        ["datasets", "list"], family: .kit, summary: "Show the kit's sample data (datasets/ in commands)",
        discussion: """
            Lists every file of the kit's datasets folder (datasets/ in the checkout, share/inferlab/datasets \
            in an installed kit) with its size and number of lines. In commands, datasets/… reads from it \
            wherever InferLab was started. datasets/README.md describes the columns and how each file was \
            made; `datasets generate` makes more.
            """,
        examples: ["datasets list"]
    ) { invocation in
        let console = invocation.console
        let folder = invocation.session.kit.datasetsFolder
        let shownAs = invocation.session.localPaths.display(folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            console.print("The kit's datasets folder \(folder.path) is missing: set INFERLAB_DATASETS_DIR to one, reinstall the kit (`make install`), or make data with `datasets generate`.")
            return
        }
        let entries = datasetFiles(in: folder)
        guard !entries.isEmpty else {
            console.print("\(shownAs)/ is empty: `datasets generate --help` shows how to make data.")
            return
        }
        let nameWidth = max(4, entries.map(\.name.count).max() ?? 0)
        let linesColumn = entries.map { $0.lines.map(grouped) ?? "-" }
        let bytesColumn = entries.map { grouped($0.bytes) }
        let linesWidth = max(5, linesColumn.map(\.count).max() ?? 0)
        let bytesWidth = max(5, bytesColumn.map(\.count).max() ?? 0)
        console.print("Files in \(shownAs)/ (the data dictionary is \(shownAs)/README.md):")
        console.print(pad("FILE", nameWidth) + "  " + padLeft("LINES", linesWidth) + "  " + padLeft("BYTES", bytesWidth))
        for (index, entry) in entries.enumerated() {
            console.print(pad(entry.name, nameWidth) + "  " + padLeft(linesColumn[index], linesWidth) + "  " + padLeft(bytesColumn[index], bytesWidth))
        }
    }

    // MARK: - Helpers

    private static func number(_ name: String, in invocation: Invocation, range: ClosedRange<Int>) throws -> Int {
        let text = invocation.value(name) ?? ""
        guard let value = Int(text), range.contains(value) else {
            throw ShellError.usage("--\(name) takes a whole number from \(grouped(range.lowerBound)) to \(grouped(range.upperBound)), not '\(text)'", command: invocation.spec)
        }
        return value
    }

    struct Entry: Equatable {
        var name: String
        /// nil for a binary file.
        var lines: Int?
        var bytes: Int
    }

    /// Every visible file under `folder`, by path, with its line count and size.
    static func datasetFiles(in folder: URL) -> [Entry] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else {
            return []
        }
        let base = folder.standardizedFileURL.path
        var entries: [Entry] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            let name = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent
            entries.append(Entry(name: name, lines: countLines(url), bytes: values.fileSize ?? 0))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Newlines in a text file; nil for a binary one (a zero byte in its first 8 KiB).
    private static func countLines(_ url: URL) -> Int? {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return nil }
        return data.withUnsafeBytes { bytes -> Int? in
            if bytes.prefix(8_192).contains(0) { return nil }
            return bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
    }

    static func grouped(_ value: Int) -> String { NumberText.grouped(value) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
