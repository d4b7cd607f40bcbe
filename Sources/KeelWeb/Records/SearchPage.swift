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

    struct Result {
        var href, title, details: String
    }

    struct Group {
        var label: String
        var count: Int
        var results: [Result]
    }

    public struct Context: PageContext {
        public static let template = Template.search

        var q: String
        var groups: [Group]
        var searched: Bool
    }

    public func context(_ t: Strings) -> Context {
        let lang = t.language
        return Context(q: query, groups: groups.map { object, records in
            Group(label: lang.label(object.labels), count: records.count, results: records.map { r in
                let details = Self.detailFields.compactMap { name -> String? in
                    guard let f = object.field(name), !r.value(name).isNull else { return nil }
                    return ValueDisplay.text(of: r, f, t)
                }
                return Result(href: "/o/\(object.name)/\(r.id)", title: RecordPage.title(of: r), details: details.joined(separator: " · "))
            })
        }, searched: !query.isEmpty)
    }
}
