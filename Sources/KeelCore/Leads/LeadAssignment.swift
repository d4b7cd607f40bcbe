/// One assignment of a lead: to whom (nil: unassigned or to the pool), by which rule and strategy, why (in Chinese and
/// English), by whom (nil: the routing itself) and when.
public struct LeadAssignment: Sendable, Equatable {
    public var id: String
    public var leadID: String
    public var ownerID: String?
    public var previousOwner: String?
    public var ruleID: String?
    public var strategy: String?
    public var reasonZh: String
    public var reasonEn: String
    public var actor: String?
    public var at: String

    public init(id: String = RecordID.make(), leadID: String, ownerID: String?, previousOwner: String?, ruleID: String?, strategy: String?,
                reasonZh: String, reasonEn: String, actor: String?, at: String) {
        (self.id, self.leadID, self.ownerID, self.previousOwner, self.ruleID, self.strategy) = (id, leadID, ownerID, previousOwner, ruleID, strategy)
        (self.reasonZh, self.reasonEn, self.actor, self.at) = (reasonZh, reasonEn, actor, at)
    }
}

extension LeadAssignment {
    public var json: JSONValue {
        ["id": .string(id), "owner": ownerID.map(JSONValue.string) ?? .null, "previousOwner": previousOwner.map(JSONValue.string) ?? .null,
         "rule": ruleID.map(JSONValue.string) ?? .null, "strategy": strategy.map(JSONValue.string) ?? .null,
         "reason": ["zh-CN": .string(reasonZh), "en": .string(reasonEn)], "actor": actor.map(JSONValue.string) ?? .null, "at": .string(at)]
    }
}
