import Foundation

/// A container that takes longer on purpose: `INFERLAB_MODEL_LATENCY_MS` in a model's Environment
/// adds that many milliseconds to every invocation, so a lab can show a queue building up and
/// draining, or a transform job's concurrency at work. (A kit setting; AWS has no such variable.)
struct SlowContainer: InferenceContainer {
    let base: any InferenceContainer
    let latency: Duration

    static let variable = "INFERLAB_MODEL_LATENCY_MS"

    var addedLatency: Duration { latency }

    /// Wraps `container` when the environment asks for latency, times the kit's time `scale`.
    static func wrapping(_ container: any InferenceContainer, environment: [String: String], scale: Double = 1) throws -> any InferenceContainer {
        guard let text = environment[variable] else { return container }
        guard let milliseconds = Int(text), (0...600_000).contains(milliseconds) else {
            throw ModelLoadError(message: "\(variable) must be a whole number of milliseconds from 0 to 600000, not '\(VisibleText.escaped(text))'")
        }
        let scaled = Int((Double(milliseconds) * max(0, scale)).rounded())
        return scaled == 0 ? container : SlowContainer(base: container, latency: .milliseconds(scaled))
    }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        let (seconds, attoseconds) = latency.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
        return try base.invoke(body: body, contentType: contentType, accept: accept, mode: mode)
    }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
        let (seconds, attoseconds) = latency.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
        return try base.invoke(body: body, contentType: contentType, accept: accept, mode: mode, timeout: timeout)
    }

    func stop() { base.stop() }
}
