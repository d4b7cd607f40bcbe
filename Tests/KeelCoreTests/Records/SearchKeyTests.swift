import KeelCore
import KeelMatching
import Testing

@Suite struct SearchKeyTests {
    @Test(arguments: [
        ("13812345678", "13812345678"), ("138-1234-5678", "13812345678"), ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"), ("0086 138-1234-5678", "13812345678"),
        ("021-65871234", "02165871234"), ("(021) 6587 1234", "02165871234"), ("（021）65871234", "02165871234"),
        ("+86 21 6587 1234", "02165871234"), ("0086-21-65871234", "02165871234"), ("021-6587-1234", "02165871234"),
        ("021-6587-8888#123", "02165878888"), ("(0755)86013388转8888", "075586013388"), ("0755-86013388-8888", "075586013388"),
        ("0755-86013388 ext. 12", "075586013388"), ("0755 8601 3388 x12", "075586013388"), ("+1 415 555 0100", "+14155550100"),
    ])
    func phonesWrittenAnyWayShareOneKey(_ written: String, _ key: String) {
        #expect(SearchKey.phone(written) == key, "\(written)")
    }

    @Test(arguments: ["138****1234", "打电话给我", "", "12", "138-1234-5678-9999-1", "call 13812345678"])
    func textThatIsNoPhoneHasNoKey(_ written: String) {
        #expect(SearchKey.phone(written) == nil, "\(written)")
    }

    @Test func aRecordsKeysCoverPhonesEmailsAndCreditCodes() {
        let record = Record(object: "accounts", id: "x", version: 1, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil,
                            values: ["name": "腾讯", "phone": "0755-86013388", "email": "Info@Tencent.com", "credit_code": "9144030071526726xg"])
        #expect(SearchKey.keys(of: record, object: StandardObjects.account) == ["p:075586013388", "e:info@tencent.com", "c:9144030071526726XG"])
        #expect(SearchKey.query(" 0755 8601 3388 ").phonePrefix == "p:075586013388")
        #expect(SearchKey.query("INFO@tencent.com").exact == ["e:info@tencent.com"])
        #expect(SearchKey.query("9144030071526726xg").exact == ["c:9144030071526726XG"])
        #expect(SearchKey.query("腾讯").exact.isEmpty && SearchKey.query("腾讯").phonePrefix == nil)
        #expect(SearchKey.query("138").phonePrefix == nil)
    }
}
