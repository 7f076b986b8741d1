/// What one read from the terminal produced.
public enum ReadResult: Sendable, Equatable {
    /// The user pressed Return; the text has no trailing newline.
    case line(String)
    /// Ctrl-C at the prompt: the line was dropped; show a fresh prompt.
    case interrupted
    /// Ctrl-D on an empty line, or the input closed.
    case endOfFile
}

/// The answer to one Tab press.
public struct LineCompletion: Sendable, Equatable {
    /// Replacements for the word under the cursor, each a whole word.
    public var candidates: [String]
    /// Whether a single, final candidate gets a space after it (false for `dir/` or `s3://b/`).
    public var appendsSpace: Bool

    public init(candidates: [String], appendsSpace: Bool = true) {
        self.candidates = candidates
        self.appendsSpace = appendsSpace
    }

    public static let none = LineCompletion(candidates: [])
}

/// Supplies Tab completion. Called on the reading thread while the user types.
public protocol LineCompleter: Sendable {
    /// - Parameters:
    ///   - precedingText: the line up to the start of the word being completed.
    ///   - word: the word being completed, as the editor split it.
    func complete(precedingText: String, word: String) -> LineCompletion
}
