import Crypto
import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Files on records: kept once on disk under their SHA-256 (`KEEL_FILES_DIR`), up to a size limit, of a type told by
/// their bytes; attaching one is a change to the record (who may change it may attach), written to its hash-chained
/// history; reading one needs read access to its record. Attachments are evidence: never changed, never removed.
public struct Attachments: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let store = AttachmentStore()
    /// Where the files live, and the largest file taken.
    public let folder: URL
    public let maxBytes: Int

    /// `KEEL_FILES_DIR` (default `./keel-files`) and `KEEL_FILE_MAX_MB` (default 20).
    public static func configuration(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> (folder: URL, maxBytes: Int) {
        let folder = URL(fileURLWithPath: environment["KEEL_FILES_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "keel-files")
        let megabytes = environment["KEEL_FILE_MAX_MB"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 20
        return (folder, megabytes * 1_048_576)
    }

    /// Attaches `bytes` to the record. Too big: 413; a type Keel does not keep: 415; an unknown or empty kind: 422 — nothing stored.
    public func attach(_ objectName: String, id: String, filename: String, kind: String?, bytes: [UInt8], as principal: Principal) async throws -> Attachment {
        guard bytes.count <= maxBytes else {
            throw KeelError(.payloadTooLarge, code: "file_too_large", message: "A file may be at most \(maxBytes / 1_048_576) MB; this one is \(bytes.count) bytes.")
        }
        guard !bytes.isEmpty, let type = FileType.sniff(bytes) else {
            throw KeelError(.unsupportedMediaType, code: "file_type_refused",
                            message: "Keel keeps PDF, images, audio, office documents and plain text; this file is none of them (HTML, scripts and programs are refused).")
        }
        let kind = kind ?? "other"
        guard Attachment.kinds.contains(kind) else {
            throw KeelError.validation([Violation(field: "kind", code: "invalid_option", message: "kind is one of \(Attachment.kinds.joined(separator: ", ")).")])
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let scopes = try await access.scopes(principal, [.update, .read], object: object)
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let now = ValueFormats.formatDateTime(Date())
        let attachment = Attachment(id: RecordID.make(), object: object.name, recordID: id, sha256: sha, size: bytes.count, contentType: type,
                                    filename: Self.safeName(filename), kind: kind, uploadedBy: principal.userID, at: now)
        return try await database.write { db in
            let current = try await records.lockedCurrent(object, id: id, expectedVersion: nil, .update, scope: scopes[0], readable: scopes[1], on: db).record
            try await store.insert(attachment, on: db)
            try await records.journal([("attachment", .null, ["filename": .string(attachment.filename), "sha256": .string(sha), "kind": .string(kind)])],
                                      record: current, operation: "attach", context: WriteContext(principal: principal, source: .api), at: now, on: db)
            // The bytes last, inside the transaction: a failure here rolls the row back.
            try write(bytes, sha: sha)
            return attachment
        }
    }

    public func list(_ objectName: String, id: String, as principal: Principal) async throws -> [Attachment] {
        _ = try await records.get(objectName, id: id, as: principal)
        return try await database.read { try await store.attachments(object: objectName, recordID: id, on: $0) }
    }

    /// An attachment and its bytes, for someone who may read its record.
    public func open(_ objectName: String, id: String, attachment: String, as principal: Principal) async throws -> (Attachment, Data) {
        guard let found = try await list(objectName, id: id, as: principal).first(where: { $0.id == attachment }) else {
            throw KeelError.notFound("attachment \(attachment)")
        }
        guard let data = FileManager.default.contents(atPath: path(found.sha256).path) else {
            throw KeelError(.internalError, code: "file_missing", message: "The file of attachment \(attachment) is missing from \(folder.path).")
        }
        return (found, data)
    }

    func path(_ sha: String) -> URL {
        folder.appendingPathComponent(String(sha.prefix(2))).appendingPathComponent(String(sha.dropFirst(2).prefix(2))).appendingPathComponent(sha)
    }

    /// Stores the bytes under their hash, once: written to a temporary name, then moved into place.
    func write(_ bytes: [UInt8], sha: String) throws {
        let target = path(sha)
        guard !FileManager.default.fileExists(atPath: target.path) else { return }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(sha).\(UUID().uuidString)")
        try Data(bytes).write(to: temporary)
        do { try FileManager.default.moveItem(at: temporary, to: target) } catch {
            try? FileManager.default.removeItem(at: temporary)
            if !FileManager.default.fileExists(atPath: target.path) { throw error }
        }
    }

    /// The name as shown and sent back on download: its last path component, without control characters, at most 200 characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !$0.properties.generalCategory.isControl }.map(Character.init)).trimmingCharacters(in: .whitespaces)
        return clean.isEmpty ? "file" : String(clean.prefix(200))
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format }
}
