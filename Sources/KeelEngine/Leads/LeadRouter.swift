import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Chooses a new lead's owner by the routing document in force, inside the lead's own transaction: the first rule the
/// lead meets, its strategy over the members available now (active, under capacity), the fallback when none is, and
/// otherwise no owner and an alert to the admins naming what is missing. Every decision says why, in both languages.
struct LeadRouter: Sendable {
    static let configKind = "lead_routing", configID = "default"

    let config = ConfigStore()
    let documents = ParsedConfig<LeadRouting>(kind: configKind, id: configID)
    let directory = DirectoryStore()
    let store = RoutingStore()
    let notifier: Notifier
    /// What "today" is, for who is on leave.
    let timeZone: TimeZone

    struct Decision: Sendable {
        var owner: String?
        var ruleID: String?
        var strategy: String?
        var zh: String
        var en: String
    }

    /// The document in force; nil until one is saved (then leads keep the owner they are given, or their creator).
    func document(on db: any SQLDatabase) async throws -> LeadRouting? {
        try await documents.value(on: db) { try LeadRouting.parse($0.definition, fields: nil) }
    }

    /// The owner for a lead being created without one, or nil when routing is off (the caller then keeps its default).
    func route(_ values: [String: JSONValue], routing: LeadRouting, name: String, leadID: String, at now: Date, on db: any SQLDatabase) async throws -> Decision? {
        guard routing.enabled else { return nil }
        let resolved = RegionTable.resolve(country: values["country"]?.stringValue,
                                           province: values["province"]?.stringValue ?? values["region"]?.stringValue, city: values["city"]?.stringValue)
        if !resolved.unknown.isEmpty {
            let what = resolved.unknown.joined(separator: "、")
            try await notifier.alertAdmins(zh: "线索「\(name)」的地区「\(what)」无法识别，已按未知地区分配，请核对。",
                                           en: "Lead “\(name)”: the place “\(what)” is unknown; it was routed as region unknown. Please check it.",
                                           key: "lead-region:\(leadID)", object: StandardObjects.lead.name, recordID: leadID, at: now, on: db)
        }
        let places = Set(resolved.places.map(\.code))
        guard let rule = routing.rule(for: values, places: places) else {
            let region = resolved.places.last.map { "\($0.zh)" } ?? "未知"
            let regionEn = resolved.places.last.map { "\($0.en)" } ?? "unknown"
            let facts = [("渠道", "channel", values["channel"]?.stringValue), ("行业", "industry", values["industry"]?.stringValue)]
                .compactMap { zh, en, v in v.map { (zh + "：" + $0, en + ": " + $0) } }
            let zh = "没有匹配的分配规则（地区：\(region)" + facts.map { "；" + $0.0 }.joined() + "），进入未分配队列"
            let en = "No routing rule matches (region: \(regionEn)" + facts.map { "; " + $0.1 }.joined() + "); left unassigned"
            try await notifier.alertAdmins(zh: "新线索「\(name)」未分配：\(zh)。请在线索分配规则中补充。",
                                           en: "New lead “\(name)” is unassigned: \(en). Add a rule for it.",
                                           key: "lead-unrouted:\(leadID)", object: StandardObjects.lead.name, recordID: leadID, at: now, on: db)
            return Decision(owner: nil, ruleID: nil, strategy: nil, zh: zh, en: en)
        }
        let matched = rule.regions.first(where: places.contains).flatMap { RegionTable.place(code: $0) }
        let head = (zh: "规则「\(rule.name)」" + (matched.map { "（地区：\($0.zh)）" } ?? ""), en: "Rule “\(rule.name)”" + (matched.map { " (region: \($0.en))" } ?? ""))
        if rule.strategy == .pool {
            let score = values["score"]?.numberValue.map { FormulaEvaluator.text(.number($0)) }
            return Decision(owner: nil, ruleID: rule.id, strategy: rule.strategy.rawValue,
                            zh: head.zh + "：" + (score.map { "评分 \($0)，" } ?? "") + "进入公海待培育",
                            en: head.en + ": " + (score.map { "score \($0), " } ?? "") + "sent to the pool for nurturing")
        }

        let users = try await directory.users(named: (rule.members + routing.fallback).map(\.user), on: db)
        func user(_ ref: String) -> User? { LeadRouting.Member.user(ref, in: users) }
        let memberUsers = rule.members.compactMap { m in user(m.user).map { (user: $0, weight: m.weight) } }
        // Open leads are counted only where they matter: a capacity, or the least loaded first.
        let open = rule.capacity == nil && rule.strategy != .leastLoaded ? [:] : try await store.openLeads(owners: memberUsers.map(\.user.id), on: db)
        let today = FormulaValue.dayText(FormulaEvaluator.day(of: now, in: timeZone))
        var skipped: [(zh: String, en: String)] = []
        let available = memberUsers.filter { m in
            if m.user.status != .active {
                skipped.append(("\(m.user.name)（已冻结）", "\(m.user.name) (frozen)"))
                return false
            }
            if m.user.isAway(on: today), let until = m.user.awayUntil {
                skipped.append(("\(m.user.name)（休假至 \(until)）", "\(m.user.name) (on leave until \(until))"))
                return false
            }
            if let capacity = rule.capacity, open[m.user.id, default: 0] >= capacity {
                skipped.append(("\(m.user.name)（已达上限 \(capacity) 条）", "\(m.user.name) (at capacity, \(capacity))"))
                return false
            }
            return true
        }
        let skippedText = skipped.isEmpty ? ("", "") : ("；跳过 " + skipped.map(\.zh).joined(separator: "、"), "; skipped " + skipped.map(\.en).joined(separator: ", "))

        guard !available.isEmpty else {
            let fallback = routing.fallback.compactMap { user($0.user).map { u in (user: u, weight: 1) } }.filter { $0.user.status == .active && !$0.user.isAway(on: today) }
            guard let chosen = try await turn(fallback, key: "fallback", on: db) else {
                let zh = head.zh + "：没有可用成员" + skippedText.0 + "，后备也无人可用，进入未分配队列"
                let en = head.en + ": no member available" + skippedText.1 + ", nor any fallback; left unassigned"
                try await notifier.alertAdmins(zh: "新线索「\(name)」未分配：\(zh)。", en: "New lead “\(name)” is unassigned: \(en).",
                                               key: "lead-unrouted:\(leadID)", object: StandardObjects.lead.name, recordID: leadID, at: now, on: db)
                return Decision(owner: nil, ruleID: rule.id, strategy: rule.strategy.rawValue, zh: zh, en: en)
            }
            return Decision(owner: chosen.id, ruleID: rule.id, strategy: "fallback",
                            zh: head.zh + "：成员均不可用" + skippedText.0 + "，转给后备成员 \(chosen.name)",
                            en: head.en + ": no member available" + skippedText.1 + "; given to fallback member \(chosen.name)")
        }

        switch rule.strategy {
        case .leastLoaded:
            let chosen = available.min { open[$0.user.id, default: 0] < open[$1.user.id, default: 0] }!.user
            let n = open[chosen.id, default: 0]
            return Decision(owner: chosen.id, ruleID: rule.id, strategy: rule.strategy.rawValue,
                            zh: head.zh + "：分给待联系线索最少的成员（\(n) 条）" + skippedText.0,
                            en: head.en + ": to the member with the fewest uncontacted leads (\(n))" + skippedText.1)
        case .bestPerformer:
            if let industry = values["industry"]?.stringValue, !industry.isEmpty {
                let since = ValueFormats.formatDateTime(now.addingTimeInterval(-90 * 86_400))
                let stats = try await store.conversions(owners: available.map(\.user.id), industry: industry, since: since, on: db)
                let team = stats.values.reduce((0, 0)) { ($0.0 + $1.leads, $0.1 + $1.converted) }
                func rate(_ id: String) -> Double { stats[id].map { $0.leads == 0 ? 0 : Double($0.converted) / Double($0.leads) } ?? 0 }
                if team.0 > 0 {
                    let ranked = available.enumerated().sorted { rate($0.element.user.id) > rate($1.element.user.id) || (rate($0.element.user.id) == rate($1.element.user.id) && $0.offset < $1.offset) }
                        .map(\.element).prefix(rule.top)
                    if let chosen = try await turn(Array(ranked), key: "\(rule.id):top", on: db) {
                        let mine = Self.percent(rate(chosen.id)), all = Self.percent(Double(team.1) / Double(team.0))
                        return Decision(owner: chosen.id, ruleID: rule.id, strategy: rule.strategy.rawValue,
                                        zh: "按行业专长优先：\(chosen.name)近 90 天\(industry)成交率 \(mine)，团队 \(all)（\(head.zh)）" + skippedText.0,
                                        en: "Industry expertise first: \(chosen.name)'s 90-day \(industry) conversion is \(mine), the team's \(all) (\(head.en))" + skippedText.1)
                    }
                }
            }
            let chosen = try await turn(available, key: rule.id, on: db)!
            return Decision(owner: chosen.id, ruleID: rule.id, strategy: rule.strategy.rawValue,
                            zh: head.zh + "：暂无该行业近 90 天的成交记录，轮流分配" + skippedText.0,
                            en: head.en + ": no conversions in this industry over 90 days yet; in turn" + skippedText.1)
        case .roundRobin, .weighted, .pool:
            let weighted = rule.strategy == .weighted
            let chosen = try await turn(weighted ? available : available.map { ($0.user, 1) }, key: rule.id, on: db)!
            let total = available.reduce(0) { $0 + $1.weight }, weight = available.first { $0.user.id == chosen.id }!.weight
            return Decision(owner: chosen.id, ruleID: rule.id, strategy: rule.strategy.rawValue,
                            zh: head.zh + (weighted ? "：按权重轮流分配（权重 \(weight)/\(total)）" : "：轮流分配") + skippedText.0,
                            en: head.en + (weighted ? ": in turn by weight (\(weight) of \(total))" : ": in turn") + skippedText.1)
        }
    }

    /// The next member in turn among `members` (smooth weighted round-robin), its running weights stored.
    func turn(_ members: [(user: User, weight: Int)], key: String, on db: any SQLDatabase) async throws -> User? {
        let running = try await store.turns(rule: key, users: members.map(\.user.id), on: db)
        guard let (id, next) = WeightedTurn.pick(members.map { ($0.user.id, $0.weight) }, running: running) else { return nil }
        try await store.setTurns(rule: key, next, on: db)
        return members.first { $0.user.id == id }?.user
    }
}

extension LeadRouter {
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
