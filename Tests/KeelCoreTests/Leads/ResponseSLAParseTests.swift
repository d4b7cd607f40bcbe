import Foundation
import KeelCore
import Testing

@Suite struct ResponseSLAParseTests {
    @Test func aDocumentsSLAsAreReadWrittenBackAndEveryMistakeNamed() throws {
        let routing = try LeadRouting.parse([
            "sla": ["targets": ["contacted": 240, "viewed": 2], "robot": "east", "callAfter": 30],
            "rules": [["id": "vip", "members": ["a@example.com"], "sla": ["calendar": "24x7", "targets": ["status_changed": 5]]],
                      ["id": "rest", "members": ["b@example.com"]]],
        ], fields: nil)
        #expect(routing.sla(rule: "rest")?.targets == [.init(.viewed, minutes: 2), .init(.contacted, minutes: 240)])
        #expect(routing.sla(rule: "vip")?.workingHours == false && routing.sla(rule: nil)?.robot == "east")
        #expect(routing.sla?.tiers.map(\.after) == [0, 10, 30])
        #expect(ResponseSLA.breach(.init(.viewed, minutes: 2)) == ("2 分钟内未查看", "not viewed within 2 min"))
        #expect(routing.robots.map(\.path) == ["sla.robot"])
        #expect(try LeadRouting.parse(routing.json, fields: nil) == routing)

        let error = #expect(throws: KeelError.self) {
            try LeadRouting.parse(["sla": ["targets": ["answered": 2, "viewed": 0], "calendar": "weekdays", "robotAfter": -1, "tiers": 3],
                                   "rules": [["id": "x", "members": ["a"], "sla": ["targets": [:]]]]], fields: nil)
        }
        #expect(Set(error?.violations.map(\.field) ?? []) == ["sla.targets.answered", "sla.targets.viewed", "sla.calendar", "sla.robotAfter", "sla.tiers",
                                                               "rules[0].sla.targets"])
        #expect(ResponseSLA.breach(.init(.contacted, minutes: 240)) == ("4 小时内未首次联系", "not first contact within 4 h"))
    }
}
