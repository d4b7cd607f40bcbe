import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// 销售预测: a month's forecast for me, my team or the company; managers see the backtest and adjust their people's.
    func forecast(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let query = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
        let scope = query["scope"].flatMap(Forecasts.Scope.init(rawValue:)) ?? (me.role == .member ? .me : .team)
        let report = try await keel.forecasts.forecast(period: query["period"], scope: scope, as: me)
        let backtest = me.role == .member ? nil : try await keel.forecasts.backtest(months: 12, as: me)
        let amount = try await keel.metadata.catalog().require(StandardObjects.opportunity.name).field("amount")
        let t = Strings(web.language(request, session))
        let pipeline = try await keel.pipelines.document(StandardObjects.opportunity.name, as: me).set
        let users = Dictionary(try await keel.auth.users(by: me).map { ($0.id, $0.name) }) { a, _ in a }
        let advances = me.role == .member ? [] : try await keel.pipelines.validAdvances(StandardObjects.opportunity.name, days: 90, as: me)
            .map { (users[$0.actor] ?? t["another_user"], $0.stage, $0.count, $0.firstTime) }
        var stages: [(String, String)] = []
        for stage in pipeline.pipelines.flatMap(\.stages) where !stages.contains(where: { $0.0 == stage.name }) { stages.append((stage.name, t.language.label(stage.labels))) }
        let page = ForecastPage(report: (scope.rawValue, report.forecast, report.owners.map { ($0.user.id, $0.user.name, $0.forecast) }),
                                adjustments: report.adjustments.map { ($0.userID, $0.category, $0.amount) }, backtest: backtest,
                                canAdjust: me.role != .member, advances: advances, stages: stages, money: { ValueDisplay.text(JSONValue($0), amount, t) }, csrf: session.csrf, t)
        let notice = query["adjusted"] == "1" ? t["forecast_adjusted_notice"] : nil
        return try await web.render(page, title: t["forecast"], request: request, session: session, notice: notice)
    }

    func adjustForecast(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
        let period = form["period"] ?? ""
        guard let amount = form["amount"].flatMap(Double.init) else {
            throw KeelError.validation([Violation(field: "amount", code: "invalid_type", message: "amount is a number.")])
        }
        try await keel.forecasts.adjust(period: period, user: form["user"] ?? "", category: form["category"] ?? "", amount: amount, note: form["note"],
                                        by: session.principal)
        return WebSupport.redirect("/forecast?period=\(URLQuery.escape(period))&scope=\(URLQuery.escape(form["scope"] ?? "team"))&adjusted=1")
    }
}
