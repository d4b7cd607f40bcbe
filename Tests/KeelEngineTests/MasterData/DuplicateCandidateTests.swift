import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// The duplicate check finds a record by a rare key even when thousands share a common one (issue 15).
@Suite struct DuplicateCandidateTests {
    @Test func aSharedMobileIsFoundAmongFiveThousandNamesakes() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .import)
            // 5,000 people called 王伟, each with a mobile of his own. They are seeded as rows and then indexed by the
            // duplicate check's own re-index (through the record service they would take a minute; history and
            // outbox, which this test does not read, are left out).
            let contacts = try await keel.metadata.catalog().require("contacts")
            let now = ValueFormats.formatDateTime(Date())
            try await keel.database.write { db in
                for i in 0..<5_000 {
                    let record = Record(object: "contacts", id: RecordID.make(), version: 1, createdAt: now, updatedAt: now, createdBy: admin.userID,
                                        updatedBy: admin.userID, values: ["name": "王伟", "mobile": .string("1390\(String(format: "%07d", i))"),
                                                                           "owner": .string(admin.userID)])
                    try await RecordStore(dialect: keel.database.dialect).insert(record, object: contacts, on: db)
                }
            }
            try await keel.records.reindexDuplicates(only: "contacts")
            // The one whose mobile is typed again — written in another way — is the same person: refused, and named.
            let refused = await #expect(throws: KeelError.self) {
                _ = try await keel.records.create("contacts", ["name": "王伟", "mobile": "139 0000 4321"], context: ctx)
            }
            #expect(refused?.code == "duplicate")
            let candidates = refused?.details["candidates"]?.arrayValue ?? []
            let found = try await keel.records.list("contacts", params: [("filter[mobile][eq]", "13900004321")], as: admin).records.first
            #expect(candidates.first?["id"]?.stringValue == found?.id, "\(candidates.prefix(3))")
            // A namesake with a mobile of his own is a new person.
            _ = try await keel.records.create("contacts", ["name": "王伟", "mobile": "13612345678"], context: ctx)
        }
    }
}
