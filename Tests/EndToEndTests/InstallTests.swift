import Foundation
import Testing

/// `make install PREFIX=…` gives a kit that runs its labs from anywhere: the binary in PREFIX/bin,
/// its labs and datasets in PREFIX/share/inferlab, which it reads rather than the checkout.
@Suite(.serialized)
struct InstallTests {
    @Test func anInstalledKitRunsALabSelftestFromAnotherFolder() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-prefix-\(UUID().uuidString)")
        // The install recipe `make install` runs, here with the tests' own (debug) build.
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["make", "--no-print-directory", "install-files", "BUILD=\(BinaryRunner.binary.deletingLastPathComponent().path)", "PREFIX=\(prefix.path)"]
        make.currentDirectoryURL = BinaryRunner.packageRoot
        let log = Pipe()
        make.standardOutput = log
        make.standardError = log
        try make.run()
        let makeOutput = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        make.waitUntilExit()
        #expect(make.terminationStatus == 0, "\(makeOutput)")

        let installed = prefix.appendingPathComponent("bin/inferlab")
        let share = prefix.appendingPathComponent("share/inferlab")
        #expect(FileManager.default.isExecutableFile(atPath: installed.path))
        #expect(FileManager.default.fileExists(atPath: share.appendingPathComponent("labs/batch-end-to-end/lab.yaml").path))
        #expect(FileManager.default.fileExists(atPath: share.appendingPathComponent("datasets/models/xgboost/model.tar.gz").path))

        let here = try AnyFolderTests.emptyFolder()
        let runner = BinaryRunner()
        let environment = ["INFERLAB_PROVISIONING_SECONDS": "0"]
        let selftest = try runner.run(["lab", "selftest", "batch-end-to-end"], environment: environment, in: here, executable: installed)
        #expect(selftest.status == 0, "\(selftest.output)\(selftest.error)")
        #expect(selftest.output.contains("lab selftest: 1 passed, 0 failed"), "\(selftest.output)")

        // It reads its own share/inferlab: the datasets listed, and a lab that only the installed kit has.
        let datasets = try runner.run(["datasets", "list"], environment: environment, in: here, executable: installed)
        #expect(datasets.output.contains("Files in \(share.path)/datasets/"), "\(datasets.output)")
        let added = try runner.run([], input: "lab new only-installed\nlab list\n", environment: environment, in: here, executable: installed)
        #expect(added.status == 0, "\(added.error)")
        #expect(added.output.contains("only-installed"))
        #expect(FileManager.default.fileExists(atPath: share.appendingPathComponent("labs/only-installed/lab.yaml").path))
        #expect(!FileManager.default.fileExists(atPath: BinaryRunner.packageRoot.appendingPathComponent("labs/only-installed").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path).isEmpty)
        try? FileManager.default.removeItem(at: prefix)
    }
}
