import Foundation
import InferLabEngine

/// The AWS CLI's own pagination of list commands (botocore's paginators): the answer it prints
/// is not the API's page but botocore's "full result" — the result lists, then the
/// non-aggregate members (even when null, as `"RequestCharged": null`), then a `NextToken` when
/// `--max-items` cut the list short. Tokens, counts and other page members are left out.
///
/// The kit's list commands already merge every page, so the full result is built from one page.
struct CLIPagination {
    /// Members holding the results (the first is the one --max-items counts).
    var resultKeys: [String]
    /// The request members that carry the token and the page size: giving one of them turns
    /// the CLI's pagination off, so the page is printed as the API returned it.
    var inputTokens: [String]
    var limitKey: String
    var nonAggregateKeys: [String] = []

    /// botocore's paginators-1.json (and .sdk-extras.json) for the operations the kit serves.
    static let operations: [String: CLIPagination] = [
        "ListEndpointConfigs": CLIPagination(resultKeys: ["EndpointConfigs"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListEndpoints": CLIPagination(resultKeys: ["Endpoints"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListModels": CLIPagination(resultKeys: ["Models"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListTags": CLIPagination(resultKeys: ["Tags"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListTrainingJobs": CLIPagination(resultKeys: ["TrainingJobSummaries"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListTransformJobs": CLIPagination(resultKeys: ["TransformJobSummaries"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "ListBuckets": CLIPagination(resultKeys: ["Buckets"], inputTokens: ["ContinuationToken"], limitKey: "MaxBuckets",
                                     nonAggregateKeys: ["Owner", "Prefix"]),
        "ListObjects": CLIPagination(resultKeys: ["Contents", "CommonPrefixes"], inputTokens: ["Marker"], limitKey: "MaxKeys",
                                     nonAggregateKeys: ["RequestCharged", "Prefix"]),
        "ListObjectsV2": CLIPagination(resultKeys: ["Contents", "CommonPrefixes"], inputTokens: ["ContinuationToken"], limitKey: "MaxKeys",
                                       nonAggregateKeys: ["RequestCharged", "Prefix"]),
        "DescribeScalableTargets": CLIPagination(resultKeys: ["ScalableTargets"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "DescribeScalingPolicies": CLIPagination(resultKeys: ["ScalingPolicies"], inputTokens: ["NextToken"], limitKey: "MaxResults"),
        "DescribeLogGroups": CLIPagination(resultKeys: ["logGroups"], inputTokens: ["nextToken"], limitKey: "limit"),
        "DescribeLogStreams": CLIPagination(resultKeys: ["logStreams"], inputTokens: ["nextToken"], limitKey: "limit"),
        "FilterLogEvents": CLIPagination(resultKeys: ["events", "searchedLogStreams"], inputTokens: ["nextToken"], limitKey: "limit"),
    ]

    /// Whether the line turns the CLI's pagination off: `--no-paginate`, or a token or page-size
    /// member given as an option (`--max-keys`, `--next-token`, ...).
    func isOff(options given: some Sequence<String>, global: GlobalOptions) -> Bool {
        if global.noPaginate { return true }
        let paging = Set((inputTokens + [limitKey]).map { AWSModels.optionName(for: $0) })
        return given.contains { paging.contains($0) }
    }

    /// The page with `--starting-token` and `--max-items` applied, and the token to continue with.
    /// - Throws: a token that is not one this CLI wrote.
    func truncated(_ page: [(String, JSONValue)], global: GlobalOptions) throws -> ([(String, JSONValue)], String?) {
        guard let primary = resultKeys.first else { return (page, nil) }
        var members = page
        var start = 0
        if let token = global.startingToken {
            guard let data = Data(base64Encoded: token), let decoded = try? JSONValue.parse(data),
                  case .int(let amount)? = decoded["boto_truncate_amount"] else {
                throw CLIFailure("\nBad starting token: \(token)", exitCode: ExitCode.generalError)
            }
            start = Int(amount)
            for (index, member) in members.enumerated() where resultKeys.contains(member.0) {
                if case .array(let items) = member.1 {
                    members[index].1 = .array(member.0 == primary ? Array(items.dropFirst(start)) : [])
                }
            }
        }
        guard let maxItems = global.maxItems, let index = members.firstIndex(where: { $0.0 == primary }),
              case .array(let items) = members[index].1, items.count > maxItems else { return (members, nil) }
        members[index].1 = .array(Array(items.prefix(maxItems)))
        // botocore's token: the service's (none: the kit answered in one page) and the count.
        let body = "{" + inputTokens.map { "\"\($0)\": null, " }.joined() + "\"boto_truncate_amount\": \(start + maxItems)}"
        return (members, Data(body.utf8).base64EncodedString())
    }

    /// botocore's `build_full_result`: result lists (when present), the non-aggregate members,
    /// then `NextToken`.
    func fullResult(_ page: [(String, JSONValue)], token: String?) -> JSONValue {
        let lookup = PythonValue.dictionary(page)
        var result: [(String, JSONValue)] = resultKeys.compactMap { key in
            guard let value = lookup[key], value != .null else { return nil }
            return (key, value)
        }
        result += nonAggregateKeys.map { ($0, lookup[$0] ?? .null) }
        if let token { result.append(("NextToken", .string(token))) }
        return .object(result)
    }

    /// The page as the CLI's text output sees it: the non-aggregate members, then every result
    /// member (null when absent).
    func textPage(_ page: [(String, JSONValue)]) -> JSONValue {
        let lookup = PythonValue.dictionary(page)
        return .object(nonAggregateKeys.map { ($0, lookup[$0] ?? .null) } + resultKeys.map { ($0, lookup[$0] ?? .null) })
    }
}
