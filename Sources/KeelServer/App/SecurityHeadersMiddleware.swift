import HTTPTypes
import Hummingbird

/// Headers every response carries: no MIME sniffing, no framing, no referrer leaking record ids to other sites, and a
/// content security policy that forbids everything unless the response (an HTML page) sets its own.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
