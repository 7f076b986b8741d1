/// Colour and decoration. Status is always also a word: colour only ever repeats it.
public struct Style: Sendable, Equatable {
    public var usesColor: Bool
    /// Box-drawing, progress bars and other decoration; off in plain mode.
    public var isDecorated: Bool

    public static let plain = Style(usesColor: false, isDecorated: false)
    public static let rich = Style(usesColor: true, isDecorated: true)

    /// Colour is off with `--plain`, `NO_COLOR` (any value), `TERM=dumb`, or when not on a terminal.
    public static func detect(plain: Bool, environment: [String: String], isTerminal: Bool) -> Style {
        if plain || !isTerminal { return .plain }
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return Style(usesColor: !noColor && !dumb, isDecorated: !dumb)
    }

    public enum Color: String, Sendable {
        case red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36", gray = "90"
    }

    public func paint(_ text: String, _ color: Color) -> String {
        usesColor ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String {
        usesColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    public func dim(_ text: String) -> String { paint(text, .gray) }

    /// Colours a resource status word by its meaning; the word itself is unchanged.
    public func status(_ word: String) -> String {
        switch word {
        case "Completed", "InService", "Succeeded", "passed", "PASS": paint(word, .green)
        case "Failed", "Stopped", "failed", "FAIL", "OutOfService": paint(word, .red)
        case "InProgress", "Creating", "Updating", "Stopping", "Deleting", "Pending": paint(word, .yellow)
        default: word
        }
    }

    /// The `error:` label that starts an error message.
    public var errorLabel: String { usesColor ? paint("error:", .red) : "error:" }
}
