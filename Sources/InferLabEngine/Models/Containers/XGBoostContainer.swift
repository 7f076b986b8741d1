import Foundation

/// SageMaker's XGBoost container (algorithm mode) around a loaded model, speaking its content
/// types, accept types, status codes and messages (reference §7.1).
public struct XGBoostContainer: InferenceContainer {
    public let model: XGBoostModel

    public init(model: XGBoostModel) {
        self.model = model
    }

    static let csvTypes: Set<String> = ["text/csv", "csv"]
    static let libsvmTypes: Set<String> = ["text/libsvm", "text/x-libsvm", "libsvm"]

    public func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        let format = try requestFormat(contentType)
        let output = try responseFormat(accept)
        var matrix = FeatureMatrix()
        do {
            try body.withUnsafeBytes { bytes in
                switch format {
                case .csv: try FeatureParsing.csv(bytes, emptyIsMissing: true, into: &matrix)
                case .libsvm: try FeatureParsing.libsvm(bytes, columns: model.featureCount, into: &matrix)
                }
            }
        } catch let error as FeatureParseError {
            throw ContainerError(status: 400, message: "Unable to evaluate payload provided: \(error)", record: error.record)
        }
        if matrix.rowCount == 0 { return ContainerResponse(body: Data(), contentType: output) }  // the container's 204
        if format == .csv, matrix.columnCount != model.featureCount {
            throw ContainerError(status: 400, message: "Unable to evaluate payload provided: Feature size of csv inference data \(matrix.columnCount) is not consistent with feature size of trained model \(model.featureCount).")
        }
        let width = model.outputsPerRow
        var predictions = [Float](repeating: 0, count: matrix.rowCount * width)
        matrix.values.withUnsafeBufferPointer { features in
            predictions.withUnsafeMutableBufferPointer { out in model.predict(features, rowCount: matrix.rowCount, into: out) }
        }
        return ContainerResponse(body: encode(predictions, width: width, accept: output, mode: mode), contentType: output)
    }

    private enum RequestFormat { case csv, libsvm }

    private func requestFormat(_ contentType: String?) throws -> RequestFormat {
        guard let raw = contentType, let type = MediaType.base(raw) else { return .libsvm }  // the container's default
        if Self.csvTypes.contains(type) {
            if let labelSize = raw.range(of: "label_size=").map({ raw[$0.upperBound...].prefix { $0.isNumber } }), labelSize != "1" {
                throw ContainerError(status: 415, message: "Content-type \(raw) is not supported: label_size must be 1.")
            }
            return .csv
        }
        if Self.libsvmTypes.contains(type) { return .libsvm }
        throw ContainerError.unsupportedContentType(raw)
    }

    private func responseFormat(_ accept: String?) throws -> String {
        guard let type = MediaType.base(accept), type != "*/*" else { return "text/csv" }
        guard ["text/csv", "application/json", "application/jsonlines"].contains(type) else {
            throw ContainerError.unsupportedAccept(accept ?? type)
        }
        return type
    }

    private func encode(_ predictions: [Float], width: Int, accept: String, mode: InvocationMode) -> Data {
        let rows = predictions.count / width
        // Twelve bytes a row fits a probability and its newline; longer rows (lists, JSON) make
        // the buffer grow.
        var out = ResponseBuffer(capacity: predictions.count * 12 + 32)
        predictions.withUnsafeBufferPointer { values in
            func appendRow(_ row: Int, to out: inout ResponseBuffer) {
                if width == 1 { out.append(float: values[row]) }
                else { out.appendList(UnsafeBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])) }
            }
            // Batch transform: one prediction per line, whatever the Accept (SAGEMAKER_BATCH).
            if mode == .batchTransform || accept == "text/csv" {
                for row in 0..<rows { appendRow(row, to: &out); out.append(0x0A) }
            } else if accept == "application/json" {
                out.append(#"{"predictions": ["#)
                for row in 0..<rows {
                    if row > 0 { out.append(", ") }
                    out.append(#"{"score": "#)
                    appendRow(row, to: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append("]}")
            } else {
                for row in 0..<rows {
                    out.append(#"{"score": "#)
                    appendRow(row, to: &out)
                    out.append("}\n")
                }
            }
        }
        return out.data()
    }
}
