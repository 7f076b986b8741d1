#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEditLine
import Foundation
import Synchronization

/// A line editor on libedit's readline-compatible layer: prompt, history, Tab completion.
///
/// libedit keeps global state, so there is one editor per process and it must be used from one
/// thread: the main thread, or a thread with SIGINT unblocked, never a dispatch queue or a `Task`
/// (their threads block SIGINT and Ctrl-C would be swallowed).
public final class LineEditor {
    private let history: HistoryFile?
    private var lastEntry: String?

    /// - Parameters:
    ///   - historyFile: where history persists across sessions; `nil` keeps none.
    ///   - completer: answers Tab; `nil` disables completion (no file-name fallback either).
    public init(historyFile: URL?, historyLimit: Int = 1_000, completer: (any LineCompleter)?) {
        setlocale(LC_CTYPE, "")  // without it libedit drops non-ASCII input
        cedit_set_readline_name(strdup("inferlab"))  // stored by pointer: never freed
        rl_initialize()
        // libedit rings the bell even after a Tab that completed a word (its "common match"
        // branch treats a unique match like a partial one). A bell on every completion, on
        // thirty laptops in a classroom, is noise: the bell becomes a zero-length padding
        // delay. Tab-Tab still lists the choices when there are several.
        _ = rl_parse_and_bind("settc bl $<0>")
        using_history()
        stifle_history(Int32(historyLimit))
        history = historyFile.map { HistoryFile(url: $0, limit: historyLimit) }
        for entry in history?.load() ?? [] {
            add_history(entry)
            lastEntry = entry
        }
        completionState.withLock { $0.completer = completer }
        cedit_set_attempted_completion(attemptedCompletion)
        InterruptMonitor.install()
    }

    /// Shows `prompt` and reads one line. Blocks the calling thread.
    ///
    /// Wrap colour codes in the prompt in `\u{1}` … `\u{2}` so libedit does not count them.
    public func readLine(prompt: String) -> ReadResult {
        InterruptMonitor.markReaderThread()
        _ = InterruptMonitor.consume()  // a Ctrl-C that ended the previous command is spent
        guard let raw = readline(prompt) else {
            return InterruptMonitor.consume() ? .interrupted : .endOfFile
        }
        defer { free(raw) }
        let line = String(cString: raw)
        if InterruptMonitor.consume() { return .interrupted }
        return .line(line)
    }

    /// Records a line in the in-memory history and appends it to the history file.
    public func addHistory(_ line: String) {
        // Completion leaves a trailing space; history keeps the command without it.
        let line = String(line.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        guard !line.isEmpty, !line.contains("\n") else { return }
        guard line != lastEntry else { return }  // no duplicate of the previous entry
        lastEntry = line
        add_history(line)
        history?.append(line)
    }
}

// MARK: - Completion callbacks

/// C callbacks cannot capture context: their state lives in one global, guarded by a mutex.
private struct CompletionState: Sendable {
    var completer: (any LineCompleter)?
    var candidates: [String] = []
    var next = 0
}

private let completionState = Mutex(CompletionState())

private func attemptedCompletion(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    cedit_set_attempted_completion_over(1)  // never fall back to file names
    guard let text else { return nil }
    let line = cedit_line_buffer().map { String(cString: $0) } ?? ""
    // start is a character offset while the buffer is UTF-8 bytes: slice by scalars.
    let preceding = String(String.UnicodeScalarView(line.unicodeScalars.prefix(Int(start))))
    let word = String(cString: text)
    let found = completionState.withLock { state -> LineCompletion in
        state.completer?.complete(precedingText: preceding, word: word) ?? .none
    }
    guard !found.candidates.isEmpty else { return nil }
    completionState.withLock {
        $0.candidates = found.candidates
        $0.next = 0
    }
    cedit_set_completion_append_character(found.appendsSpace ? 0x20 : 0)
    return rl_completion_matches(text, completionGenerator)
}

private func completionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    completionState.withLock { completion in
        if state == 0 { completion.next = 0 }
        guard completion.next < completion.candidates.count else { return nil }
        defer { completion.next += 1 }
        return strdup(completion.candidates[completion.next])  // libedit frees it
    }
}
