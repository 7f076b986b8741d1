/// Where the candidates for an argument or option value come from.
public enum CompletionSource: Sendable {
    case none
    /// Files and folders on this computer.
    case localPath
    /// `s3://bucket/key` paths in the workspace's object store.
    case s3Path
    /// Either of the above: `aws s3 cp` takes both.
    case localOrS3Path
    /// A fixed set of words, such as `text/csv` or `Line`.
    case values([String])
    /// Computed from the session: resource names, lab ids.
    case dynamic(@Sendable (Session, _ prefix: String) -> [String])
}
