import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelEngine
import MultipartKit
import NIOCore

/// Attachments over the API: upload (`multipart/form-data`, a `file` part and an optional `kind`), list, download.
struct AttachmentsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.post(":object/:id/attachments") { request, context in
            var request = request
            let upload = try await Self.upload(&request, limit: keel.attachments.maxBytes, fields: ["kind"])
            let attachment = try await keel.attachments.attach(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                               filename: upload.filename, kind: upload.kind, bytes: upload.bytes, as: try context.requirePrincipal())
            return APIResponse.json(attachment.json, status: .created)
        }
        group.get(":object/:id/attachments") { _, context in
            let list = try await keel.attachments.list(try context.parameters.require("object"), id: try context.parameters.require("id"), as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(list.map(\.json))])
        }
        group.get(":object/:id/attachments/:attachment") { _, context in
            let (attachment, data) = try await keel.attachments.open(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                                     attachment: try context.parameters.require("attachment"), as: try context.requirePrincipal())
            return Self.download(attachment, data)
        }
    }

    /// The file as a download: its sniffed type, never shown inline, never sniffed again by the browser.
    static func download(_ attachment: Attachment, _ data: Data) -> Response {
        let ascii = attachment.filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" } ? attachment.filename : "file"
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        var headers: HTTPFields = [.contentType: attachment.contentType, .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"]
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Upload {
        var filename: String
        var kind: String?
        var bytes: [UInt8]
        /// The form's other fields (a page's CSRF token).
        var fields: [String: String]
    }

    /// Whether every part's header names are ASCII, as they must be. multipart-kit 4.7.1 traps on a header-name byte
    /// above 0x7F (its table of allowed characters has 128 entries), so such a body is refused before it is parsed. The
    /// parts are found as the parser finds them: after `--boundary` at the start or `CRLF--boundary`, and the rest of
    /// that line; the headers run to the first empty line.
    static func headerNamesAreASCII(_ body: ByteBufferView, boundary: [UInt8]) -> Bool {
        let delimiter = Array("\r\n--".utf8) + boundary
        var next = body.starts(with: delimiter.dropFirst(2)) ? body.startIndex + delimiter.count - 2 : body.firstRange(of: delimiter)?.upperBound
        while var i = next {
            while i < body.endIndex, body[i] != 0x0A { i += 1 }
            i += 1
            while i < body.endIndex {
                var end = i, named = false
                while end < body.endIndex, body[end] != 0x0A {
                    if body[end] == 0x3A { named = true } else if !named, body[end] >= 0x80 { return false }
                    end += 1
                }
                let empty = end == i || (end == i + 1 && body[i] == 0x0D)
                i = end + 1
                if empty { break }
            }
            next = i < body.endIndex ? body[i...].firstRange(of: delimiter)?.upperBound : nil
        }
        return true
    }

    /// Reads a `multipart/form-data` body: its `file` part (and name) and the other `fields` it may carry (`kind`). A body
    /// over `limit` (plus room for the form) is a 413; one that is not multipart, a 415; one without a file or with a
    /// part it does not take, a 422.
    static func upload(_ request: inout Request, limit: Int, fields allowed: Set<String>) async throws -> Upload {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = type.split(separator: ";").compactMap({ part -> String? in
                  let p = part.trimmingCharacters(in: .whitespaces)
                  return p.lowercased().hasPrefix("boundary=") ? String(p.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : nil
              }).first, !boundary.isEmpty else {
            throw KeelError(.unsupportedMediaType, code: "not_multipart", message: "Send the file as multipart/form-data with a part named file.")
        }
        let body = try await request.collectBody(upTo: limit + 64 * 1024)
        var parts: [(headers: [String: String], body: [UInt8])] = []
        var headers: [String: String] = [:], bytes: [UInt8] = []
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in bytes += buffer.readableBytesView }
        parser.onPartComplete = {
            parts.append((headers, bytes))
            (headers, bytes) = ([:], [])
        }
        let unreadable = KeelError(.badRequest, code: "invalid_multipart", message: "The multipart body could not be read.")
        guard Self.headerNamesAreASCII(body.readableBytesView, boundary: Array(boundary.utf8)) else { throw unreadable }
        do { try parser.execute(body) } catch { throw unreadable }
        func disposition(_ h: [String: String], _ key: String) -> String? {
            guard let value = h["content-disposition"] else { return nil }
            for item in value.split(separator: ";") {
                let pair = item.trimmingCharacters(in: .whitespaces)
                if pair.lowercased().hasPrefix(key + "=") {
                    return String(pair.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
        let unknown = parts.compactMap { disposition($0.headers, "name") }.filter { $0 != "file" && !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw KeelError.validation(unknown.map { Violation(field: $0, code: "unknown_field", message: "\($0) is not part of an upload (file, \(allowed.sorted().joined(separator: ", "))).") })
        }
        guard let file = parts.first(where: { disposition($0.headers, "name") == "file" }) else {
            throw KeelError.validation([Violation(field: "file", code: "required", message: "Send the file in a part named file.")])
        }
        var fields: [String: String] = [:]
        for part in parts where disposition(part.headers, "filename") == nil {
            if let name = disposition(part.headers, "name") { fields[name] = String(decoding: part.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        let name = disposition(file.headers, "filename*").flatMap { $0.components(separatedBy: "''").last?.removingPercentEncoding }
            ?? disposition(file.headers, "filename") ?? "file"
        guard file.body.count <= limit else {
            throw KeelError(.payloadTooLarge, code: "file_too_large", message: "A file may be at most \(limit / 1_048_576) MB.")
        }
        return Upload(filename: name, kind: fields["kind"], bytes: file.body, fields: fields)
    }
}
