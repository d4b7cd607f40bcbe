import Foundation

/// How new leads find their owner, as data (`GET|PUT /api/v1/settings/lead-routing`): ordered rules, the first whose
/// conditions a lead meets decides; each rule names a strategy and its members. Assignment runs inside the lead's
/// own write, so a lead is never stored without either an owner or an alert saying why it has none.
public struct LeadRouting: Sendable, Equatable {
    public enum Strategy: String, Sendable, CaseIterable {
        /// Members in turn.
        case roundRobin = "round_robin"
        /// Members in turn, each as often as their weight says (smooth weighted round-robin).
        case weighted
        /// The member with the fewest open uncontacted leads.
        case leastLoaded = "least_loaded"
        /// The members converting this industry best over 90 days (the top N), in turn.
        case bestPerformer = "best_performer"
        /// No owner: the lead goes to the public pool (公海) to be nurtured or claimed.
        case pool
    }

    public struct Member: Sendable, Equatable {
        /// A user id or e-mail address.
        public var user: String
        public var weight: Int

        public init(user: String, weight: Int = 1) { (self.user, self.weight) = (user, weight) }

        /// Whether `reference` (a user id or e-mail, as a document names a member) names `user`.
        public static func names(_ reference: String, _ user: User) -> Bool { user.id == reference || user.email == reference.lowercased() }

        /// The user a reference names among `users`.
        public static func user(_ reference: String, in users: [User]) -> User? { users.first { names(reference, $0) } }
    }

    public struct Rule: Sendable, Equatable {
        public var id: String
        public var name: String
        /// Place codes (`CN-GD`, `CN-GD/深圳`, `SA`); a lead matches one of them or any place inside one.
        public var regions: [String] = []
        /// Lead field → the values that match (`channel`, `industry`, any field of leads).
        public var fields: [String: [String]] = [:]
        public var minScore: Double?
        public var maxScore: Double?
        public var strategy: Strategy = .roundRobin
        public var members: [Member] = []
        /// The most open uncontacted leads a member may hold; over it they are skipped.
        public var capacity: Int?
        /// How many best performers share the leads.
        public var top: Int = 3
        /// How fast its leads must be answered; nil: the document's SLA.
        public var sla: ResponseSLA?

        public init(id: String, name: String) { (self.id, self.name) = (id, name) }
    }

    /// The public pool (公海): leads nobody followed up return to it; reps claim from it.
    public struct Pool: Sendable, Equatable {
        /// A lead still new this many days after it was assigned, with no activity logged, returns to the pool; nil: never.
        public var returnAfterDays: Int? = 7
        /// How many leads one rep may claim in 24 hours.
        public var claimsPerDay = 10
        /// Days before a rep may claim again a lead that returned (or was released) from them.
        public var cooldownDays = 3

        public init() {}
    }

    public var enabled = true
    public var rules: [Rule] = []
    public var pool = Pool()
    /// Who takes a lead when a matching rule has no member available.
    public var fallback: [Member] = []
    /// The response SLA of leads whose rule sets none.
    public var sla: ResponseSLA?

    /// What a new lead that is an existing customer (a contact, or a company that is an account) gets: linked to it
    /// and given to its owner (`owner`), linked only and routed by the rules (`link`), or neither (`off`).
    public enum ExistingCustomers: String, Sendable, CaseIterable { case owner, link, off }
    public var existingCustomers = ExistingCustomers.owner

    public init() {}

    /// The SLA a lead assigned by `ruleID` (nil: by hand, a claim or the fallback of no rule) is held to.
    public func sla(rule ruleID: String?) -> ResponseSLA? {
        rules.first { $0.id == ruleID }?.sla ?? sla
    }

    /// Every robot the SLAs name, with where.
    public var robots: [(path: String, robot: String)] {
        var out: [(path: String, robot: String)] = []
        if let robot = sla?.robot { out.append(("sla.robot", robot)) }
        for (i, rule) in rules.enumerated() { if let robot = rule.sla?.robot { out.append(("rules[\(i)].sla.robot", robot)) } }
        return out
    }

    /// The first rule a lead meets: its values, and the codes of the places it is in (see `RegionTable.resolve`).
    public func rule(for values: [String: JSONValue], places: Set<String>) -> Rule? {
        rules.first { $0.matches(values, places: places) }
    }

    /// Every user a document names, with where.
    public var users: [(path: String, user: String)] {
        var out: [(path: String, user: String)] = []
        for (i, rule) in rules.enumerated() {
            for (j, member) in rule.members.enumerated() { out.append(("rules[\(i)].members[\(j)].user", member.user)) }
        }
        for (j, member) in fallback.enumerated() { out.append(("fallback[\(j)].user", member.user)) }
        return out
    }
}

extension LeadRouting.Rule {
    public func matches(_ values: [String: JSONValue], places: Set<String>) -> Bool {
        if !regions.isEmpty, !regions.contains(where: places.contains) { return false }
        for (field, wanted) in fields {
            guard let value = Self.text(values[field]), wanted.contains(value) else { return false }
        }
        if minScore != nil || maxScore != nil {
            guard let score = values["score"]?.doubleValue else { return false }
            if let minScore, score < minScore { return false }
            if let maxScore, score > maxScore { return false }
        }
        return true
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: FormulaEvaluator.text(.number(n))
        case .bool(let b)?: String(b)
        default: nil
        }
    }
}
