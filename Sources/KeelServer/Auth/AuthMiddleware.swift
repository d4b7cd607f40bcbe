import Hummingbird
import KeelCore
import KeelEngine

/// Requires `Authorization: Bearer <token>` and puts the principal in the context.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    let auth: AuthService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw KeelError(.unauthorized, code: "unauthenticated", message: "Send Authorization: Bearer <token>; get a token from POST /api/v1/auth/token.")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let principal = try await auth.authenticate(token: token) else {
            throw KeelError(.unauthorized, code: "invalid_token", message: "The token is unknown, revoked or expired, or its account is frozen.")
        }
        var context = context
        context.principal = principal
        context.principal?.clientIP = context.clientIP
        return try await next(request, context)
    }
}
