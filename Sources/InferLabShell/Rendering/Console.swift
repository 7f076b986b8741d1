#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Where a command's output goes, and how it may be decorated.
public final class Console: Sendable {
    public let style: Style
    private let sink: @Sendable (Stream, String) -> Void
    /// Writes to this process's standard output and error (not captured).
    public let isStandard: Bool

    public enum Stream: Sendable { case output, error }

    public init(style: Style, isStandard: Bool = false, sink: @escaping @Sendable (Stream, String) -> Void) {
        self.style = style
        self.isStandard = isStandard
        self.sink = sink
    }

    /// Standard output and standard error of this process.
    public static func standard(style: Style) -> Console {
        Console(style: style, isStandard: true) { stream, text in
            writeAll(stream == .output ? STDOUT_FILENO : STDERR_FILENO, text)
        }
    }

    /// Prints a line to standard output.
    public func print(_ text: String = "") { sink(.output, text + "\n") }
    /// Writes text without a newline.
    public func write(_ text: String) { sink(.output, text) }
    /// Prints a line to standard error.
    public func printError(_ text: String) { sink(.error, text + "\n") }
    /// Writes to standard error without a newline (progress bars).
    public func writeError(_ text: String) { sink(.error, text) }
}

/// A console that keeps what was printed, for tests and for capturing a command's output.
public final class CapturedOutput: Sendable {
    private let buffers = Mutex((output: "", error: ""))

    public init() {}

    public func console(style: Style = .plain) -> Console {
        Console(style: style) { stream, text in
            self.buffers.withLock { if stream == .output { $0.output += text } else { $0.error += text } }
        }
    }

    public var output: String { buffers.withLock { $0.output } }
    public var error: String { buffers.withLock { $0.error } }
}

/// Writes every byte with write(2): unbuffered, so output and errors interleave in order.
private func writeAll(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
