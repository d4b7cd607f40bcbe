import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// Finance: the ERP's documents sent in (`POST /api/v1/erp-entries`) or pulled by the connectors (`/api/v1/erp/connectors`), and the reconciliation runs
/// (`/api/v1/reconciliation/runs`, `…/latest` for the run in force).
struct FinanceAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.post("erp-entries") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(["received": JSONValue(try await keel.reconciliations.receive(body, as: try context.requirePrincipal()))])
        }
        group.get("erp/connectors") { _, context in
            APIResponse.json(["data": .array(try await keel.erpSync.states(as: try context.requirePrincipal()).map(\.json))])
        }
        group.post("erp/connectors/sync") { _, context in
            APIResponse.json(["data": .array(try await keel.erpSync.run(as: try context.requirePrincipal()).map(\.json))])
        }
        group.post("reconciliation/runs") { _, context in
            let run = try await keel.reconciliations.run(as: try context.requirePrincipal())
            return APIResponse.json(run.json, status: .created, headers: [.location: "/api/v1/reconciliation/runs/\(run.id)"])
        }
        group.get("reconciliation/runs") { _, context in
            let runs = try await keel.reconciliations.runs(as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(runs.map(\.json))])
        }
        group.get("reconciliation/runs/latest") { _, context in
            guard let run = try await keel.reconciliations.run(nil, as: try context.requirePrincipal()) else {
                throw KeelError.notFound("reconciliation run (none has completed yet)")
            }
            return APIResponse.json(run.json)
        }
        group.get("reconciliation/runs/:run") { _, context in
            guard let run = try await keel.reconciliations.run(try context.parameters.require("run"), as: try context.requirePrincipal()) else {
                throw KeelError.notFound("reconciliation run")
            }
            return APIResponse.json(run.json)
        }
    }
}
