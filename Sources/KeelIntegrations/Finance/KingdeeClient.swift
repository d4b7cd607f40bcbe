import Foundation
import KeelCore

/// 金蝶云星空 (Kingdee K/3 Cloud) through its Web API as documented: a session from
/// `Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc` (`{"acctID", "username", "password", "lcid"}`,
/// `LoginResultType` 1 on success, the session in the `kdservice-sessionid` cookie), then bill queries through
/// `Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc` with `{"data": {"FormId", "FieldKeys",
/// "FilterString", "OrderString", "StartRow", "Limit"}}`, answered by rows of values in the order of `FieldKeys` (an
/// error: `[[{"Result": {"ResponseStatus": {"IsSuccess": false, "Errors": […]}}}]]`). Receivables are `AR_receivable`,
/// receipts `AR_RECEIVEBILL`; the CRM contract number is the field named by `contractField` (a field the implementer
/// adds to both bills).
public struct KingdeeClient: ERPConnector {
    public let name = "kingdee"
    public let kinds: [ERPEntry.Kind] = [.receivable, .receipt]
    public var baseURL, accountSet, username, password, contractField: String
    public var pageSize = 500

    public init(baseURL: String, accountSet: String, username: String, password: String, contractField: String = "F_KEEL_ContractNo") {
        (self.baseURL, self.accountSet, self.username, self.password, self.contractField) =
            (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, accountSet, username, password, contractField)
    }

    /// `KEEL_KINGDEE_URL` (…/K3Cloud), `KEEL_KINGDEE_ACCT`, `KEEL_KINGDEE_USER`, `KEEL_KINGDEE_PASSWORD` and optionally
    /// `KEEL_KINGDEE_CONTRACT_FIELD`; nil when not set.
    public static func fromEnvironment(_ e: [String: String] = ProcessInfo.processInfo.environment) -> KingdeeClient? {
        guard let url = e["KEEL_KINGDEE_URL"], !url.isEmpty, let acct = e["KEEL_KINGDEE_ACCT"], let user = e["KEEL_KINGDEE_USER"],
              let password = e["KEEL_KINGDEE_PASSWORD"] else { return nil }
        return KingdeeClient(baseURL: url, accountSet: acct, username: user, password: password,
                             contractField: e["KEEL_KINGDEE_CONTRACT_FIELD"].flatMap { $0.isEmpty ? nil : $0 } ?? "F_KEEL_ContractNo")
    }

    static let login = "/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc"
    static let query = "/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc"

    /// The bill and its fields (number, date, amount with tax, tax, currency, modified, contract number) per kind.
    func bill(_ kind: ERPEntry.Kind) -> (form: String, fields: [String]) {
        kind == .receipt
            ? ("AR_RECEIVEBILL", ["FBillNo", "FDATE", "FRECEIVEAMOUNTFOR", "0", "FCURRENCYID.FNumber", "FModifyDate", contractField])
            : ("AR_receivable", ["FBillNo", "FDATE", "FALLAMOUNTFOR", "FTAXAMOUNTFOR", "FCURRENCYID.FNumber", "FModifyDate", contractField])
    }

    /// A session cookie.
    func session() async throws(ERPError) -> String {
        let body = JSONValue.object(["acctID": .string(accountSet), "username": .string(username), "password": .string(password), "lcid": 2052])
        let answer = try await ERPHTTP.send(baseURL + Self.login, method: "POST", headers: [("Content-Type", "application/json")], body: Array(body.canonicalText().utf8))
        let result = try ERPHTTP.json(answer.bytes)
        guard result["LoginResultType"]?.numberValue == 1 else {
            throw .refused("login failed: \(result["Message"]?.stringValue ?? result["KDSVCSessionId"]?.stringValue ?? "LoginResultType \(result["LoginResultType"]?.numberValue ?? 0)")")
        }
        let cookies = answer.headers.filter { $0.0.lowercased() == "set-cookie" }.map { $0.1.split(separator: ";")[0] }
        guard cookies.contains(where: { $0.hasPrefix("kdservice-sessionid=") }) else { throw .malformed("no kdservice-sessionid cookie") }
        return cookies.joined(separator: "; ")
    }

    public func pull(_ kind: ERPEntry.Kind, since: String?, page: Int) async throws -> ERPPage {
        let cookie = try await session()
        let (form, fields) = bill(kind)
        let filter = since.map { "FModifyDate >= '\($0)'" } ?? ""
        let body = JSONValue.object(["data": ["FormId": .string(form), "FieldKeys": .string(fields.joined(separator: ",")), "FilterString": .string(filter),
                                              "OrderString": "FModifyDate ASC, FBillNo ASC", "TopRowCount": 0, "StartRow": JSONValue(page * pageSize),
                                              "Limit": JSONValue(pageSize)]])
        let answer = try await ERPHTTP.send(baseURL + Self.query, method: "POST", headers: [("Content-Type", "application/json"), ("Cookie", cookie)],
                                            body: Array(body.canonicalText().utf8))
        guard let rows = try ERPHTTP.json(answer.bytes).arrayValue else { throw ERPError.malformed("rows are not an array") }
        if let status = rows.first?.arrayValue?.first?["Result"]?["ResponseStatus"], status["IsSuccess"] == false {
            throw ERPError.refused(status["Errors"]?.arrayValue?.first?["Message"]?.stringValue ?? "the query failed")
        }
        var entries: [ERPEntry] = [], cursor = since
        for (i, row) in rows.enumerated() {
            guard let cells = row.arrayValue, cells.count == fields.count, let number = cells[0].stringValue, let date = cells[1].stringValue,
                  let amount = ERPHTTP.amount(cells[2]), let tax = fields[3] == "0" ? 0 : ERPHTTP.amount(cells[3]), let modified = cells[5].stringValue else {
                throw ERPError.malformed("row \(page * pageSize + i + 1) of \(form) lacks its number, date, amount or modification time")
            }
            let contract = cells[6].stringValue.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            entries.append(ERPEntry(source: name, kind: kind, document: number, contractNumber: contract, day: String(date.prefix(10)), amount: amount, tax: tax,
                                    currency: cells[4].stringValue ?? "CNY"))
            cursor = max(cursor ?? "", modified)
        }
        return ERPPage(entries: entries, cursor: cursor, more: rows.count == pageSize)
    }
}
