import Hummingbird
import KeelCore
import KeelEngine

/// Tokens, the signed-in user, users and departments.
struct AuthRoutes {
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
            let (token, user) = try await keel.auth.login(email: email, password: password, tokenName: String(name.prefix(100)))
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
            let role = Role(rawValue: body["role"]?.stringValue ?? "member")
            guard let role else {
                throw KeelError.validation([Violation(field: "role", code: "invalid_option", message: "role is admin, manager or member.")])
            }
            let new = NewUser(email: body["email"]?.stringValue ?? "", password: body["password"]?.stringValue ?? "",
                              name: body["name"]?.stringValue, role: role, department: body["department"]?.stringValue,
                              managerEmail: body["manager"]?.stringValue)
            let user = try await keel.auth.createUser(new, by: try context.requirePrincipal())
            return APIResponse.json(user.json, status: .created)
        }
        group.patch("users/:id") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let statusText = body["status"]?.stringValue, let status = UserStatus(rawValue: statusText), body.count == 1 else {
                throw KeelError.validation([Violation(field: "status", code: "invalid_option", message: "Send {\"status\": \"active\"} or {\"status\": \"frozen\"}.")])
            }
            let user = try await keel.auth.setStatus(try context.parameters.require("id"), status, by: try context.requirePrincipal())
            return APIResponse.json(user.json)
        }
        group.get("departments") { _, context in
            APIResponse.json(["data": .array(try await keel.auth.departments(by: try context.requirePrincipal()).map(\.json))])
        }
        group.post("departments") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let d = try await keel.auth.createDepartment(name: body["name"]?.stringValue ?? "", parentID: body["parent"]?.stringValue,
                                                         managerID: body["manager"]?.stringValue, by: try context.requirePrincipal())
            return APIResponse.json(d.json, status: .created)
        }
    }
}
