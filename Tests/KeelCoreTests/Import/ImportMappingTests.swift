import KeelCore
import Testing

@Suite struct ImportMappingTests {
    func fields(_ headers: [String], _ samples: [[String]] = [], in object: ObjectDefinition) -> [String?] {
        ImportMapping.suggest(headers: headers, samples: samples, object: object).map(\.field)
    }

    /// A Chinese sheet's headers need no mapping; a header names what the object has (客户名称 is an account's name and
    /// a contact's account), each field takes one column, and what fits nothing is left out.
    @Test func chineseHeadersAreRecognisedPerObject() {
        let headers = ["客户名称", "电话", "手机", "*统一社会信用代码", "行业", "省份", "城市", "地址", "联系人", "备注"]
        #expect(fields(headers, in: StandardObjects.account)
                == ["name", "phone", nil, "credit_code", "industry", "province", "city", "address", nil, nil])
        #expect(fields(["联系人", "客户名称", "手机", "电话", "职务", "邮箱"], in: StandardObjects.contact)
                == ["name", "account", "mobile", "phone", "title", "email"])
        #expect(fields(["姓名", "公司", "手机"], in: StandardObjects.lead) == ["name", "company", "phone"])
        // English labels and field names, whatever their case; a second column naming a taken field is left out.
        #expect(fields(["Company name", "PHONE", "credit_code", "Phone"], in: StandardObjects.account) == ["name", "phone", "credit_code", nil])
        let reasons = ImportMapping.suggest(headers: ["name", "城市", "手机号码"], samples: [], object: StandardObjects.contact).map(\.reason)
        #expect(reasons == [.fieldName, nil, .synonym])
    }

    /// A column whose header says nothing is read by what it holds: credit codes, e-mails, mobiles, landlines.
    @Test func unnamedColumnsAreReadByTheirContent() {
        let samples = [
            ["91110105X8B11BA9U9", "zhang@example.cn", "138 0013 8000", "010-82456353", "杭州"],
            ["91440106EJU340KW55", "li@example.com", "+86 139 4712 2613", "0571-87654321", ""],
            ["", "wang@example.cn", "13800138000", "021-63218888", "宁波"],
        ]
        let suggested = ImportMapping.suggest(headers: ["列1", "列2", "列3", "列4", "列5"], samples: samples, object: StandardObjects.contact)
        // A contact has no credit code.
        #expect(suggested.map(\.field) == [nil, "email", "mobile", "phone", nil])
        #expect(suggested.filter { $0.field != nil }.allSatisfy { $0.reason == .content })
        #expect(fields(["A", "B"], samples.map { [$0[0], $0[2]] }, in: StandardObjects.account) == ["credit_code", "phone"])
    }
}
