extension PolicySet {
    /// The policies of a new install, as admins see and edit them: members read and edit what they own; managers read
    /// and edit what is owned in their department subtree; admins everything; fields of sensitivity 3 and up masked
    /// below manager; export only for managers (their subtree) and admins; secret (L4) records only through a granted
    /// access request; exports of sensitive data or of more than 1,000 records only after a fresh step-up.
    public static let defaultDocument: JSONValue = [
        "policies": [
            [
                "id": "admins-everything", "description": "Administrators may do everything.",
                "effect": "permit", "actions": "*", "objects": "*",
                "when": ["attr": "user.role", "op": "eq", "value": "admin"],
            ],
            [
                "id": "owners-read-edit", "description": "Everyone reads and edits the records they own.",
                "effect": "permit", "actions": ["read", "create", "update", "read_history"], "objects": "*",
                "when": ["attr": "record.owner", "op": "eq", "ref": "user.id"],
            ],
            [
                "id": "managers-department", "description": "Managers read and edit the records owned in their department and the departments below it.",
                "effect": "permit", "actions": ["read", "create", "update", "delete", "read_history", "merge", "bulk_update", "export", "approve_access"],
                "objects": "*",
                "when": ["all": [
                    ["attr": "user.role", "op": "eq", "value": "manager"],
                    ["attr": "record.owner_department", "op": "in", "ref": "user.subtree"],
                ]],
            ],
            [
                "id": "catalog-for-everyone", "description": "Everyone reads the product catalog (a quote is priced from it).",
                "effect": "permit", "actions": ["read"], "objects": ["products", "price_books", "price_book_entries"],
                "when": ["attr": "user.status", "op": "eq", "value": "active"],
            ],
            [
                "id": "catalog-kept-by-admins", "description": "Only administrators add, change or remove products, price books and their prices.",
                "effect": "forbid", "actions": ["create", "update", "delete", "merge", "bulk_update"], "objects": ["products", "price_books", "price_book_entries"],
                "when": ["attr": "user.role", "op": "ne", "value": "admin"],
            ],
            [
                "id": "secret-records-need-approval",
                "description": "Records of sensitivity 4 are open to anyone but admins only through an access request granted by an approver.",
                "effect": "forbid", "actions": ["read", "update", "delete", "read_history", "export", "merge", "bulk_update"], "objects": "*",
                "when": ["all": [
                    ["attr": "record.sensitivity", "op": "ge", "value": 4],
                    ["attr": "user.role", "op": "ne", "value": "admin"],
                    ["not": ["attr": "context.approval_granted", "op": "eq", "value": true]],
                ]],
            ],
            [
                "id": "approved-secret-access", "description": "A granted access request opens its secret record for reading until it expires.",
                "effect": "permit", "actions": ["read"], "objects": "*",
                "when": ["all": [
                    ["attr": "record.sensitivity", "op": "ge", "value": 4],
                    ["attr": "context.approval_granted", "op": "eq", "value": true],
                ]],
            ],
            [
                "id": "mask-sensitive-fields", "description": "Fields of sensitivity 3 and up are masked for anyone below manager.",
                "effect": "forbid", "actions": ["read", "read_history", "export", "create", "update"], "objects": "*",
                "when": ["all": [
                    ["attr": "field.sensitivity", "op": "ge", "value": 3],
                    ["attr": "user.role", "op": "eq", "value": "member"],
                ]],
            ],
            [
                "id": "sensitive-exports-need-step-up",
                "description": "Exporting fields or records of sensitivity 3 and up needs the password entered again in the last 15 minutes (step-up).",
                "effect": "forbid", "actions": ["export"], "objects": "*",
                "when": ["all": [
                    ["any": [["attr": "field.sensitivity", "op": "ge", "value": 3], ["attr": "record.sensitivity", "op": "ge", "value": 3]]],
                    ["not": ["attr": "context.step_up", "op": "eq", "value": true]],
                ]],
            ],
            [
                "id": "bulk-exports-need-step-up",
                "description": "Exporting more than 1,000 records at once needs the password entered again in the last 15 minutes (step-up).",
                "effect": "forbid", "actions": ["export"], "objects": "*",
                "when": ["all": [
                    ["attr": "context.export_rows", "op": "gt", "value": 1000],
                    ["not": ["attr": "context.step_up", "op": "eq", "value": true]],
                ]],
            ],
        ],
        "expectations": [
            [
                "id": "juniors-cannot-take-data-away", "description": "Staff of the lowest rank (interns, assistants) neither export nor delete.",
                "who": ["all": [["attr": "user.level", "op": "le", "value": 1], ["attr": "user.role", "op": "ne", "value": "admin"]]],
                "mustNot": ["export", "delete", "merge", "bulk_update", "manage_users", "manage_policies"], "objects": "*",
            ],
            [
                "id": "everyone-works-with-customers", "description": "Every active user can read and create customers and log activities.",
                "who": ["attr": "user.status", "op": "eq", "value": "active"],
                "must": ["read", "create"], "objects": ["accounts", "activities"],
            ],
        ],
    ]

    /// The default policies, parsed.
    public static func defaults(objects: [ObjectDefinition]) -> PolicySet {
        // The default document is part of Keel and checked by its tests; it always parses.
        (try? parse(defaultDocument, objects: objects)) ?? PolicySet(version: 0, policies: [])
    }
}
