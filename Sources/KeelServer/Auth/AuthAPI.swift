import Hummingbird
import KeelCore
import KeelEngine

/// Tokens, the signed-in user, users and departments.
struct AuthAPI {
    let keel: Keel

    /// `POST /api/v1/auth/token` needs no token: it is how one gets one.
    func registerPublic(on group: RouterGroup<KeelRequestContext>) {
        group.post("auth/token") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let email = body["email"]?.stringValue, let password = body["password"]?.stringValue else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"email\": …, \"password\": …}.")
            }
            let name = body["name"]?.stringValue ?? "api"
            let (token, user) = try await keel.auth.login(email: email, password: password, tokenName: String(name.prefix(100)), address: context.clientIP)
            return APIResponse.json(["token": .string(token), "user": user.json], status: .created)
        }
    }

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.delete("auth/token") { request, context in
            _ = try context.requirePrincipal()
            if let header = request.headers[.authorization] {
                try await keel.auth.revokeToken(String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
            }
            return Response(status: .noContent)
        }
        group.post("auth/step-up") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let token = request.headers[.authorization].map { String($0.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces) }
            try await keel.auth.stepUp(try context.requirePrincipal(), password: body["password"]?.stringValue ?? "", token: token)
            return APIResponse.json(["stepUp": true, "validForSeconds": JSONValue(AccessControl.stepUpWindow)])
        }
        group.get("auth/tokens") { _, context in
            APIResponse.json(["data": .array(try await keel.auth.tokens(of: try context.requirePrincipal()))])
        }
        group.delete("auth/tokens/:id") { _, context in
            let revoked = try await keel.auth.revoke(tokenID: try context.parameters.require("id"), of: try context.requirePrincipal())
            guard revoked > 0 else { throw KeelError.notFound("token") }
            return Response(status: .noContent)
        }
        group.get("me") { _, context in
            APIResponse.json(try await keel.auth.me(try context.requirePrincipal()).json)
        }
        group.get("users") { _, context in
            APIResponse.json(["data": .array(try await keel.auth.users(by: try context.requirePrincipal()).map(\.json))])
        }
        group.post("users") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let wrong = body.wrongTypes(["email": "string", "password": "string", "name": "string", "role": "string", "department": "string", "manager": "string"])
            guard wrong.isEmpty else { throw KeelError.validation(wrong) }
            let role = Role(rawValue: body["role"]?.stringValue ?? "member")
            guard let role else {
                throw KeelError.validation([Violation(field: "role", code: "invalid_option", message: "role is admin, manager or member.")])
            }
            let new = NewUser(email: body["email"]?.stringValue ?? "", password: body["password"]?.stringValue ?? "",
                              name: body["name"]?.stringValue, role: role, department: body["department"]?.stringValue,
                              managerEmail: body["manager"]?.stringValue, level: try body.integer("level", in: User.levels, default: 1))
            let user = try await keel.auth.createUser(new, by: try context.requirePrincipal())
            return APIResponse.json(user.json, status: .created)
        }
        group.patch("users/:id") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let user = try await keel.auth.updateUser(try context.parameters.require("id"), try Self.userChanges(body),
                                                      by: try context.requirePrincipal())
            return APIResponse.json(user.json)
        }
        group.get("departments") { _, context in
            APIResponse.json(["data": .array(try await keel.auth.departments(by: try context.requirePrincipal()).map(\.json))])
        }
        group.post("departments") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let d = try await keel.auth.createDepartment(name: try body.text("name") ?? "", parentID: try body.text("parent"),
                                                         managerID: try body.text("manager"), by: try context.requirePrincipal())
            return APIResponse.json(d.json, status: .created)
        }
    }

    /// `{"status", "role", "level", "department", "mobile", "feishuId", "away": {"from", "until"}}`, any of them (the
    /// last three may be null, to clear them); anything else is a 422.
    static func userChanges(_ body: [String: JSONValue]) throws(KeelError) -> UserChanges {
        var changes = UserChanges()
        var violations: [Violation] = []
        for (key, value) in body {
            switch key {
            case "status":
                changes.status = value.stringValue.flatMap(UserStatus.init(rawValue:))
                if changes.status == nil { violations.append(Violation(field: key, code: "invalid_option", message: "status is active or frozen.")) }
            case "role":
                changes.role = value.stringValue.flatMap(Role.init(rawValue:))
                if changes.role == nil { violations.append(Violation(field: key, code: "invalid_option", message: "role is admin, manager or member.")) }
            case "level":
                changes.level = value.intValue
                if changes.level == nil { violations.append(Violation(field: key, code: "invalid_type", message: "level is a whole number.")) }
            case "department":
                changes.departmentID = value.stringValue
                if changes.departmentID == nil { violations.append(Violation(field: key, code: "invalid_type", message: "department is a department id.")) }
            case "mobile", "feishuId":
                guard value.isNull || value.stringValue != nil else {
                    violations.append(Violation(field: key, code: "invalid_type", message: "\(key) is a text, or null to clear it."))
                    continue
                }
                if key == "mobile" { changes.mobile = .some(value.stringValue) } else { changes.feishuID = .some(value.stringValue) }
            case "away":
                if value.isNull {
                    changes.away = .some(nil)
                } else if let from = value["from"]?.stringValue, let until = value["until"]?.stringValue, value.objectValue?.count == 2 {
                    changes.away = .some((from, until))
                } else {
                    violations.append(Violation(field: key, code: "invalid_type", message: "away is {\"from\", \"until\"} (days), or null."))
                }
            default:
                violations.append(Violation(field: key, code: "unknown_field",
                                            message: "A user's status, role, level, department, mobile, feishuId or away can be changed."))
            }
        }
        if body.isEmpty { violations.append(Violation(field: "body", code: "required", message: "Send status, role, level, department, mobile, feishuId or away.")) }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return changes
    }
}
