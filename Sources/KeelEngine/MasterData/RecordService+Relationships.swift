import Foundation
import KeelCore
import KeelMatching

/// Accounts tied to one another without being the same company: a shared legal representative, registered address,
/// phone, e-mail domain or director. Shown to people, with hierarchy suggestions (parent, branch); never merged.
public struct Relationship: Sendable {
    public enum Suggestion: String, Sendable { case parent, branch }

    public var account: Record
    /// How they are tied: (kind, value), kind one of legal_representative, address, phone, email_domain, director.
    public var via: [(kind: String, value: String)]
    /// What the other account may be to this one.
    public var suggestion: Suggestion?

    public var json: JSONValue {
        ["account": ["id": .string(account.id), "name": account.value("name")],
         "via": .array(via.map { ["kind": .string($0.kind), "value": .string($0.value)] }),
         "suggestion": suggestion.map { .string($0.rawValue) } ?? .null]
    }
}

extension RecordService {
    /// Roles (contacts' role or title) that make someone a director or officer of a company.
    static let directorRoles: Set<String> = ["董事", "董事长", "副董事长", "执行董事", "独立董事", "监事", "监事会主席", "法定代表人", "总经理",
                                             "director", "chairman", "supervisor"]
    /// Mail domains anyone can have: sharing one ties nobody.
    static let freeMailDomains: Set<String> = ["qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "foxmail.com",
                                               "139.com", "189.cn", "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com"]

    /// The accounts the reader may see that share something with account `id`, most ties first.
    public func relationships(_ objectName: String, id: String, as principal: Principal) async throws -> [Relationship] {
        guard objectName == StandardObjects.account.name else {
            throw KeelError(.unprocessable, code: "not_accounts", message: "Relationships are found between accounts.")
        }
        let (account, _) = try await get(objectName, id: id, as: principal)
        let accounts = StandardObjects.account.name, contacts = StandardObjects.contact.name
        var ties: [String: [(kind: String, value: String)]] = [:]
        func tie(_ other: String?, _ kind: String, _ value: String) {
            guard let other, other != id, !(ties[other] ?? []).contains(where: { $0 == (kind, value) }) else { return }
            ties[other, default: []].append((kind, value))
        }
        func find(_ object: String, _ field: String, _ op: String, _ value: String) async throws -> [Record] {
            try await list(object, params: [("filter[\(field)][\(op)]", value), ("limit", "200")], as: principal).records
        }
        for field in ["legal_representative", "address"] {
            guard let value = account.value(field).stringValue else { continue }
            for other in try await find(accounts, field, "eq", value) { tie(other.id, field, value) }
        }
        let people = try await find(contacts, "account", "eq", id)
        // Phones however written: the search index keys them by national number.
        var phones: [String: String] = [:]
        for record in [account] + people {
            for field in ["phone", "mobile"] {
                if let text = record.value(field).stringValue, let key = SearchKey.phone(text) { phones["p:" + key] = text }
            }
        }
        let contactObject = try await metadata.catalog().require(contacts)
        let readable = try await access.scope(principal, .read, object: contactObject)
        for (key, written) in phones.sorted(by: { $0.key < $1.key }) {
            for hit in try await database.read({ try await self.store.findKeys(exact: [key], prefix: nil, limit: 200, on: $0) }) {
                if hit.object == accounts { tie(hit.id, "phone", written) }
                if hit.object == contacts, let person = try await database.read({ try await self.store.fetch(contactObject, id: hit.id, access: readable, on: $0) }) {
                    tie(person.value("account").stringValue, "phone", written)
                }
            }
        }
        let domains = Set(([account] + people).compactMap { $0.value("email").stringValue?.split(separator: "@").last.map { String($0).lowercased() } })
            .subtracting(Self.freeMailDomains)
        for domain in domains.sorted() {
            for other in try await find(accounts, "email", "contains", "@" + domain) { tie(other.id, "email_domain", domain) }
            for person in try await find(contacts, "email", "contains", "@" + domain) { tie(person.value("account").stringValue, "email_domain", domain) }
        }
        let directors = people.filter { Self.isDirector($0) }.compactMap { $0.value("name").stringValue }
        for name in Set(directors).sorted() {
            for person in try await find(contacts, "name", "eq", name) where Self.isDirector(person) { tie(person.value("account").stringValue, "director", name) }
        }
        guard !ties.isEmpty else { return [] }
        let others = try await list(accounts, params: [("filter[id][in]", ties.keys.sorted().joined(separator: ",")), ("limit", "\(ties.count)")],
                                    as: principal).records
        return others.map { Relationship(account: $0, via: ties[$0.id] ?? [], suggestion: Self.hierarchy(of: $0, to: account, ties: ties[$0.id] ?? [])) }
            .sorted { ($0.via.count, $1.account.id) > ($1.via.count, $0.account.id) }
    }

    static func isDirector(_ person: Record) -> Bool {
        [person.value("role"), person.value("title")].contains { $0.stringValue.map { directorRoles.contains($0.lowercased()) } ?? false }
    }

    /// A branch of the same company (分公司, 办事处…) is this account's branch, or its head office; a group or holding
    /// company tied to it by name or legal representative may be its parent.
    static func hierarchy(of other: Record, to account: Record, ties: [(kind: String, value: String)]) -> Relationship.Suggestion? {
        let a = CompanyName(account.value("name").stringValue ?? ""), b = CompanyName(other.value("name").stringValue ?? "")
        let sameTrade = !a.tradeName.isEmpty && a.tradeName == b.tradeName
        if sameTrade, b.branch != nil, a.branch == nil { return .branch }
        if sameTrade, a.branch != nil, b.branch == nil { return .parent }
        let isGroup = ["集团", "控股", "group", "holding"].contains { (other.value("name").stringValue ?? "").lowercased().contains($0) }
        if isGroup, sameTrade || ties.contains(where: { $0.kind == "legal_representative" || $0.kind == "director" }) { return .parent }
        return nil
    }
}
