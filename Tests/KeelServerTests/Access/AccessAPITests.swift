import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Policies through the API: saving (validated, versioned, never locking admins out), explaining, exporting with step-up,
/// secret records behind approvals, field rules that depend on the record, and freezing.
@Suite struct AccessAPITests {
    /// Creates a user through the API and signs them in; returns their id and token.
    static func user(_ api: API, _ email: String, role: String = "member", department: String? = nil, level: Int = 1) async throws -> (id: String, token: String) {
        var body: [String: JSONValue] = ["email": .string(email), "password": "password-123", "role": .string(role), "level": JSONValue(Double(level))]
        if let department { body["department"] = .string(department) }
        let created = try await api.send(.post, "/api/v1/users", json: .object(body))
        #expect(created.status == .created, "\(created.body)")
        let login = try await api.send(.post, "/api/v1/auth/token", json: ["email": .string(email), "password": "password-123"], auth: .none)
        return (created.body["id"]?.stringValue ?? "", login.body["token"]?.stringValue ?? "")
    }

    static func create(_ api: API, _ object: String, _ body: JSONValue, as token: String) async throws -> String {
        let r = try await api.send(.post, "/api/v1/\(object)", json: body, auth: .token(token))
        #expect(r.status == .created, "\(r.body)")
        return r.body["id"]?.stringValue ?? ""
    }

    /// A custom object `agreements` with number, date, term, amount and payment terms, and the given sensitivity.
    static func contracts(_ api: API, sensitivity: Int = 1) async throws {
        let r = try await api.send(.post, "/api/v1/metadata/objects", json: [
            "name": "agreements", "labels": ["zh-CN": "协议", "en": "Agreements"],
            "fields": [
                ["name": "number", "type": "text"], ["name": "signed_date", "type": "date"], ["name": "term", "type": "text"],
                ["name": "amount", "type": "money"], ["name": "payment_terms", "type": "text"], ["name": "account", "type": "reference", "target": "accounts"],
            ],
        ])
        #expect(r.status == .created, "\(r.body)")
        if sensitivity != 1 { #expect(try await api.send(.patch, "/api/v1/metadata/objects/agreements", json: ["sensitivity": JSONValue(Double(sensitivity))]).status == .ok) }
    }

    @Test(arguments: TestDatabase.all)
    func policiesAreValidatedVersionedAndCannotLockAdminsOut(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let doc = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(["/api/v1/access/policies", "/api/v1/access/explain", "/api/v1/access/health", "/api/v1/audit", "/api/v1/exports/{object}",
                     "/api/v1/access-requests", "/api/v1/auth/step-up"].allSatisfy { doc?[$0] != nil })
            let current = try await api.send(.get, "/api/v1/access/policies")
            #expect(current.status == .ok && current.body["version"] == 0)
            let defaults = try #require(current.body["policies"]?.arrayValue)
            // Invalid JSON, unknown attributes: 422 with paths, the set in force unchanged.
            let broken = try await api.send(.put, "/api/v1/access/policies", raw: Array(#"{"policies": [}"#.utf8))
            #expect(broken.status == .unprocessableContent && broken.body.errorCode == "invalid_json")
            let unknown = try await api.send(.put, "/api/v1/access/policies", json: ["policies": [
                ["id": "x", "effect": "permit", "actions": "*", "objects": "*", "when": ["attr": "user.salary", "op": "gt", "value": 1]],
            ]])
            #expect(unknown.status == .unprocessableContent && unknown.body.violationCodes["policies[0].when.attr"] == "unknown_attribute")
            // A set that no admin could change again is refused.
            let lockout = try await api.send(.put, "/api/v1/access/policies", json: ["policies": [
                ["id": "members-only", "effect": "permit", "actions": ["read"], "objects": "*"],
            ]])
            #expect(lockout.status == .conflict && lockout.body.errorCode == "locks_out_admins")
            #expect(try await api.send(.get, "/api/v1/access/policies").body["version"] == 0)
            // A valid change becomes version 1; the defaults stay readable as version 0; the change is audited.
            let saved = try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(defaults + [
                ["id": "no-deletes-on-weekends", "effect": "forbid", "actions": ["delete"], "objects": "*",
                 "when": ["attr": "context.weekday", "op": "ge", "value": 6]],
            ])])
            #expect(saved.status == .ok && saved.body["version"] == 1, "\(saved.body)")
            #expect(try await api.send(.get, "/api/v1/access/policies/versions").body["data"]?.arrayValue?.count == 1)
            #expect(try await api.send(.get, "/api/v1/access/policies/versions/0").body["policies"]?.arrayValue?.count == defaults.count)
            let audit = try await api.send(.get, "/api/v1/audit?action=policy_change")
            #expect(audit.body["data"]?.arrayValue?.first?["detail"]?["changed"] == ["no-deletes-on-weekends"])
            // Members may neither read nor change policies, nor read the audit log.
            let member = try await Self.user(api, "m@example.com")
            #expect(try await api.send(.get, "/api/v1/access/policies", auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.put, "/api/v1/access/policies", json: ["policies": []], auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/audit", auth: .token(member.token)).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func explainNamesThePoliciesBehindADecision(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let a = try await Self.user(api, "a@example.com"), b = try await Self.user(api, "b@example.com")
            let mine = try await Self.create(api, "accounts", ["name": "甲公司"], as: a.token)
            let theirs = try await Self.create(api, "accounts", ["name": "乙公司"], as: b.token)
            let allowed = try await api.send(.get, "/api/v1/access/explain?action=read&object=accounts&record=\(mine)", auth: .token(a.token))
            #expect(allowed.body["decision"] == "allow" && allowed.body["reason"] == "Allowed by owners-read-edit.")
            // Explaining someone else's record to a member would reveal it: only admins explain for others.
            #expect(try await api.send(.get, "/api/v1/access/explain?action=read&object=accounts&record=\(theirs)&user=\(b.id)", auth: .token(a.token)).status == .forbidden)
            let denied = try await api.send(.get, "/api/v1/access/explain?action=delete&object=accounts&record=\(mine)&user=\(a.id)")
            #expect(denied.body["decision"] == "deny" && denied.body["reason"] == "Denied: no policy permits delete on accounts for a@example.com.")
            let general = try await api.send(.get, "/api/v1/access/explain?action=read&object=accounts&user=\(a.id)")
            #expect(general.body["decision"] == "depends")
            #expect(general.body["policies"]?.arrayValue?.first { $0["id"] == "admins-everything" }?["matches"] == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDirectorExportsSensitiveDataOfTheirDepartmentOnlyAfterStepUp(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            try await Self.contracts(api, sensitivity: 3)
            var policies = try #require(try await api.send(.get, "/api/v1/access/policies").body["policies"]?.arrayValue)
            policies.append(["id": "directors-export-after-step-up", "effect": "permit", "actions": ["read", "export"], "objects": "*",
                             "when": ["all": [["attr": "user.level", "op": "ge", "value": 4], ["attr": "record.owner_department", "op": "in", "ref": "user.subtree"],
                                              ["any": [["attr": "record.sensitivity", "op": "lt", "value": 3], ["attr": "context.step_up", "op": "eq", "value": true]]]]]])
            #expect(try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(policies)]).status == .ok)
            let director = try await Self.user(api, "d@example.com", department: "华南区", level: 4)
            let rep = try await Self.user(api, "r@example.com", department: "华南区")
            let other = try await Self.user(api, "o@example.com", department: "华北区")
            _ = try await Self.create(api, "agreements", ["name": "华南合同", "number": "HT-001", "amount": 100], as: rep.token)
            _ = try await Self.create(api, "agreements", ["name": "华北合同", "number": "HT-002", "amount": 200], as: other.token)

            #expect(try await api.send(.get, "/api/v1/exports/agreements", auth: .token(director.token)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/exports/agreements", auth: .token(rep.token)).status == .forbidden)
            #expect(try await api.send(.post, "/api/v1/auth/step-up", json: ["password": "wrong-password"], auth: .token(director.token)).status == .unauthorized)
            #expect(try await api.send(.post, "/api/v1/auth/step-up", json: ["password": "password-123"], auth: .token(director.token)).status == .ok)
            let export = try await api.send(.get, "/api/v1/exports/agreements?sort=number", auth: .token(director.token))
            #expect(export.status == .ok)
            let csv = try #require(export.body.stringValue)
            let lines = csv.split(separator: "\r\n").map(String.init)
            #expect(lines[0].hasPrefix("\u{FEFF}# Keel export ") && lines[0].contains("d@example.com"))
            #expect(lines[1].hasPrefix("id,name,owner,number,"))
            #expect(lines.count == 3 && lines[2].contains("华南合同") && !csv.contains("华北合同"), "\(csv)")
            #expect(export.headers[.init("Keel-Watermark")!]?.contains("d@example.com") == true)
            let audit = try await api.send(.get, "/api/v1/audit?action=export")
            #expect(audit.body["data"]?.arrayValue?.first?["detail"]?["rows"] == 1 && audit.body["data"]?.arrayValue?.first?["object"] == "agreements")
            // Reading an L3 record is watermarked and audited.
            let listed = try await api.send(.get, "/api/v1/agreements", auth: .token(director.token))
            let id = try #require(listed.body["data"]?.arrayValue?.first?["id"]?.stringValue)
            let one = try await api.send(.get, "/api/v1/agreements/\(id)", auth: .token(director.token))
            #expect(one.headers[.init("Keel-Watermark")!]?.hasPrefix("d@example.com | ") == true)
            // The list and the record page each left an entry; so does reading its history.
            #expect(try await api.send(.get, "/api/v1/audit?action=sensitive_read&record=\(id)").body["data"]?.arrayValue?.count == 2)
            #expect(try await api.send(.get, "/api/v1/agreements/\(id)/history").status == .ok)
            #expect(try await api.send(.get, "/api/v1/audit?action=sensitive_read&record=\(id)").body["data"]?.arrayValue?.count == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func secretRecordsOpenOnlyThroughAGrantedRequestThatExpires(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            try await Self.contracts(api, sensitivity: 4)
            let manager = try await Self.user(api, "boss@example.com", role: "manager", department: "人事部")
            let owner = try await Self.user(api, "hr@example.com", department: "人事部")
            let intern = try await Self.user(api, "intern@example.com", department: "人事部")
            let id = try await Self.create(api, "agreements", ["name": "CEO 薪酬合同", "amount": 9_000_000], as: owner.token)
            // Not even its owner or their manager reads it without a grant; the admin does.
            for token in [owner.token, manager.token, intern.token] {
                #expect(try await api.send(.get, "/api/v1/agreements/\(id)", auth: .token(token)).status == .notFound)
            }
            #expect(try await api.send(.get, "/api/v1/agreements/\(id)").status == .ok)
            // The intern asks the intern's manager; a peer cannot grant, the manager can.
            let asked = try await api.send(.post, "/api/v1/access-requests", json: ["object": "agreements", "record": .string(id),
                                                                                    "approver": .string(manager.id), "reason": "年度审计"], auth: .token(intern.token))
            #expect(asked.status == .created)
            let requestID = try #require(asked.body["id"]?.stringValue)
            #expect(try await api.send(.post, "/api/v1/access-requests/\(requestID)/decision", json: ["decision": "grant"], auth: .token(owner.token)).status == .notFound)
            #expect(try await api.send(.post, "/api/v1/access-requests/\(requestID)/decision", json: ["decision": "grant"], auth: .token(intern.token)).status == .forbidden)
            let granted = try await api.send(.post, "/api/v1/access-requests/\(requestID)/decision", json: ["decision": "grant", "hours": 2, "comment": "同意"],
                                             auth: .token(manager.token))
            #expect(granted.status == .ok && granted.body["status"] == "granted")
            #expect(try await api.send(.post, "/api/v1/access-requests/\(requestID)/decision", json: ["decision": "reject"], auth: .token(manager.token)).status == .conflict)
            let seen = try await api.send(.get, "/api/v1/agreements/\(id)", auth: .token(intern.token))
            #expect(seen.status == .ok && seen.headers[.init("Keel-Watermark")!]?.hasPrefix("intern@example.com") == true)
            // Read only: the grant does not let the intern change it, and it ends when it expires.
            #expect(try await api.send(.patch, "/api/v1/agreements/\(id)", json: ["amount": 1], auth: .token(intern.token)).status == .forbidden)
            try await api.keel.database.write { db in
                try await db.raw("UPDATE access_requests SET expires_at = '2000-01-01T00:00:00Z' WHERE id = \(bind: requestID)").run()
            }
            #expect(try await api.send(.get, "/api/v1/agreements/\(id)", auth: .token(intern.token)).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func fieldRulesFollowTheRecordAndTheReadersDuties(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            try await Self.contracts(api)
            let service = try await Self.user(api, "svc@example.com", department: "服务部")
            let serviceDept = try #require(try await api.send(.get, "/api/v1/departments").body["data"]?.arrayValue?.first { $0["name"] == "服务部" }?["id"])
            var policies = try #require(try await api.send(.get, "/api/v1/access/policies").body["policies"]?.arrayValue)
            policies += [
                ["id": "big-contract-terms-for-directors", "effect": "forbid", "actions": ["read", "export", "read_history"], "objects": ["agreements"],
                 "when": ["all": [["attr": "field.name", "op": "eq", "value": "payment_terms"], ["attr": "record.amount", "op": "gt", "value": 5_000_000],
                                  ["attr": "user.level", "op": "lt", "value": 4]]]],
                ["id": "service-sees-served-customers", "effect": "permit", "actions": ["read"], "objects": ["accounts"],
                 "when": ["all": [["attr": "user.department", "op": "eq", "value": serviceDept], ["attr": "record.served_by", "op": "contains", "ref": "user.id"]]]],
                ["id": "service-sees-contract-basics", "effect": "permit", "actions": ["read"], "objects": ["agreements"],
                 "when": ["all": [["attr": "user.department", "op": "eq", "value": serviceDept],
                                  ["attr": "field.name", "op": "in", "value": ["number", "signed_date", "term"]]]]],
            ]
            #expect(try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(policies)]).status == .ok)
            let rep = try await Self.user(api, "rep@example.com", department: "销售部")
            let director = try await Self.user(api, "dir@example.com", role: "manager", department: "销售部", level: 4)
            let small = try await Self.create(api, "agreements", ["name": "小合同", "amount": 100_000, "payment_terms": "月结30天", "number": "S-1"], as: rep.token)
            let big = try await Self.create(api, "agreements", ["name": "大合同", "amount": 8_000_000, "payment_terms": "预付50%", "number": "B-1"], as: rep.token)
            let repView = try await api.send(.get, "/api/v1/agreements/\(big)", auth: .token(rep.token))
            #expect(repView.body["payment_terms"] == .null && repView.body["_masked"] == ["payment_terms"])
            #expect(try await api.send(.get, "/api/v1/agreements/\(small)", auth: .token(rep.token)).body["payment_terms"] == "月结30天")
            #expect(try await api.send(.get, "/api/v1/agreements/\(big)", auth: .token(director.token)).body["payment_terms"] == "预付50%")
            let history = try await api.send(.get, "/api/v1/agreements/\(big)/history", auth: .token(rep.token))
            #expect(history.body["data"]?.arrayValue?.first { $0["field"] == "payment_terms" }?["masked"] == true)
            // Service staff: only the customers they served, only number/date/term of contracts.
            let served = try await Self.create(api, "accounts", ["name": "服务过的客户"], as: rep.token)
            _ = try await Self.create(api, "accounts", ["name": "没服务过的客户"], as: rep.token)
            // A dispatcher (the admin) books the visit for the service engineer; from then on the customer is one they served.
            _ = try await Self.create(api, "activities", ["type": "visit", "subject": "上门维修", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(served),
                                                          "owner": .string(service.id)], as: api.token)
            let accounts = try await api.send(.get, "/api/v1/accounts", auth: .token(service.token))
            #expect(accounts.body["data"]?.arrayValue?.map { $0["name"] } == ["服务过的客户"])
            let contract = try await api.send(.get, "/api/v1/agreements/\(small)", auth: .token(service.token))
            #expect(contract.body["number"] == "S-1" && contract.body["_masked"] == ["account", "amount", "name", "owner", "payment_terms"])
            #expect(try await api.send(.get, "/api/v1/agreements?filter[amount][gt]=1", auth: .token(service.token)).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFrozenUserLosesEveryTokenAtOnceAndChangesAreAudited(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let leaver = try await Self.user(api, "leaver@example.com")
            #expect(try await api.send(.get, "/api/v1/accounts", auth: .token(leaver.token)).status == .ok)
            #expect(try await api.send(.patch, "/api/v1/users/\(leaver.id)", json: ["status": "frozen"]).status == .ok)
            #expect(try await api.send(.get, "/api/v1/accounts", auth: .token(leaver.token)).status == .unauthorized)
            #expect(try await api.send(.post, "/api/v1/auth/token", json: ["email": "leaver@example.com", "password": "password-123"], auth: .none).status == .unauthorized)
            #expect(try await api.send(.patch, "/api/v1/users/\(leaver.id)", json: ["level": 0]).status == .unprocessableContent)
            #expect(try await api.send(.patch, "/api/v1/users/\(leaver.id)", json: ["shoe": 42]).status == .unprocessableContent)
            let audit = try await api.send(.get, "/api/v1/audit?action=user_change&record=\(leaver.id)")
            let entries = audit.body["data"]?.arrayValue ?? []
            #expect(entries.contains { $0["detail"]?["status"] == ["active", "frozen"] } && entries.contains { $0["detail"]?["created"] == "leaver@example.com" })
        }
    }
}

@Suite struct SensitivityScenarioTests {
    @Test(arguments: TestDatabase.all)
    func salesEditOnlyTheirOwnRecordsUpToLevelTwo(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            // Projects carry their own sensitivity in a number field `sensitivity`.
            #expect(try await api.send(.post, "/api/v1/metadata/objects", json: [
                "name": "projects", "labels": ["zh-CN": "项目", "en": "Projects"], "fields": [["name": "sensitivity", "type": "number"]],
            ]).status == .created)
            var policies = try #require(try await api.send(.get, "/api/v1/access/policies").body["policies"]?.arrayValue)
            policies.removeAll { $0["id"] == "owners-read-edit" }
            policies.append(["id": "sales-own-up-to-l2", "effect": "permit", "actions": ["read", "update", "read_history"], "objects": "*",
                             "when": ["all": [["attr": "record.owner", "op": "eq", "ref": "user.id"], ["attr": "record.sensitivity", "op": "le", "value": 2]]]])
            policies.append(["id": "sales-create-own", "effect": "permit", "actions": ["create"], "objects": "*",
                             "when": ["attr": "record.owner", "op": "eq", "ref": "user.id"]])
            #expect(try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(policies)]).status == .ok)
            let rep = try await AccessAPITests.user(api, "rep@example.com")
            let open = try await AccessAPITests.create(api, "projects", ["name": "普通项目", "sensitivity": 2], as: rep.token)
            let secret = try await AccessAPITests.create(api, "projects", ["name": "机密项目", "sensitivity": 3], as: rep.token)
            #expect(try await api.send(.patch, "/api/v1/projects/\(open)", json: ["name": "普通项目 v2"], auth: .token(rep.token)).status == .ok)
            #expect(try await api.send(.patch, "/api/v1/projects/\(secret)", json: ["name": "改名"], auth: .token(rep.token)).status == .notFound)
            // Raising one's own record above L2 is a change the rep may make once; after that it is out of their reach.
            #expect(try await api.send(.patch, "/api/v1/projects/\(open)", json: ["sensitivity": 3], auth: .token(rep.token)).status == .ok)
            #expect(try await api.send(.get, "/api/v1/projects/\(open)", auth: .token(rep.token)).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/projects").body["data"]?.arrayValue?.count == 2)
            #expect(try await api.send(.get, "/api/v1/projects", auth: .token(rep.token)).body["data"]?.arrayValue?.isEmpty == true)
        }
    }
}
