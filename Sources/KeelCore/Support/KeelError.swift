/// One problem with one field of a request. Validation returns every violation at once.
public struct Violation: Hashable, Sendable, Codable, Error {
    public var field: String
    public var code: String
    public var message: String
    /// For a page in the reader's language: the reason's key within `code` and the values its text names
    /// (`["local_length", "0755", "8", "3"]`). Not part of the API's JSON, which carries `message`.
    public var args: [String] = []

    /// As the API answers it: `{"field", "code", "message"}`.
    public var json: JSONValue { ["field": .string(field), "code": .string(code), "message": .string(message)] }

    enum CodingKeys: String, CodingKey { case field, code, message }

    public init(field: String, code: String, message: String, args: [String] = []) {
        self.field = field
        self.code = code
        self.message = message
        self.args = args
    }
}

/// The one error type the domain reports. The server maps `kind` to an HTTP status.
public struct KeelError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case badRequest        // 400
        case unauthorized      // 401
        case forbidden         // 403
        case notFound          // 404
        case methodNotAllowed  // 405: `details["allow"]` lists the methods the path takes
        case conflict          // 409
        case payloadTooLarge   // 413
        case unsupportedMediaType // 415
        case tooManyRequests   // 429
        case unprocessable     // 422
        case internalError     // 500
        case badGateway        // 502: a service Keel depends on failed
        case unavailable       // 503: a service Keel depends on is not set up
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var violations: [Violation]
    /// More members of the error object for this kind of error (the candidates of a `duplicate`).
    public var details: [String: JSONValue]

    public init(_ kind: Kind, code: String, message: String, violations: [Violation] = [], details: [String: JSONValue] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.violations = violations
        self.details = details
    }

    /// The violations of a request: a 422, or a 409 when the one fault is a name something already has (the request
    /// is well made; what exists is in its way).
    public static func validation(_ violations: [Violation]) -> KeelError {
        KeelError(violations.allSatisfy { $0.code == "name_taken" } && !violations.isEmpty ? .conflict : .unprocessable, code: "validation_failed",
                  message: "The request has \(violations.count) invalid field(s).", violations: violations)
    }

    /// The message and every violation on one line, for run logs.
    public var summary: String {
        ([message] + violations.map { "\($0.field): \($0.message)" }).joined(separator: " ")
    }

    public static func notFound(_ what: String) -> KeelError {
        KeelError(.notFound, code: "not_found", message: "\(what) was not found.")
    }
}
