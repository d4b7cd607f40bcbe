import Foundation
import KeelCore

/// A contract's e-signature on its page: where it stands, the document sent and each signed document's SHA-256 (the
/// proof of what was signed), each signer with the time they signed; on a draft, the form to send it for signing.
public struct SigningCard {
    struct Signer {
        var name, account, organization, when: String
        var signed: Bool
    }

    struct Form {
        var action: String
        var rows: [Int]
    }

    var state: String?
    var sent: String?
    var document: String?
    var signedDocuments: [String]
    var signers: [Signer]
    var hasSigners: Bool
    var form: Form?
    /// Why it cannot be sent now (no provider, no PDF), or why the last attempt failed.
    var note: String?
    var error: String?

    /// `canSend`: the contract is a draft the reader may change; `configured`: a provider is set up; `hasPDF`: a PDF
    /// is attached; `error`: the code of the last refused attempt.
    public init(contract: Record, signing: ContractSigning?, canSend: Bool, configured: Bool, hasPDF: Bool, error: String?, _ t: Strings) {
        state = signing.map { t["signing_status_" + $0.status.rawValue] }
        sent = signing.map { t.format("signing_sent", t.time($0.sentAt)) }
        document = signing.map { "\($0.sent.name) · SHA-256 \($0.sent.sha256)" }
        signedDocuments = signing?.signed.map { "\($0.name) · SHA-256 \($0.sha256)" } ?? []
        signers = (signing?.signers ?? []).map { s in
            Signer(name: s.name, account: ContractSigning.masked(s.account), organization: s.organization ?? "—",
                   when: s.signedAt.map { t.format("signing_signed_at", t.time($0)) } ?? t["signing_waiting"], signed: s.signedAt != nil)
        }
        hasSigners = !signers.isEmpty
        let draft = (contract.value("status").stringValue ?? "draft") == "draft"
        if draft && canSend {
            if !configured { note = t["signing_not_configured"] } else if !hasPDF { note = t["signing_needs_pdf"] }
            else { form = Form(action: "/o/contracts/\(contract.id)/signing", rows: [1, 2]) }
        }
        self.error = error.map { t.text("signing_err_" + $0) ?? t["signing_err_other"] }
    }

    /// Whether the card has anything to show.
    public var isEmpty: Bool { state == nil && form == nil && note == nil && error == nil }
}
