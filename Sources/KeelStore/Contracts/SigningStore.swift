import Foundation
import KeelCore
import SQLKit

/// SQL for e-signature: the flows sent, and the callbacks applied.
public struct SigningStore: Sendable {
    public init() {}

    public func insert(_ s: ContractSigning, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO contract_signings (flow_id, contract, provider, status, sent_by, sent_at, document_name, document_sha256, signers, finished_at, signed_documents)
            VALUES (\(bind: s.flowID), \(bind: s.contract), \(bind: s.provider), \(bind: s.status.rawValue), \(bind: s.sentBy), \(bind: s.sentAt),
                    \(bind: s.sent.name), \(bind: s.sent.sha256), \(bind: ContractSigning.signersJSON(s.signers).canonicalText()), \(bind: s.finishedAt),
                    \(bind: ContractSigning.documentsJSON(s.signed).canonicalText()))
            """).run()
    }

    public func update(_ s: ContractSigning, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE contract_signings SET status = \(bind: s.status.rawValue), signers = \(bind: ContractSigning.signersJSON(s.signers).canonicalText()),
                finished_at = \(bind: s.finishedAt), signed_documents = \(bind: ContractSigning.documentsJSON(s.signed).canonicalText())
            WHERE flow_id = \(bind: s.flowID)
            """).run()
    }

    /// The flow `flowID`, or the contract's latest.
    public func signing(flow flowID: String? = nil, contract: String? = nil, on db: any SQLDatabase) async throws -> ContractSigning? {
        let query: SQLQueryString = flowID.map { "SELECT * FROM contract_signings WHERE flow_id = \(bind: $0)" }
            ?? "SELECT * FROM contract_signings WHERE contract = \(bind: contract ?? "") ORDER BY sent_at DESC LIMIT 1"
        guard let row = try await db.raw(query).first() else { return nil }
        func json(_ column: String) throws -> JSONValue { (try? JSONValue.parse(text: try row.decode(column: column, as: String.self))) ?? .null }
        return ContractSigning(flowID: try row.decode(column: "flow_id", as: String.self), contract: try row.decode(column: "contract", as: String.self),
                               provider: try row.decode(column: "provider", as: String.self),
                               status: ContractSigning.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .ended,
                               sentBy: try row.decode(column: "sent_by", as: String.self), sentAt: try row.decode(column: "sent_at", as: String.self),
                               sent: .init(name: try row.decode(column: "document_name", as: String.self), sha256: try row.decode(column: "document_sha256", as: String.self)),
                               signers: ContractSigning.signers(try json("signers")), finishedAt: try row.decode(column: "finished_at", as: String?.self),
                               signed: ContractSigning.documents(try json("signed_documents")))
    }

    /// Records a callback as applied; false when it already was (a replay).
    public func firstTime(_ key: String, flow: String, at now: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO esign_events (event_key, flow_id, received_at) VALUES (\(bind: key), \(bind: flow), \(bind: now))
            ON CONFLICT (event_key) DO NOTHING RETURNING event_key
            """).first() != nil
    }
}
