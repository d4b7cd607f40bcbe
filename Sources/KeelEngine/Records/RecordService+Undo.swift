import KeelCore

extension RecordService {
    /// Takes back one edit: the fields it changed return to what they were, as a new edit through the same checks as
    /// any other (so it is in the history too). Refused with a conflict when the record changed since (`expectedVersion`),
    /// and when the edit is not this record's, was not an update, or changed a field the reader may not see.
    public func undo(_ objectName: String, id: String, change changeID: String, expectedVersion: Int,
                     context: WriteContext) async throws -> Record {
        let object = try await metadata.catalog().require(objectName)
        let entries = try await history(object.name, id: id, as: context.principal).filter { $0.changeID == changeID }
        guard !entries.isEmpty, entries.allSatisfy({ $0.operation == "update" && !$0.masked }) else {
            throw KeelError(.conflict, code: "not_undoable", message: "This change cannot be undone here.")
        }
        // Computed fields follow from the others.
        let values = Dictionary(entries.filter { object.field($0.field)?.formula == nil }.map { ($0.field, $0.oldValue) },
                                uniquingKeysWith: { first, _ in first })
        return try await update(object.name, id: id, values, expectedVersion: expectedVersion, context: context)
    }
}
