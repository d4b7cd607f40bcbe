import Foundation
import KeelCore

/// A salesperson's leads at a glance (线索工作台): mine, my team's, the unassigned queue and the public pool, each
/// lead with where it is from, how it came, when it was assigned and why; claim from the pool, release to it with a
/// reason, hand an unassigned lead to someone.
public struct LeadInboxPage: PageContext {
    public static let template = Template.leadInbox
    public static let tabs = ["mine", "team", "unassigned", "pool"]

    struct Row {
        var id, name, company, place, channel, score, assigned, reason: String
        var href: String
        /// The response SLA's badge (mine and the team's).
        var sla: SLABadge?
    }

    var tabs: [Link]
    var tab: String
    var rows: [Row]
    var hasRows: Bool
    var empty: String
    var csrf: String
    var mine, pool, unassigned: Bool
    /// Whether the tab shows each lead's response SLA (leads with an owner).
    var showsSLA: Bool
    /// Whether the tab offers an action on its leads (the team's are opened, not acted on here).
    var hasActions: Bool
    var assignees: [Option]
    var allLeads: String
    /// Why the last action was refused.
    var error: String?

    /// `records` as the reader may see them; `names` user id → name; `assignees` the active users a lead may be given to;
    /// `timers` each lead's response timers; `assignments` each lead's latest assignment (its reason in the reader's language).
    public init(tab: String, records: [Record], leads: ObjectDefinition, names: [String: String], assignees: [(id: String, name: String)],
                timers: [String: [SLATimer]], assignments: [String: LeadAssignment], now: Date, _ t: Strings, csrf: String, error: String? = nil) {
        self.error = error
        self.tab = tab
        tabs = Self.tabs.map { Link("/lead-inbox?tab=\($0)", t["inbox_" + $0], current: $0 == tab) }
        (mine, pool, unassigned) = (tab == "mine", tab == "pool", tab == "unassigned")
        showsSLA = tab == "mine" || tab == "team"
        hasActions = tab != "team"
        self.csrf = csrf
        empty = t["inbox_empty_" + tab]
        allLeads = t["inbox_all_leads"]
        rows = records.map { r in
            let places = [r.value("province").stringValue, r.value("city").stringValue, r.value("country").stringValue].compactMap { $0 }
            let when = (tab == "pool" ? r.value("pooled_at") : r.value("assigned_at")).stringValue
            return Row(id: r.id, name: r.value("name").stringValue ?? "—", company: r.value("company").stringValue ?? "—",
                       place: places.isEmpty ? "—" : places.joined(separator: " "),
                       channel: r.value("channel").stringValue.map { t.option($0, of: leads.field("channel")) } ?? "—",
                       score: r.value("score").numberValue.map { ValueDisplay.text(.number($0.rounded(0, .halfUp)), nil, t) } ?? "—",
                       assigned: (tab == "team" ? r.value("owner").stringValue.flatMap { names[$0] }.map { $0 + " · " } ?? "" : "")
                           + (when.map { t.ago($0, now: now) } ?? "—"),
                       reason: assignments[r.id].map { t.language == .en ? $0.reasonEn : $0.reasonZh } ?? r.value("assignment_reason").stringValue ?? "—",
                       href: "/o/leads/\(r.id)",
                       sla: SLABadge(SLAStanding(timers[r.id] ?? []), now: now, t))
        }
        hasRows = !rows.isEmpty
        self.assignees = assignees.map { Option($0.id, $0.name, selected: false) }
    }
}
