/// Cross-checks between the bundles of one roster: two bundles from one workspace, or one
/// learner's own files (progress, event log, job descriptions, which carry times) under two names.
public enum RosterChecks {
    public static func flag(_ verdicts: inout [Verdict]) {
        var byWorkspace: [String: [Int]] = [:]
        for (index, verdict) in verdicts.enumerated() {
            if let id = verdict.workspaceId { byWorkspace[id, default: []].append(index) }
        }
        for indices in byWorkspace.values where indices.count > 1 {
            for index in indices {
                let others = indices.filter { $0 != index }.map { describe(verdicts[$0]) }.joined(separator: ", ")
                verdicts[index].flags.append("made in the same workspace as \(others): one learner's work submitted twice")
            }
        }
        var byFile: [String: [Int]] = [:]
        for (index, verdict) in verdicts.enumerated() {
            for (path, hash) in verdict.ownFiles { byFile[path + " " + hash, default: []].append(index) }
        }
        var reported: Set<[Int]> = []
        for (key, indices) in byFile.sorted(by: { $0.key < $1.key }) where indices.count > 1 {
            let path = String(key[..<key.lastIndex(of: " ")!])
            for index in indices where !reported.contains([index] + indices) {
                reported.insert([index] + indices)
                let others = indices.filter { $0 != index }.map { describe(verdicts[$0]) }.joined(separator: ", ")
                verdicts[index].flags.append("its \(path) is byte for byte the one in \(others): one learner's artefacts under two names")
            }
        }
    }

    private static func describe(_ verdict: Verdict) -> String { "\(verdict.bundle) (\(verdict.student))" }
}
