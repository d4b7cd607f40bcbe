import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The ERP's documents sent over HTTP and the reconciliation read back: all of a batch or none, the run in force.
@Suite struct FinanceAPITests {
    @Test(arguments: TestDatabase.all)
    func documentsAreSentAndTheRunInForceIsReadBack(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            // Every problem of the batch at once, nothing mirrored.
            let bad = try await api.send(.post, "/api/v1/erp-entries", json: ["entries": [
                ["kind": "receivable", "document": "AR-1", "contract_number": "", "day": "2026-11-06", "amount": "12.345"],
                ["kind": "invoice", "document": " AR-2", "day": "2026-11-31", "amount": 10, "tax": 20, "colour": "red"],
            ]])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes == [
                "entries[0].amount": "invalid_amount", "entries[0].contract_number": "invalid_format", "entries[1].kind": "invalid_option", "entries[1].document": "invalid_format",
                "entries[1].day": "invalid_format", "entries[1].tax": "invalid_amount", "entries[1].colour": "unknown_field",
            ], "\(bad.body)")
            let sent = try await api.send(.post, "/api/v1/erp-entries", json: ["source": "kingdee", "entries": [
                ["kind": "receivable", "document": "AR-1", "contract_number": "HT-9", "day": "2026-11-06", "amount": "1130.00", "tax": 130],
                ["kind": "receipt", "document": "SK-1", "contract_number": "HT-9", "day": "2026-11-20", "amount": 1130],
            ]])
            #expect(sent.status == .ok && sent.body["received"] == 2, "\(sent.body)")
            let run = try await api.send(.post, "/api/v1/reconciliation/runs")
            #expect(run.status == .created && run.body["status"] == "completed" && run.body["erp_entries"] == 2, "\(run.body)")
            #expect(run.body["lines"]?.arrayValue?.map { $0["difference"] } == ["missing_in_crm", "missing_in_crm"])
            #expect(run.body["counts"]?["missing_in_crm"] == 2 && run.body["periods"]?[0]?["erp_revenue"] == 1000)
            let id = try #require(run.body["id"]?.stringValue)
            #expect(run.headers[.location] == "/api/v1/reconciliation/runs/\(id)")
            // In force: this run, or the worker's nightly one started since (it reads the same documents).
            #expect(try await api.send(.get, "/api/v1/reconciliation/runs/latest").body["lines"]?.arrayValue?.count == 2)
            let listed = try await api.send(.get, "/api/v1/reconciliation/runs").body["data"]?.arrayValue ?? []
            #expect(listed.contains { $0["id"] == .string(id) && $0["status"] == "completed" })
            #expect(try await api.send(.get, "/api/v1/reconciliation/runs/\(id)").body["lines"]?.arrayValue?.count == 2)
            #expect(try await api.send(.get, "/api/v1/reconciliation/runs/nope").status == .notFound)
            // A rep neither sends documents nor runs; the run in force shows them their own lines only, no revenue.
            let rep = try await AccessAPITests.user(api, "rep@example.com")
            #expect(try await api.send(.post, "/api/v1/reconciliation/runs", auth: .token(rep.token)).status == .forbidden)
            #expect(try await api.send(.post, "/api/v1/erp-entries", json: sent.body, auth: .token(rep.token)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/erp/connectors", auth: .token(rep.token)).status == .forbidden)
            let connectors = try await api.send(.get, "/api/v1/erp/connectors")
            #expect(connectors.status == .ok && connectors.body["data"]?.arrayValue?.isEmpty == true)
            let seen = try await api.send(.get, "/api/v1/reconciliation/runs/latest", auth: .token(rep.token)).body
            #expect(seen["lines"]?.arrayValue?.isEmpty == true && seen["periods"]?.arrayValue?.isEmpty == true)
        }
    }
}
