/// The routing document in force with what it leaves uncovered.
public struct LeadRoutingSettings: Sendable {
    /// Nil until a document is saved: leads then keep the owner they are given, or their creator.
    public var routing: LeadRouting?
    public var version: Int?
    public var publishedAt: String?
    public var publishedBy: String?
    /// What the document leaves out, though it is valid: regions recent leads came from that no rule covers, rules
    /// with no active member.
    public var warnings: [Violation]

    public init(routing: LeadRouting?, version: Int?, publishedAt: String?, publishedBy: String?, warnings: [Violation]) {
        (self.routing, self.version, self.publishedAt, self.publishedBy, self.warnings) = (routing, version, publishedAt, publishedBy, warnings)
    }

    public var json: JSONValue {
        var out = (routing ?? LeadRouting.off).json.objectValue ?? [:]
        out["version"] = version.map { JSONValue($0) } ?? .null
        out["updatedAt"] = publishedAt.map(JSONValue.string) ?? .null
        out["updatedBy"] = publishedBy.map(JSONValue.string) ?? .null
        out["warnings"] = .array(warnings.map(\.json))
        return .object(out)
    }
}

extension LeadRouting {
    /// What is in force before any document is saved.
    public static var off: LeadRouting {
        var routing = LeadRouting()
        routing.enabled = false
        return routing
    }
}
