import Foundation
import Hummingbird
import KeelCore

/// JSON responses and errors in the one shape the API promises.
enum APIResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.canonicalText())))
    }

    static func error(_ error: KeelError) -> Response {
        var object: [String: JSONValue] = error.details
        object["code"] = .string(error.code)
        object["message"] = .string(error.message)
        object["violations"] = .array(error.violations.map(\.json))
        let body: JSONValue = ["error": .object(object)]
        var headers: HTTPFields = [:]
        if error.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"keel\"" }
        if error.kind == .methodNotAllowed {
            headers[.allow] = (error.details["allow"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
        }
        if error.kind == .tooManyRequests { headers[.retryAfter] = String(error.details["retryAfter"]?.intValue ?? 60) }
        if error.kind == .unavailable, let seconds = error.details["retryAfter"]?.intValue { headers[.retryAfter] = String(seconds) }
        return json(body, status: status(error.kind), headers: headers)
    }

    static func status(_ kind: KeelError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooManyRequests: .tooManyRequests
        case .unprocessable: .unprocessableContent
        case .internalError: .internalServerError
        case .badGateway: .badGateway
        case .unavailable: .serviceUnavailable
        }
    }

    /// Maps any error to the API's error shape; unexpected errors become a 500 without internals.
    static func keelError(from error: any Error) -> KeelError {
        switch error {
        case let e as KeelError:
            return e
        case let e as any HTTPResponseError:
            let detail = (e as? HTTPError)?.body
            switch e.status {
            case .contentTooLarge: return KeelError(.payloadTooLarge, code: "payload_too_large", message: "The request body is too large.")
            case .notFound: return KeelError(.notFound, code: "not_found", message: "No such endpoint.")
            case .methodNotAllowed: return KeelError(.methodNotAllowed, code: "method_not_allowed", message: "This endpoint does not take that method.")
            case .unauthorized: return KeelError(.unauthorized, code: "unauthenticated", message: detail ?? "Sign in first.")
            default: return KeelError(.badRequest, code: "bad_request", message: detail ?? "The request is invalid.")
            }
        default:
            return KeelError(.internalError, code: "internal_error", message: "Something went wrong on the server; it was logged.")
        }
    }
}

/// Turns every error into the API's JSON error body and logs unexpected ones.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    /// Errors of browser requests outside the API (an unknown page) are pages too.
    let web: WebSupport

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if WebSupport.isPage(request) { return await web.errorPage(error, request: request, logger: context.logger) }
            let mapped = APIResponse.keelError(from: error)
            if mapped.kind == .internalError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return APIResponse.error(mapped)
        }
    }
}
