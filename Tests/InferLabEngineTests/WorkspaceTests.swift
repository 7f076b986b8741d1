import Foundation
import Testing
@testable import InferLabEngine

struct WorkspaceTests {
    @Test func explicitBeatsEnvironmentBeatsDefault() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(Workspace.resolve(explicit: "/tmp/a", environment: ["INFERLAB_WORKSPACE": "/tmp/b"]).root.path == "/tmp/a")
        #expect(Workspace.resolve(explicit: nil, environment: ["INFERLAB_WORKSPACE": "/tmp/b"]).root.path == "/tmp/b")
        #expect(Workspace.resolve(explicit: nil, environment: [:]).root.path == cwd + "/workspace")
    }

    @Test func prepareCreatesTheLayoutAndRefusesAFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        let workspace = Workspace(root: root)
        try workspace.prepare()
        #expect(FileManager.default.fileExists(atPath: workspace.bucketsDirectory.path))
        #expect(FileManager.default.fileExists(atPath: workspace.stateDirectory.path))

        let file = root.appendingPathComponent("plain-file")
        try Data().write(to: file)
        #expect(throws: WorkspaceError.self) { try Workspace(root: file).prepare() }
    }
}
