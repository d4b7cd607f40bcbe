import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// The record page's upload form (multipart, with the page's CSRF token): back to the record, saying so.
    func attach(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let object = try context.parameters.require("object"), id = try context.parameters.require("id")
        let upload = try await AttachmentsAPI.upload(&request, limit: keel.attachments.maxBytes, fields: ["kind", "_csrf"])
        guard WebSupport.constantTimeEqual(upload.fields["_csrf"] ?? "", session.csrf), !session.csrf.isEmpty else {
            throw KeelError(.forbidden, code: "csrf_failed", message: "The form's CSRF token is missing or wrong.")
        }
        _ = try await keel.attachments.attach(object, id: id, filename: upload.filename, kind: upload.kind, bytes: upload.bytes, as: session.principal)
        return WebSupport.redirect("/o/\(object)/\(id)?attached=1#h-attachments")
    }

    /// A download from the record page, for who may read the record.
    func downloadAttachment(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let (attachment, data) = try await keel.attachments.open(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                                 attachment: try context.parameters.require("attachment"), as: session.principal)
        return AttachmentsAPI.download(attachment, data)
    }
}
