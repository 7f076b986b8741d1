#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A training container's process: the course interpreter running a program, its output read
/// line by line, stopped as SageMaker stops a container (SIGTERM, a grace period, SIGKILL).
///
/// It never outlives the kit: a short bootstrap, run by the same interpreter before the program
/// (`exec`, so the program keeps its pid), asks Linux to kill it when the kit dies
/// (`PR_SET_PDEATHSIG`), exits at once if the kit is already gone, and makes it the leader of its
/// own process group, so a stop reaches what the program started too (joblib's workers, say),
/// and gives it the default signal dispositions and an empty signal mask. A watchdog it leaves in
/// the group kills the group when the program ends or dies, so nothing it started outlives it.
/// Its environment is only what the caller gives: nothing of the kit's own leaks into it.
// `@unchecked`: `Process` is not Sendable; it is only read (isRunning, status) after `run()`.
final class ContainerProcess: @unchecked Sendable {
    /// How the process ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    private let process: Process
    private let pid: Int32

    /// The bootstrap, run as `python -c BOOTSTRAP PARENT_PID PROGRAM ARGS…`. Before it becomes
    /// the program it forks a watchdog into the group: when the program ends, or dies with the
    /// kit, the watchdog kills the group, so what the program started (joblib's workers, a
    /// subprocess) goes too, where PR_SET_PDEATHSIG alone reaches only the program.
    private static let bootstrap = """
        import ctypes, os, signal, sys
        libc = ctypes.CDLL(None)
        try:
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the kit
        except Exception:
            pass
        if os.getppid() != int(sys.argv[1]):
            os._exit(137)  # the kit died before the bootstrap ran
        os.setpgid(0, 0)
        # A program starts as a container's does: no signal blocked or ignored (the kit's own
        # handling of SIGINT and SIGTERM would otherwise be inherited through exec).
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        program = os.getpid()
        if os.fork() == 0:
            try:
                quiet = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(quiet, fd)  # the kit reads the program's output to its end
                os.closerange(3, 65536)
                signal.signal(signal.SIGUSR1, lambda *_: os.killpg(0, signal.SIGKILL))
                libc.prctl(1, signal.SIGUSR1)  # told when the program ends
                if os.getppid() != program:
                    os.killpg(0, signal.SIGKILL)
                while True:
                    signal.pause()
            finally:
                os._exit(0)
        os.execv(sys.argv[2], sys.argv[2:])
        """

    /// Starts `python program arguments…` in `directory`; every line it writes (stdout and
    /// stderr, in the order they come per stream) goes to `line`, from reader threads.
    init(python: String, arguments: [String], directory: URL, environment: [String: String],
         line: @escaping @Sendable (_ text: String, _ isError: Bool) -> Void) throws {
        let executable = try Self.resolve(python, path: environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", Self.bootstrap, String(getpid()), executable] + arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        self.process = process
        self.pid = process.processIdentifier
        readers.enter()
        readers.enter()
        Self.readLines(output.fileHandleForReading, isError: false, line: line, done: readers)
        Self.readLines(errors.fileHandleForReading, isError: true, line: line, done: readers)
    }

    private let readers = DispatchGroup()

    /// Waits until the process has ended and both streams are read to their end, or until
    /// `deadline`; nil when the deadline came first (the process still runs).
    func wait(until deadline: Date, while keepWaiting: () -> Bool = { true }) -> Ending? {
        while process.isRunning {
            if Date() >= deadline || !keepWaiting() { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
        _ = readers.wait(timeout: .now() + 5)
        return process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
    }

    /// SIGTERM to the process group, then SIGKILL after `grace` seconds if it still runs (as
    /// SageMaker does when a job is stopped or runs out of time); returns how it ended.
    @discardableResult
    func stop(grace: Double) -> Ending {
        signalGroup(SIGTERM)
        if let ending = wait(until: Date().addingTimeInterval(grace)) {
            signalGroup(SIGKILL)  // what it started may still run
            return ending
        }
        signalGroup(SIGKILL)
        return wait(until: .distantFuture) ?? .signalled(SIGKILL)
    }

    private func signalGroup(_ signal: Int32) {
        // The bootstrap made the program its group's leader; before that, only the pid exists.
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// Reads a stream to its end on a thread of its own, one call per line (a last line without
    /// a newline too); invalid UTF-8 becomes U+FFFD, as the training toolkit decodes it.
    private static func readLines(_ handle: FileHandle, isError: Bool, line: @escaping @Sendable (String, Bool) -> Void,
                                  done: DispatchGroup) {
        let thread = Thread {
            defer { done.leave() }
            var pending = Data()
            while let chunk = try? handle.read(upToCount: 64 << 10), !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self), isError)
                    pending.removeSubrange(pending.startIndex...newline)
                }
                // A line longer than this is logged in pieces: output without newlines cannot
                // make the kit's memory grow.
                while pending.count > Self.longestLine {
                    line(String(decoding: pending.prefix(Self.longestLine), as: UTF8.self), isError)
                    pending.removeFirst(Self.longestLine)
                }
            }
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self), isError) }
            try? handle.close()
        }
        thread.name = "container output"
        thread.start()
    }

    static let longestLine = 256 << 10

    /// The interpreter's path: as given when it has a slash, else found on `path`.
    static func resolve(_ program: String, path: String) throws -> String {
        struct NotFound: Error, CustomStringConvertible { let description: String }
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else {
                throw NotFound(description: "the Python interpreter \(program) does not exist or cannot run (set \(SageMakerService.Configuration.pythonVariable) to the course venv's bin/python)")
            }
            return program
        }
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotFound(description: "no \(program) on the PATH (set \(SageMakerService.Configuration.pythonVariable) to the course venv's bin/python)")
    }
}
