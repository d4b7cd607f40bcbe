import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelStore

/// The forecast over the API: a period's figures for me, my team or the company; managers' adjustments; the backtest.
struct ForecastAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("forecast") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            guard let scope = Forecasts.Scope(rawValue: q["scope"] ?? "me") else {
                throw KeelError.validation([Violation(field: "scope", code: "invalid_option", message: "scope is me, team or company.")])
            }
            let report = try await keel.forecasts.forecast(period: q["period"], scope: scope, as: try context.requirePrincipal())
            var out = Self.json(report.forecast).objectValue ?? [:]
            out["scope"] = .string(scope.rawValue)
            out["owners"] = .array(report.owners.map { owner in
                .object((Self.json(owner.forecast).objectValue ?? [:]).merging(["user": .string(owner.user.id), "name": .string(owner.user.name)]) { a, _ in a })
            })
            out["adjustments"] = .array(report.adjustments.map { a in
                ["user": .string(a.userID), "category": .string(a.category), "amount": JSONValue(a.amount), "note": a.note.map(JSONValue.string) ?? .null,
                 "by": .string(a.actor), "at": .string(a.at)]
            })
            return APIResponse.json(.object(out))
        }
        group.put("forecast/adjustments") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let wrong = body.wrongTypes(["period": "string", "user": "string", "category": "string", "amount": "number", "note": "string"])
                + ["period", "user", "category", "amount"].filter { body[$0] == nil || body[$0] == .null }
                    .map { Violation(field: $0, code: "required", message: "\($0) is required.") }
                + body.keys.filter { !["period", "user", "category", "amount", "note"].contains($0) }.sorted()
                    .map { Violation(field: $0, code: "unknown_key", message: "\($0) is not part of an adjustment (period, user, category, amount, note).") }
            guard wrong.isEmpty, let period = body["period"]?.stringValue, let user = body["user"]?.stringValue, let category = body["category"]?.stringValue,
                  let amount = body["amount"]?.doubleValue else { throw KeelError.validation(wrong) }
            let principal = try context.requirePrincipal()
            try await keel.forecasts.adjust(period: period, user: user, category: category, amount: amount, note: body["note"]?.stringValue, by: principal)
            return APIResponse.json(["period": .string(period), "user": .string(user), "category": .string(category), "amount": JSONValue((amount * 100).rounded() / 100)])
        }
        group.get("forecast/backtest") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            guard let months = Int(q["months"] ?? "12"), (1...36).contains(months) else {
                throw KeelError.validation([Violation(field: "months", code: "out_of_range", message: "months is a whole number from 1 to 36.")])
            }
            let backtest = try await keel.forecasts.backtest(months: months, as: try context.requirePrincipal())
            return APIResponse.json([
                "coverage": JSONValue((backtest.coverage * 1_000).rounded() / 1_000), "error": JSONValue((backtest.error * 100).rounded() / 100),
                "naiveError": JSONValue((backtest.naiveError * 100).rounded() / 100),
                "months": .array(backtest.months.map { m in
                    ["period": .string(m.period), "predicted": Self.json(m.predicted), "naive": JSONValue(m.naive), "actual": JSONValue(m.actual), "covered": .bool(m.covered)]
                }),
            ])
        }
    }

    static func json(_ p: ForecastPrediction) -> JSONValue {
        ["p10": JSONValue(p.p10), "p50": JSONValue(p.p50), "p90": JSONValue(p.p90), "mean": JSONValue(p.mean)]
    }

    static func json(_ f: Forecast) -> JSONValue {
        [
            "period": .string(f.period.label), "closed": JSONValue(f.closed), "weighted": JSONValue(f.weighted), "openDeals": JSONValue(f.openDeals),
            "categories": .object(f.categories.mapValues { JSONValue(($0 * 100).rounded() / 100) }), "predicted": json(f.predicted),
        ]
    }
}
