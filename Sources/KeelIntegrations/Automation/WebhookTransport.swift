import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a receiver answered.
public struct WebhookResponse: Sendable {
    public var status: Int
    /// Seconds the receiver asked to wait (`Retry-After` on 429 or 503).
    public var retryAfter: TimeInterval?
    /// The start of the body, for the delivery log.
    public var excerpt: String

    public init(status: Int, retryAfter: TimeInterval? = nil, excerpt: String = "") {
        self.status = status
        self.retryAfter = retryAfter
        self.excerpt = excerpt
    }
}

/// Sends one POST. Throws when no answer came (refused, reset, timed out).
public protocol WebhookTransport: Sendable {
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: TimeInterval) async throws -> WebhookResponse
}

/// The real transport over AsyncHTTPClient. Redirects are not followed (a redirect could lead to a private address
/// the URL check never saw).
public final class HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    /// One client for the process, never shut down (a client must be shut down before it goes away, so there is only this one).
    public static let shared = HTTPWebhookTransport()

    private init() {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func post(url: String, headers: [(String, String)], body: [UInt8], timeout: TimeInterval) async throws -> WebhookResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = HTTPHeaders(headers + [("user-agent", "Keel-Webhooks/1")])
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = TimeAmount.milliseconds(Int64(timeout * 1000))
        let response = try await client.execute(request, timeout: deadline)
        let text = String(buffer: try await response.body.collect(upTo: 64 * 1024))
        return WebhookResponse(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after").flatMap(Self.retryAfter),
                               excerpt: String(text.prefix(300)))
    }

    /// Any request (a connector's GET or POST): the status, headers and body (at most 20 MB). Throws when no answer came.
    public func exchange(url: String, method: String, headers: [(String, String)], body: [UInt8]?, timeout: TimeInterval) async throws
        -> (status: Int, headers: [(String, String)], bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers = HTTPHeaders(headers + [("user-agent", "Keel-Connectors/1")])
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        let bytes = try await response.body.collect(upTo: 20 << 20)
        return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, Array(bytes.readableBytesView))
    }

    /// `Retry-After` in seconds, or as an HTTP date.
    static func retryAfter(_ value: String) -> TimeInterval? {
        if let seconds = TimeInterval(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }
}
