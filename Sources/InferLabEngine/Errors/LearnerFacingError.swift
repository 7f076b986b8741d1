/// An error with everything the shell needs to report it: the text, a hint, the exit status.
public protocol LearnerFacingError: Error, Sendable {
    /// The message as the learner sees it. AWS errors use the AWS CLI's wording.
    var renderedMessage: String { get }
    /// What to do about it.
    var hint: String? { get }
    /// The process exit status in script mode (AWS CLI v2's codes: 254 for a service error).
    var exitCode: Int32 { get }
}

extension WorkspaceError: LearnerFacingError {
    public var renderedMessage: String { "error: \(message)" }
    public var hint: String? { nil }
    public var exitCode: Int32 { 253 }
}
