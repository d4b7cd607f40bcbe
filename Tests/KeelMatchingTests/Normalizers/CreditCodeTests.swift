import KeelMatching
import Testing

@Suite struct CreditCodeTests {
    @Test(arguments: ["91110000600037341L", "9144030071526726XG", "91310000MA1FL4B24G"])
    func validCodes(_ code: String) {
        #expect(CreditCode.isValid(code))
    }

    @Test func everyWrongCheckCharacterIsCaught() {
        let body = "91110000600037341"
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let valid = alphabet.filter { CreditCode.isValid(body + String($0)) }
        #expect(valid == ["L"])
    }

    @Test(arguments: ["", "91110000600037341", "91110000600037341LL", "9111000060003734IL", "91110000600037341l"])
    func malformedCodes(_ code: String) {
        #expect(!CreditCode.isValid(code))
    }

    @Test func normalizeUppercasesAndDropsSpaces() {
        #expect(CreditCode.normalize(" 9111 0000 600037341l ") == "91110000600037341L")
    }
}
