/// A deal's probability follows its stage — 初步接洽 10 %, 需求确认 20 %, 方案分析 40 %, 提交方案 60 %, 商务谈判 80 %,
/// 赢单 100 %, 输单 0 % by default, else as the object's pipeline says — unless someone set it by hand: a probability
/// other than its stage's stays when the stage moves.
public enum StageProbability {
    public static let byStage = PipelineSet.standardOpportunities.probabilities

    /// The probability to write with `values` (validated) on `current` (nil for a new record), or nil to leave it: a new
    /// record without one takes its stage's; a stage move takes the new stage's when the probability was its old stage's.
    public static func following(_ values: [String: JSONValue], current: Record?, object: ObjectDefinition,
                                 probabilities byStage: [String: Double] = byStage) -> JSONValue? {
        guard object.field("probability")?.type == .percent, object.field("stage")?.type == .picklist,
              values["probability"] == nil || (current == nil && values["probability"] == .null),
              let stage = values["stage"]?.stringValue, let probability = byStage[stage] else { return nil }
        guard let current else { return JSONValue(probability) }
        let before = current.value("stage").stringValue
        guard before != stage else { return nil }
        let held = current.value("probability")
        guard held.isNull || held.doubleValue == before.flatMap({ byStage[$0] }) else { return nil }
        return JSONValue(probability)
    }
}
