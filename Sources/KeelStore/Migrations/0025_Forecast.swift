import SQLKit

extension Migration {
    /// A deal's forecast category as its owner sees it, and managers' adjustments kept beside the reps' own figures.
    static let m0025Forecast = Migration(name: "0025_forecast") { d in
        [
            "ALTER TABLE opportunities ADD COLUMN forecast_category TEXT",
            """
            CREATE TABLE forecast_adjustments (
                period TEXT NOT NULL,
                user_id TEXT NOT NULL,
                category TEXT NOT NULL,
                amount \(unsafeRaw: d.columnType(.number)) NOT NULL,
                note TEXT,
                actor TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (period, user_id, category)
            )
            """,
        ]
    }
}
