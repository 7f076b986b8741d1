import Foundation

/// One command being run: its parsed words and the session it runs in.
public struct Invocation: Sendable {
    public let spec: CommandSpec
    public let arguments: [String]
    public let values: [String: [String]]
    public let flags: Set<String>
    /// The words after the command's name, as typed (for options whose order matters).
    public let words: [String]
    public let session: Session
    /// The AWS CLI's global options given on the line (`--output`, `--query`, `--region`, ...).
    public var global = GlobalOptions()

    public var console: Console { session.console }

    /// The file or folder a path typed for this computer names (see LocalPaths).
    public func localURL(_ typed: String, for access: LocalPaths.Access) -> URL {
        session.localPaths.url(typed, for: access)
    }

    /// The single value of `--name`, if given.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a list or repeatable option, in order.
    public func values(_ name: String) -> [String] { values[name] ?? [] }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The value of `--name` as an integer.
    /// - Throws: a usage error naming the option when it is not a whole number.
    public func integer(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            throw ShellError.usage("--\(name) takes a whole number, not '\(text)'", command: spec)
        }
        return number
    }

    /// The positional argument at `index`, if given.
    public func argument(_ index: Int) -> String? {
        index < arguments.count ? arguments[index] : nil
    }
}
