import InferLabEngine

extension Session {
    /// Candidates for an `s3://` path being typed: buckets first, then one folder level of keys
    /// at a time (common prefixes end in `/`, so Tab continues into them).
    func s3Completion(_ typed: String) -> [String] {
        guard typed.hasPrefix("s3://"), let slash = typed.dropFirst(5).firstIndex(of: "/") else {
            let buckets = (try? S3Operations.ListBuckets.run(ListBucketsInput(), on: engine).buckets.map(\.name)) ?? []
            return buckets.map { "s3://\($0)/" }
        }
        let bucket = String(typed.dropFirst(5)[..<slash])
        let prefix = String(typed[typed.index(after: slash)...])
        let input = ListObjectsV2Input(bucket: bucket, delimiter: "/", maxKeys: 200, prefix: prefix)
        guard let page = try? S3Operations.ListObjectsV2.run(input, on: engine) else { return [] }
        return page.commonPrefixes.map { "s3://\(bucket)/\($0.prefix)" } + page.contents.map { "s3://\(bucket)/\($0.key)" }
    }
}
