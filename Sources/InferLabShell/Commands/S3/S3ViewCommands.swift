import Foundation
import InferLabEngine

/// Kit commands for looking at objects in the terminal (AWS has no equivalent).
enum S3ViewCommands {
    static let head = CommandSpec(
        ["head"], family: .kit, summary: "Show the first lines of an object (not an AWS command)",
        discussion: "On AWS you would download the object (`aws s3 cp s3://… -`) and look at it; this prints the first lines directly.",
        arguments: [ArgumentSpec("S3_URI", help: "s3://bucket/key", completion: .s3Path)],
        options: [OptionSpec("lines", placeholder: "N", help: "how many lines (default 10)")],
        examples: ["head s3://loan-lab/batch-output/data.csv.out", "head s3://loan-lab/batch-input/data.csv --lines 3"]
    ) { invocation in
        let location = try S3Commands.s3Location(invocation.arguments[0], spec: invocation.spec)
        let wanted = try invocation.integer("lines") ?? 10
        guard wanted > 0 else { throw ShellError.usage("--lines must be at least 1", command: invocation.spec) }
        let source = try S3Operations.GetObject.run(GetObjectInput(bucket: location.bucket, key: location.key),
                                                    on: invocation.session.engine).body
        defer { source.close() }
        var pending = Data()
        var printed = 0
        while printed < wanted {
            let chunk = try source.read(upTo: 64 << 10)
            if chunk.isEmpty {
                if !pending.isEmpty { invocation.console.print(String(decoding: pending, as: UTF8.self)) }
                break
            }
            pending.append(chunk)
            while printed < wanted, let newline = pending.firstIndex(of: 0x0A) {
                invocation.console.print(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
                printed += 1
            }
        }
    }
}
