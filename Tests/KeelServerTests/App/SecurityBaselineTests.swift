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

    @Test func signInAttemptsAreThrottledPerEmailAndAddressAndOnlyFailuresCount() async throws {
        try await API.with(.sqlite) { api in
            // Five wrong passwords for an e-mail nobody has, then 429 with the wait — as for a real account.
            for _ in 0..<5 {
                let r = try await api.send(.post, "/api/v1/auth/token", json: ["email": "nobody@example.com", "password": "guess-guess"], auth: .none)
                #expect(r.status == .unauthorized && r.body.errorCode == "invalid_credentials")
            }
            let blocked = try await api.send(.post, "/api/v1/auth/token", json: ["email": "nobody@example.com", "password": "guess-guess"], auth: .none)
            #expect(blocked.status == .tooManyRequests && blocked.body.errorCode == "too_many_attempts")
            #expect(blocked.headers[.retryAfter].flatMap(Int.init).map { (1...30).contains($0) } == true)
            // The admin signed in from this address before: her own sign-in goes on working, again and again.
            for _ in 0..<25 {
                let r = try await api.send(.post, "/api/v1/auth/token", json: ["email": .string(API.adminEmail), "password": .string(API.adminPassword)], auth: .none)
                #expect(r.status == .created)
            }
            // Thirty failures from one address across e-mails block the address for e-mails it never signed in as.
            for i in 0..<25 {
                _ = try await api.send(.post, "/api/v1/auth/token", json: ["email": .string("spray\(i)@example.com"), "password": "guess-guess"], auth: .none)
            }
            let sprayed = try await api.send(.post, "/api/v1/auth/token", json: ["email": "fresh@example.com", "password": "guess-guess"], auth: .none)
            #expect(sprayed.status == .tooManyRequests)
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
