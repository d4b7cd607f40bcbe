extension PolicySet {
    /// The policies of a new install, as admins see and edit them: members read and edit what they own; managers read
    /// and edit what is owned in their department subtree; admins everything; fields of sensitivity 3 and up masked
    /// below manager; export only for managers (their subtree) and admins.
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
                "effect": "permit", "actions": ["read", "create", "update", "delete", "read_history", "merge", "bulk_update", "export"], "objects": "*",
                "when": ["all": [
                    ["attr": "user.role", "op": "eq", "value": "manager"],
                    ["attr": "record.owner_department", "op": "in", "ref": "user.subtree"],
                ]],
            ],
            [
                "id": "mask-sensitive-fields", "description": "Fields of sensitivity 3 and up are masked for anyone below manager.",
                "effect": "forbid", "actions": ["read", "read_history", "export", "update"], "objects": "*",
                "when": ["all": [
                    ["attr": "field.sensitivity", "op": "ge", "value": 3],
                    ["attr": "user.role", "op": "eq", "value": "member"],
                ]],
            ],
        ],
    ]

    /// The default policies, parsed.
    public static func defaults(objects: [ObjectDefinition]) -> PolicySet {
        // The default document is part of Keel and checked by its tests; it always parses.
        (try? parse(defaultDocument, objects: objects)) ?? PolicySet(version: 0, policies: [])
    }
}
