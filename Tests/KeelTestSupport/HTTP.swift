import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KeelCore

/// Plain HTTP/1.1 requests to a `keel` process on loopback, for tests that run the real binary.
public enum HTTP {
    public struct Reply: Sendable {
        public var status: Int
        public var json: JSONValue
        public var text: String
    }

    public static func get(_ url: String, token: String? = nil) async throws -> Reply {
        try await send(URLRequest(url: URL(string: url)!), token: token)
    }

    /// `timeout`: longer for a request that waits for the demo company to load.
    public static func post(_ url: String, json: JSONValue, token: String? = nil, timeout: TimeInterval = 30) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.canonicalText().utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        return try await send(request, token: token, timeout: timeout)
    }

    static func send(_ request: URLRequest, token: String?, timeout: TimeInterval = 30) async throws -> Reply {
        var request = request
        request.timeoutInterval = timeout
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, json: (try? JSONValue.parse(data)) ?? .null,
                     text: String(decoding: data, as: UTF8.self))
    }
}
