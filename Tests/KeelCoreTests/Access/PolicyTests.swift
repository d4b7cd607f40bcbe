import KeelCore
import Testing

@Suite struct PolicyTests {
    static let objects = StandardObjects.all
    static func member(_ id: String = "u1", role: Role = .member, level: Int = 1) -> Subject {
        Subject(principal: Principal(userID: id, email: "\(id)@example.com", role: role, departmentID: "sales-east", status: .active, level: level),
                departments: ["sales-east", "sales"], subtree: ["sales-east", "sales-east-1"])
    }

    @Test func theDefaultPoliciesParseAndGiveEachRoleItsScope() throws {
        let set = try PolicySet.parse(PolicySet.defaultDocument, objects: Self.objects)
        #expect(set.policies.map(\.id) == ["admins-everything", "owners-read-edit", "managers-department", "catalog-for-everyone", "catalog-kept-by-admins",
                                            "secret-records-need-approval",
                                            "approved-secret-access", "mask-sensitive-fields", "sensitive-exports-need-step-up", "bulk-exports-need-step-up"])
        let accounts = StandardObjects.account
        #expect(set.plan(Self.member(role: .admin), .read, object: accounts) == AccessPlan(rows: .always))
        #expect(set.plan(Self.member(), .read, object: accounts).rows == .compare(Attribute(.record, "owner"), .eq, .value("u1")))
        #expect(set.plan(Self.member(), .delete, object: accounts).deniesAll)
        #expect(set.plan(Self.member(), .export, object: accounts).deniesAll)
        let manager = set.plan(Self.member(role: .manager), .read, object: accounts).rows
        #expect(manager == .any([.compare(Attribute(.record, "owner"), .eq, .value("u1")),
                                 .compare(Attribute(.record, "owner_department"), .in, .value(["sales-east", "sales-east-1"]))]))
        #expect(set.allows(Self.member(role: .admin), .managePolicies))
        #expect(!set.allows(Self.member(role: .manager), .managePolicies))
        var frozen = Self.member(role: .admin)
        frozen.principal.status = .frozen
        #expect(set.plan(frozen, .read, object: accounts).deniesAll && !set.allows(frozen, .manageUsers))
    }

    @Test func sensitiveFieldsAreMaskedBelowManager() throws {
        let set = try PolicySet.parse(PolicySet.defaultDocument, objects: Self.objects)
        var accounts = StandardObjects.account
        accounts.fields[accounts.fields.firstIndex { $0.name == "legal_representative" }!].sensitivity = 3
        #expect(set.plan(Self.member(), .read, object: accounts).hiddenFields == ["legal_representative"])
        #expect(set.plan(Self.member(role: .manager), .read, object: accounts).fields.isEmpty)
        // Writing a field one may not read is refused too.
        #expect(set.plan(Self.member(), .update, object: accounts).hiddenFields == ["legal_representative"])
    }

    @Test func anyMatchingForbidBeatsEveryPermit() throws {
        let set = try PolicySet.parse([
            "policies": [
                ["id": "all", "effect": "permit", "actions": "*", "objects": "*"],
                ["id": "no-big-deals", "effect": "forbid", "actions": ["read"], "objects": ["opportunities"],
                 "when": ["all": [["attr": "record.amount", "op": "gt", "value": 5_000_000], ["attr": "user.level", "op": "lt", "value": 4]]]],
            ],
        ], objects: Self.objects)
        let rows = set.plan(Self.member(), .read, object: StandardObjects.opportunity).rows
        #expect(rows == .not(.compare(Attribute(.record, "amount"), .gt, .value(5_000_000))))
        // A director is not concerned: the forbid folds away.
        #expect(set.plan(Self.member(level: 4), .read, object: StandardObjects.opportunity).rows == .always)
        #expect(set.plan(Self.member(), .read, object: StandardObjects.account).rows == .always)
    }

    @Test func fieldPoliciesOpenOnlyTheirFields() throws {
        let contracts = ObjectDefinition(name: "contracts", labels: Labels(zhCN: "合同", en: "Contracts"), fields: [
            FieldDefinition("name", .text, zh: "名称", en: "Name"), FieldDefinition("number", .text, zh: "编号", en: "Number"),
            FieldDefinition("payment_terms", .text, zh: "付款条件", en: "Payment terms"),
        ], isCustom: true, table: "custom_records")
        let set = try PolicySet.parse([
            "policies": [["id": "service-contract-fields", "effect": "permit", "actions": ["read"], "objects": ["contracts"],
                          "when": ["attr": "field.name", "op": "in", "value": ["number"]]]],
        ], objects: Self.objects + [contracts])
        let plan = set.plan(Self.member(), .read, object: contracts)
        #expect(plan.rows == .always)
        #expect(plan.hiddenFields == ["name", "payment_terms"])
    }

    @Test func contextAttributesFoldAtDecisionTime() throws {
        let set = try PolicySet.parse([
            "policies": [["id": "stepped-up-export", "effect": "permit", "actions": ["export"], "objects": "*",
                          "when": ["attr": "context.step_up", "op": "eq", "value": true]]],
        ], objects: Self.objects)
        var subject = Self.member()
        #expect(set.plan(subject, .export, object: StandardObjects.account).deniesAll)
        subject.context.stepUp = true
        #expect(set.plan(subject, .export, object: StandardObjects.account).rows == .always)
    }

    @Test func badDocumentsNameEveryProblemWithItsPath() {
        let bad: JSONValue = [
            "policies": [
                ["id": "a", "effect": "allow", "actions": ["read"], "objects": "*"],
                ["id": "b", "effect": "permit", "actions": ["fly"], "objects": ["planets"]],
                ["id": "c", "effect": "permit", "actions": "*", "objects": "*", "when": ["attr": "user.shoe_size", "op": "eq", "value": 42]],
                ["id": "d", "effect": "permit", "actions": "*", "objects": "*", "when": ["attr": "record.owner", "op": "like", "value": "x"]],
                ["id": "e", "effect": "permit", "actions": "*", "objects": "*", "when": ["attr": "record.city", "op": "in", "value": "杭州"]],
                ["id": "f", "effect": "permit", "actions": "*", "objects": ["accounts"], "when": ["attr": "record.stage", "op": "eq", "value": "x"]],
                ["id": "a", "effect": "permit", "actions": "*", "objects": "*", "colour": "red"],
            ],
        ]
        #expect(throws: KeelError.self) { try PolicySet.parse(bad, objects: Self.objects) }
        do {
            _ = try PolicySet.parse(bad, objects: Self.objects)
        } catch {
            let found = Dictionary(error.violations.map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
            #expect(found["policies[0].effect"] == "invalid_option")
            #expect(found["policies[1].actions"] == "unknown_name")
            #expect(found["policies[1].objects"] == "unknown_name")
            #expect(found["policies[2].when.attr"] == "unknown_attribute")
            #expect(found["policies[3].when.op"] == "invalid_option")
            #expect(found["policies[4].when.value"] == "invalid_type")
            // stage is a field of opportunities, not of accounts, which this policy covers.
            #expect(found["policies[5].when.attr"] == "unknown_attribute")
            #expect(found["policies[6].colour"] == "unknown_key")
            #expect(found["policies[6].id"] == "duplicate")
        }
    }
}
