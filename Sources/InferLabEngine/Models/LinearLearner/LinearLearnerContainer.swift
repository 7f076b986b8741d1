import Foundation

/// SageMaker's Linear Learner serving container, scoring an InferLab `linear-learner-model.json`
/// with the real container's documented I/O (reference §7.2):
///
/// - Content-Type `text/csv` (features only, no label column, one record per line),
///   `application/json` (`{"instances":[{"features":[…]}]}` or
///   `{"instances":[{"data":{"features":{"values":[…]}}}]}`) and `application/jsonlines` (one
///   `{"features":[…]}` per line); anything else is refused with 415.
/// - Accept `application/json` (the default for a missing Accept or `*/*`):
///   `{"predictions":[{"score":0.4,"predicted_label":0}]}` (a regressor has no `predicted_label`);
///   `application/jsonlines`: one `{"score":0.4,"predicted_label":0}` per line, each ending in a
///   newline. There is no CSV output (406), and batch transform gets the same encoding as an
///   endpoint: Linear Learner does not special-case `SAGEMAKER_BATCH`.
/// - A bad payload is refused with 400 in the built-in algorithms' words, "Unable to evaluate
///   payload provided: …", naming the record (its 1-based line for CSV and JSON Lines, its
///   position in `instances` for JSON) and the feature.
///
/// Checks run in the order content type (415), accept (406), payload (400), so a wrong header is
/// reported before the body is read. Trailing blank lines are ignored; a blank line between
/// records is an error, because batch transform's output must have one prediction per input line.
/// Every feature must be a number (Linear Learner has no missing values).
public struct LinearLearnerContainer: InferenceContainer {
    public let model: LinearLearnerModel

    public init(model: LinearLearnerModel) {
        self.model = model
    }

    /// The container for the files of an extracted `model.tar.gz`.
    /// - Throws: `LinearLearnerError` when `linear-learner-model.json` is missing or invalid.
    public init(artifactFiles files: [String: Data]) throws {
        guard let json = files[LinearLearnerModel.artifactFileName] else {
            let names = files.keys.sorted()
            let found = names.isEmpty ? "it is empty" : "it holds " + names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
            throw LinearLearnerError("model.tar.gz has no \(LinearLearnerModel.artifactFileName) at its top level (\(found)); "
                + "train one with `train linear-learner`, or see the format in the InferLab documentation")
        }
        self.init(model: try LinearLearnerModel.load(json))
    }

    /// The container for the bytes of a `model.tar.gz`.
    public init(archive: Data) throws {
        try self.init(artifactFiles: try ModelArchive.read(archive))
    }

    public static let requestContentTypes = ["text/csv", "application/json", "application/jsonlines"]

    enum RequestFormat { case csv, json, jsonLines }
    enum ResponseFormat { case json, jsonLines }

    public func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        // `mode` is deliberately unused: unlike XGBoost, Linear Learner answers batch transform
        // in the Accept's encoding, as it answers an endpoint.
        let request = try Self.requestFormat(contentType)
        let response = try Self.responseFormat(accept)
        let width = model.featureCount
        return try body.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Ten bytes a record is a generous guess for CSV (`25,50000,2` and its newline is 11):
            // room the predictions do not use is never touched.
            var scoring = Scoring(model: model, format: response, estimatedRows: bytes.count / 10 + 1)
            var features: [Float] = []
            switch request {
            case .csv: try Self.parseCSV(bytes, width: width, into: &scoring)
            case .json: _ = try Self.parseJSON(bytes, width: width, into: &features)
            case .jsonLines: _ = try Self.parseJSONLines(bytes, width: width, into: &features)
            }
            scoring.append(rows: features)
            return try scoring.finish()
        }
    }

    // MARK: - Headers

    static func requestFormat(_ contentType: String?) throws -> RequestFormat {
        let accepted = "Linear Learner accepts text/csv, application/json and application/jsonlines."
        guard let type = MediaType.base(contentType) else {
            throw ContainerError(status: 415, message: "Content-type is missing. \(accepted)")
        }
        switch type {
        case "text/csv": return .csv
        case "application/json": return .json
        case "application/jsonlines": return .jsonLines
        case "application/x-recordio-protobuf":
            var error = ContainerError.unsupportedContentType(type)
            error.message += " SageMaker's Linear Learner reads RecordIO-protobuf, but InferLab does not implement it: \(accepted)"
            throw error
        default:
            var error = ContainerError.unsupportedContentType(contentType ?? type)
            error.message += " \(accepted)"
            throw error
        }
    }

    static func responseFormat(_ accept: String?) throws -> ResponseFormat {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .json }
        // An Accept may list several types; the first one Linear Learner can produce wins.
        let types = accept.split(separator: ",").compactMap { MediaType.base(String($0)) }
        for type in types {
            switch type {
            case "*/*", "application/*", "application/json": return .json
            case "application/jsonlines": return .jsonLines
            default: continue
            }
        }
        var error = ContainerError.unsupportedAccept(accept)
        if types.contains("text/csv") {
            error.message += " Linear Learner has no CSV output: ask for application/json (an endpoint's default), "
                + "or, for batch transform, set Accept to application/jsonlines with AssembleWith Line to get one "
                + "{\"score\":…,\"predicted_label\":…} object per input line."
        } else {
            error.message += " Linear Learner answers application/json or application/jsonlines."
        }
        throw error
    }

    // MARK: - Responses

    /// Scores records as they are parsed, a block at a time, and writes their predictions, so a
    /// block is parsed, scored and written while it is in cache and no buffer holds a whole
    /// request's features or scores. (JSON requests are parsed whole, then scored.)
    struct Scoring: ~Copyable {
        static let blockRows = 4096
        let model: LinearLearnerModel
        let format: ResponseFormat
        private let width: Int
        private let block: FeatureBlock
        private var rowsInBlock = 0
        private var scores: [Float]
        private var out: ResponseBuffer
        private var scored = 0
        /// The first record (1-based) whose score is not a finite Float. It fails the request only
        /// if every record parses, as when all were parsed before any was scored.
        private var nonFinite: Int?

        init(model: LinearLearnerModel, format: ResponseFormat, estimatedRows: Int) {
            self.model = model
            self.format = format
            width = model.featureCount
            block = FeatureBlock(count: Self.blockRows * model.featureCount)
            scores = [Float](repeating: 0, count: Self.blockRows)
            let perRow = model.predictorType == .binaryClassifier ? 48 : 28
            out = ResponseBuffer(capacity: estimatedRows * perRow + 20)
            if format == .json { out.append(#"{"predictions":["#) }
        }

        /// Where the next record's `featureCount` values go.
        var nextRow: UnsafeMutablePointer<Float> { block.base + rowsInBlock * width }

        /// Counts the record written at `nextRow`, and scores the block once it is full.
        @inline(__always)
        mutating func rowParsed() {
            rowsInBlock += 1
            if rowsInBlock == Self.blockRows { flush() }
        }

        /// Records parsed elsewhere, `featureCount` values each.
        mutating func append(rows features: [Float]) {
            guard width > 0 else { return }
            for row in stride(from: 0, to: features.count - width + 1, by: width) {
                for column in 0..<width { nextRow[column] = features[row + column] }
                rowParsed()
            }
        }

        private mutating func flush() {
            let rows = rowsInBlock
            rowsInBlock = 0
            defer { scored += rows }
            guard rows > 0, nonFinite == nil else { return }
            scores.withUnsafeMutableBufferPointer { scores in
                model.predict(UnsafeBufferPointer(start: block.base, count: rows * width), rowCount: rows, into: scores)
            }
            let labelled = model.predictorType == .binaryClassifier
            for index in 0..<rows {
                let score = scores[index]
                guard score.isFinite else {
                    nonFinite = scored + index + 1
                    return
                }
                if format == .json && scored + index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(#"{"score":"#)
                // Float's description: the shortest text that reads back as the same Float.
                out.append(float: score)
                if labelled {
                    out.append(#","predicted_label":"#)
                    out.append(model.predictedLabel(score: score) == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                }
                out.append(UInt8(ascii: "}"))
                if format == .jsonLines { out.append(UInt8(ascii: "\n")) }
            }
        }

        consuming func finish() throws -> ContainerResponse {
            flush()
            if let record = nonFinite {
                throw LinearLearnerContainer.payloadError("record \(record): the score does not fit a 32-bit float; check the record's values")
            }
            if format == .json { out.append("]}") }
            let contentType = format == .json ? "application/json" : "application/jsonlines"
            return ContainerResponse(body: out.data(), contentType: contentType)
        }
    }

    /// `Scoring`'s features, freed however the request ends.
    struct FeatureBlock: ~Copyable {
        let base: UnsafeMutablePointer<Float>
        init(count: Int) { base = .allocate(capacity: max(count, 1)) }
        deinit { base.deallocate() }
    }

    // MARK: - Requests

    static func payloadError(_ detail: String) -> ContainerError {
        ContainerError(status: 400, message: "Unable to evaluate payload provided: \(detail)")
    }

    static func countError(record: Int, found: Int, width: Int) -> ContainerError {
        let hint = found == width + 1 ? " (is the label column still in the data? send the features only)" : ""
        return payloadError("record \(record) has \(found) feature\(found == 1 ? "" : "s") but the model was trained with \(width)\(hint)")
    }

    /// CSV: numbers only, one record per line.
    ///
    /// Parsed straight from the request's bytes into the feature buffer: this is the hot path of
    /// every batch transform, and a String (and its heap allocation and UTF-8 validation) per
    /// field would cost more than the scoring itself.
    static func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, width: Int, into scoring: inout Scoring) throws {
        guard NumericCSV.hasContent(bytes) else { throw payloadError("the request body is empty") }
        // NumericCSV.forEachLine's lines, with the common one read in a single pass.
        let range = NumericCSV.content(bytes)
        guard !range.isEmpty, let base = bytes.baseAddress else { return }
        var start = range.lowerBound
        var line = 1
        while start <= range.upperBound {
            if let end = FeatureParsing.plainIntegerLine(base, from: start, to: range.upperBound, width: width, into: scoring.nextRow) {
                scoring.rowParsed()
                start = end + 1
                line += 1
                continue
            }
            var end = start
            while end < range.upperBound && bytes[end] != 0x0A { end += 1 }
            let span = start..<(end > start && bytes[end - 1] == 0x0D ? end - 1 : end)
            guard !NumericCSV.isBlank(bytes, span) else {
                throw payloadError("record \(line) is an empty line; send one record per line, without blank lines between them")
            }
            let count = NumericCSV.fieldCount(bytes, span)
            guard count == width else { throw countError(record: line, found: count, width: width) }
            let row = scoring.nextRow
            try NumericCSV.forEachField(bytes, span) { column, field in
                guard let value = DecimalText.float(bytes, field), value.isFinite else {
                    throw payloadError("record \(line), feature \(column + 1): \(NumericCSV.quote(bytes, field)) is not a number")
                }
                row[column] = value
            }
            scoring.rowParsed()
            start = end + 1
            line += 1
        }
    }

    /// `{"instances":[…]}`: each instance `{"features":[…]}`, `{"data":{"features":{"values":[…]}}}`
    /// or a bare array of numbers. Other members are ignored.
    static func parseJSON(_ bytes: UnsafeBufferPointer<UInt8>, width: Int, into features: inout [Float]) throws -> Int {
        guard NumericCSV.hasContent(bytes) else { throw payloadError("the request body is empty") }
        var scanner = LinearLearnerJSONScanner(bytes)
        scanner.skipBOM()
        let shape = #"send {"instances":[{"features":[…]}, …]}"#
        var rows = 0
        var sawInstances = false
        do {
            guard scanner.peek() == UInt8(ascii: "{") else {
                throw payloadError("the JSON body must be an object with an \"instances\" array; \(shape)")
            }
            scanner.position += 1
            if scanner.peek() != UInt8(ascii: "}") {
                repeat {
                    let key = try scanner.readKey()
                    guard key == "instances" else { try scanner.skipValue(); continue }
                    guard !sawInstances else { throw payloadError("\"instances\" appears twice") }
                    sawInstances = true
                    guard scanner.peek() == UInt8(ascii: "[") else { throw payloadError("\"instances\" must be an array; \(shape)") }
                    scanner.position += 1
                    if scanner.peek() == UInt8(ascii: "]") { scanner.position += 1; continue }
                    repeat {
                        rows += 1
                        try readInstance(&scanner, record: rows, width: width, into: &features)
                    } while try scanner.readSeparator(closing: UInt8(ascii: "]"))
                } while try scanner.readSeparator(closing: UInt8(ascii: "}"))
            } else {
                scanner.position += 1
            }
            try scanner.expectEnd()
        } catch let failure as LinearLearnerJSONScanner.Failure {
            throw payloadError("the body is not valid JSON: \(failure.message)")
        } catch let shape as ContainerError {
            // The container parses the whole body before it looks at its shape: broken JSON is
            // reported as such, wherever it breaks.
            if let failure = syntaxFailure(bytes, range: 0..<bytes.count) { throw payloadError("the body is not valid JSON: \(failure.message)") }
            throw shape
        }
        guard sawInstances else { throw payloadError("the JSON body has no \"instances\" array; \(shape)") }
        return rows
    }

    /// JSON Lines: one instance per line, in any of the JSON shapes.
    static func parseJSONLines(_ bytes: UnsafeBufferPointer<UInt8>, width: Int, into features: inout [Float]) throws -> Int {
        guard NumericCSV.hasContent(bytes) else { throw payloadError("the request body is empty") }
        var rows = 0
        try NumericCSV.forEachLine(bytes) { line, span in
            guard !NumericCSV.isBlank(bytes, span) else {
                throw payloadError("record \(line) is an empty line; send one JSON object per line, without blank lines between them")
            }
            var scanner = LinearLearnerJSONScanner(bytes, range: span)
            do {
                try readInstance(&scanner, record: line, width: width, into: &features)
                try scanner.expectEnd()
            } catch let failure as LinearLearnerJSONScanner.Failure {
                throw payloadError("record \(line) is not valid JSON: \(failure.message) of the line")
            } catch let shape as ContainerError {
                if let failure = syntaxFailure(bytes, range: span) {
                    throw payloadError("record \(line) is not valid JSON: \(failure.message) of the line")
                }
                throw shape
            }
            rows += 1
        }
        return rows
    }

    /// Why the bytes are not one JSON value, or nil when they are.
    private static func syntaxFailure(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> LinearLearnerJSONScanner.Failure? {
        var scanner = LinearLearnerJSONScanner(bytes, range: range)
        scanner.skipBOM()
        do {
            try scanner.skipValue()
            try scanner.expectEnd()
            return nil
        } catch {
            return error as? LinearLearnerJSONScanner.Failure
        }
    }

    private static func readInstance(_ scanner: inout LinearLearnerJSONScanner, record: Int, width: Int,
                                     into features: inout [Float]) throws {
        switch scanner.peek() {
        case nil:
            throw scanner.failure("expected a value, found the end of the data")
        case UInt8(ascii: "["):
            try readFeatures(&scanner, record: record, width: width, into: &features)
        case UInt8(ascii: "{"):
            var found = false
            try scanner.forEachMember { scanner, key in
                switch key {
                case "features", "data":
                    guard !found else { throw payloadError("record \(record) has its features twice") }
                    if key == "features" {
                        try readFeatures(&scanner, record: record, width: width, into: &features)
                    } else {
                        try readDataFeatures(&scanner, record: record, width: width, into: &features)
                    }
                    found = true
                default:
                    try scanner.skipValue()
                }
            }
            guard found else {
                throw payloadError(#"record \#(record) has no "features"; write it as {"features":[1.5,16.0,14.0]}"#)
            }
        default:
            throw payloadError(#"record \#(record) must be an object such as {"features":[1.5,16.0,14.0]}"#)
        }
    }

    /// `"data": {"features": {"values": […]}}` — SageMaker's common data format, dense form.
    private static func readDataFeatures(_ scanner: inout LinearLearnerJSONScanner, record: Int, width: Int,
                                         into features: inout [Float]) throws {
        let shape = #"write it as {"data":{"features":{"values":[…]}}}"#
        var found = false
        guard scanner.peek() == UInt8(ascii: "{") else { throw payloadError("record \(record): \"data\" must be an object; \(shape)") }
        try scanner.forEachMember { scanner, key in
            guard key == "features" else { try scanner.skipValue(); return }
            guard scanner.peek() == UInt8(ascii: "{") else {
                throw payloadError("record \(record): \"data\".\"features\" must be an object; \(shape)")
            }
            try scanner.forEachMember { scanner, key in
                switch key {
                case "values":
                    guard !found else { throw payloadError("record \(record) has its values twice") }
                    try readFeatures(&scanner, record: record, width: width, into: &features)
                    found = true
                case "keys":
                    throw payloadError("record \(record) uses sparse features (\"keys\"); InferLab's Linear Learner reads dense \"values\" only")
                default:
                    try scanner.skipValue()
                }
            }
        }
        guard found else { throw payloadError("record \(record) has no \"values\" in \"data\".\"features\"; \(shape)") }
    }

    /// An array of numbers, appended to `features` as Floats without an intermediate String.
    private static func readFeatures(_ scanner: inout LinearLearnerJSONScanner, record: Int, width: Int,
                                     into features: inout [Float]) throws {
        guard scanner.peek() == UInt8(ascii: "[") else {
            let start = scanner.position
            try scanner.skipValue()
            throw payloadError("record \(record): the features must be an array of numbers, not \(NumericCSV.quote(scanner.bytes, start..<scanner.position))")
        }
        scanner.position += 1
        var count = 0
        if scanner.peek() == UInt8(ascii: "]") {
            scanner.position += 1
        } else {
            repeat {
                _ = scanner.peek()
                let start = scanner.position
                if let span = scanner.scanNumber(), let value = DecimalText.float(scanner.bytes, span), value.isFinite {
                    features.append(value)
                } else {
                    scanner.position = start
                    try scanner.skipValue()
                    throw payloadError("record \(record), feature \(count + 1): \(NumericCSV.quote(scanner.bytes, start..<scanner.position)) is not a number")
                }
                count += 1
            } while try scanner.readSeparator(closing: UInt8(ascii: "]"))
        }
        guard count == width else { throw countError(record: record, found: count, width: width) }
    }
}
