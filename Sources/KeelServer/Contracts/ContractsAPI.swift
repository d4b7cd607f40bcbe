import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelEngine

/// Quotes with their lines: `POST /api/v1/quotes` (a quote priced from its lines), `GET` and `PUT /api/v1/quotes/{id}/lines`;
/// contracts made from them (`POST /api/v1/quotes/{id}/contract`) and their payment plans.
struct ContractsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        registerContracts(on: group)
        // Under `:object`, not a literal `quotes/…`, which would hide the other `/api/v1/quotes/…` routes.
        group.get(":object/:id/lines") { _, context in
            guard try context.parameters.require("object") == StandardObjects.quote.name else { throw KeelError.notFound("route") }
            return APIResponse.json(try await keel.quotes.document(try context.parameters.require("id"), as: try context.requirePrincipal()).json)
        }
        group.put(":object/:id/lines") { request, context in
            guard try context.parameters.require("object") == StandardObjects.quote.name else { throw KeelError.notFound("route") }
            var request = request
            let expected = try request.ifMatchVersion()
            let body = try await request.jsonObject(context: context)
            guard Set(body.keys) == ["lines"] else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"lines\": [{\"product\", \"quantity\", \"unit_price\"?, \"discount\"?}]}.")
            }
            let document = try await keel.quotes.setLines(try context.parameters.require("id"), body["lines"], expectedVersion: expected,
                                                          context: WriteContext(principal: try context.requirePrincipal(), source: .api))
            return APIResponse.json(document.json)
        }
    }

    /// e签宝's signing callbacks: verified by their signature, no bearer token.
    func registerPublic(on api: RouterGroup<KeelRequestContext>) {
        api.post("esign/tsign/callback") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { a, _ in a }
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            try await keel.signatures.callback(headers: headers, query: query, body: Array(buffer: body))
            // What e签宝 expects back: HTTP 200 with code 200.
            return APIResponse.json(["code": "200", "msg": "success"])
        }
    }

    /// Contracts: made from a quote; their payment plan read and replaced; sent to be signed.
    func registerContracts(on group: RouterGroup<KeelRequestContext>) {
        group.post(":object/:id/signing") { request, context in
            guard try context.parameters.require("object") == StandardObjects.contract.name else { throw KeelError.notFound("route") }
            var request = request
            let body = try await request.jsonObject(context: context)
            let signing = try await keel.signatures.send(try context.parameters.require("id"), body, notifyURL: Self.notifyURL(request),
                                                         context: WriteContext(principal: try context.requirePrincipal(), source: .api))
            return APIResponse.json(signing.json, status: .created)
        }
        group.get(":object/:id/signing") { _, context in
            guard try context.parameters.require("object") == StandardObjects.contract.name else { throw KeelError.notFound("route") }
            guard let signing = try await keel.signatures.signing(try context.parameters.require("id"), as: try context.requirePrincipal()) else {
                throw KeelError.notFound("signing (the contract was not sent to be signed)")
            }
            return APIResponse.json(signing.json)
        }
        group.get("settings/payment-policy") { _, context in
            try await keel.access.require(try context.requirePrincipal(), .manageMetadata)
            return APIResponse.json(try await keel.contracts.policy().json)
        }
        group.put("settings/payment-policy") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.contracts.setPolicy(.object(body), by: try context.requirePrincipal()).json)
        }
        group.post(":object/:id/contract") { request, context in
            guard try context.parameters.require("object") == StandardObjects.quote.name else { throw KeelError.notFound("route") }
            var request = request
            let body = try await request.jsonObject(context: context, optional: true)
            let document = try await keel.contracts.fromQuote(try context.parameters.require("id"), body,
                                                              context: WriteContext(principal: try context.requirePrincipal(), source: .api))
            return APIResponse.json(document.json, status: .created, headers: [.location: "/api/v1/contracts/\(document.contract.id)"])
        }
        group.get(":object/:id/payment-plan") { _, context in
            guard try context.parameters.require("object") == StandardObjects.contract.name else { throw KeelError.notFound("route") }
            return APIResponse.json(try await keel.contracts.document(try context.parameters.require("id"), as: try context.requirePrincipal()).json)
        }
        group.put(":object/:id/payment-plan") { request, context in
            guard try context.parameters.require("object") == StandardObjects.contract.name else { throw KeelError.notFound("route") }
            var request = request
            let expected = try request.ifMatchVersion()
            let body = try await request.jsonObject(context: context)
            guard Set(body.keys) == ["lines"] else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"lines\": [{\"kind\", \"amount\" or \"share\", \"due_date\" or \"days_after_delivery\"}]}.")
            }
            let document = try await keel.contracts.setPlan(try context.parameters.require("id"), body["lines"], expectedVersion: expected,
                                                            context: WriteContext(principal: try context.requirePrincipal(), source: .api))
            return APIResponse.json(document.json)
        }
    }

    /// `POST /api/v1/quotes`: the quote's fields and its `lines`; answers the quote with its lines and totals.
    func create(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonObject(context: context)
        let document = try await keel.quotes.create(body, context: WriteContext(principal: try context.requirePrincipal(), source: .api))
        return APIResponse.json(document.json, status: .created, headers: [.location: "/api/v1/quotes/\(document.quote.id)"])
    }

    /// Where e签宝 calls back: `KEEL_PUBLIC_URL` (Keel as the internet reaches it), else the address this request came to.
    static func notifyURL(_ request: Request, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["KEEL_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(request.head.authority ?? "localhost")"
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/api/v1/esign/tsign/callback"
    }
}
