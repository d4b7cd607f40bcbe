import Foundation
import KeelCore
import KeelWeb
import Testing

/// What a record is called on a page: its name or subject; a record without one (a payment, a plan's instalment) by its
/// amount and day — never by its id.
@Suite struct RecordTitleTests {
    @Test func aRecordWithoutANameIsCalledByItsAmountAndDay() {
        func record(_ values: [String: JSONValue]) -> Record {
            Record(object: "payments", id: "01a2347f-a976-72d2-b3df-5e0d48e84bc6", version: 1, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil, values: values)
        }
        #expect(RecordPage.title(of: record(["name": "深圳腾达 合同"])) == "深圳腾达 合同")
        #expect(RecordPage.title(of: record(["amount": 28476, "received_on": "2027-01-06"])) == "¥28,476.00 · 2027-01-06")
        #expect(RecordPage.title(of: record(["amount": "14238.5", "due_date": "2026-11-19"])) == "¥14,238.50 · 2026-11-19")
        #expect(RecordPage.title(of: record([:])) == "01a2347f-a976-72d2-b3df-5e0d48e84bc6")
    }
}
