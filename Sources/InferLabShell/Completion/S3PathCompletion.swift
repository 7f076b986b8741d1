import InferLabEngine

extension Session {
    /// Candidates for an `s3://` path being typed: buckets first, then one folder level of keys
    /// at a time (common prefixes end in `/`, so Tab continues into them).
    func s3Completion(_ typed: String) -> [String] {
        let store = engine.store
        guard typed.hasPrefix("s3://"), let slash = typed.dropFirst(5).firstIndex(of: "/") else {
            let buckets = (try? store.listBuckets().map(\.name)) ?? []
            return buckets.map { "s3://\($0)/" }
        }
        let bucket = String(typed.dropFirst(5)[..<slash])
        let prefix = String(typed[typed.index(after: slash)...])
        guard let page = try? store.listObjects(ListObjectsRequest(bucket: bucket, prefix: prefix, delimiter: "/", maxKeys: 200)) else {
            return []
        }
        return page.commonPrefixes.map { "s3://\(bucket)/\($0)" } + page.contents.map { "s3://\(bucket)/\($0.key)" }
    }
}
