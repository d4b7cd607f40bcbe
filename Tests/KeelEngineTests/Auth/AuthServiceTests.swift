import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct AuthServiceTests {
    @Test(arguments: TestDatabase.all)
    func tokensAuthenticateUntilRevokedOrFrozen(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let member = try await keel.makeUser("li.na@example.com", role: .member, password: "密码也可以是中文的")
            let (token, user) = try await keel.auth.login(email: "LI.NA@example.com", password: "密码也可以是中文的")
            #expect(user.id == member.userID)
            #expect(token.hasPrefix("keel_") && token.count >= 5 + 43)
            #expect(try await keel.auth.authenticate(token: token)?.userID == member.userID)
            // Only the hash is stored.
            let stored = try await keel.database.read { db in
                try await db.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(!stored.contains(token))
            #expect(stored.contains(Digest.sha256Hex(token)))

            _ = try await keel.auth.setStatus(member.userID, .frozen, by: admin)
            #expect(try await keel.auth.authenticate(token: token) == nil)
            await #expect(throws: KeelError.self) { try await keel.auth.login(email: "li.na@example.com", password: "密码也可以是中文的") }
            _ = try await keel.auth.setStatus(member.userID, .active, by: admin)
            #expect(try await keel.auth.authenticate(token: token) == nil, "freezing revoked the token for good")

            let (second, _) = try await keel.auth.login(email: "li.na@example.com", password: "密码也可以是中文的")
            try await keel.auth.revokeToken(second)
            #expect(try await keel.auth.authenticate(token: second) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func userCreationChecksInput(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let short = await #expect(throws: KeelError.self) {
                try await keel.auth.createUser(NewUser(email: "not-an-email", password: "short", role: .member), by: admin)
            }
            #expect(Set(short?.violations.map(\.field) ?? []) == ["email", "password"])
            let long = await #expect(throws: KeelError.self) {
                try await keel.auth.createUser(NewUser(email: "a@example.com", password: String(String(repeating: "long-pass", count: 8).prefix(65)), role: .member), by: admin)
            }
            #expect(long?.violations.map(\.code) == ["invalid_length"])
            let manager = try await keel.auth.createUser(NewUser(email: "boss@example.com", password: String(String(repeating: "long-pass", count: 8).prefix(64)), role: .manager,
                                                                 department: "销售一部"), by: admin)
            let member = try await keel.auth.createUser(NewUser(email: "m@example.com", password: "member-pass-1", role: .member,
                                                                department: "销售一部", managerEmail: "boss@example.com"), by: admin)
            #expect(member.managerID == manager.id)
            #expect(member.departmentID == manager.departmentID)
            let departments = try await keel.auth.departments(by: admin)
            #expect(departments.map(\.name) == ["销售一部"])
            #expect(departments.first?.managerID == manager.id)
            let dup = await #expect(throws: KeelError.self) {
                try await keel.auth.createUser(NewUser(email: "M@example.com", password: "member-pass-1", role: .member), by: admin)
            }
            #expect(dup?.kind == .conflict)
            let notAdmin = await #expect(throws: KeelError.self) {
                try await keel.auth.createUser(NewUser(email: "x@example.com", password: "member-pass-1", role: .admin), by: member.principal)
            }
            #expect(notAdmin?.kind == .forbidden)
        }
    }
}
