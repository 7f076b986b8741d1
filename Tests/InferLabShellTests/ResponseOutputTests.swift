import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The output path every AWS command prints through (`Invocation.printResponse`): --query,
/// --output and the CLI's pagination, on fake commands shaped like the real ones.
struct ResponseOutputTests {
    static let buckets = JSONValue.object([
        ("Buckets", .array([.object([("Name", .string("loan-lab")), ("CreationDate", .string("2026-12-01T10:00:00+00:00"))]),
                            .object([("Name", .string("other-lab")), ("CreationDate", .string("2026-12-01T11:00:00+00:00"))])])),
        ("Owner", .object([("DisplayName", .string("learner")), ("ID", .string("abc"))])),
        ("ContinuationToken", .null),
    ])

    static func shell() throws -> ShellHarness {
        var registry = AllCommands.registry()
        registry.register(CommandSpec(["s3api", "list-buckets-sample"], family: .s3api, summary: "ListBuckets, as a test double",
                                      options: [OptionSpec("max-buckets", help: "page size")]) { invocation in
            try invocation.printResponse(buckets, operation: "ListBuckets")
        })
        return try ShellHarness(registry: registry)
    }

    @Test func theDocsClassicPrintsBucketNames() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("aws s3api list-buckets-sample --query 'Buckets[].Name' --output text") == 0)
        #expect(shell.output.output == "loan-lab\tother-lab\n")
    }

    @Test func listsPrintBotocoresFullResult() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("aws s3api list-buckets-sample") == 0)
        // Result list, then the non-aggregate members (Prefix as null), no token.
        #expect(shell.output.output.contains("\"Owner\": {") && shell.output.output.contains("\"Prefix\": null")
                && !shell.output.output.contains("ContinuationToken"), "\(shell.output.output)")
        let raw = try Self.shell()
        #expect(await raw.run("aws s3api list-buckets-sample --max-buckets 5") == 0)
        #expect(raw.output.output.contains("\"ContinuationToken\": null"), "a page-size option turns pagination off")
    }

    @Test func maxItemsAndStartingTokenPageThroughTheList() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("aws s3api list-buckets-sample --max-items 1 --query '[Buckets[].Name, NextToken]' --output json") == 0)
        let first = try JSONValue.parse(shell.output.output)
        guard case .array(let parts) = first, case .string(let token) = parts[1] else { Issue.record("\(shell.output.output)"); return }
        #expect(parts[0] == .array([.string("loan-lab")]))
        // botocore's own token: base64 of {"ContinuationToken": null, "boto_truncate_amount": 1}.
        #expect(String(decoding: Data(base64Encoded: token) ?? Data(), as: UTF8.self) == "{\"ContinuationToken\": null, \"boto_truncate_amount\": 1}")
        let next = try Self.shell()
        #expect(await next.run("aws s3api list-buckets-sample --starting-token \(token) --query 'Buckets[].Name' --output text") == 0)
        #expect(next.output.output == "other-lab\n")
    }

    @Test func yamlAndOffFollowCLIv2() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("aws sts get-caller-identity --output yaml --query '{Account: Account, Ok: `true`}'") == 0)
        #expect(await shell.run("aws sts get-caller-identity --output off") == 0)
        #expect(await shell.run("aws s3api list-buckets-sample --output yaml-stream --query 'Buckets[0].Name'") == 0)
        #expect(shell.output.output == "Account: '123456789012'\nOk: true\n- loan-lab\n")
    }

    @Test func theConfiguredOutputIsTheDefault() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("aws configure set output table") == 0)
        #expect(await shell.run("aws sts get-caller-identity --query Account") == 0)
        #expect(await shell.run("aws sts get-caller-identity --query Account --output json") == 0)
        // A scalar in a table is the title alone, as awscli draws it.
        #expect(shell.output.output == """
            -------------------
            |GetCallerIdentity|
            +-----------------+
            "123456789012"

            """)
    }
}
