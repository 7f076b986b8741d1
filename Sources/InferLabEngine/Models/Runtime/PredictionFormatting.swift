/// Writes predictions as text without Foundation formatters: Float's shortest round-trip form
/// (`0.9123`), which is what Python prints for the containers' float32 predictions.
enum PredictionFormatting {
    @inline(__always)
    static func append(_ value: Float, to output: inout [UInt8]) {
        if value.isNaN { output.append(contentsOf: "nan".utf8); return }
        output.append(contentsOf: value.description.utf8)
    }

    /// `[0.1, 0.7, 0.2]`, Python's list form, for multi-output rows.
    static func appendList(_ values: UnsafeBufferPointer<Float>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(contentsOf: ", ".utf8) }
            append(value, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
