#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How generated rows are laid out. Columns come in this order: application id, label, features.
public struct LoanDatasetFormat: Sendable, Equatable {
    public enum Encoding: String, Sendable, CaseIterable {
        /// `25,50000,2` — no header.
        case csv
        /// `{"features":[25,50000,2]}` — one JSON object per line.
        case jsonl
    }

    public var encoding: Encoding
    /// csv: `APP-00000001,` first; jsonl: an `"id"` member.
    public var includesID: Bool
    /// csv: `approved` before the features (as SageMaker's built-in algorithms expect for
    /// training); jsonl: a `"label"` member.
    public var includesLabel: Bool

    public init(_ encoding: Encoding = .csv, includesID: Bool = false, includesLabel: Bool = false) {
        self.encoding = encoding
        self.includesID = includesID
        self.includesLabel = includesLabel
    }

    public var fileExtension: String { encoding.rawValue }

    /// The csv column names in file order (the files themselves have no header).
    public var columns: [String] {
        (includesID ? ["application_id"] : []) + (includesLabel ? ["approved"] : [])
            + ["age", "annual_income", "existing_loans"]
    }
}

/// What a write produced.
public struct LoanDatasetSummary: Sendable, Equatable {
    public var rows: Int
    public var files: [URL]
    public var bytes: Int
}

/// A file could not be created or written.
public struct LoanDatasetError: Error, Sendable, CustomStringConvertible, LearnerFacingError {
    public let message: String
    public var description: String { message }
    public var renderedMessage: String { "error: \(message)" }
    public var hint: String? { nil }
    public var exitCode: Int32 { 255 }
}

/// Streams generated rows to files.
///
/// This is a hot path: `datasets generate` makes the 10-million-row inputs of the benchmarks in
/// about a second. So rows are formatted by hand, digit by digit, into one reusable 1 MiB byte
/// buffer that is handed to write(2) whenever it fills: no String, no per-row allocation, bounded
/// memory. `String(Int)`, interpolation or Foundation's formatters would allocate per field and be
/// several times slower; digits made by hand are also the same bytes on every platform.
public enum LoanDatasetWriter {
    public static let bufferSize = 1 << 20

    /// Writes `rows` rows drawn from `seed` into one file (created or replaced; its folder is
    /// created if missing). On failure or cancellation the partial file is removed.
    @discardableResult
    public static func write(rows: Int, seed: UInt64, format: LoanDatasetFormat, to file: URL) throws -> LoanDatasetSummary {
        try write(rows: rows, seed: seed, format: format, files: [file])
    }

    /// Spreads `rows` rows drawn from `seed` over `files` files `part-00000.csv`, … in `directory`
    /// (created if missing), in order: the first `rows % files` files get one row more than the
    /// rest, and concatenating the parts gives exactly the single-file output of the same seed.
    @discardableResult
    public static func write(rows: Int, seed: UInt64, format: LoanDatasetFormat, files: Int, into directory: URL) throws -> LoanDatasetSummary {
        precondition(files >= 1, "at least one file")
        let urls = (0..<files).map { directory.appendingPathComponent(partFileName($0, format: format)) }
        return try write(rows: rows, seed: seed, format: format, files: urls)
    }

    /// `part-00003.csv`.
    public static func partFileName(_ index: Int, format: LoanDatasetFormat) -> String {
        let digits = String(index)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "." + format.fileExtension
    }

    /// How many rows each of `files` files gets: sizes differ by at most one, larger first.
    public static func partSizes(rows: Int, files: Int) -> [Int] {
        (0..<files).map { rows / files + ($0 < rows % files ? 1 : 0) }
    }

    /// The given rows as the file would hold them, for small payloads and tests.
    public static func encode(_ applications: some Sequence<LoanApplication>, format: LoanDatasetFormat) -> String {
        var buffer = RowBuffer(capacity: 256)
        var text = ""
        for application in applications {
            buffer.append(application, format: format)
            text += String(decoding: UnsafeBufferPointer(start: buffer.bytes, count: buffer.count), as: UTF8.self)
            buffer.count = 0
        }
        return text
    }

    private static func write(rows: Int, seed: UInt64, format: LoanDatasetFormat, files: [URL]) throws -> LoanDatasetSummary {
        precondition(rows >= 0, "a row count is not negative")
        var generator = LoanGenerator(seed: seed)
        var buffer = RowBuffer(capacity: bufferSize)
        var created: [URL] = []
        var bytes = 0
        do {
            for (file, count) in zip(files, partSizes(rows: rows, files: files.count)) {
                try makeFolder(file.deletingLastPathComponent().path)
                let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else { throw failure("cannot create", file) }
                created.append(file)
                defer { close(descriptor) }
                bytes += try stream(count, from: &generator, format: format, through: &buffer, to: descriptor, file: file)
            }
        } catch {
            for file in created { unlink(file.path) }
            throw error
        }
        return LoanDatasetSummary(rows: rows, files: files, bytes: bytes)
    }

    /// The loop that matters: draw, format, flush when nearly full. Returns the bytes written.
    private static func stream(
        _ rows: Int, from generator: inout LoanGenerator, format: LoanDatasetFormat,
        through buffer: inout RowBuffer, to descriptor: Int32, file: URL
    ) throws -> Int {
        var written = 0
        let withLabel = format.includesLabel
        for _ in 0..<rows {
            let application = generator.nextApplication(withLabel: withLabel)
            buffer.append(application, format: format)
            if buffer.count > buffer.capacity - RowBuffer.longestRow {
                written += try flush(&buffer, to: descriptor, file: file)
                if Task.isCancelled { throw CancellationError() }
            }
        }
        written += try flush(&buffer, to: descriptor, file: file)
        return written
    }

    private static func flush(_ buffer: inout RowBuffer, to descriptor: Int32, file: URL) throws -> Int {
        var offset = 0
        while offset < buffer.count {
            let result = systemWrite(descriptor, buffer.bytes + offset, buffer.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", file)
            }
            offset += result
        }
        buffer.count = 0
        return offset
    }

    /// mkdir -p, with the system's reason when it fails.
    private static func makeFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { return }
            throw LoanDatasetError(message: "cannot create the folder \(path): a file has that name")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw LoanDatasetError(message: "cannot create the folder \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static func failure(_ what: String, _ file: URL) -> LoanDatasetError {
        LoanDatasetError(message: "\(what) \(file.path): \(String(cString: strerror(errno)))")
    }
}

/// write(2), named apart from the writer's own `write` methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

/// A fixed byte buffer that rows are formatted into by hand.
struct RowBuffer: ~Copyable {
    /// More than any row takes: `{"id":"APP-` + 19 digits + `","features":[80,400000,6],"label":1}\n`.
    static let longestRow = 128

    let bytes: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        precondition(capacity >= Self.longestRow)
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    @inline(__always)
    mutating func append(_ application: LoanApplication, format: LoanDatasetFormat) {
        switch format.encoding {
        case .csv:
            if format.includesID {
                appendID(application.number)
                append(UInt8(ascii: ","))
            }
            if format.includesLabel {
                append(application.approved ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                append(UInt8(ascii: ","))
            }
            appendFeatures(application)
            append(UInt8(ascii: "\n"))
        case .jsonl:
            if format.includesID {
                append("{\"id\":\"")
                appendID(application.number)
                append("\",\"features\":[")
            } else {
                append("{\"features\":[")
            }
            appendFeatures(application)
            if format.includesLabel {
                append(application.approved ? "],\"label\":1}\n" : "],\"label\":0}\n")
            } else {
                append("]}\n")
            }
        }
    }

    @inline(__always)
    private mutating func appendFeatures(_ application: LoanApplication) {
        appendDecimal(application.age)
        append(UInt8(ascii: ","))
        appendDecimal(application.annualIncome)
        append(UInt8(ascii: ","))
        appendDecimal(application.existingLoans)
    }

    /// `APP-00000001`.
    @inline(__always)
    private mutating func appendID(_ number: Int) {
        append("APP-")
        appendDecimal(number, minimumDigits: 8)
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        bytes[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        (bytes + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }

    /// A non-negative integer in decimal, left-padded with zeros to `minimumDigits`.
    @inline(__always)
    private mutating func appendDecimal(_ value: Int, minimumDigits: Int = 1) {
        var remaining = UInt(value)
        var digits = 1
        var probe = remaining
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        digits = Swift.max(digits, minimumDigits)
        var index = count + digits
        while index > count {
            index -= 1
            bytes[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ UInt8(ascii: "0")
            remaining /= 10
        }
        count += digits
    }
}
