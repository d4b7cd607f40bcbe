import Foundation

extension LeadRouting {
    /// Reads a routing document, reporting every problem at once with its JSON path. `fields` are the lead fields a
    /// rule may test (nil: any, for a document already checked when saved). Regions are written as names, aliases or
    /// codes and kept as codes. Users are checked by the caller (they live in the database).
    public static func parse(_ json: JSONValue, fields: Set<String>?) throws(KeelError) -> LeadRouting {
        var routing = LeadRouting()
        var violations: [Violation] = []
        func fail(_ path: String, _ code: String, _ message: String) { violations.append(Violation(field: path, code: code, message: message)) }
        guard let object = json.objectValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"enabled\", \"rules\", \"fallback\"}.")
        }
        for key in object.keys.sorted() where !["enabled", "rules", "fallback", "pool", "sla", "existingCustomers", "version", "warnings", "updatedAt", "updatedBy"].contains(key) {
            fail(key, "unknown_key", "\(key) is not part of a routing document (enabled, rules, fallback).")
        }
        violations += object.wrongTypes(["enabled": "boolean", "rules": "array", "fallback": "array"])
        routing.enabled = object["enabled"]?.boolValue ?? true
        routing.fallback = members(object["fallback"], at: "fallback", fail)
        if let sla = object["sla"], !sla.isNull { routing.sla = ResponseSLA.parse(sla, at: "sla", fail) }
        if let existing = object["existingCustomers"], !existing.isNull {
            if let policy = existing.stringValue.flatMap(ExistingCustomers.init(rawValue:)) { routing.existingCustomers = policy } else {
                fail("existingCustomers", "invalid_option", "existingCustomers is owner, link or off.")
            }
        }
        if let pool = object["pool"], !pool.isNull {
            if let settings = pool.objectValue {
                for key in settings.keys.sorted() where !["returnAfterDays", "claimsPerDay", "cooldownDays"].contains(key) {
                    fail("pool.\(key)", "unknown_key", "\(key) is not a pool setting (returnAfterDays, claimsPerDay, cooldownDays).")
                }
                func whole(_ key: String, _ range: ClosedRange<Int>) -> Int? {
                    guard let value = settings[key], !value.isNull else { return nil }
                    guard let n = value.intValue, range.contains(n) else {
                        fail("pool.\(key)", "out_of_range", "\(key) is a whole number from \(range.lowerBound) to \(range.upperBound).")
                        return nil
                    }
                    return n
                }
                if settings["returnAfterDays"]?.isNull == true { routing.pool.returnAfterDays = nil } else if let n = whole("returnAfterDays", 1...365) { routing.pool.returnAfterDays = n }
                if let n = whole("claimsPerDay", 1...1_000) { routing.pool.claimsPerDay = n }
                if let n = whole("cooldownDays", 0...365) { routing.pool.cooldownDays = n }
            } else {
                fail("pool", "invalid_type", "pool is {\"returnAfterDays\", \"claimsPerDay\", \"cooldownDays\"}.")
            }
        }
        var ids = Set<String>()
        for (i, item) in (object["rules"]?.arrayValue ?? []).enumerated() {
            let at = "rules[\(i)]"
            guard let rule = item.objectValue else {
                fail(at, "invalid_type", "A rule is an object: {\"id\", \"name\", \"when\", \"strategy\", \"members\"}.")
                continue
            }
            for key in rule.keys.sorted() where !["id", "name", "when", "strategy", "members", "capacity", "top", "sla"].contains(key) {
                fail("\(at).\(key)", "unknown_key", "\(key) is not part of a rule (id, name, when, strategy, members, capacity, top, sla).")
            }
            violations += rule.wrongTypes(["id": "string", "name": "string", "when": "object", "strategy": "string", "members": "array"])
                .map { Violation(field: "\(at).\($0.field)", code: $0.code, message: $0.message) }
            let id = rule["id"]?.stringValue ?? "rule\(i + 1)"
            if id.isEmpty || id.count > 64 || !ids.insert(id).inserted {
                fail("\(at).id", "invalid_id", "Each rule has its own id of 1 to 64 characters; \(id) is \(id.isEmpty || id.count > 64 ? "not" : "taken").")
            }
            var parsed = Rule(id: id, name: rule["name"]?.stringValue ?? id)
            if let text = rule["strategy"]?.stringValue {
                if let strategy = Strategy(rawValue: text) { parsed.strategy = strategy } else {
                    fail("\(at).strategy", "invalid_option", "strategy is one of \(Strategy.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
            }
            parsed.members = members(rule["members"], at: "\(at).members", fail)
            if let sla = rule["sla"], !sla.isNull { parsed.sla = ResponseSLA.parse(sla, at: "\(at).sla", fail) }
            if parsed.strategy != .pool, parsed.members.isEmpty {
                fail("\(at).members", "required", "A rule that assigns needs at least one member (or the strategy pool).")
            }
            if let capacity = rule["capacity"], !capacity.isNull {
                if let n = capacity.intValue, (1...10_000).contains(n) { parsed.capacity = n } else {
                    fail("\(at).capacity", "out_of_range", "capacity is a whole number from 1 to 10000 (open uncontacted leads per member).")
                }
            }
            if let top = rule["top"], !top.isNull {
                if let n = top.intValue, (1...50).contains(n) { parsed.top = n } else {
                    fail("\(at).top", "out_of_range", "top is a whole number from 1 to 50.")
                }
            }
            for (key, value) in (rule["when"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let path = "\(at).when.\(key)"
                switch key {
                case "regions":
                    for (j, name) in (value.arrayValue ?? [value]).enumerated() {
                        if let place = name.stringValue.flatMap { RegionTable.place($0) } { parsed.regions.append(place.code) } else {
                            fail("\(path)[\(j)]", "unknown_region", "\(name.stringValue ?? name.typeName) is not a country, province or city Keel knows.")
                        }
                    }
                case "score":
                    guard let band = value.objectValue, Set(band.keys).isSubset(of: ["min", "max"]),
                          band.values.allSatisfy({ $0.numberValue != nil }) else {
                        fail(path, "invalid_type", "score is {\"min\", \"max\"} with numbers.")
                        continue
                    }
                    parsed.minScore = band["min"]?.doubleValue
                    parsed.maxScore = band["max"]?.doubleValue
                    if let lo = parsed.minScore, let hi = parsed.maxScore, lo > hi { fail(path, "out_of_range", "score.min is above score.max.") }
                default:
                    guard fields?.contains(key) ?? true else {
                        fail(path, "unknown_field", "Leads have no field \(key); a rule tests regions, score or a lead field.")
                        continue
                    }
                    let wanted = (value.arrayValue ?? [value]).compactMap { Rule.text($0) }
                    if wanted.isEmpty { fail(path, "required", "Name at least one value of \(key).") }
                    parsed.fields[key] = wanted
                }
            }
            routing.rules.append(parsed)
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return routing
    }

    static func members(_ json: JSONValue?, at path: String, _ fail: (String, String, String) -> Void) -> [Member] {
        var out: [Member] = []
        for (j, item) in (json?.arrayValue ?? []).enumerated() {
            if let user = item.stringValue, !user.isEmpty {
                out.append(Member(user: user))
            } else if let user = item["user"]?.stringValue, !user.isEmpty, Set(item.objectValue?.keys ?? [:].keys).isSubset(of: ["user", "weight"]) {
                let weight = item["weight"].map { $0.intValue ?? 0 } ?? 1
                guard (1...100).contains(weight) else {
                    fail("\(path)[\(j)].weight", "out_of_range", "weight is a whole number from 1 to 100.")
                    continue
                }
                out.append(Member(user: user, weight: weight))
            } else {
                fail("\(path)[\(j)]", "invalid_member", "A member is a user's id or e-mail, or {\"user\", \"weight\"}.")
            }
        }
        return out
    }

    public var json: JSONValue {
        // A member of weight 1 is written as the user alone: the document reads as people write it.
        func members(_ list: [Member]) -> JSONValue {
            .array(list.map { $0.weight == 1 ? .string($0.user) : ["user": .string($0.user), "weight": JSONValue($0.weight)] })
        }
        var out: [String: JSONValue] = [
            "enabled": .bool(enabled),
            "rules": .array(rules.map { rule in
                var when: [String: JSONValue] = rule.fields.mapValues { .array($0.map(JSONValue.string)) }
                if !rule.regions.isEmpty { when["regions"] = .array(rule.regions.map(JSONValue.string)) }
                var score: [String: JSONValue] = [:]
                if let lo = rule.minScore { score["min"] = JSONValue(lo) }
                if let hi = rule.maxScore { score["max"] = JSONValue(hi) }
                if !score.isEmpty { when["score"] = .object(score) }
                var out: [String: JSONValue] = ["id": .string(rule.id), "name": .string(rule.name), "when": .object(when),
                                                "strategy": .string(rule.strategy.rawValue)]
                if !rule.members.isEmpty { out["members"] = members(rule.members) }
                if let capacity = rule.capacity { out["capacity"] = JSONValue(capacity) }
                if rule.strategy == .bestPerformer { out["top"] = JSONValue(rule.top) }
                if let sla = rule.sla { out["sla"] = sla.json }
                return .object(out)
            }),
            "fallback": members(fallback),
            "pool": ["returnAfterDays": pool.returnAfterDays.map { JSONValue($0) } ?? .null, "claimsPerDay": JSONValue(pool.claimsPerDay),
                     "cooldownDays": JSONValue(pool.cooldownDays)],
        ]
        if let sla { out["sla"] = sla.json }
        out["existingCustomers"] = .string(existingCustomers.rawValue)
        return .object(out)
    }
}
