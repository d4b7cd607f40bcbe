import Crypto
import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

/// The e-signature provider Keel sends contracts to, and the app id and secret its callbacks are signed with.
public struct ESignSettings: Sendable {
    public var provider: any ESignProvider
    public var name: String
    public var appID: String
    public var secret: String

    public init(provider: any ESignProvider, name: String = "tsign", appID: String, secret: String) {
        (self.provider, self.name, self.appID, self.secret) = (provider, name, appID, secret)
    }

    /// e签宝 as `KEEL_TSIGN_APP_ID`, `KEEL_TSIGN_APP_SECRET` (and `KEEL_TSIGN_URL`) set it up; nil when not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ESignSettings? {
        TsignClient.fromEnvironment(environment).map { ESignSettings(provider: $0, appID: $0.appID, secret: $0.secret) }
    }
}

/// Contracts signed electronically: a draft contract's PDF sent to its signers (the contract is then `signing`), the
/// provider's signed callbacks verified and applied once each — each signer as they sign, then the signed document's
/// SHA-256 kept, the signed PDF attached and the contract `signed` (after which its terms do not change). A forged,
/// stale or replayed callback changes nothing.
public struct Signatures: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let attachments: Attachments
    let settings: ESignSettings?
    let store = SigningStore()

    /// Whether a provider is set up.
    public var configured: Bool { settings != nil }

    /// At most this many signers a contract.
    public static let maxSigners = 10

    /// Sends contract `id` to be signed: `{"signers": [{"name", "mobile", "organization"?}], "attachment"?}` (the
    /// contract's PDF attachment to send; by default its latest). `notifyURL`: where the provider's callbacks reach Keel.
    public func send(_ id: String, _ body: [String: JSONValue], notifyURL: String, context: WriteContext) async throws -> ContractSigning {
        let principal = context.principal
        let signers = try Self.signers(body)
        guard let settings else {
            throw KeelError(.conflict, code: "esign_not_configured", message: "No e-signature provider is set up (KEEL_TSIGN_APP_ID, KEEL_TSIGN_APP_SECRET).")
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(StandardObjects.contract.name)
        let (contract, _) = try await records.get(object.name, id: id, as: principal)
        try Self.requireDraft(contract)
        let pdfs = try await attachments.list(object.name, id: id, as: principal).filter { $0.contentType == "application/pdf" }
        let chosen = body["attachment"]?.stringValue.map { wanted in pdfs.first { $0.id == wanted } } ?? pdfs.max { $0.at < $1.at }
        guard let attachment = chosen else {
            throw KeelError.validation([Violation(field: "attachment", code: "document_required", message: "Attach the contract as a PDF first; that document is sent to be signed.")])
        }
        let (_, data) = try await attachments.open(object.name, id: id, attachment: attachment.id, as: principal)
        let flowID: String
        do {
            flowID = try await settings.provider.startFlow(ESignRequest(title: contract.value("name").stringValue ?? "合同", fileName: attachment.filename,
                                                                         pdf: Array(data), signers: signers, notifyURL: notifyURL))
        } catch let error as ESignError {
            throw KeelError(.badGateway, code: "esign_failed", message: error.summary)
        }
        let signing = ContractSigning(flowID: flowID, contract: id, provider: settings.name, status: .sent, sentBy: principal.userID,
                                      sentAt: ValueFormats.formatDateTime(context.date), sent: .init(name: attachment.filename, sha256: attachment.sha256),
                                      signers: signers.map { .init(name: $0.name, account: $0.mobile, organization: $0.organization) })
        let scopes = try await records.access.scopes(principal, [.update, .read], object: object)
        try await database.write { db in
            let current = try await records.lockedCurrent(object, id: id, expectedVersion: nil, .update, scope: scopes[0], readable: scopes[1], on: db).record
            try Self.requireDraft(current)
            try await store.insert(signing, on: db)
            _ = try await records.applyUpdate(object, id: id, ["status": "signing"], expectedVersion: nil, .update, scope: scopes[0], readable: scopes[1],
                                              catalog: catalog, context: context, on: db)
        }
        return signing
    }

    static func requireDraft(_ contract: Record) throws {
        let status = contract.value("status").stringValue ?? "draft"
        guard status == "draft" else {
            throw KeelError(.conflict, code: "contract_not_draft", message: "Only a draft contract is sent to be signed; this one is \(status).")
        }
    }

    /// The signers a request names: 1 to 10, each with a name and a mainland mobile number (the account the provider
    /// identifies them by); every problem at once.
    static func signers(_ body: [String: JSONValue]) throws -> [ESignSigner] {
        if let unknown = body.keys.sorted().first(where: { !["signers", "attachment"].contains($0) }) {
            throw KeelError.validation([Violation(field: unknown, code: "unknown_field", message: "Send {\"signers\": [{\"name\", \"mobile\", \"organization\"?}], \"attachment\"?}.")])
        }
        guard let items = body["signers"]?.arrayValue, (1...maxSigners).contains(items.count) else {
            throw KeelError.validation([Violation(field: "signers", code: "invalid_type", message: "Name 1 to \(maxSigners) signers.")])
        }
        var out: [ESignSigner] = [], violations: [Violation] = []
        for (i, item) in items.enumerated() {
            let name = item["name"]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? ""
            let mobile = item["mobile"]?.stringValue ?? ""
            let org = item["organization"]?.stringValue?.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || name.unicodeScalars.count > 50 || ValueFormats.controlCharacter(in: name) != nil {
                violations.append(Violation(field: "signers[\(i)].name", code: "required", message: "A signer's name: 1 to 50 characters."))
            }
            if mobile.range(of: #"^1[3-9][0-9]{9}$"#, options: .regularExpression) == nil {
                violations.append(Violation(field: "signers[\(i)].mobile", code: "invalid_phone", message: "A signer's mainland mobile number, 11 digits."))
            }
            if let org, org.isEmpty || org.unicodeScalars.count > 100 || ValueFormats.controlCharacter(in: org) != nil {
                violations.append(Violation(field: "signers[\(i)].organization", code: "invalid_format", message: "The company signed for: 1 to 100 characters."))
            }
            if item.objectValue == nil || !(item.objectValue ?? [:]).keys.allSatisfy({ ["name", "mobile", "organization"].contains($0) }) {
                violations.append(Violation(field: "signers[\(i)]", code: "invalid_type", message: "A signer is {\"name\", \"mobile\", \"organization\"?}."))
            }
            out.append(ESignSigner(name: name, mobile: mobile, organization: org))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return out
    }

    /// The contract's latest signing, for someone who may read the contract.
    public func signing(_ id: String, as principal: Principal) async throws -> ContractSigning? {
        _ = try await records.get(StandardObjects.contract.name, id: id, as: principal)
        return try await database.read { db in try await store.signing(contract: id, on: db) }
    }

    /// Applies one provider callback (headers with lower-case names). Refused (401) unless its signature and timestamp
    /// hold; true when it changed something, false for a replay or a flow Keel did not send.
    @discardableResult
    public func callback(headers: [String: String], query: [(String, String)], body: [UInt8], now: Date = Date()) async throws -> Bool {
        guard ["x-tsign-open-app-id", "x-tsign-open-timestamp", "x-tsign-open-signature"].allSatisfy({ headers[$0] != nil }) else {
            throw KeelError(.badRequest, code: "missing_headers", message: "A callback carries X-Tsign-Open-App-Id, X-Tsign-Open-TIMESTAMP and X-Tsign-Open-SIGNATURE.")
        }
        guard let settings else { throw KeelError.notFound("e-signature callback") }
        if let problem = TsignCallback.problem(headers: headers, query: query, body: body, appID: settings.appID, secret: settings.secret, now: now) {
            throw KeelError(.unauthorized, code: problem == .outsideWindow ? "callback_outside_window" : "invalid_signature",
                            message: problem == .outsideWindow ? "The callback's timestamp is outside the accepted window." : "The callback's signature does not verify.")
        }
        guard let event = try? JSONValue.parse(body), let action = event["action"]?.stringValue, let flowID = event["signFlowId"]?.stringValue else {
            throw KeelError(.badRequest, code: "invalid_callback", message: "A callback is JSON with action and signFlowId.")
        }
        guard let sent = try await database.read({ db in try await store.signing(flow: flowID, on: db) }) else { return false }
        let key = SHA256.hash(data: Array((headers["x-tsign-open-timestamp"] ?? "").utf8) + body).map { String(format: "%02x", $0) }.joined()
        func time(_ value: JSONValue?) -> String { value?.doubleValue.map { ValueFormats.formatDateTime(Date(timeIntervalSince1970: $0 / 1000)) } ?? ValueFormats.formatDateTime(now) }
        let completed = action == "SIGN_FLOW_COMPLETE" && event["signFlowStatus"]?.numberValue == 2
        // The signed files are fetched before the write (a network call); the flow is read again inside it, so two
        // callbacks at once do not undo each other.
        var signedFiles: [ESignFile] = []
        if completed && sent.status == .sent {
            do { signedFiles = try await settings.provider.signedFiles(flowID: flowID) } catch let error as ESignError {
                throw KeelError(.badGateway, code: "esign_failed", message: error.summary)
            }
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(StandardObjects.contract.name)
        guard let sender = try await database.read({ db in try await DirectoryStore().user(id: sent.sentBy, on: db) }) else {
            throw KeelError(.conflict, code: "sender_gone", message: "The user who sent the contract no longer exists.")
        }
        let applied = try await database.write { db -> Bool in
            guard try await store.firstTime(key, flow: flowID, at: ValueFormats.formatDateTime(now), on: db),
                  var signing = try await store.signing(flow: flowID, on: db) else { return false }
            var contractChange: [String: JSONValue] = [:]
            switch action {
            case "SIGN_MISSON_COMPLETE" where event["signResult"]?.numberValue == 2:
                let account = event["operator"]?["psnAccount"]?["accountMobile"]?.stringValue ?? event["operator"]?["psnAccount"]?["accountEmail"]?.stringValue ?? ""
                if let i = signing.signers.firstIndex(where: { $0.account == account }) {
                    signing.signers[i].signedAt = time(event["operateTime"])
                } else {
                    signing.signers.append(.init(name: event["operator"]?["psnName"]?.stringValue ?? account, account: account,
                                                 organization: event["organization"]?["orgName"]?.stringValue, signedAt: time(event["operateTime"])))
                }
            case "SIGN_FLOW_COMPLETE" where signing.status == .sent && (!completed || !signedFiles.isEmpty):
                // Completed: signed, with the signed documents' SHA-256; revoked, expired or declined: a draft again.
                signing.status = completed ? .signed : .ended
                signing.finishedAt = time(event["signFlowFinishTime"])
                signing.signed = signedFiles.map { .init(name: $0.name, sha256: SHA256.hash(data: $0.bytes).map { String(format: "%02x", $0) }.joined()) }
                contractChange = completed ? ["status": "signed", "signed_at": .string(signing.finishedAt!)] : ["status": "draft"]
            default:
                break
            }
            try await store.update(signing, on: db)
            let whole = AccessScope.whole(object, userID: sender.id)
            if !contractChange.isEmpty, try await records.store.fetch(object, id: signing.contract, access: whole, on: db)?.value("status") == "signing" {
                _ = try await records.applyUpdate(object, id: signing.contract, contractChange, expectedVersion: nil, .update, scope: whole, readable: whole,
                                                  catalog: catalog, context: WriteContext(principal: sender.principal, source: .webhook), on: db)
            }
            return true
        }
        // The signed PDF is kept with the contract (as its sender attached the one sent).
        if applied {
            for file in signedFiles {
                _ = try await attachments.attach(object.name, id: sent.contract, filename: file.name, kind: "contract", bytes: file.bytes, as: sender.principal)
            }
        }
        return applied
    }
}
