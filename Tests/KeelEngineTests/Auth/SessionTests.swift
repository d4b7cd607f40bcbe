import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct SessionTests {
    @Test(arguments: TestDatabase.all)
    func sessionsExpireWhenIdleOrOldAndEndOnLogoutAndFreeze(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let member = try await keel.makeUser("rep@example.com", role: .member, password: "rep-password")
            let (cookie, _) = try await keel.auth.startSession(email: "rep@example.com", password: "rep-password", locale: "zh-CN")
            let now = Date()
            let session = try #require(try await keel.auth.session(cookie: cookie, now: now))
            #expect(session.principal.userID == member.userID)
            #expect(session.locale == "zh-CN")
            #expect(session.csrf.count >= 43)
            #expect(try await keel.auth.session(cookie: cookie, now: now + AuthService.sessionIdleTimeout + 1) == nil)
            #expect(try await keel.auth.session(cookie: cookie, now: now + AuthService.sessionLifetime + 1) == nil)
            #expect(try await keel.auth.session(cookie: cookie + "x") == nil)

            try await keel.auth.endSession(cookie: cookie)
            #expect(try await keel.auth.session(cookie: cookie) == nil)

            let (second, _) = try await keel.auth.startSession(email: "rep@example.com", password: "rep-password", locale: nil)
            _ = try await keel.auth.setStatus(member.userID, .frozen, by: admin)
            _ = try await keel.auth.setStatus(member.userID, .active, by: admin)
            #expect(try await keel.auth.session(cookie: second) == nil, "freezing ended the session for good")
            await #expect(throws: KeelError.self) { try await keel.auth.startSession(email: "rep@example.com", password: "wrong-one", locale: nil) }
        }
    }
}
