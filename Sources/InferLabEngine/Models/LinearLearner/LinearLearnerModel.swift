import Foundation

/// A Linear Learner model in InferLab's documented artifact format: the file
/// `linear-learner-model.json` inside `model.tar.gz` (full description in `README.md` next to
/// this file).
///
/// SageMaker's Linear Learner is closed source and its artifact is an undocumented MXNet
/// parameter file, so InferLab defines its own, small enough to read and to write by hand:
///
/// ```json
/// {
///   "format": "inferlab-linear-learner",
///   "version": 1,
///   "predictor_type": "binary_classifier",
///   "feature_count": 3,
///   "feature_means": [44.1, 98000, 1.9],
///   "feature_scales": [15.2, 61000, 1.6],
///   "weights": [0.42, 2.1, -0.9],
///   "bias": 0.35,
///   "binary_threshold": 0.5,
///   "training": {"rows": 20000, "iterations": 7}
/// }
/// ```
///
/// For a record `x` the model computes, in `Double` and in this order,
///
///     z = bias;  for i in 0..<feature_count: z += weights[i] * ((x[i] - feature_means[i]) / feature_scales[i])
///
/// A `binary_classifier` answers `score = Float(1 / (1 + e^−z))` and
/// `predicted_label = score ≥ binary_threshold ? 1 : 0`; a `regressor` answers `score = Float(z)`.
///
/// The model is immutable; `predict` may be called from any number of threads at once.
public struct LinearLearnerModel: Sendable, Equatable {
    /// SageMaker's `predictor_type` hyperparameter (multiclass is not implemented by InferLab).
    public enum PredictorType: String, Sendable, CaseIterable {
        case binaryClassifier = "binary_classifier"
        case regressor
    }

    /// The file inside `model.tar.gz`.
    public static let artifactFileName = "linear-learner-model.json"
    /// The value of the `format` field.
    public static let formatName = "inferlab-linear-learner"
    /// The value of the `version` field this code reads and writes.
    public static let formatVersion = 1
    /// More features than this is certainly a mistake (a transposed file, say), not a model.
    public static let maximumFeatureCount = 1_000_000

    public let predictorType: PredictorType
    public let featureMeans: [Double]
    public let featureScales: [Double]
    public let weights: [Double]
    public let bias: Double
    /// The probability from which a record is labelled 1 (binary classifiers; 0.5 by default).
    public let binaryThreshold: Double
    /// Free-form metadata about how the model was trained; never used for scoring.
    public let training: LinearLearnerJSON?

    /// The number of values every record must have.
    public var featureCount: Int { weights.count }

    /// A model from its parameters, validated as a loaded artifact is.
    /// - Throws: `LinearLearnerError` naming the field that is wrong.
    public init(predictorType: PredictorType, featureMeans: [Double], featureScales: [Double], weights: [Double],
                bias: Double, binaryThreshold: Double = 0.5, training: LinearLearnerJSON? = nil) throws {
        try Self.validate(predictorType: predictorType, featureCount: weights.count, means: featureMeans,
                          scales: featureScales, weights: weights, bias: bias,
                          threshold: predictorType == .binaryClassifier ? binaryThreshold : nil)
        if let training {
            guard case .object = training else { throw LinearLearnerError.artifact("training must be an object, found \(training.brief)") }
        }
        self.predictorType = predictorType
        self.featureMeans = featureMeans
        self.featureScales = featureScales
        self.weights = weights
        self.bias = bias
        self.binaryThreshold = predictorType == .binaryClassifier ? binaryThreshold : 0.5
        self.training = training
    }

    // MARK: - Scoring

    /// The linear value `z` for one record of `featureCount` values (see the type's documentation).
    @inline(__always)
    func margin(_ record: UnsafePointer<Float>) -> Double {
        var z = bias
        for index in 0..<weights.count {
            z += weights[index] * ((Double(record[index]) - featureMeans[index]) / featureScales[index])
        }
        return z
    }

    /// The score for a linear value: the probability of label 1 for a classifier, the value for a regressor.
    @inline(__always)
    func score(margin z: Double) -> Float {
        switch predictorType {
        case .regressor: return Float(z)
        case .binaryClassifier: return Float(Self.sigmoid(z))
        }
    }

    /// 1 when a classifier's score reaches the threshold, else 0 (always 0 for a regressor).
    @inline(__always)
    public func predictedLabel(score: Float) -> Int {
        predictorType == .binaryClassifier && Double(score) >= binaryThreshold ? 1 : 0
    }

    /// Scores `rowCount` records stored row-major in `features` (`rowCount × featureCount` values)
    /// into the first `rowCount` values of `scores`. Allocates nothing.
    public func predict(_ features: UnsafeBufferPointer<Float>, rowCount: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let width = featureCount
        precondition(rowCount >= 0 && features.count >= rowCount * width && scores.count >= rowCount,
                     "predict: buffers too small for \(rowCount) rows of \(width) features")
        guard rowCount > 0 else { return }
        guard width > 0, let base = features.baseAddress else { return }
        weights.withUnsafeBufferPointer { w in
            featureMeans.withUnsafeBufferPointer { means in
                featureScales.withUnsafeBufferPointer { scales in
                    var record = base
                    for row in 0..<rowCount {
                        var z = bias
                        for index in 0..<width {
                            z += w[index] * ((Double(record[index]) - means[index]) / scales[index])
                        }
                        scores[row] = score(margin: z)
                        record += width
                    }
                }
            }
        }
    }

    /// The score of one record (a convenience for tests and checks; batch work uses `predict`).
    public func score(_ features: [Float]) -> Float {
        precondition(features.count == featureCount, "score: \(features.count) features, model has \(featureCount)")
        return features.withUnsafeBufferPointer { score(margin: margin($0.baseAddress!)) }
    }

    /// 1 / (1 + e^−z), without overflow for large |z|.
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    // MARK: - Reading and writing the artifact

    /// Loads `linear-learner-model.json`.
    /// - Throws: `LinearLearnerError` whose message starts with the file name and names the field
    ///   (or the byte, for broken JSON) that is wrong.
    public static func load(_ data: Data) throws -> LinearLearnerModel {
        let document: LinearLearnerJSON
        do {
            document = try data.withUnsafeBytes { raw in
                var scanner = LinearLearnerJSONScanner(raw.bindMemory(to: UInt8.self))
                scanner.skipBOM()
                return try scanner.readDocument()
            }
        } catch let error as LinearLearnerJSONScanner.Failure {
            throw LinearLearnerError.artifact("not valid JSON: \(error.message)")
        }
        guard case .object(let members) = document else {
            throw LinearLearnerError.artifact("the file must hold one JSON object {\"format\": \"\(formatName)\", …}")
        }
        var fields: [String: LinearLearnerJSON] = [:]
        for member in members {
            guard fields[member.key] == nil else { throw LinearLearnerError.artifact("the field \(member.key) appears twice") }
            guard knownFields.contains(member.key) else {
                throw LinearLearnerError.artifact("unknown field '\(member.key)'; the fields are \(knownFields.joined(separator: ", "))")
            }
            fields[member.key] = member.value
        }
        func required(_ name: String) throws -> LinearLearnerJSON {
            guard let value = fields[name] else { throw LinearLearnerError.artifact("missing field \(name)") }
            return value
        }

        guard case .string(let format) = try required("format"), format == formatName else {
            throw LinearLearnerError.artifact("format must be \"\(formatName)\", found \(fields["format"]!.brief)")
        }
        let version = try integer(try required("version"), field: "version")
        guard version == formatVersion else {
            throw LinearLearnerError.artifact("version \(version) is not supported; this InferLab reads version \(formatVersion)")
        }
        guard case .string(let typeName) = try required("predictor_type") else {
            throw LinearLearnerError.artifact("predictor_type must be a string, found \(fields["predictor_type"]!.brief)")
        }
        guard let predictorType = PredictorType(rawValue: typeName) else {
            let hint = typeName == "multiclass_classifier" ? " (InferLab does not implement multiclass_classifier)" : ""
            throw LinearLearnerError.artifact("predictor_type must be \"binary_classifier\" or \"regressor\", found \"\(typeName)\"\(hint)")
        }
        let featureCount = try integer(try required("feature_count"), field: "feature_count")
        let means = try numbers(try required("feature_means"), field: "feature_means")
        let scales = try numbers(try required("feature_scales"), field: "feature_scales")
        let weights = try numbers(try required("weights"), field: "weights")
        guard case .number(let bias) = try required("bias") else {
            throw LinearLearnerError.artifact("bias must be a number, found \(fields["bias"]!.brief)")
        }
        var threshold: Double? = nil
        if let value = fields["binary_threshold"] {
            guard predictorType == .binaryClassifier else {
                throw LinearLearnerError.artifact("binary_threshold applies only to predictor_type \"binary_classifier\"; remove it from a regressor")
            }
            guard case .number(let number) = value else {
                throw LinearLearnerError.artifact("binary_threshold must be a number, found \(value.brief)")
            }
            threshold = number
        } else if predictorType == .binaryClassifier {
            threshold = 0.5
        }
        try validate(predictorType: predictorType, featureCount: featureCount, means: means, scales: scales,
                     weights: weights, bias: bias, threshold: threshold)
        if let training = fields["training"] {
            guard case .object = training else {
                throw LinearLearnerError.artifact("training must be an object, found \(training.brief)")
            }
        }
        return try LinearLearnerModel(predictorType: predictorType, featureMeans: means, featureScales: scales,
                                      weights: weights, bias: bias, binaryThreshold: threshold ?? 0.5,
                                      training: fields["training"])
    }

    static let knownFields = ["format", "version", "predictor_type", "feature_count", "feature_means", "feature_scales",
                              "weights", "bias", "binary_threshold", "training"]

    /// The artifact as JSON: always the same bytes for the same model (fields in the documented
    /// order, numbers as their shortest round-trip text, two-space indentation, trailing newline).
    public func jsonData() -> Data {
        var members: [LinearLearnerJSON.Member] = [
            .init("format", .string(Self.formatName)),
            .init("version", .number(Double(Self.formatVersion))),
            .init("predictor_type", .string(predictorType.rawValue)),
            .init("feature_count", .number(Double(featureCount))),
            .init("feature_means", .array(featureMeans.map { .number($0) })),
            .init("feature_scales", .array(featureScales.map { .number($0) })),
            .init("weights", .array(weights.map { .number($0) })),
            .init("bias", .number(bias)),
        ]
        if predictorType == .binaryClassifier { members.append(.init("binary_threshold", .number(binaryThreshold))) }
        if let training { members.append(.init("training", training)) }
        var text = LinearLearnerJSON.object(members).serialized(pretty: true)
        text.append("\n")
        return Data(text.utf8)
    }

    // MARK: - Validation

    private static func validate(predictorType: PredictorType, featureCount: Int, means: [Double], scales: [Double],
                                 weights: [Double], bias: Double, threshold: Double?) throws {
        guard featureCount >= 1 else {
            throw LinearLearnerError.artifact("feature_count must be at least 1, found \(featureCount)")
        }
        guard featureCount <= maximumFeatureCount else {
            throw LinearLearnerError.artifact("feature_count \(featureCount) is more than InferLab's limit of \(maximumFeatureCount)")
        }
        for (name, values) in [("feature_means", means), ("feature_scales", scales), ("weights", weights)] {
            guard values.count == featureCount else {
                throw LinearLearnerError.artifact("\(name) has \(values.count) value\(values.count == 1 ? "" : "s") but feature_count is \(featureCount)")
            }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw LinearLearnerError.artifact("\(name)[\(index)] is \(values[index]); every value must be a finite number")
            }
        }
        if let index = scales.firstIndex(where: { $0 <= 0 }) {
            throw LinearLearnerError.artifact("feature_scales[\(index)] is \(scales[index]); scales must be positive (use 1 for a feature that is not scaled)")
        }
        guard bias.isFinite else { throw LinearLearnerError.artifact("bias must be a finite number") }
        if let threshold, !(threshold >= 0 && threshold <= 1) {
            throw LinearLearnerError.artifact("binary_threshold is \(threshold); it is a probability, from 0 to 1")
        }
    }

    private static func integer(_ value: LinearLearnerJSON, field: String) throws -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw LinearLearnerError.artifact("\(field) must be a whole number, found \(value.brief)")
        }
        return Int(number)
    }

    private static func numbers(_ value: LinearLearnerJSON, field: String) throws -> [Double] {
        guard case .array(let items) = value else {
            throw LinearLearnerError.artifact("\(field) must be an array of numbers, found \(value.brief)")
        }
        return try items.enumerated().map { index, item in
            guard case .number(let number) = item else {
                throw LinearLearnerError.artifact("\(field)[\(index)] must be a number, found \(item.brief)")
            }
            return number
        }
    }
}

/// Why a Linear Learner artifact, training file or option is unusable. The message names the
/// file and the field, line or column, because learners bring their own files.
public struct LinearLearnerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// A problem in `linear-learner-model.json`.
    static func artifact(_ detail: String) -> LinearLearnerError {
        LinearLearnerError("\(LinearLearnerModel.artifactFileName): \(detail)")
    }
}

// MARK: - JSON

/// A JSON value that keeps object members in their order, so metadata written by the trainer
/// reads back and writes out as the same bytes.
public indirect enum LinearLearnerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LinearLearnerJSON])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: LinearLearnerJSON

        public init(_ key: String, _ value: LinearLearnerJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The value of an object's member.
    public subscript(key: String) -> LinearLearnerJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A number's value.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// What a value is, for error messages: `a string ("abc")`, `an array`.
    var brief: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "the number \(Self.format(value))"
        case .string(let value): "the string \"\(value.count > 40 ? value.prefix(40) + "…" : Substring(value))\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as JSON text. `pretty`: objects one member per line, indented by two spaces;
    /// arrays stay on one line.
    public func serialized(pretty: Bool = false) -> String {
        var text = ""
        write(to: &text, pretty: pretty, indent: 0)
        return text
    }

    private func write(to text: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let value): text += Self.format(value)
        case .string(let value): Self.writeString(value, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += pretty ? ", " : "," }
                item.write(to: &text, pretty: pretty, indent: indent)
            }
            text += "]"
        case .object(let members):
            guard !members.isEmpty else { text += "{}"; return }
            text += "{"
            let padding = String(repeating: " ", count: indent + 2)
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                if pretty { text += "\n" + padding }
                Self.writeString(member.key, to: &text)
                text += pretty ? ": " : ":"
                member.value.write(to: &text, pretty: pretty, indent: indent + 2)
            }
            if pretty { text += "\n" + String(repeating: " ", count: indent) }
            text += "}"
        }
    }

    /// Shortest round-trip text; whole numbers without a fraction; non-finite values (which JSON
    /// cannot hold) as `null`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// A byte-level JSON reader. The container drives it piece by piece (`readFloat`, `skipValue`)
/// so request bodies are parsed without building a tree or a String per number; the artifact is
/// read whole with `readDocument`.
struct LinearLearnerJSONScanner {
    struct Failure: Error {
        let message: String
    }

    /// Deeper than any artifact or request needs; stops hostile input from exhausting the stack.
    static let maximumDepth = 128

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    /// Where the scanned range starts: error messages count bytes from here.
    let origin: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        self.origin = position
    }

    mutating func skipBOM() {
        if end - position >= 3, bytes[position] == 0xEF, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF {
            position += 3
        }
    }

    /// One value and nothing after it but whitespace.
    mutating func readDocument() throws -> LinearLearnerJSON {
        skipWhitespace()
        let value = try readValue(depth: 0)
        try expectEnd()
        return value
    }

    mutating func expectEnd() throws {
        skipWhitespace()
        if position < end { throw failure("unexpected \(describe(bytes[position])) after the end of the JSON value") }
    }

    func failure(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(position - origin + 1)")
    }

    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// The next byte after whitespace, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else {
            throw failure(position < end ? "expected \(what), found \(describe(bytes[position]))" : "expected \(what), found the end of the data")
        }
        position += 1
    }

    /// After a member or element: true when another follows (a comma was read), false at the
    /// closing bracket (which is read).
    mutating func readSeparator(closing: UInt8) throws -> Bool {
        switch peek() {
        case UInt8(ascii: ","): position += 1; return true
        case closing: position += 1; return false
        case nil: throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))', found the end of the data")
        case let byte?: throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(describe(byte))")
        }
    }

    /// Reads an object (the next value must be one), calling `body` after each member's name with
    /// the scanner at the member's value, which `body` must read or skip.
    mutating func forEachMember(_ body: (inout LinearLearnerJSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        if peek() == UInt8(ascii: "}") { position += 1; return }
        repeat {
            let key = try readKey()
            try body(&self, key)
        } while try readSeparator(closing: UInt8(ascii: "}"))
    }

    /// Reads `"key":` and returns the key.
    mutating func readKey() throws -> String {
        guard peek() == UInt8(ascii: "\"") else {
            throw failure(position < end ? "expected a quoted member name, found \(describe(bytes[position]))" : "expected a quoted member name, found the end of the data")
        }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
        return key
    }

    mutating func readString() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes (short keys become small strings, without a heap allocation).
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a control character inside a string") }
            position += 1
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self).unicodeScalars)
        var pendingBytes: [UInt8] = []
        func flush() {
            if !pendingBytes.isEmpty {
                scalars.append(contentsOf: String(decoding: pendingBytes, as: UTF8.self).unicodeScalars)
                pendingBytes.removeAll()
            }
        }
        while position < end {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard position < end else { break }
                let escape = bytes[position]
                position += 1
                flush()
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code), position + 1 < end,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("an unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("an invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    position -= 1
                    throw failure("an invalid escape \\\(Character(Unicode.Scalar(escape)))")
                }
            default:
                if byte < 0x20 { position -= 1; throw failure("a control character inside a string") }
                pendingBytes.append(byte)
            }
        }
        throw failure("a string that never ends")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard position + 4 <= end else { throw failure("a \\u escape cut short") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }

    /// The bytes of a JSON number starting here (strict JSON grammar), without converting them.
    mutating func scanNumber() -> Range<Int>? {
        let start = position
        var index = position
        if index < end && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { return nil }
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < end, isDigit(bytes[index]) else { return nil }
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        position = index
        return start..<index
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Skips one value of any kind.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        switch peek() {
        case UInt8(ascii: "{"):
            position += 1
            if peek() == UInt8(ascii: "}") { position += 1; return }
            repeat {
                _ = try readKey()
                try skipValue(depth: depth + 1)
            } while try readSeparator(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if peek() == UInt8(ascii: "]") { position += 1; return }
            repeat { try skipValue(depth: depth + 1) } while try readSeparator(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            _ = try readString()
        default:
            _ = try readValue(depth: depth)
        }
    }

    /// Reads one value as a tree.
    mutating func readValue(depth: Int) throws -> LinearLearnerJSON {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        guard let byte = peek() else { throw failure("expected a value, found the end of the data") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var members: [LinearLearnerJSON.Member] = []
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            repeat {
                let key = try readKey()
                members.append(.init(key, try readValue(depth: depth + 1)))
            } while try readSeparator(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            position += 1
            var items: [LinearLearnerJSON] = []
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            repeat { items.append(try readValue(depth: depth + 1)) } while try readSeparator(closing: UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"): try readWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try readWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try readWord("null"); return .null
        default:
            guard let span = scanNumber() else { throw failure("expected a value, found \(describe(byte))") }
            let value = DecimalText.double(bytes, span) ?? .nan
            guard value.isFinite else {
                position = span.lowerBound
                throw failure("a number too large for a 64-bit float")
            }
            return .number(value)
        }
    }

    private mutating func readWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        var matches = position + count <= end
        var index = 0
        while matches && index < count {
            matches = bytes[position + index] == word.utf8Start[index]
            index += 1
        }
        guard matches else { throw failure("expected a value, found \(describe(bytes[position]))") }
        position += count
    }
}

// MARK: - Numbers from bytes

/// Decimal text to `Float`/`Double` straight from bytes, correctly rounded.
///
/// The common case (up to 19 significant digits and a small exponent) is exact IEEE arithmetic
/// on an integer mantissa and a power of ten (Clinger's fast path); the rare rest goes through
/// the standard library's locale-independent parser.
enum DecimalText {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }  // exact: every 10^k for k ≤ 22 is a Double
        return value
    }
    private static let floatPowersOfTen: [Float] = (0...10).map { Float(powersOfTen[$0]) }

    /// A number's parts: `±mantissa × 10^exponent`, or nil when the bytes are not a decimal
    /// number (`[+-]digits[.digits][e[+-]digits]`, or `.5` and `5.` as spreadsheets write them).
    struct Parts {
        var negative = false
        var mantissa: UInt64 = 0
        var exponent = 0
        /// More than 19 significant digits: the mantissa is cut and the fast path does not apply.
        var truncated = false
    }

    @inline(__always)
    static func parts(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Parts? {
        var parts = Parts()
        var index = span.lowerBound
        let end = span.upperBound
        guard index < end else { return nil }
        if bytes[index] == UInt8(ascii: "-") { parts.negative = true; index += 1 }
        else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        var significant = 0
        while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            accumulate(digit, into: &parts, significant: &significant, fraction: false)
            digits += 1
            index += 1
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                accumulate(digit, into: &parts, significant: &significant, fraction: true)
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            var negativeExponent = false
            if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            parts.exponent += negativeExponent ? -exponent : exponent
        }
        return index == end ? parts : nil
    }

    @inline(__always)
    private static func accumulate(_ digit: UInt8, into parts: inout Parts, significant: inout Int, fraction: Bool) {
        if significant == 0 && digit == 0 {
            if fraction { parts.exponent -= 1 }
            return
        }
        if significant < 19 {
            parts.mantissa = parts.mantissa &* 10 &+ UInt64(digit)
            significant += 1
            if fraction { parts.exponent -= 1 }
        } else {
            if digit != 0 { parts.truncated = true }
            if !fraction { parts.exponent += 1 }
        }
    }

    /// The Double nearest to the decimal number in `span`, or nil when the bytes are not a number.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Double? {
        guard let parts = parts(bytes, span) else { return nil }
        if let value = fastDouble(parts) { return value }
        return slowDouble(bytes, span)
    }

    /// The Float nearest to the decimal number in `span`, or nil when the bytes are not a number.
    @inline(__always)
    static func float(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Float? {
        guard let parts = parts(bytes, span) else { return nil }
        if parts.mantissa == 0 && !parts.truncated { return parts.negative ? -0.0 : 0 }
        if !parts.truncated && parts.mantissa <= 1 << 24 && abs(parts.exponent) <= 10 {
            // Both operands exact in Float: one correctly rounded operation.
            let mantissa = Float(parts.mantissa)
            let value = parts.exponent >= 0 ? mantissa * floatPowersOfTen[parts.exponent]
                                            : mantissa / floatPowersOfTen[-parts.exponent]
            return parts.negative ? -value : value
        }
        if let double = fastDouble(parts) {
            // Rounding the correctly rounded Double to Float is exact unless the Double sits exactly
            // halfway between two Floats (or in Float's subnormal or overflow range).
            let magnitude = abs(double)
            let halfway = double.bitPattern & ((1 << 29) - 1) == 1 << 28
            if !halfway && magnitude >= Double(Float.leastNormalMagnitude) && magnitude <= Double(Float.greatestFiniteMagnitude) {
                return Float(double)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[span]), as: UTF8.self)
        return Float(normalized(text))
    }

    @inline(__always)
    private static func fastDouble(_ parts: Parts) -> Double? {
        if parts.mantissa == 0 && !parts.truncated { return parts.negative ? -0.0 : 0 }
        guard !parts.truncated, parts.mantissa <= 1 << 53, abs(parts.exponent) <= 22 else { return nil }
        let mantissa = Double(parts.mantissa)
        let value = parts.exponent >= 0 ? mantissa * powersOfTen[parts.exponent] : mantissa / powersOfTen[-parts.exponent]
        return parts.negative ? -value : value
    }

    private static func slowDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[span]), as: UTF8.self)
        return Double(normalized(text)) ?? .nan
    }

    /// `.5` → `0.5`, `5.` → `5.0`, `+5` → `5`, which the standard library's parser also reads
    /// but is spelled out here so the result does not depend on it.
    private static func normalized(_ text: String) -> String {
        var text = text
        if text.hasPrefix("+") { text.removeFirst() }
        if text.hasPrefix(".") { text = "0" + text } else if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
        text = text.replacingOccurrences(of: ".e", with: ".0e").replacingOccurrences(of: ".E", with: ".0E")
        if text.hasSuffix(".") { text += "0" }
        return text
    }
}
