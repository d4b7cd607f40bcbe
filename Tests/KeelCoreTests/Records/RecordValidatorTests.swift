import Foundation
import KeelCore
import Testing

@Suite struct RecordValidatorTests {
    let account = StandardObjects.account

    @Test func createAppliesDefaultsAndRequiresName() {
        let result = RecordValidator.validate([:], object: StandardObjects.opportunity, mode: .create)
        #expect(result.violations.map(\.code) == ["required"])
        #expect(result.values["stage"] == "prospecting")
        #expect(result.values["currency"] == "CNY")
    }

    @Test func updateOnlyChecksWhatIsSent() {
        #expect(RecordValidator.validate(["industry": "制造业"], object: account, mode: .update).violations.isEmpty)
        #expect(RecordValidator.validate(["name": nil], object: account, mode: .update).violations.map(\.code) == ["required"])
        #expect(RecordValidator.validate(["name": "   "], object: account, mode: .update).violations.map(\.code) == ["required"])
    }

    @Test func systemFieldsAreReadOnly() {
        let r = RecordValidator.validate(["id": "x", "version": 3, "name": "A"], object: account, mode: .create)
        #expect(Set(r.violations.map(\.field)) == ["id", "version"])
        #expect(r.violations.allSatisfy { $0.code == "read_only" })
    }

    @Test(arguments: [
        ("phone", JSONValue.string("021-6587-8888#123"), true), ("phone", "(0755)86013388转8888", true), ("phone", "+86 138 1234 5678", true),
        ("phone", "ext. 12", false), ("phone", "1380013800x", false), ("phone", "12", false),
        ("email", "a.b@例子.cn", true), ("email", "a@localhost", false), ("email", "sales@keel.example.com", true), ("email", "no-at-sign", false),
        ("website", "keel.example.com", true), ("website", "ftp://x.com", false), ("website", "http://localhost", false),
    ])
    func formats(_ field: String, _ value: JSONValue, _ ok: Bool) {
        let r = RecordValidator.validate([field: value], object: account, mode: .update)
        #expect(r.violations.isEmpty == ok, "\(field)=\(value)")
    }

    @Test func numbersDatesAndPicklists() {
        let opp = StandardObjects.opportunity
        #expect(RecordValidator.validate(["amount": 1.005], object: opp, mode: .update).violations.map(\.code) == ["invalid_format"])
        // Amounts as written, whatever binary makes of them: ×100 of 288195699.9 is no whole number in a double.
        for ok: JSONValue in [288_195_699.9, 0.07, 19.99, -0.66, 99_999_999_999.99, 1] {
            #expect(RecordValidator.validate(["amount": ok], object: opp, mode: .update).violations.isEmpty, "\(ok)")
        }
        for bad: JSONValue in [0.001, 1.5e-7, 123.456] {
            #expect(RecordValidator.validate(["amount": bad], object: opp, mode: .update).violations.map(\.code) == ["invalid_format"], "\(bad)")
        }
        // An amount may come as decimal text, exactly as written; other text is not an amount.
        #expect(RecordValidator.validate(["amount": "100.50"], object: opp, mode: .update).values["amount"] == 100.5)
        for bad: JSONValue in ["一百", "1e3", " 100", "¥100", true] {
            #expect(RecordValidator.validate(["amount": bad], object: opp, mode: .update).violations.map(\.code) == ["invalid_type"], "\(bad)")
        }
        #expect(RecordValidator.validate(["amount": "100.505"], object: opp, mode: .update).violations.map(\.code) == ["invalid_format"])
        // To the fen below ¥10 trillion: at most 15 digits, which a double carries exactly.
        #expect(RecordValidator.validate(["amount": 1e13], object: opp, mode: .update).violations.map(\.code) == ["out_of_range"])
        #expect(RecordValidator.validate(["amount": 1e16], object: opp, mode: .update).violations.map(\.code) == ["out_of_range"])
        #expect(RecordValidator.validate(["expected_close_date": "2026-02-29"], object: opp, mode: .update).violations.map(\.code) == ["invalid_format"])
        #expect(RecordValidator.validate(["expected_close_date": "2028-02-29"], object: opp, mode: .update).violations.isEmpty)
        #expect(RecordValidator.validate(["stage": "won"], object: opp, mode: .update).violations.map(\.code) == ["invalid_option"])
        // Nothing may follow the date-time (the format styles alone would read past it).
        for bad: JSONValue in ["2026-01-31T09:30:00Z*", "2026-01-31T09:30:00+08:00x", "2026-01-31T09:30:00Zabc"] {
            #expect(RecordValidator.validate(["occurred_at": bad], object: StandardObjects.activity, mode: .update).violations.map(\.code) == ["invalid_format"], "\(bad)")
        }
        let when = RecordValidator.validate(["occurred_at": "2026-01-31T09:30:00+08:00"], object: StandardObjects.activity, mode: .update)
        #expect(when.values["occurred_at"] == "2026-01-31T01:30:00.000Z")
    }

    @Test func instantsReadInTheOrganisationsZoneToTheMinute() throws {
        let instant = try #require(ValueFormats.parseDateTime("2026-11-29T22:32:03.049Z"))
        #expect(ValueFormats.formatLocal(instant, in: TimeZone(identifier: "Asia/Shanghai")!) == "2026-11-30 06:32")
        #expect(ValueFormats.formatLocal(instant, in: TimeZone(identifier: "UTC")!) == "2026-11-29 22:32")
        #expect(ValueFormats.organisationTimeZone(from: [:]).identifier == "Asia/Shanghai")
        #expect(ValueFormats.organisationTimeZone(from: ["KEEL_TIME_ZONE": "Europe/Berlin"]).identifier == "Europe/Berlin")
    }
}
