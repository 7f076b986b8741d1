import Foundation
import Testing
@testable import InferLabShell
import InferLabEngine

/// Where the binary looks for its labs and datasets.
struct KitConfigurationTests {
    /// A temporary tree with `paths` made as folders (a trailing `lab.yaml` or `Package.swift` as a file).
    static func tree(_ paths: [String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-kit-\(UUID().uuidString)")
        for path in paths {
            let url = root.appendingPathComponent(path)
            if url.pathExtension.isEmpty {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data().write(to: url)
            }
        }
        return root
    }

    @Test func anInstalledKitUsesShareBesideItsBinary() throws {
        let root = try Self.tree(["prefix/bin/inferlab.bin", "prefix/share/inferlab/labs/one/lab.yaml", "prefix/share/inferlab/datasets",
                                  "built/labs/two/lab.yaml", "built/datasets"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("prefix/bin/inferlab.bin"), environment: [:],
                                          builtFrom: root.appendingPathComponent("built"))
        #expect(kit.labsFolder.path == root.appendingPathComponent("prefix/share/inferlab/labs").path)
        #expect(kit.datasetsFolder.path == root.appendingPathComponent("prefix/share/inferlab/datasets").path)
    }

    @Test func aBinaryInACheckoutUsesThatCheckout() throws {
        let root = try Self.tree(["moved/Package.swift", "moved/.build/x86_64/debug/inferlab.bin", "moved/labs/one/lab.yaml", "moved/datasets",
                                  "built/labs/two/lab.yaml", "built/datasets"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("moved/.build/x86_64/debug/inferlab.bin"), environment: [:],
                                          builtFrom: root.appendingPathComponent("built"))
        #expect(kit.labsFolder.path == root.appendingPathComponent("moved/labs").path)
        #expect(kit.datasetsFolder.path == root.appendingPathComponent("moved/datasets").path)
    }

    @Test func aCopiedBinaryFallsBackToTheCheckoutItWasBuiltFrom() throws {
        let root = try Self.tree(["elsewhere/inferlab.bin", "built/labs/two/lab.yaml", "built/datasets"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("elsewhere/inferlab.bin"), environment: [:],
                                          builtFrom: root.appendingPathComponent("built"))
        #expect(kit.labsFolder.path == root.appendingPathComponent("built/labs").path)
    }

    @Test func theEnvironmentOverridesEachFolder() throws {
        let root = try Self.tree(["prefix/bin/inferlab.bin", "prefix/share/inferlab/labs/one/lab.yaml", "prefix/share/inferlab/datasets", "mine/labs"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("prefix/bin/inferlab.bin"),
                                          environment: ["INFERLAB_LABS_DIR": root.appendingPathComponent("mine/labs").path],
                                          builtFrom: root.appendingPathComponent("nowhere"))
        #expect(kit.labsFolder.path == root.appendingPathComponent("mine/labs").path)
        #expect(kit.datasetsFolder.path == root.appendingPathComponent("prefix/share/inferlab/datasets").path)
    }

    @Test func withNoKitAnywhereTheMessageNamesTheFirstPlaceLooked() throws {
        let root = try Self.tree(["prefix/bin/inferlab.bin"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("prefix/bin/inferlab.bin"), environment: [:],
                                          builtFrom: root.appendingPathComponent("gone"))
        #expect(kit.labsFolder.path == root.appendingPathComponent("prefix/share/inferlab/labs").path)
    }

    @Test func thisTestBinaryFindsThisCheckout() {
        let kit = KitConfiguration.locate(environment: [:])
        #expect(FileManager.default.fileExists(atPath: kit.labsFolder.appendingPathComponent("batch-end-to-end/lab.yaml").path))
        #expect(FileManager.default.fileExists(atPath: kit.referenceModelsFolder.appendingPathComponent("xgboost/model.tar.gz").path))
    }
}

/// Where the kit finds the course venv's interpreter for learners' scripts.
struct CoursePythonLocationTests {
    @Test func theCheckoutsVenvIsFoundAndTheEnvironmentWins() throws {
        let root = try KitConfigurationTests.tree(["checkout/Package.swift", "checkout/.build/debug/inferlab.bin", "checkout/.venv/bin"])
        let python = root.appendingPathComponent("checkout/.venv/bin/python")
        try Data("#!/bin/sh\n".utf8).write(to: python)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let executable = root.appendingPathComponent("checkout/.build/debug/inferlab.bin")
        let found = KitConfiguration.locate(executable: executable, environment: [:], builtFrom: root.appendingPathComponent("gone"))
        #expect(found.python?.path == python.path)
        let chosen = KitConfiguration.locate(executable: executable, environment: ["INFERLAB_PYTHON": "/opt/other/python"],
                                             builtFrom: root.appendingPathComponent("gone"))
        #expect(chosen.python?.path == "/opt/other/python")
    }

    @Test func noVenvLeavesItToThePath() throws {
        let root = try KitConfigurationTests.tree(["checkout/Package.swift", "checkout/.build/debug/inferlab.bin"])
        let kit = KitConfiguration.locate(executable: root.appendingPathComponent("checkout/.build/debug/inferlab.bin"), environment: [:],
                                          builtFrom: root.appendingPathComponent("gone"))
        #expect(kit.python == nil)
        #expect(SageMakerService.Configuration.fromEnvironment([:]).python == "python3")
        #expect(SageMakerService.Configuration.fromEnvironment(["INFERLAB_PYTHON": "/x/python"]).python == "/x/python")
    }
}
