import Foundation
import KeelCore
import KeelStore

/// Quick notes read as follow-ups: the parsed note, with the person it names found among the contacts of the record it
/// is about (its account's, for a deal), when exactly one of them the reader may read fits.
public struct QuickNotes: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let timeZone: TimeZone

    public struct Reading: Sendable {
        public var note: QuickNote
        public var contact: Record?
    }

    public func parse(_ text: String, relatedTo: String?, as principal: Principal, now: Date = Date()) async throws -> Reading {
        let catalog = try await metadata.catalog()
        let note = QuickNote.parse(text, now: now, zone: timeZone, calendar: catalog.calendar)
        guard let named = note.contact, let relatedTo else { return Reading(note: note, contact: nil) }
        // The record the note is on: a contact, an account, or something with an account (a deal).
        var account: String?
        for object in catalog.objects where ["contacts", "accounts", "opportunities", "leads"].contains(object.name) {
            guard let (record, _) = try? await records.get(object.name, id: relatedTo, as: principal) else { continue }
            if object.name == "contacts" { return Reading(note: note, contact: record) }
            account = object.name == "accounts" ? record.id : record.value("account").stringValue ?? record.value("customer_account").stringValue
            break
        }
        guard let account else { return Reading(note: note, contact: nil) }
        let contacts = try await records.list("contacts", params: [("filter[account][eq]", account), ("limit", "200")], as: principal).records
        let han = named.unicodeScalars.first.map { $0.properties.isIdeographic } ?? false
        let fits = contacts.filter { c in
            let name = c.value("name").stringValue ?? ""
            return han ? name.hasPrefix(String(named.prefix(1))) : name.lowercased().contains(named.lowercased())
        }
        return Reading(note: note, contact: fits.count == 1 ? fits[0] : nil)
    }

    /// A moment as the organisation's clock shows it, with its offset: `2026-12-02T15:00:00+08:00`.
    public func local(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: timeZone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return style.format(date)
    }
}
