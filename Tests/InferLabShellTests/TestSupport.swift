import Foundation
import Synchronization
import InferLabEngine
@testable import InferLabShell

/// A session on a fresh temporary workspace whose output is captured.
struct ShellHarness {
    let output = CapturedOutput()
    let session: Session
    let executor: CommandExecutor

    init(registry: CommandRegistry = AllCommands.registry()) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-test-\(UUID().uuidString)")
        let engine = try Engine.open(Workspace(root: root))
        session = Session(engine: engine, console: output.console(), registry: registry, isInteractive: false, kit: .checkout)
        executor = CommandExecutor(session: session)
    }

    /// Runs one line and returns its exit status.
    @discardableResult
    func run(_ line: String) async -> Int32 { await executor.run(line: line) }
}

/// The built-in commands plus a few fake ones shaped like the real families.
func sampleRegistry(recorder: Recorder = Recorder()) -> CommandRegistry {
    var registry = CommandRegistry(BuiltinCommands.all)
    registry.register(CommandSpec(
        ["s3", "cp"], family: .s3, summary: "Copy",
        arguments: [ArgumentSpec("SOURCE", help: "from", completion: .localPath), ArgumentSpec("DESTINATION", help: "to")],
        options: [.flag("recursive", help: "all"),
                  OptionSpec("exclude", help: "skip", isRepeatable: true),
                  OptionSpec("content-type", help: "type", completion: .values(["text/csv", "application/json"]))]
    ) { invocation in recorder.record(invocation) })
    registry.register(CommandSpec(
        ["sagemaker", "create-model"], family: .sagemaker, summary: "Create a model",
        options: [OptionSpec("model-name", help: "name", isRequired: true),
                  OptionSpec("tags", kind: .list, help: "tags")]
    ) { invocation in recorder.record(invocation) })
    registry.register(CommandSpec(
        ["sagemaker", "list-models"], family: .sagemaker, summary: "List models",
        options: [OptionSpec("max-results", help: "page size")]
    ) { invocation in
        recorder.record(invocation)
        _ = try invocation.integer("max-results")
    })
    return registry
}

/// Remembers the invocations fake commands received.
final class Recorder: Sendable {
    private let storage = Mutex<[Invocation]>([])
    func record(_ invocation: Invocation) { storage.withLock { $0.append(invocation) } }
    var last: Invocation? { storage.withLock { $0.last } }
}

extension KitConfiguration {
    /// The labs and datasets of this checkout.
    static let checkout = KitConfiguration(
        labsFolder: KitConfiguration.builtFrom.appendingPathComponent("labs"),
        datasetsFolder: KitConfiguration.builtFrom.appendingPathComponent("datasets"))
}
