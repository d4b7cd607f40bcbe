import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct ViewServiceTests {
    @Test(arguments: TestDatabase.all)
    func viewsArePersonalOrSharedAndCheckedAgainstTheObject(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let boss = try await keel.makeUser("boss@example.com", role: .manager)
            let mine = try await keel.views.save("leads", name: " 我的新线索 ", shared: false, columns: ["name", "phone", "created_at"],
                                                 filters: [SavedView.Condition(field: "status", op: "eq", value: "new")], sort: "-created_at", as: rep)
            #expect(mine.name == "我的新线索")
            _ = try await keel.views.save("leads", name: "官网线索", shared: true, columns: ["name"],
                                          filters: [SavedView.Condition(field: "channel", op: "eq", value: "官网")], sort: nil, as: boss)
            #expect(try await keel.views.views(of: "leads", as: rep).map(\.name) == ["官网线索", "我的新线索"])
            #expect(try await keel.views.views(of: "leads", as: boss).map(\.name) == ["官网线索"])
            #expect(try await keel.views.view(mine.id, as: rep) == mine)
            await #expect(throws: KeelError.self) { try await keel.views.view(mine.id, as: boss) }

            let bad = await #expect(throws: KeelError.self) {
                try await keel.views.save("leads", name: "", shared: false, columns: ["nope"],
                                          filters: [SavedView.Condition(field: "score", op: "gt", value: "high")], sort: "-nothing", as: rep)
            }
            let fields = Set(bad?.violations.map(\.field) ?? [])
            #expect(fields.isSuperset(of: ["name", "columns"]))
            #expect(bad?.violations.contains { $0.field == "score" || $0.field == "filter[score][gt]" } == true)
            let refused = await #expect(throws: KeelError.self) {
                try await keel.views.save("leads", name: "共享", shared: true, columns: ["name"], filters: [], sort: nil, as: rep)
            }
            #expect(refused?.kind == .forbidden)
            #expect(try await keel.views.views(of: "leads", as: rep).count == 2)

            try await keel.views.delete(mine.id, as: rep)
            #expect(try await keel.views.views(of: "leads", as: rep).map(\.name) == ["官网线索"])
        }
    }
}
