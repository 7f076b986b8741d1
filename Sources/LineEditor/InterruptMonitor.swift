#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Owns SIGINT for the whole process.
///
/// The REPL must own SIGINT (the libedit recipe, pitfalls 8 and 9): a `sigaction` handler without
/// `SA_RESTART` makes a blocked `read(2)` inside `readline` return, and a flag tells the caller
/// that the return was Ctrl-C rather than end of input. A signal delivered to another thread is
/// forwarded to the reading thread so the read is interrupted there.
public enum InterruptMonitor {
    /// Installs the handler once. Safe to call more than once.
    public static func install() {
        installed.withLock { done in
            guard !done else { return }
            done = true
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handleInterrupt
            #else
            action.__sigaction_u.__sa_handler = handleInterrupt
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: readline's read(2) must return EINTR
            sigaction(SIGINT, &action, nil)
        }
    }

    /// Marks the calling thread as the one that reads the terminal, and unblocks SIGINT on it
    /// (dispatch and cooperative-pool threads block it).
    public static func markReaderThread() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        readerThread.store(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), ordering: .relaxed)
    }

    /// Returns whether Ctrl-C was pressed since the last call, and clears the flag.
    public static func consume() -> Bool {
        pending.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// Whether Ctrl-C is pending, without clearing it.
    public static var isPending: Bool { pending.load(ordering: .acquiring) }

    /// Raises the flag as a signal would: for tests and for callers that synthesise a cancel.
    public static func simulate() { pending.store(true, ordering: .releasing) }
}

private let installed = Mutex(false)
private let pending = Atomic<Bool>(false)
private let readerThread = Atomic<UInt>(0)

private func handleInterrupt(_ signal: Int32) {
    pending.store(true, ordering: .releasing)
    let reader = readerThread.load(ordering: .relaxed)
    if reader != 0, UInt(pthread_self()) != reader {
        pthread_kill(pthread_t(reader), SIGINT)
    }
}
