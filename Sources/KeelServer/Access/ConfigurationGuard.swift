import Hummingbird
import KeelCore
import KeelEngine

/// Changes to the configuration (metadata, settings, automations, processes, webhooks, policies, users) need their
/// right before anything else of the request is read: a caller without it gets 403 whatever they sent, never a 400
/// or 422 that teaches them what the body should hold. The services check the same rights again when they act.
struct ConfigurationGuard: RouterMiddleware {
    typealias Context = KeelRequestContext
    let access: AccessControl

    /// The right a request needs before its body is read, nil for requests the services decide alone.
    static func right(method: HTTPRequest.Method, path: String) -> Action? {
        guard method != .get, method != .head, path.hasPrefix("/api/v1/") else { return nil }
        let rest = path.dropFirst("/api/v1/".count)
        if rest.hasPrefix("access/policies") { return .managePolicies }
        if rest.hasPrefix("users") || rest.hasPrefix("departments") { return .manageUsers }
        if ["metadata/", "settings/", "automations", "approval-processes", "webhooks"].contains(where: rest.hasPrefix) || rest.hasSuffix("/dedup-runs") {
            return .manageMetadata
        }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let right = Self.right(method: request.method, path: request.uri.path) { try await access.require(try context.requirePrincipal(), right) }
        return try await next(request, context)
    }
}
