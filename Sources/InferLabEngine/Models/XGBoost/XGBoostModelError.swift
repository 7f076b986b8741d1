/// Why an XGBoost model could not be loaded. The message names the part of the file that is wrong
/// (a JSON path, a byte offset or an objective), because learners bring their own model files and
/// "invalid model" alone would leave them guessing.
public struct XGBoostModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The bytes are not a well-formed document in the given encoding ("JSON" or "UBJSON").
    static func malformed(_ format: String, _ detail: String, at offset: Int) -> XGBoostModelError {
        XGBoostModelError(message: "the model file is not valid \(format): \(detail) at byte \(offset)")
    }

    /// The document parsed but lacks a field every XGBoost model has.
    static func missing(_ path: String, format: String) -> XGBoostModelError {
        XGBoostModelError(message: "the model file is not XGBoost \(format): missing \(path)")
    }

    /// A field exists but holds the wrong kind of value.
    static func wrongType(_ path: String, expected: String, format: String) -> XGBoostModelError {
        XGBoostModelError(message: "the model file is not XGBoost \(format): \(path) should be \(expected)")
    }

    /// The model is well formed but uses something this runtime does not evaluate.
    static func unsupported(_ detail: String) -> XGBoostModelError {
        XGBoostModelError(message: detail)
    }
}
