import Foundation

/// A contract sent to be signed electronically: to whom, the document sent (its SHA-256), and — once the provider's
/// signed callbacks came — who signed when, and the SHA-256 of each signed document. Proof of what was signed when.
public struct ContractSigning: Sendable, Equatable {
    public enum Status: String, Sendable { case sent, signed, ended }

    public struct Signer: Sendable, Equatable {
        public var name: String
        /// The account the provider identified them by (a mobile number), shown masked.
        public var account: String
        public var organization: String?
        /// When they signed (ISO 8601), nil while they have not.
        public var signedAt: String?

        public init(name: String, account: String, organization: String? = nil, signedAt: String? = nil) {
            (self.name, self.account, self.organization, self.signedAt) = (name, account, organization, signedAt)
        }

        var json: JSONValue {
            ["name": .string(name), "account": .string(account), "organization": organization.map(JSONValue.string) ?? .null,
             "signed_at": signedAt.map(JSONValue.string) ?? .null]
        }

        init?(json: JSONValue) {
            guard let name = json["name"]?.stringValue, let account = json["account"]?.stringValue else { return nil }
            self.init(name: name, account: account, organization: json["organization"]?.stringValue, signedAt: json["signed_at"]?.stringValue)
        }
    }

    public struct Document: Sendable, Equatable {
        public var name: String
        public var sha256: String

        public init(name: String, sha256: String) { (self.name, self.sha256) = (name, sha256) }
    }

    public var flowID: String
    public var contract: String
    public var provider: String
    public var status: Status
    public var sentBy: String
    public var sentAt: String
    /// The document sent, and its SHA-256.
    public var sent: Document
    public var signers: [Signer]
    public var finishedAt: String?
    public var signed: [Document]

    public init(flowID: String, contract: String, provider: String, status: Status, sentBy: String, sentAt: String, sent: Document, signers: [Signer],
                finishedAt: String? = nil, signed: [Document] = []) {
        (self.flowID, self.contract, self.provider, self.status, self.sentBy, self.sentAt) = (flowID, contract, provider, status, sentBy, sentAt)
        (self.sent, self.signers, self.finishedAt, self.signed) = (sent, signers, finishedAt, signed)
    }

    public static func signersJSON(_ signers: [Signer]) -> JSONValue { .array(signers.map(\.json)) }
    public static func signers(_ json: JSONValue) -> [Signer] { (json.arrayValue ?? []).compactMap(Signer.init(json:)) }
    public static func documentsJSON(_ documents: [Document]) -> JSONValue {
        .array(documents.map { ["name": .string($0.name), "sha256": .string($0.sha256)] })
    }
    public static func documents(_ json: JSONValue) -> [Document] {
        (json.arrayValue ?? []).compactMap { d in d["name"]?.stringValue.flatMap { n in d["sha256"]?.stringValue.map { Document(name: n, sha256: $0) } } }
    }

    /// A mobile number as shown: 138****5678.
    public static func masked(_ account: String) -> String {
        account.count == 11 && account.allSatisfy(\.isNumber) ? String(account.prefix(3)) + "****" + String(account.suffix(4)) : account
    }

    /// The API's representation (accounts masked).
    public var json: JSONValue {
        var signers = self.signers
        for i in signers.indices { signers[i].account = Self.masked(signers[i].account) }
        return ["flow_id": .string(flowID), "contract": .string(contract), "provider": .string(provider), "status": .string(status.rawValue),
                "sent_by": .string(sentBy), "sent_at": .string(sentAt), "document": ["name": .string(sent.name), "sha256": .string(sent.sha256)],
                "signers": Self.signersJSON(signers), "finished_at": finishedAt.map(JSONValue.string) ?? .null, "signed_documents": Self.documentsJSON(signed)]
    }
}
