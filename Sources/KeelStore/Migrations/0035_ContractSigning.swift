import SQLKit

extension Migration {
    /// Contracts sent for e-signature, and the provider's callbacks already applied (a replayed one changes nothing).
    static let m0035ContractSigning = Migration(name: "0035_contract_signing") { _ in
        [
            """
            CREATE TABLE contract_signings (
                flow_id TEXT PRIMARY KEY,
                contract TEXT NOT NULL,
                provider TEXT NOT NULL,
                status TEXT NOT NULL,
                sent_by TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                document_name TEXT NOT NULL,
                document_sha256 TEXT NOT NULL,
                signers TEXT NOT NULL,
                finished_at TEXT,
                signed_documents TEXT NOT NULL
            )
            """,
            "CREATE INDEX contract_signings_contract ON contract_signings (contract, sent_at)",
            "CREATE TABLE esign_events (event_key TEXT PRIMARY KEY, flow_id TEXT NOT NULL, received_at TEXT NOT NULL)",
        ]
    }
}
