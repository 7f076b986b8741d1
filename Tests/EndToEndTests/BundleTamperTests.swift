import Foundation
import Testing
import InferLabEngine
@testable import InferLabLabs

/// Each way a hostile student was seen to get a contradictory bundle past `verify`, reproduced
/// with every hash rebuilt, and flagged.
@Suite struct BundleTamperTests {
    @Test func honestBundlesVerifyWithoutFlags() throws {
        let fixture = try BundleFixture.make()
        let alice = fixture.verifier.verify(fixture.alice)
        #expect(alice.flags.isEmpty, "\(alice.flags)")
        #expect(alice.points == 4 && alice.maxPoints == 4 && alice.solvedSteps == 1 && alice.hintsUsed == 2)
        #expect(WorkspaceIdentity.isWellFormed(alice.workspaceId ?? ""))
        let mallory = fixture.verifier.verify(fixture.mallory)
        #expect(mallory.flags.isEmpty, "\(mallory.flags)")
        #expect(mallory.points == 0)
        #expect(mallory.workspaceId != alice.workspaceId)
    }
}
