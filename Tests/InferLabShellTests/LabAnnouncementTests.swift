import Testing
@testable import InferLabShell

/// How the guide closes a step's title in a sentence ("Step 7 complete: …").
struct LabAnnouncementTests {
    @Test func aTitleEndsWithOneMark() {
        #expect(LabGuide.sentence("Batch transform or asynchronous endpoint?") == "Batch transform or asynchronous endpoint?")
        #expect(LabGuide.sentence("Stop paying for the endpoint") == "Stop paying for the endpoint.")
        #expect(LabGuide.sentence("Done.") == "Done.")
    }
}
