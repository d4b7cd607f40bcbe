import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// Money is a decimal from the request to the column and back, through sums, filters and formulas — on both databases.
@Suite struct ExactMoneyTests {
    static func d(_ s: String) -> Decimal { Decimal(string: s)! }

    @Test(arguments: TestDatabase.all)
    func amountsSumsFiltersAndFormulasAreExact(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "deposit", "type": "money"], as: admin)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "with_tax", "type": "formula", "expression": "amount * 1.13",
                                                                       "resultType": "number"], as: admin)
            // Ten deals of ¥0.10 (a double sums them to 0.9999999999999999) and one of the largest amount Keel keeps.
            var batch: [[String: JSONValue]] = (1...10).map { ["name": .string("小单\($0)"), "amount": 0.1, "deposit": "0.07"] }
            batch.append(["name": "大单", "amount": "9999999999999.99", "deposit": 0.01])
            _ = try await keel.records.createBatch("opportunities", batch, context: ctx)

            let small = try await keel.records.aggregate("opportunities", groupBy: [], sum: "amount", params: [("filter[amount][lt]", "1")], as: admin)
            #expect(small.first?.sum == 1 && small.first?.count == 10)
            let deposits = try await keel.records.aggregate("opportunities", groupBy: [], sum: "deposit", params: [("filter[deposit][eq]", "0.07")], as: admin)
            #expect(deposits.first?.sum == Self.d("0.7") && deposits.first?.count == 10)
            let all = try await keel.records.aggregate("opportunities", groupBy: [], sum: "amount", params: [], as: admin)
            #expect(all.first?.sum == Self.d("10000000000000.99"))

            // Filters compare exactly, on a standard column and on a custom field.
            #expect(try await keel.records.list("opportunities", params: [("filter[amount][eq]", "0.1")], as: admin).records.count == 10)
            #expect(try await keel.records.list("opportunities", params: [("filter[deposit][gt]", "0.069")], as: admin).records.count == 10)
            #expect(try await keel.records.list("opportunities", params: [("filter[deposit][lt]", "0.07")], as: admin).records.count == 1)
            let biggest = try await keel.records.list("opportunities", params: [("sort", "-amount"), ("limit", "1")], as: admin).records[0]
            #expect(biggest.value("amount") == .number(Self.d("9999999999999.99")) && biggest.value("deposit") == .number(Self.d("0.01")))
            let one = try await keel.records.list("opportunities", params: [("filter[name][eq]", "小单1")], as: admin).records[0]
            #expect(one.value("amount") == .number(Self.d("0.1")) && one.value("with_tax") == .number(Self.d("0.113")))

            // The column holds whole fen in SQLite and NUMERIC in PostgreSQL: no binary fraction anywhere.
            let stored = try await keel.database.read { db in
                try await db.raw(database == .sqlite
                    ? "SELECT typeof(amount) AS t, CAST(amount AS TEXT) AS v FROM opportunities WHERE name = '小单1'"
                    : "SELECT pg_typeof(amount)::text AS t, amount::text AS v FROM opportunities WHERE name = '小单1'").first()
            }
            let type = try stored?.decode(column: "t", as: String.self), text = try stored?.decode(column: "v", as: String.self)
            #expect(database == .sqlite ? (type == "integer" && text == "10") : (type == "numeric" && text == "0.10"))

            // More than two decimals, or a number beyond what a number field keeps, is refused with its reason; nothing is written.
            await #expect(throws: KeelError.self) { try await keel.records.create("opportunities", ["name": "坏", "amount": "0.001"], context: ctx) }
            await #expect(throws: KeelError.self) {
                try await keel.records.create("opportunities", ["name": "坏", "amount": 1, "probability": .number(Self.d("12.3456789012345678"))], context: ctx)
            }
            #expect(try await keel.records.list("opportunities", params: [("filter[name][eq]", "坏")], as: admin).records.isEmpty)
        }
    }

    /// A database written before amounts were whole fen (a double in SQLite's NUMERIC column) reads the same after the migration.
    @Test func sqliteAmountsWrittenAsDoublesBecomeWholeFen() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let admin = try await keel.makeUser()
            let created = try await keel.records.create("opportunities", ["name": "旧单", "amount": 1], context: WriteContext(principal: admin, source: .api))
            let id = created.json["id"]?.stringValue ?? ""
            try await keel.database.write { db in
                try await db.raw("UPDATE opportunities SET amount = 1234.56 WHERE id = \(bind: id)").run()
                try await db.raw("DELETE FROM keel_migrations WHERE name = '0036_exact_money'").run()
            }
            #expect(try await Migrator.migrate(keel.database) == ["0036_exact_money"])
            let (record, _) = try await keel.records.get("opportunities", id: id, as: admin)
            #expect(record.value("amount") == .number(Self.d("1234.56")))
            let type = try await keel.database.read { db in
                try await db.raw("SELECT typeof(amount) AS t FROM opportunities WHERE id = \(bind: id)").first()?.decode(column: "t", as: String.self)
            }
            #expect(type == "integer")
        }
    }
}
