import KeelCore

extension RecordService {
    /// A role a record's required groups call for, and the people (contacts of the record, by role or title) in it.
    public struct RoleCoverage: Sendable {
        public var role: String
        public var people: [Record]

        public var json: JSONValue {
            ["role": .string(role), "filledBy": .array(people.map { ["id": .string($0.id), "name": $0.value("name")] })]
        }
    }

    /// The roles the record should have people in (a 三甲 hospital: 院长, 设备科主任, 信息科负责人) and the contacts
    /// the reader may see who fill them. Empty when no required group of the object suggests roles for this record.
    public func roleCoverage(_ objectName: String, id: String, as principal: Principal) async throws -> [RoleCoverage] {
        let (record, object) = try await get(objectName, id: id, as: principal)
        var roles: [String] = []
        for role in object.requiredGroups.flatMap({ $0.suggestedRoles(for: record.values) }) where !roles.contains(role) { roles.append(role) }
        let contacts = StandardObjects.contact
        guard !roles.isEmpty, let link = contacts.fields.first(where: { $0.type == .reference && $0.target == object.name }) else { return [] }
        let people = try await list(contacts.name, params: [("filter[\(link.name)][eq]", record.id), ("limit", "200")], as: principal).records
        return roles.map { role in
            RoleCoverage(role: role, people: people.filter { $0.value("role").stringValue == role || $0.value("title").stringValue == role })
        }
    }
}
