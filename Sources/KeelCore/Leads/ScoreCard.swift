import Foundation

/// How leads are scored (`GET|PUT /api/v1/settings/lead-scoring`): dimensions such as industry fit, budget clarity,
/// decision chain, urgency and interaction, each a formula over the lead worth 0 to 20. A lead's `score` is their sum,
/// computed when it arrives and whenever it changes, and `score_breakdown` keeps each dimension's part.
public struct ScoreCard: Sendable {
    public struct Dimension: Sendable {
        public var id: String
        public var labels: Labels
        public var formula: Formula
    }

    public static let maxPoints = 20.0
    public var enabled = true
    public var dimensions: [Dimension] = []

    public init() {}

    /// Reads a card, every problem with its path; each formula must parse over leads and give a number.
    public static func parse(_ json: JSONValue, schema: FormulaSchema) throws(KeelError) -> ScoreCard {
        guard let object = json.objectValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"enabled\", \"dimensions\": [{\"id\", \"labels\", \"formula\"}]}.")
        }
        var card = ScoreCard()
        var violations = object.wrongTypes(["enabled": "boolean", "dimensions": "array"])
        for key in object.keys.sorted() where !["enabled", "dimensions"].contains(key) {
            violations.append(Violation(field: key, code: "unknown_key", message: "\(key) is not part of a score card (enabled, dimensions)."))
        }
        card.enabled = object["enabled"]?.boolValue ?? true
        let items = object["dimensions"]?.arrayValue ?? []
        if items.count > 10 { violations.append(Violation(field: "dimensions", code: "out_of_range", message: "A card has at most 10 dimensions.")) }
        var ids = Set<String>()
        for (i, item) in items.prefix(10).enumerated() {
            let at = "dimensions[\(i)]"
            guard let fields = item.objectValue else {
                violations.append(Violation(field: at, code: "invalid_type", message: "A dimension is {\"id\", \"labels\", \"formula\"}."))
                continue
            }
            for key in fields.keys.sorted() where !["id", "labels", "formula"].contains(key) {
                violations.append(Violation(field: "\(at).\(key)", code: "unknown_key", message: "\(key) is not part of a dimension (id, labels, formula)."))
            }
            let id = item["id"]?.stringValue ?? ""
            if id.range(of: #"^[a-z][a-z0-9_]{0,39}$"#, options: .regularExpression) == nil || !ids.insert(id).inserted {
                violations.append(Violation(field: "\(at).id", code: "invalid_name", message: "Each dimension has its own id: a lowercase letter, then a-z, 0-9 or _."))
            }
            let labels = item["labels"] ?? .null
            let zh = labels["zh-CN"]?.stringValue ?? id, en = labels["en"]?.stringValue ?? id
            if !labels.isNull, labels.objectValue == nil || !(labels.objectValue ?? [:]).allSatisfy({ ["zh-CN", "en"].contains($0.key) && ($0.value.isNull || $0.value.stringValue != nil) })
                || zh.count > 100 || en.count > 100 {
                violations.append(Violation(field: "\(at).labels", code: "invalid_type", message: "labels is {\"zh-CN\", \"en\"}, each a text of at most 100 characters."))
            }
            do {
                let formula = try Formula(item["formula"]?.stringValue ?? "", schema: schema)
                guard formula.type == .number || formula.type == .null else {
                    violations.append(Violation(field: "\(at).formula", code: "invalid_formula", message: "A dimension's formula gives a number from 0 to 20, not \(formula.type.rawValue)."))
                    continue
                }
                card.dimensions.append(Dimension(id: id, labels: Labels(zhCN: zh, en: en), formula: formula))
            } catch {
                violations.append(Violation(field: "\(at).formula", code: "invalid_formula", message: "\(error.message) (at position \(error.position))"))
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return card
    }

    public var json: JSONValue {
        ["enabled": .bool(enabled), "dimensions": .array(dimensions.map {
            ["id": .string($0.id), "labels": ["zh-CN": .string($0.labels.zhCN), "en": .string($0.labels.en)], "formula": .string($0.formula.text)]
        })]
    }

    /// Each dimension's points for a lead (0 to 20, whole; a formula giving null or no number gives 0) and their sum.
    public func score(_ context: FormulaContext) -> (total: Double, parts: [String: Double]) {
        var parts: [String: Double] = [:]
        for dimension in dimensions {
            let points = if case .number(let n) = dimension.formula.evaluate(context), !n.isNaN { min(max(n.rounded(0, .halfUp).double, 0), Self.maxPoints) } else { 0.0 }
            parts[dimension.id] = points
        }
        return (parts.values.reduce(0, +), parts)
    }

    /// The field that keeps a lead's breakdown: each dimension's points with its labels, so it reads the same after
    /// the card changes.
    public static let breakdownField = "score_breakdown"

    /// A breakdown as `score_breakdown` stores it.
    public func breakdown(_ parts: [String: Double]) -> String {
        JSONValue.object(Dictionary(uniqueKeysWithValues: dimensions.map { d in
            (d.id, ["points": JSONValue(parts[d.id] ?? 0), "zh-CN": .string(d.labels.zhCN), "en": .string(d.labels.en)] as JSONValue)
        })).canonicalText()
    }

    /// A stored breakdown as people read it, in `language` (`zh-CN` or `en`): "行业匹配 20 · 渠道质量 6", largest first.
    public static func describe(_ stored: String, language: String) -> String? {
        guard let object = (try? JSONValue.parse(text: stored))?.objectValue else { return nil }
        return object.sorted { ($0.value["points"]?.numberValue ?? 0, $1.key) > ($1.value["points"]?.numberValue ?? 0, $0.key) }.map { id, part in
            let label = part[language.hasPrefix("zh") ? "zh-CN" : "en"]?.stringValue ?? id
            return "\(label) \(FormulaEvaluator.text(.number(part["points"]?.numberValue ?? 0)))"
        }.joined(separator: " · ")
    }

    /// The dependencies of every dimension: what related records a score reads.
    public var dependencies: Set<[String]> { dimensions.reduce(into: Set()) { $0.formUnion($1.formula.dependencies) } }
}
