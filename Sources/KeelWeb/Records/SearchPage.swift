import KeelCore

/// Global search results, grouped by object.
public struct SearchPage {
    public var query: String
    public var groups: [(object: ObjectDefinition, records: [Record])]

    public init(query: String, groups: [(object: ObjectDefinition, records: [Record])]) {
        self.query = query
        self.groups = groups
    }

    /// Fields shown under a result's title when the record has them.
    static let detailFields = ["company", "phone", "mobile", "email", "credit_code", "city", "stage", "status"]

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        let groups: [[String: Any]] = groups.map { object, records in
            [
                "label": lang.label(object.labels), "count": records.count,
                "results": records.map { r -> [String: Any] in
                    let details = Self.detailFields.compactMap { name -> String? in
                        guard let f = object.field(name), !r.value(name).isNull else { return nil }
                        return ValueDisplay.text(of: r, f, t)
                    }
                    return ["href": "/o/\(object.name)/\(r.id)", "title": RecordPage.title(of: r), "details": details.joined(separator: " · ")]
                },
            ]
        }
        return ["q": query, "groups": groups, "searched": !query.isEmpty]
    }
}
