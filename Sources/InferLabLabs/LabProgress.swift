import Foundation

/// A learner's progress through one lab, kept in the lab's workspace.
public struct LabProgress: Codable, Sendable, Equatable {
    public var labId: String
    public var labVersion: Int
    public var stepIndex: Int
    public var startedAt: Date
    /// Step ids completed by passing their checks.
    public var completedSteps: [String] = []
    /// Step ids fast-forwarded with `lab solve` or `lab skip`.
    public var solvedSteps: [String] = []
    public var skippedSteps: [String] = []
    /// Hints revealed per step id.
    public var hintsUsed: [String: Int] = [:]
    /// Quiz answers by check id (1-based choice).
    public var answers: [String: Int] = [:]
    /// When each check was first seen passing.
    public var passedChecks: [String: Date] = [:]

    public init(lab: LabDefinition, now: Date = Date()) {
        labId = lab.id
        labVersion = lab.version
        stepIndex = 0
        startedAt = now
    }

    static func file(in workspace: URL) -> URL { workspace.appendingPathComponent(".inferlab/lab-progress.json") }

    public static func load(workspace: URL) -> LabProgress? {
        guard let data = try? Data(contentsOf: file(in: workspace)) else { return nil }
        return try? decoder.decode(LabProgress.self, from: data)
    }

    /// Written atomically: a crash leaves the old progress or the new, never a half.
    public func save(workspace: URL) throws {
        let url = Self.file(in: workspace)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.encoder.encode(self).write(to: url, options: .atomic)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Where a lab's work lives (the lab definitions' folder is the shell's KitConfiguration).
public enum LabLibrary {
    /// The workspace a lab runs in, inside the learner's workspace.
    public static func workspace(for labId: String, in base: URL) -> URL {
        base.appendingPathComponent("labs/\(labId)", isDirectory: true)
    }
}
