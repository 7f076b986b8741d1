import Foundation

/// InputFilter → model → JoinSource → OutputFilter, per record (§2.6). CSV records are lists
/// of their fields; JSON Lines records are JSON values.
struct DataProcessor: Sendable {
    enum Format: Sendable { case csv, jsonLines, json }

    let inputFormat: Format
    let outputFormat: Format
    let inputFilter: JSONPathFilter?
    let outputFilter: JSONPathFilter?
    let joinInput: Bool

    /// Whether records must be handled one by one (otherwise payloads pass through untouched).
    var isActive: Bool { inputFilter != nil || outputFilter != nil || joinInput }

    struct RecordError: Error { let index: Int; let message: String }

    /// The request body: each record filtered by InputFilter.
    func requestBody(for batch: MiniBatch) throws -> Data {
        guard let inputFilter else { return batch.payload }
        var body = Data()
        for index in 0..<batch.recordCount {
            let record = try parse(batch.record(index), format: inputFormat, index: index)
            let selected: JSONValue
            do { selected = try inputFilter.apply(record) } catch { throw RecordError(index: index, message: "InputFilter \(ErrorSentence.of(error))") }
            body.append(render(selected, format: inputFormat))
            body.append(0x0A)
        }
        return body
    }

    /// The lines to write for a batch: outputs joined with inputs and filtered.
    func outputLines(for batch: MiniBatch, response: Data) throws -> Data {
        let outputs = try splitResponse(response, expected: batch.recordCount)
        var written = Data()
        for index in 0..<batch.recordCount {
            let output = outputs[index]
            var result = output
            if joinInput {
                let input = try parse(batch.record(index), format: inputFormat, index: index)
                result = join(input: input, output: output)
            }
            if let outputFilter {
                do { result = try outputFilter.apply(result) } catch { throw RecordError(index: index, message: "OutputFilter \(ErrorSentence.of(error))") }
            }
            written.append(render(result, format: outputFormat))
            written.append(0x0A)
        }
        return written
    }

    private func join(input: JSONValue, output: JSONValue) -> JSONValue {
        switch (inputFormat, input) {
        case (.csv, .array(let fields)):
            if case .array(let outFields) = output { return .array(fields + outFields) }
            return .array(fields + [output])
        case (_, .object(let members)):
            return .object(members.filter { $0.0 != "SageMakerOutput" } + [("SageMakerOutput", output)])
        default:
            return .object([("SageMakerInput", input), ("SageMakerOutput", output)])
        }
    }

    /// One output per record, as the Accept type frames them.
    private func splitResponse(_ response: Data, expected: Int) throws -> [JSONValue] {
        var outputs: [JSONValue] = []
        switch outputFormat {
        case .json:
            if let value = try? JSONValue.parse(response), case .array(let predictions)? = value["predictions"] {
                outputs = predictions
            } else {
                // Batch-mode containers answer one JSON value per line even for application/json.
                outputs = try lines(response).map { line in
                    guard let value = try? JSONValue.parse(line) else { throw RecordError(index: 0, message: "Failed to parse output from the algorithm as JSON") }
                    return value
                }
            }
        case .jsonLines:
            outputs = try lines(response).map { line in
                guard let value = try? JSONValue.parse(line) else { throw RecordError(index: 0, message: "Failed to parse output from the algorithm as JSON Lines") }
                return value
            }
        case .csv:
            outputs = lines(response).map { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { JSONValue.string(String($0)) }
                return fields.count == 1 ? fields[0] : .array(fields)
            }
        }
        guard outputs.count == expected else {
            let kind = outputFormat == .csv ? "CSV" : "JSON"
            throw RecordError(index: 0, message: "Failed to parse output from the algorithm as \(kind): \(outputs.count) outputs for \(expected) records")
        }
        return outputs
    }

    private func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    private func parse(_ record: Data, format: Format, index: Int) throws -> JSONValue {
        let text = String(decoding: record, as: UTF8.self)
        switch format {
        case .csv:
            return .array(CSVFields.split(text).map(JSONValue.string))
        case .json, .jsonLines:
            do { return try JSONValue.parse(text) } catch {
                throw RecordError(index: index, message: "the record is not valid JSON: \(ErrorSentence.of(error))")
            }
        }
    }

    private func render(_ value: JSONValue, format: Format) -> Data {
        switch (format, value) {
        case (.csv, .array(let fields)): return Data(fields.map(Self.csvField).joined(separator: ",").utf8)
        case (.csv, _): return Data(Self.csvField(value).utf8)
        default: return Data(value.compact.utf8)
        }
    }

    private static func csvField(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return CSVFields.quoteIfNeeded(text)
        case .array(let items): return items.map(csvField).joined(separator: ",")
        default: return value.compact
        }
    }
}

/// RFC 4180 fields: quotes around a field protect commas; `""` is a quote inside one.
enum CSVFields {
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pendingQuote = false
        while let character = iterator.next() {
            if pendingQuote {
                pendingQuote = false
                if character == "\"" { current.append("\""); continue }
                quoted = false
            }
            if quoted {
                if character == "\"" { pendingQuote = true } else { current.append(character) }
            } else if character == "\"" && current.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    static func quoteIfNeeded(_ field: String) -> String {
        guard field.contains(",") || field.contains("\"") else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
