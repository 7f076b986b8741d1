import Foundation
@testable import InferLabLabs

/// Honest bundles made by the kit, once per test run, for the tampering, bomb and fuzz tests:
/// `alice` did the lab (a hint, a solve, another hint, a quiz answer), `mallory` only started it.
struct BundleFixture: Sendable {
    static let lab = SubmissionTests.lab.replacingOccurrences(of: "    solve:\n", with: "    hints: [Run a transform job., Type `lab solve`.]\n    solve:\n") + "\n" + """
          - id: think
            title: Think
            text: steps/01.md
            hints: [Batch runs offline.]
            checks:
              - id: why
                description: "Quiz: why batch"
                points: 1
                quiz: {question: Why batch?, choices: [It is fast, It is cheap], answer: 2}

        """

    let labs: URL
    let folder: URL
    let environment: [String: String]
    let alice: URL
    let aliceAgain: URL
    let mallory: URL

    static let shared: Result<BundleFixture, any Error> = Result { try BundleFixture() }

    static func make() throws -> BundleFixture { try shared.get() }

    private init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-fixture-\(UUID().uuidString)")
        labs = root.appendingPathComponent("labs")
        folder = root.appendingPathComponent("bundles")
        try FileManager.default.createDirectory(at: labs.appendingPathComponent("mini-batch/steps"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.lab.write(to: labs.appendingPathComponent("mini-batch/lab.yaml"), atomically: true, encoding: .utf8)
        try "# Score\n".write(to: labs.appendingPathComponent("mini-batch/steps/01.md"), atomically: true, encoding: .utf8)
        environment = ["INFERLAB_LABS_DIR": labs.path, "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]
        alice = folder.appendingPathComponent("alice.zip")
        aliceAgain = folder.appendingPathComponent("alice-again.zip")
        mallory = folder.appendingPathComponent("mallory.zip")
        let honest = BinaryRunner()
        let run = try honest.run([], input: """
            lab start mini-batch
            lab hint
            lab solve
            lab hint
            lab answer why 2
            lab submit --name alice --output \(alice.path)
            lab submit --name alice-again --output \(aliceAgain.path)

            """, environment: environment)
        guard run.status == 0 else { throw VerifyError("the honest learner's run failed: \(run.error)") }
        let lazy = BinaryRunner()
        let lazyRun = try lazy.run([], input: "lab start mini-batch\nlab submit --name mallory --output \(mallory.path)\n", environment: environment)
        guard lazyRun.status == 0 else { throw VerifyError("the lazy learner's run failed: \(lazyRun.error)") }
    }

    var verifier: BundleVerifier {
        BundleVerifier(labs: LabLoader.loadAll(from: labs).labs, referenceModels: BinaryRunner.packageRoot.appendingPathComponent("datasets/models"))
    }

    /// A place for one test's bundles.
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Rewrites a bundle as a determined student would: edit files or the manifest, then
    /// rebuild every hash and the seal, so that only consistency checks can tell.
    static func forge(_ source: URL, to target: URL, reseal: Bool = true,
                      _ edit: (inout [String: Data], inout SubmissionBundle.Manifest) throws -> Void) throws {
        var files = try SubmissionBundle.read(source)
        var manifest = try LabProgress.decoder.decode(SubmissionBundle.Manifest.self, from: files.removeValue(forKey: "manifest.json") ?? Data())
        try edit(&files, &manifest)
        if reseal {
            manifest = SubmissionBundle.Manifest(labId: manifest.labId, labVersion: manifest.labVersion, student: manifest.student,
                                                 createdAt: manifest.createdAt, sha256: files.mapValues(SubmissionBundle.sha256),
                                                 workspaceId: manifest.workspaceId ?? "")
        }
        try SubmissionBundle.pack(files, manifest: manifest, to: target)
    }

    /// Edits `progress.json` inside a forged bundle.
    static func editProgress(_ files: inout [String: Data], _ edit: (inout LabProgress) -> Void) throws {
        var progress = try LabProgress.decoder.decode(LabProgress.self, from: files["progress.json"] ?? Data())
        edit(&progress)
        files["progress.json"] = try LabProgress.encoder.encode(progress)
    }
}
