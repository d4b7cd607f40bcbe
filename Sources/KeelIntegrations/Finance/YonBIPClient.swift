import Crypto
import Foundation
import KeelCore

/// 用友 YonBIP through its open API as documented: an access token from
/// `GET /iuap-api-auth/open-auth/selfAppAuth/getAccessToken?appKey=…&timestamp=…&signature=…` (the signature: base64
/// HMAC-SHA256, keyed with the app secret, of `appKey<key>timestamp<ms>`, URL-encoded; answered
/// `{"code": "00000", "data": {"access_token", "expire"}}`), then list queries `POST <path>?access_token=…` with
/// `{"pageIndex", "pageSize", "simpleVOs": [{"field": "pubts", "op": "egt", "value1"}]}`, answered
/// `{"code": "200", "data": {"recordList": […], "pageCount"}}`. The list paths and the contract number's field are the
/// implementer's (YonBIP's receivable and receipt lists differ by edition).
public struct YonBIPClient: ERPConnector {
    public let name = "yonbip"
    public let kinds: [ERPEntry.Kind] = [.receivable, .receipt]
    public var baseURL, appKey, appSecret: String
    public var paths: [ERPEntry.Kind: String]
    public var contractField: String
    public var pageSize = 500

    public init(baseURL: String, appKey: String, appSecret: String,
                paths: [ERPEntry.Kind: String] = [.receivable: "/iuap-api-gateway/yonbip/fi/arap/receivable/list",
                                                  .receipt: "/iuap-api-gateway/yonbip/fi/arap/receipt/list"],
                contractField: String = "contractCode") {
        (self.baseURL, self.appKey, self.appSecret, self.paths, self.contractField) =
            (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, appKey, appSecret, paths, contractField)
    }

    /// `KEEL_YONBIP_URL`, `KEEL_YONBIP_APP_KEY`, `KEEL_YONBIP_APP_SECRET` (and optionally `KEEL_YONBIP_RECEIVABLE_PATH`,
    /// `KEEL_YONBIP_RECEIPT_PATH`, `KEEL_YONBIP_CONTRACT_FIELD`); nil when not set.
    public static func fromEnvironment(_ e: [String: String] = ProcessInfo.processInfo.environment) -> YonBIPClient? {
        guard let url = e["KEEL_YONBIP_URL"], !url.isEmpty, let key = e["KEEL_YONBIP_APP_KEY"], let secret = e["KEEL_YONBIP_APP_SECRET"] else { return nil }
        var client = YonBIPClient(baseURL: url, appKey: key, appSecret: secret)
        if let p = e["KEEL_YONBIP_RECEIVABLE_PATH"], !p.isEmpty { client.paths[.receivable] = p }
        if let p = e["KEEL_YONBIP_RECEIPT_PATH"], !p.isEmpty { client.paths[.receipt] = p }
        if let f = e["KEEL_YONBIP_CONTRACT_FIELD"], !f.isEmpty { client.contractField = f }
        return client
    }

    /// The token request's signature.
    public static func signature(appKey: String, timestamp: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array("appKey\(appKey)timestamp\(timestamp)".utf8), using: SymmetricKey(data: Array(secret.utf8))))
            .base64EncodedString()
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")) ?? s
    }

    func token() async throws(ERPError) -> String {
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        let url = baseURL + "/iuap-api-auth/open-auth/selfAppAuth/getAccessToken?appKey=\(Self.encode(appKey))&timestamp=\(timestamp)&signature="
            + Self.encode(Self.signature(appKey: appKey, timestamp: timestamp, secret: appSecret))
        let answer = try ERPHTTP.json(try await ERPHTTP.send(url, method: "GET", headers: [], body: nil).bytes)
        guard answer["code"]?.stringValue == "00000", let token = answer["data"]?["access_token"]?.stringValue else {
            throw .refused("no access token: \(answer["message"]?.stringValue ?? "")")
        }
        return token
    }

    public func pull(_ kind: ERPEntry.Kind, since: String?, page: Int) async throws -> ERPPage {
        guard let path = paths[kind] else { return ERPPage(entries: [], cursor: since, more: false) }
        let token = try await token()
        var query: [String: JSONValue] = ["pageIndex": JSONValue(page + 1), "pageSize": JSONValue(pageSize)]
        if let since { query["simpleVOs"] = [["field": "pubts", "op": "egt", "value1": .string(since)]] }
        let answer = try ERPHTTP.json(try await ERPHTTP.send(baseURL + path + "?access_token=" + Self.encode(token), method: "POST",
                                                             headers: [("Content-Type", "application/json")], body: Array(JSONValue.object(query).canonicalText().utf8)).bytes)
        guard answer["code"]?.stringValue == "200" else { throw ERPError.refused("\(answer["code"]?.stringValue ?? "?"): \(answer["message"]?.stringValue ?? "")") }
        guard let records = answer["data"]?["recordList"]?.arrayValue else { throw ERPError.malformed("no recordList") }
        var entries: [ERPEntry] = [], cursor = since
        for (i, r) in records.enumerated() {
            let amount = ERPHTTP.amount(r[kind == .receipt ? "oriSum" : "oriTaxIncludedAmount"] ?? r["amount"])
            guard let number = r["code"]?.stringValue, let date = r["vouchdate"]?.stringValue, let amount, let modified = r["pubts"]?.stringValue else {
                throw ERPError.malformed("record \(page * pageSize + i + 1) lacks its code, vouchdate, amount or pubts")
            }
            let tax = kind == .receipt ? 0 : ERPHTTP.amount(r["oriTax"]) ?? 0
            let contract = r[contractField]?.stringValue.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            entries.append(ERPEntry(source: name, kind: kind, document: number, contractNumber: contract, day: String(date.prefix(10)), amount: amount, tax: tax,
                                    currency: r["currency_code"]?.stringValue ?? r["currency"]?.stringValue ?? "CNY"))
            cursor = max(cursor ?? "", modified)
        }
        let pages = answer["data"]?["pageCount"]?.intValue ?? 1
        return ERPPage(entries: entries, cursor: cursor, more: page + 1 < pages)
    }
}
