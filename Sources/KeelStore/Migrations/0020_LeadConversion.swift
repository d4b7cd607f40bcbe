import SQLKit

extension Migration {
    /// A lead remembers what it became (account, contact, deal) and, when disqualified, why.
    static let m0020LeadConversion = Migration(name: "0020_lead_conversion") { _ in
        ["converted_account", "converted_contact", "converted_opportunity", "disqualify_reason"].map { "ALTER TABLE leads ADD COLUMN \($0) TEXT" }
    }
}
