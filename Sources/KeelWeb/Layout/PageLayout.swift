import KeelCore

/// How a record page groups an object's fields into sections. Fields no section names (custom fields, and
/// every field of a custom object beyond its name and owner) go to "more".
public enum PageLayout {
    public struct Section {
        public var key: String
        public var fields: [FieldDefinition]
    }

    static let standard: [String: [(String, [String])]] = [
        "accounts": [("section_basic", ["name", "credit_code", "industry", "size", "legal_representative"]),
                     ("section_registry", ["registry_status", "registered_capital", "registry_checked_at"]),
                     ("section_contact", ["phone", "email", "website", "other_phones", "other_emails"]),
                     ("section_address", ["province", "city", "address"]),
                     ("section_ownership", ["owner", "department"])],
        "contacts": [("section_basic", ["name", "title", "role", "account"]),
                     ("section_contact", ["phone", "mobile", "email", "wechat_id", "other_phones", "other_emails"]),
                     ("section_ownership", ["owner"])],
        "leads": [("section_basic", ["name", "company", "industry", "status", "score", "score_breakdown"]),
                  ("section_contact", ["phone", "email", "other_phones", "other_emails"]),
                  ("section_address", ["country", "province", "city", "region"]),
                  ("section_source", ["channel", "form", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_page", "time_on_page"]),
                  ("section_ownership", ["owner", "assigned_at", "assignment_reason"])],
        "opportunities": [("section_basic", ["name", "account", "stage", "amount", "currency", "probability", "expected_close_date"]),
                          ("section_ownership", ["owner"])],
        "activities": [("section_basic", ["type", "subject", "related_to", "occurred_at", "next_step", "body"]),
                       ("section_ownership", ["owner"])],
        "tasks": [("section_basic", ["subject", "status", "due", "assignee", "related_to", "description"])],
        "products": [("section_basic", ["name", "sku", "unit", "active", "description"]),
                     ("section_pricing", ["unit_price", "tax_rate", "tax_included"])],
        "quotes": [("section_basic", ["name", "account", "opportunity", "status", "valid_until"]),
                   ("section_amounts", ["total_excl_tax", "total_tax", "total_incl_tax", "max_discount", "rounding_level", "rounding_mode"]),
                   ("section_ownership", ["owner"])],
        "contracts": [("section_basic", ["name", "number", "account", "quote", "opportunity", "status", "signed_at", "delivery_date"]),
                      ("section_amounts", ["total_excl_tax", "total_tax", "total_incl_tax", "currency", "finance_confirmed_amount", "rounding_level", "rounding_mode",
                                           "plan_status", "plan_breaches"]),
                      ("section_ownership", ["owner"])],
        "quote_lines": [("section_basic", ["quote", "position", "product", "name", "quantity", "unit"]),
                        ("section_pricing", ["list_price", "unit_price", "price_reason", "discount", "tax_rate", "tax_included"]),
                        ("section_amounts", ["amount_excl_tax", "tax", "amount_incl_tax"]),
                        ("section_ownership", ["owner"])],
    ]

    /// The object's sections in order; empty sections are left out.
    public static func sections(_ object: ObjectDefinition) -> [Section] {
        let named = standard[object.name] ?? [("section_basic", ["name"]), ("section_ownership", ["owner"])]
        var placed = Set<String>()
        var sections: [Section] = named.map { key, names in
            let fields = names.compactMap { object.field($0) }
            placed.formUnion(fields.map(\.name))
            return Section(key: key, fields: fields)
        }
        sections.append(Section(key: "section_more", fields: object.fields.filter { !placed.contains($0.name) }))
        return sections.filter { !$0.fields.isEmpty }
    }
}
