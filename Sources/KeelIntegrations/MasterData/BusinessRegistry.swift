import AsyncHTTPClient
import Foundation
import KeelCore
import NIOCore
import NIOHTTP1

/// What a business registry says about one company.
public struct RegistryEntry: Sendable, Equatable {
    public var name: String
    public var creditCode: String?
    /// As the registry writes it: 存续, 在业, 注销, 吊销, 迁出…
    public var status: String
    public var legalRepresentative: String?
    public var registeredCapital: String?
    public var address: String?

    public init(name: String, creditCode: String?, status: String, legalRepresentative: String?, registeredCapital: String?, address: String?) {
        (self.name, self.creditCode, self.status) = (name, creditCode, status)
        (self.legalRepresentative, self.registeredCapital, self.address) = (legalRepresentative, registeredCapital, address)
    }

    /// Reads the documented shape's `data` object (see README, "Registry look-ups"); nil without a name and a status.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let status = json["status"]?.stringValue else { return nil }
        self.init(name: name, creditCode: json["credit_code"]?.stringValue, status: status, legalRepresentative: json["legal_representative"]?.stringValue,
                  registeredCapital: json["registered_capital"]?.stringValue, address: json["address"]?.stringValue)
    }

    public var json: JSONValue {
        ["name": .string(name), "credit_code": creditCode.map(JSONValue.string) ?? .null, "status": .string(status),
         "legal_representative": legalRepresentative.map(JSONValue.string) ?? .null,
         "registered_capital": registeredCapital.map(JSONValue.string) ?? .null, "address": address.map(JSONValue.string) ?? .null]
    }

    public var isClosed: Bool { RegistryStatus.closed.contains(status) }
}

public enum RegistryError: Error, Sendable {
    /// No answer, or an answer that is not the documented shape: a summary for the caller (no word of the
    /// registry's own), and the detail (its body) for the log.
    case unavailable(summary: String, detail: String)
}

/// A business-registry look-up: by unified social credit code when known, else by name. Nil when the registry has
/// no such company.
public protocol BusinessRegistry: Sendable {
    func lookup(name: String?, creditCode: String?) async throws -> RegistryEntry?
}

/// The registry over HTTP: `GET {base}/v1/companies?credit_code=…` (or `?name=…`) with `Authorization: Bearer {key}`,
/// answering 200 `{"data": {...}}` or 404 when there is no such company.
public struct HTTPBusinessRegistry: BusinessRegistry {
    public let baseURL: String
    let apiKey: String
    let timeout: TimeAmount

    public init(baseURL: String, apiKey: String, timeout: TimeInterval = 10) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.timeout = .milliseconds(Int64(timeout * 1000))
    }

    /// The registry named by `KEEL_REGISTRY_URL` and `KEEL_REGISTRY_KEY`, if set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPBusinessRegistry? {
        guard let url = environment["KEEL_REGISTRY_URL"], !url.isEmpty else { return nil }
        return HTTPBusinessRegistry(baseURL: url, apiKey: environment["KEEL_REGISTRY_KEY"] ?? "")
    }

    public func lookup(name: String?, creditCode: String?) async throws -> RegistryEntry? {
        var query = URLComponents()
        query.queryItems = [creditCode.map { URLQueryItem(name: "credit_code", value: $0) } ?? URLQueryItem(name: "name", value: name ?? "")]
        var request = HTTPClientRequest(url: baseURL + "/v1/companies?" + (query.percentEncodedQuery ?? ""))
        request.headers = HTTPHeaders([("authorization", "Bearer \(apiKey)"), ("accept", "application/json"), ("user-agent", "Keel-Registry/1")])
        let response: HTTPClientResponse
        do {
            response = try await HTTPWebhookTransport.shared.client.execute(request, timeout: timeout)
        } catch {
            throw RegistryError.unavailable(summary: "it did not answer", detail: "\(error)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        if response.status == .notFound { return nil }
        guard response.status == .ok, let json = try? JSONValue.parse(body.readableBytesView), let entry = json["data"].flatMap(RegistryEntry.init(json:)) else {
            throw RegistryError.unavailable(summary: "it answered \(response.status.code) without a company", detail: String(String(buffer: body).prefix(2000)))
        }
        return entry
    }
}
