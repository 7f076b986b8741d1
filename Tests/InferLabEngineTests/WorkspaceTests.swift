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

    /// What the kit keeps in a workspace may not be a link, or its writes would land outside.
    @Test(arguments: ["buckets", ".inferlab", "catalog.sqlite", "catalog.sqlite-wal", ".inferlab/history"])
    func aLinkWhereTheKitKeepsThingsIsRefused(path: String) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        let outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let workspace = Workspace(root: base.appendingPathComponent("ws"))
        let link = workspace.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent("target"))
        #expect { try workspace.prepare() } throws: { error in
            "\(error)".contains(link.path) && "\(error)".contains("symbolic link")
        }
        #expect(throws: WorkspaceError.self) { try Engine.open(workspace) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    /// A lab's workspace (`labs/<id>/` inside the learner's): neither folder may be a link.
    @Test(arguments: ["labs", "labs/batch-end-to-end"])
    func aLinkedLabWorkspaceIsRefused(path: String) throws {
        let base = Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)"))
        try base.prepare()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("batch-end-to-end"), withIntermediateDirectories: true)
        let link = base.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: path == "labs" ? outside : outside.appendingPathComponent("batch-end-to-end"))
        let lab = Workspace(root: base.root.appendingPathComponent("labs/batch-end-to-end"), within: base.root)
        #expect { try lab.prepare() } throws: { "\($0)".contains("symbolic link") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.appendingPathComponent("batch-end-to-end").path).isEmpty)
    }
}
