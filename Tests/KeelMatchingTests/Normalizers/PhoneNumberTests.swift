import KeelMatching
import Testing

/// Phones as people write them in China; the stored form is what was entered plus E.164 and the extension.
@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("138 1234 5678", "+8613812345678", nil), ("+86 138 1234 1234", "+8613812341234", nil), ("0086 138-1234-1234", "+8613812341234", nil),
        ("８６１３８１２３４５６７８", "+8613812345678", nil), ("021-65871234", "+862165871234", nil), ("(021) 6587 1234", "+862165871234", nil),
        ("021-6587-8888#123", "+862165878888", "123"), ("(0755)86013388转8888", "+8675586013388", "8888"),
        ("0755-86013388-8888", "+8675586013388", "8888"), ("010 8888 6666 ext. 12", "+861088886666", "12"),
        ("+86 21 6587 1234", "+862165871234", nil), ("0592-5765432", "+865925765432", nil), ("400-800-1234", "+864008001234", nil),
        ("+1 415 555 2671", "+14155552671", nil),
    ] as [(String, String, String?)])
    func readsWhatPeopleWrite(_ input: String, _ e164: String, _ ext: String?) {
        let phone = PhoneNumber(input)
        #expect(phone.e164 == e164, "\(input) → \(String(describing: phone.e164)) \(String(describing: phone.problem))")
        #expect(phone.ext == ext, "\(input)")
        #expect(phone.entered == input)
    }

    @Test(arguments: ["138****1234", "1381234567", "12012345678", "0755-123", "phone me", "021-01234567", "+86 999", "95588"])
    func keepsWhatItCannotReadAndSaysWhy(_ input: String) {
        let phone = PhoneNumber(input)
        #expect(!phone.isValid && phone.e164 == nil && phone.entered == input, "\(input)")
    }

    /// The numbering plan: local numbers have the length of their area (Hefei 8 digits, Xiamen 7), data-only and IoT
    /// segments are not phones, short service numbers count behind an area code.
    @Test(arguments: [
        ("0551-62345678", true), ("0551-6234567", false), ("0592-5123456", true), ("0592-51234567", false),
        ("0433-2345678", true), ("0433-23456789", true), ("0299-12345678", false), ("148 1234 5678", false),
        ("149 1234 5678", false), ("174 0012 3456", true), ("174 1012 3456", false), ("161 0012 3456", true),
        ("0571-95588", true), ("010-12345", true), ("0571-12345", false), ("010-10012345", false),
    ] as [(String, Bool)])
    func followsTheNumberingPlan(_ input: String, _ valid: Bool) {
        #expect(PhoneNumber(input).isValid == valid, "\(input)")
    }

    @Test func kinds() {
        #expect(PhoneNumber("13812345678").kind == .mobile)
        #expect(PhoneNumber("021-65871234").kind == .landline)
        #expect(PhoneNumber("400-800-1234").kind == .service)
        #expect(PhoneNumber("0571-95588").kind == .service)
        #expect(PhoneNumber("+44 20 7946 0958").kind == .international)
        #expect(PhoneNumber("138****1234").problem == .masked)
    }
}
