import SQLKit

extension Migration {
    /// Automations and approval processes (published versions kept forever), the job queue that runs them and webhook
    /// deliveries (one row a job, one row an attempt), cron schedules, notifications, webhook endpoints, approval
    /// requests with their decisions, disabled rules and formula fields, organisation settings (the working calendar), and the depth of the automation chain that wrote each outbox event.
    static let m0012Automation = Migration(name: "0012_automation") { _ in
        [
            "ALTER TABLE outbox ADD COLUMN depth INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX ix_field_history_change ON field_history (change_id)",
            // A rule or formula field whose field was deleted is disabled, with the reason shown, never silently skipped.
            "ALTER TABLE validation_rules ADD COLUMN disabled_reason TEXT",
            "ALTER TABLE field_definitions ADD COLUMN disabled_reason TEXT",
            """
            CREATE TABLE config_versions (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                definition TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                PRIMARY KEY (kind, id, version)
            )
            """,
            """
            CREATE TABLE config_items (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                status_reason TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            )
            """,
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                ref TEXT NOT NULL,
                key TEXT NOT NULL UNIQUE,
                version INTEGER NOT NULL,
                object TEXT,
                record_id TEXT,
                payload TEXT NOT NULL,
                depth INTEGER NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_at TEXT NOT NULL,
                lease_until TEXT,
                leased_by TEXT,
                last_error TEXT,
                created_at TEXT NOT NULL,
                finished_at TEXT
            )
            """,
            "CREATE INDEX ix_jobs_due ON jobs (status, next_at)",
            "CREATE INDEX ix_jobs_ref ON jobs (kind, ref, created_at)",
            """
            CREATE TABLE job_attempts (
                job_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                duration_ms INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                http_status INTEGER,
                error TEXT,
                PRIMARY KEY (job_id, attempt)
            )
            """,
            """
            CREATE TABLE schedules (
                id TEXT PRIMARY KEY,
                cron TEXT NOT NULL,
                next_at TEXT NOT NULL,
                last_slot TEXT,
                last_run_at TEXT
            )
            """,
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL,
                title TEXT NOT NULL,
                object TEXT,
                record_id TEXT,
                created_at TEXT NOT NULL,
                read_at TEXT
            )
            """,
            "CREATE INDEX ix_notifications_user ON notifications (user_id, created_at)",
            """
            CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                objects TEXT NOT NULL,
                events TEXT NOT NULL,
                status TEXT NOT NULL,
                allow_private INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE approval_requests (
                id TEXT PRIMARY KEY,
                process_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                status TEXT NOT NULL,
                step INTEGER NOT NULL,
                submitted_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                decided_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX ux_approval_requests_pending ON approval_requests (object, record_id) WHERE status = 'pending'",
            """
            CREATE TABLE approval_decisions (
                request_id TEXT NOT NULL,
                step INTEGER NOT NULL,
                step_name TEXT NOT NULL,
                actor TEXT NOT NULL,
                decision TEXT NOT NULL,
                comment TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (request_id, step)
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT
            )
            """,
            """
            CREATE TABLE counters (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            )
            """,
        ]
    }
}
