import KeelCore

/// An account's ties to other accounts: a star chart and a table of what ties them, with hierarchy suggestions.
public struct RelationshipsPage {
    public var account: Record
    /// (the other account, ties as (kind, value), suggestion: "parent" / "branch" / nil).
    public var links: [(account: Record, via: [(kind: String, value: String)], suggestion: String?)]

    public init(account: Record, links: [(account: Record, via: [(kind: String, value: String)], suggestion: String?)]) {
        self.account = account
        self.links = links
    }

    /// Another account and what ties it to this one.
    struct Tie {
        var name, href, ties, suggestion: String
    }

    public struct Context: PageContext {
        public static let template = Template.relationships

        var title, backHref: String
        var hasLinks: Bool
        /// The star chart.
        var svg: String
        var links: [Tie]
    }

    public func context(_ t: Strings) -> Context {
        func name(_ r: Record) -> String { r.value("name").stringValue ?? r.id }
        let title = t["relationships"] + " · " + name(account)
        return Context(
            title: title, backHref: "/o/accounts/\(account.id)", hasLinks: !links.isEmpty,
            svg: Chart.network(title: title, center: name(account), nodes: links.map {
                Chart.Node(label: name($0.account), edge: $0.via.map { t["tie_" + $0.kind] }.joined(separator: "、"), href: "/o/accounts/\($0.account.id)")
            }),
            links: links.map { link in
                Tie(name: name(link.account), href: "/o/accounts/\(link.account.id)",
                     ties: link.via.map { t["tie_" + $0.kind] + ": " + $0.value }.joined(separator: "；"),
                     suggestion: link.suggestion.map { t["suggest_" + $0] } ?? "")
            })
    }
}
