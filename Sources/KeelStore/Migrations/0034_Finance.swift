import SQLKit

extension Migration {
    /// What the ERP booked (mirrored from a connector or a file), each connector's pulls, and the reconciliation runs with their lines. Amounts
    /// are exact decimal text.
    static let m0034Finance = Migration(name: "0034_finance") { _ in
        [
            """
            CREATE TABLE erp_entries (
                source TEXT NOT NULL,
                kind TEXT NOT NULL,
                document TEXT NOT NULL,
                contract_number TEXT,
                day TEXT NOT NULL,
                amount TEXT NOT NULL,
                tax TEXT NOT NULL,
                currency TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (source, kind, document)
            )
            """,
            "CREATE INDEX erp_entries_contract ON erp_entries (contract_number)",
            """
            CREATE TABLE erp_sync (
                connector TEXT NOT NULL,
                kind TEXT NOT NULL,
                cursor TEXT,
                last_success_at TEXT,
                last_attempt_at TEXT,
                next_attempt_at TEXT,
                failures BIGINT NOT NULL,
                last_error TEXT,
                alerted BIGINT NOT NULL,
                PRIMARY KEY (connector, kind)
            )
            """,
            """
            CREATE TABLE reconciliation_runs (
                id TEXT PRIMARY KEY,
                trigger TEXT NOT NULL,
                status TEXT NOT NULL,
                started_by TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                problem TEXT,
                summary TEXT NOT NULL
            )
            """,
            "CREATE INDEX reconciliation_runs_status ON reconciliation_runs (status, started_at)",
            """
            CREATE TABLE reconciliation_lines (
                run_id TEXT NOT NULL,
                position BIGINT NOT NULL,
                difference TEXT NOT NULL,
                kind TEXT NOT NULL,
                contract TEXT,
                contract_number TEXT,
                period TEXT NOT NULL,
                crm_amount TEXT,
                erp_amount TEXT,
                crm_day TEXT,
                erp_day TEXT,
                payment TEXT,
                erp_documents TEXT NOT NULL,
                owner TEXT,
                PRIMARY KEY (run_id, position)
            )
            """,
        ]
    }
}
