#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One framework container's Python process (`framework_serving.py`), and the pipes it speaks
/// the container contract over: a request pipe (its fd 0), a response pipe (its fd 1), and its
/// log (fd 2, where the script's print() goes too), read line by line into `log`.
///
/// Written by hand on posix_spawn, not Foundation's Process, for what the kit must guarantee:
/// every pipe is close-on-exec (no other child holds an end, so the child sees the kit go away
/// the moment it does, kill -9 included), the child leads its own process group (stopping it
/// stops whatever it started), and the environment is exactly the one given (none of the kit's).
final class ScriptProcess: @unchecked Sendable {
    let pid: pid_t
    private let requestFD: Int32
    private let responseFD: Int32
    private var buffer: [UInt8] = []
    /// Guards the reaping, which `stop()` (from any thread) and a failed exchange both do.
    private let reaping = NSLock()
    private var exited = false
    private let logDone = DispatchSemaphore(value: 0)

    struct Failure: Error, CustomStringConvertible {
        enum Kind { case timedOut, ended, protocolBroken }
        var kind: Kind
        var description: String
    }

    /// Starts `python runner arguments…` in `directory` with `environment`; lines it logs go to `log`.
    init(python: String, runner: String, arguments: [String], environment: [String: String], directory: URL,
         log: @escaping @Sendable (String) -> Void) throws {
        Self.ignoreBrokenPipes
        var request: [Int32] = [-1, -1], response: [Int32] = [-1, -1], logs: [Int32] = [-1, -1]
        guard Self.makePipe(&request), Self.makePipe(&response), Self.makePipe(&logs) else {
            throw ModelLoadError(message: "cannot start the container's Python process: \(String(cString: strerror(errno)))")
        }
        defer { close(request[0]); close(response[1]); close(logs[1]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, request[0], 0)
        posix_spawn_file_actions_adddup2(&actions, response[1], 1)
        posix_spawn_file_actions_adddup2(&actions, logs[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        // The runner changes into `directory` itself (posix_spawn has no portable chdir).
        let executable = Self.resolve(python)
        let argv = [executable, runner, directory.path] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let status = Self.withCStrings(argv) { argvPointer in
            Self.withCStrings(envp) { envPointer in
                posix_spawnp(&child, executable, &actions, &attributes, argvPointer, envPointer)
            }
        }
        guard status == 0 else {
            for fd in [request[1], response[0], logs[0]] { close(fd) }
            throw ModelLoadError(message: "cannot start the course interpreter \(python) (\(String(cString: strerror(status)))); set INFERLAB_PYTHON to a Python with the course's packages (make run prepares .venv)")
        }
        pid = child
        requestFD = request[1]
        responseFD = response[0]
        let logFD = logs[0]
        let done = logDone
        let thread = Thread {
            Self.readLines(logFD, into: log)
            close(logFD)
            done.signal()
        }
        thread.name = "container log \(child)"
        thread.start()
    }

    deinit {
        stop()
        close(requestFD)
        close(responseFD)
    }

    /// Reads one JSON header line (and nothing else) before `deadline`.
    func readHeader(until deadline: ContinuousClock.Instant) throws(Failure) -> JSONValue {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                guard let value = try? JSONValue.parse(line) else {
                    throw Failure(kind: .protocolBroken, description: "the container's process wrote something that is not the serving protocol")
                }
                return value
            }
            try fill(until: deadline)
        }
    }

    /// Reads exactly `count` bytes before `deadline`.
    func readBody(_ count: Int, until deadline: ContinuousClock.Instant) throws(Failure) -> Data {
        while buffer.count < count { try fill(until: deadline) }
        defer { buffer.removeSubrange(..<count) }
        return Data(buffer[..<count])
    }

    /// Writes all of `data` to the request pipe before `deadline`.
    func write(_ data: Data, until deadline: ContinuousClock.Instant) throws(Failure) {
        var failure: Failure?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard wait(for: requestFD, events: Int16(POLLOUT), until: deadline) else {
                    failure = Failure(kind: .timedOut, description: "timed out")
                    return
                }
                let written = systemWrite(requestFD, raw.baseAddress! + offset, min(raw.count - offset, 1 << 20))
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    failure = Failure(kind: .ended, description: endedDescription())
                    return
                }
                offset += written
            }
        }
        if let failure { throw failure }
    }

    private func fill(until deadline: ContinuousClock.Instant) throws(Failure) {
        guard wait(for: responseFD, events: Int16(POLLIN), until: deadline) else {
            throw Failure(kind: .timedOut, description: "timed out")
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { read(responseFD, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { return }
        guard count > 0 else { throw Failure(kind: .ended, description: endedDescription()) }
        buffer.append(contentsOf: chunk[..<count])
    }

    private func wait(for fd: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return false }
            let milliseconds = Int32(min(Int64(Int32.max), left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }  // readable, writable, or hung up (read/write then says so)
            if ready < 0 && errno != EINTR { return true }
        }
    }

    /// Why the process is gone, once it is: its exit status or the signal that ended it.
    func endedDescription() -> String {
        guard let status = reap(wait: true) else { return "the container's process (pid \(pid)) ended" }
        return status
    }

    private var exitDescription: String?

    /// Waits for the process to end (when `wait`), and says how it ended.
    @discardableResult
    private func reap(wait: Bool) -> String? {
        reaping.lock()
        defer { reaping.unlock() }
        if exited { return exitDescription }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, wait ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        exited = true
        let code = (status >> 8) & 0xFF, signal = status & 0x7F
        exitDescription = signal == 0
            ? "the container's process (pid \(pid)) exited with status \(code)"
            : "the container's process (pid \(pid)) was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        return exitDescription
    }

    /// Ends the process group at once and reaps the process; idempotent.
    func stop() {
        reaping.withLock {
            guard !exited else { return }
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        reap(wait: true)
    }

    /// Waits (a moment at most) until the log is read to its end, so the last lines are in.
    func drainLog(timeout: Double = 1) {
        _ = logDone.wait(timeout: .now() + timeout)
    }

    // MARK: Plumbing

    private static let ignoreBrokenPipes: Void = {
        // A write to a pipe whose reader died must fail with EPIPE, not end the kit.
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        #if canImport(Glibc)
        return systemPipe2(&fds, O_CLOEXEC) == 0
        #else
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
        #endif
    }

    /// An interpreter named by a path runs from that path (relative to the kit's folder, not the
    /// instance's); a bare name is looked up on the PATH.
    private static func resolve(_ python: String) -> String {
        guard python.contains("/"), !python.hasPrefix("/") else { return python }
        return URL(fileURLWithPath: python, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Each line of the log (at most 256 KiB, CloudWatch's event limit) goes to `log` as it comes.
    private static func readLines(_ fd: Int32, into log: @Sendable (String) -> Void) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                log(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
            if pending.count > 256 << 10 {
                log(String(decoding: pending, as: UTF8.self))
                pending.removeAll()
            }
        }
        if !pending.isEmpty { log(String(decoding: pending, as: UTF8.self)) }
    }
}

#if canImport(Glibc)
/// glibc's pipe2, which Swift's Glibc module leaves out (it needs _GNU_SOURCE): a pipe made
/// close-on-exec atomically, so no child another thread spawns meanwhile inherits it.
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
#endif

private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}
