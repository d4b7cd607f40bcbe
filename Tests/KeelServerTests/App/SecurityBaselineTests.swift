import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import SQLKit
import Testing

/// Headers, sign-in throttling and secrets at rest.
@Suite struct SecurityBaselineTests {
    @Test func everyResponseForbidsSniffingAndFraming() async throws {
        try await API.with(.sqlite) { api in
            let json = try await api.send(.get, "/api/v1/accounts")
            #expect(json.headers[.xContentTypeOptions] == "nosniff")
            #expect(json.headers[.init("X-Frame-Options")!] == "DENY")
            #expect(json.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
            let error = try await api.send(.get, "/api/v1/accounts", auth: .none)
            #expect(error.status == .unauthorized && error.headers[.xContentTypeOptions] == "nosniff")
            let page = try await api.send(.get, "/login", auth: .none)
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
        }
    }

    @Test func signInAttemptsFromOneAddressAreThrottled() async throws {
        try await API.with(.sqlite) { api in
            // The limit is 20 attempts in 5 minutes. The admin already signed in once; guess until the limit, then even
            // the right password gets 429.
            for _ in 1..<20 {
                let r = try await api.send(.post, "/api/v1/auth/token", json: ["email": "nobody@example.com", "password": "guess-guess"], auth: .none)
                #expect(r.status == .unauthorized)
            }
            let blocked = try await api.send(.post, "/api/v1/auth/token", json: ["email": .string(API.adminEmail), "password": .string(API.adminPassword)], auth: .none)
            #expect(blocked.status == .tooManyRequests && blocked.body.errorCode == "too_many_attempts")
            #expect(blocked.headers[.retryAfter] == "300")
            // Requests with a token are not sign-ins and go on working.
            #expect(try await api.send(.get, "/api/v1/me").status == .ok)
        }
    }

    @Test func tokensAndSessionsAreStoredOnlyAsHashes() async throws {
        try await API.with(.sqlite) { api in
            let stored = try await api.keel.database.read { db in
                try await db.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(stored == [Digest.sha256Hex(api.token)] && !stored.contains(api.token))
        }
    }
}
