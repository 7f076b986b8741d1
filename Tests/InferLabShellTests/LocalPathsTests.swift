import Foundation
import Testing
@testable import InferLabShell

/// How typed local paths resolve: `lab-data/` into the workspace, `datasets/` to the kit's when
/// reading a file the current folder lacks, anything else relative to the current folder.
struct LocalPathsTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-paths-\(UUID().uuidString)")
    var here: URL { root.appendingPathComponent("here") }
    var kit: URL { root.appendingPathComponent("kit/datasets") }
    var labData: URL { root.appendingPathComponent("ws/labs/l/lab-data") }
    var paths: LocalPaths { LocalPaths(labData: labData, datasets: kit, current: here) }

    init() throws {
        try FileManager.default.createDirectory(at: kit.appendingPathComponent("loans"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: here, withIntermediateDirectories: true)
        try Data("1\n".utf8).write(to: kit.appendingPathComponent("loans/data.csv"))
    }

    @Test(arguments: ["lab-data/x.csv", "./lab-data/x.csv", "sub/../lab-data/x.csv"])
    func labDataIsTheWorkspacesFolder(typed: String) {
        #expect(paths.url(typed, for: .writing).path == labData.appendingPathComponent("x.csv").path)
        #expect(paths.url(typed, for: .reading).path == labData.appendingPathComponent("x.csv").path)
    }

    @Test func labDataAloneIsTheFolder() {
        #expect(paths.url("lab-data", for: .reading).path == labData.path)
        #expect(paths.url("lab-data/", for: .writing).path == labData.path)
    }

    @Test func datasetsReadsTheKitsWhenTheCurrentFolderHasNone() throws {
        #expect(paths.url("datasets/loans/data.csv", for: .reading).path == kit.appendingPathComponent("loans/data.csv").path)
        #expect(paths.url("datasets", for: .reading).path == kit.path)
        // Writing never goes into the kit; a missing kit file is the current folder's.
        #expect(paths.url("datasets/loans/data.csv", for: .writing).path == here.appendingPathComponent("datasets/loans/data.csv").path)
        #expect(paths.url("datasets/loans/none.csv", for: .reading).path == here.appendingPathComponent("datasets/loans/none.csv").path)
        // A file of the current folder comes first.
        try FileManager.default.createDirectory(at: here.appendingPathComponent("datasets/loans"), withIntermediateDirectories: true)
        try Data("2\n".utf8).write(to: here.appendingPathComponent("datasets/loans/data.csv"))
        #expect(paths.url("datasets/loans/data.csv", for: .reading).path == here.appendingPathComponent("datasets/loans/data.csv").path)
    }

    @Test func otherPathsAreTheCurrentFoldersOrAbsolute() {
        #expect(paths.url("out/a.csv", for: .writing).path == here.appendingPathComponent("out/a.csv").path)
        #expect(paths.url("/abs/lab-data/a.csv", for: .writing).path == "/abs/lab-data/a.csv")
        #expect(paths.url("my-lab-data/a.csv", for: .writing).path == here.appendingPathComponent("my-lab-data/a.csv").path)
        #expect(paths.url("~/a.csv", for: .reading).path == (NSString(string: "~/a.csv").expandingTildeInPath))
    }

    @Test func completionOffersBothNamesAndLooksInsideThem() throws {
        try FileManager.default.createDirectory(at: labData, withIntermediateDirectories: true)
        try Data().write(to: labData.appendingPathComponent("out.csv"))
        let top = PathCompletion.local("", paths: paths)
        #expect(top.contains("lab-data/") && top.contains("datasets/"), "\(top)")
        #expect(PathCompletion.local("lab-data/o", paths: paths) == ["lab-data/out.csv"])
        #expect(PathCompletion.local("datasets/lo", paths: paths) == ["datasets/loans/"])
    }
}
