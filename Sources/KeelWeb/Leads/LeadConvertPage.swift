import KeelCore

/// Converting a lead: for the account and the contact, the records the duplicate check found (chosen by default when
/// one matches) or a new one from the lead's details; and a deal, ticked by default.
public struct LeadConvertPage {
    /// An existing record the duplicate check offers.
    public struct Match: Sendable {
        public var id, name: String
        public var score: Double

        public init(id: String, name: String, score: Double) { (self.id, self.name, self.score) = (id, name, score) }
    }

    public var lead: Record
    public var account: [String: JSONValue], contact: [String: JSONValue], opportunity: [String: JSONValue]
    public var accountMatches: [Match], contactMatches: [Match]
    public var violations: [Violation] = []
    /// The choices sent with a refused conversion: `account`, `contact` ("new" or an id) and `deal` ("1" or none).
    public var chosen: [String: String] = [:]

    public init(lead: Record, account: [String: JSONValue], contact: [String: JSONValue], opportunity: [String: JSONValue],
                accountMatches: [Match], contactMatches: [Match]) {
        (self.lead, self.account, self.contact, self.opportunity) = (lead, account, contact, opportunity)
        (self.accountMatches, self.contactMatches) = (accountMatches, contactMatches)
    }

    struct Choice {
        var value, text: String
        var checked: Bool
    }

    struct Input {
        var name, label, value: String
        var error: String?
    }

    struct Part {
        var key, title: String
        var choices: [Choice]
        var inputs: [Input]
    }

    public struct Context: PageContext {
        public static let template = Template.leadConvert

        public var title: String
        var action, cancelHref, csrf: String
        var errors: [String]
        var parts: [Part]
        var makeDeal: Bool
        var deal: [Input]
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        func part(_ key: String, _ object: ObjectDefinition, _ values: [String: JSONValue], _ matches: [Match], _ fields: [String]) -> Part {
            let choice = chosen[key] ?? matches.first.map(\.id) ?? "new"
            return Part(key: key, title: lang.label(object.labels),
                        choices: matches.map { Choice(value: $0.id, text: "\(t["link_existing"]) \($0.name) (\(t["match_score"]) \(Int(($0.score * 100).rounded(.down)))%)", checked: choice == $0.id) }
                            + [Choice(value: "new", text: t["create_new"], checked: choice == "new")],
                        inputs: fields.compactMap { name in
                            object.field(name).map { f in
                                Input(name: "\(key).\(name)", label: lang.label(f.labels), value: ValueDisplay.formValue(values[name] ?? .null),
                                      error: violations.first { $0.field == "\(key).\(name)" }.map(t.violation))
                            }
                        })
        }
        let deals = StandardObjects.opportunity
        let unplaced = violations.filter { v in !["account.", "contact.", "opportunity."].contains { v.field.hasPrefix($0) } }.map(t.violation)
        return Context(
            title: t["convert_lead"] + " · " + RecordPage.title(of: lead), action: "/o/leads/\(lead.id)/convert", cancelHref: "/o/leads/\(lead.id)", csrf: csrf,
            errors: unplaced,
            parts: [part("account", StandardObjects.account, account, accountMatches, ["name", "industry", "province"]),
                    part("contact", StandardObjects.contact, contact, contactMatches, ["name", "mobile", "phone", "email"])],
            makeDeal: chosen.isEmpty || chosen["deal"] == "1",
            deal: ["name", "amount", "expected_close_date"].compactMap { name in
                deals.field(name).map { f in
                    Input(name: "opportunity.\(name)", label: lang.label(f.labels), value: ValueDisplay.formValue(opportunity[name] ?? .null),
                          error: violations.first { $0.field == "opportunity.\(name)" }.map(t.violation))
                }
            })
    }
}
