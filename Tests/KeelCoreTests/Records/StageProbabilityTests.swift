import KeelCore
import Testing

/// A deal's probability follows its stage unless someone set it by hand.
@Suite struct StageProbabilityTests {
    let deals = StandardObjects.opportunity

    func deal(_ stage: String, _ probability: JSONValue) -> Record {
        Record(object: "opportunities", id: "d", version: 1, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil,
               values: ["stage": .string(stage), "probability": probability])
    }

    @Test func followsTheStageUnlessSetByHand() {
        // New: its stage's, unless given.
        #expect(StageProbability.following(["stage": "prospecting"], current: nil, object: deals) == .number(10))
        #expect(StageProbability.following(["stage": "prospecting", "probability": 35], current: nil, object: deals) == nil)
        // Moved: the new stage's when it held the old stage's (or none); a hand-set one stays; a move that sets one keeps it.
        #expect(StageProbability.following(["stage": "proposal"], current: deal("qualification", 20), object: deals) == .number(60))
        #expect(StageProbability.following(["stage": "closed_won"], current: deal("negotiation", .null), object: deals) == .number(100))
        #expect(StageProbability.following(["stage": "proposal"], current: deal("qualification", 35), object: deals) == nil)
        #expect(StageProbability.following(["stage": "proposal", "probability": 50], current: deal("qualification", 20), object: deals) == nil)
        // No move, or another object: nothing.
        #expect(StageProbability.following(["amount": 5], current: deal("qualification", 20), object: deals) == nil)
        #expect(StageProbability.following(["stage": "proposal"], current: nil, object: StandardObjects.account) == nil)
    }
}
