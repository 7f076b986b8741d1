import Foundation
import Synchronization

/// Runs a training container's program on an instance until it exits, is stopped, or runs out of
/// `MaxRuntimeInSeconds`, its output going to the job's log (and the metric scraper) line by line.
struct TrainingContainerRun {
    enum Outcome: Equatable {
        case finished
        case stopped
        case timedOut
    }

    let python: String
    let directory: URL
    let environment: [String: String]
    let deadline: Date
    /// SIGTERM first, then this long before SIGKILL (SageMaker gives 120 s).
    let stopGrace: Double
    let isStopRequested: @Sendable () -> Bool
    let log: @Sendable (String) -> Void

    /// Runs `python arguments…`. A non-zero exit throws `failure(exitCode, errorLines)`'s error.
    func run(_ arguments: [String], failure: (_ exitCode: Int32, _ errorTail: [String]) -> TrainingFailure) throws -> Outcome {
        let errors = ErrorCollector()
        let process: ContainerProcess
        do {
            process = try ContainerProcess(python: python, arguments: arguments, directory: directory, environment: environment) { text, isError in
                log(text)
                if isError { errors.add(text) }
            }
        } catch {
            throw TrainingFailure.algorithm("the container could not start: \(ErrorSentence.of(error))")
        }
        guard let ending = process.wait(until: deadline, while: { !isStopRequested() }) else {
            let timedOut = Date() >= deadline
            process.stop(grace: stopGrace)
            return timedOut ? .timedOut : .stopped
        }
        let code: Int32 = switch ending {
        case .exited(let status): status
        case .signalled(let signal): 128 + signal
        }
        guard code == 0 else { throw failure(code, errors.lines) }
        return .finished
    }

    /// What the training toolkit keeps of a failed script's stderr for ErrorMessage: from the
    /// first line that names a Python error (a traceback, `ValueError: …`), without repeats.
    final class ErrorCollector: Sendable {
        private let state = Mutex<(started: Bool, lines: [String])>((false, []))
        static let markers = ["Traceback", "Error", "Exception", "error:", "Killed"]

        func add(_ line: String) {
            state.withLock { state in
                if !state.started { state.started = Self.markers.contains { line.contains($0) } }
                let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: " :\n"))
                guard state.started, !trimmed.isEmpty, !state.lines.contains(trimmed) else { return }
                state.lines.append(trimmed)
                if state.lines.count > 200 { state.lines.removeFirst(state.lines.count - 200) }
            }
        }

        var lines: [String] { state.withLock { $0.lines } }
    }

    /// `AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "…"\nCommand "…", exit
    /// code: 1`, as SageMaker reports a failed script; the error's tail is kept so the whole fits
    /// AWS's 1,024 characters.
    static func scriptFailure(exitCode: Int32, errorTail: [String], command: String) -> TrainingFailure {
        let extra = exitCode == 137 ? "\nExtraInfo \"OutOfMemory: Process killed by SIGKILL (signal 9)\"" : ""
        let tail = "\"\(extra)\nCommand \"\(command)\", exit code: \(exitCode)"
        let head = "ExecuteUserScriptError:\nExitCode \(exitCode)\nErrorMessage \""
        let room = max(0, 1024 - "AlgorithmError: ".count - head.count - tail.count)
        var message = errorTail.joined(separator: "\n")
        if message.count > room { message = "…" + String(message.suffix(max(0, room - 1))) }
        return .algorithm(head + message + tail)
    }
}
