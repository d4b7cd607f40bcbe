import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Attachments over HTTP: a real multipart upload, content-addressed storage, type sniffing, the size limit, downloads
/// checked against record access, and the record's history.
@Suite struct AttachmentsAPITests {
    static func multipart(_ parts: [(name: String, filename: String?, bytes: [UInt8])], boundary: String = "keel-boundary-7f3a") -> (HTTPFields, [UInt8]) {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"".utf8)
            if let filename = part.filename { body += Array("; filename=\"\(filename)\"".utf8) }
            body += Array("\r\n\r\n".utf8) + part.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], body)
    }

    @Test(arguments: TestDatabase.all)
    func filesAreKeptOnceByHashAndRefusedWhenDangerousOrTooBig(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let deal = try #require(try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT 设备采购"]).body["id"]?.stringValue)
            let pdf = Array("%PDF-1.7\n报价单\n%%EOF".utf8)
            let (headers, body) = Self.multipart([("kind", nil, Array("quote".utf8)), ("file", "报价单.pdf", pdf)])
            let uploaded = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: body, headers: headers)
            #expect(uploaded.status == .created && uploaded.body["contentType"] == "application/pdf" && uploaded.body["kind"] == "quote"
                    && uploaded.body["filename"] == "报价单.pdf" && uploaded.body["size"] == JSONValue(Double(pdf.count)), "\(uploaded.body)")
            let sha = try #require(uploaded.body["sha256"]?.stringValue)
            let id = try #require(uploaded.body["id"]?.stringValue)
            // The same bytes again: a second attachment, one file on disk.
            _ = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: body, headers: headers)
            let stored = try FileManager.default.subpathsOfDirectory(atPath: api.keel.attachments.folder.path).filter { $0.hasSuffix(sha) }
            #expect(stored.count == 1)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(deal)/attachments").body["data"]?.arrayValue?.count == 2)

            let download = try await api.send(.get, "/api/v1/opportunities/\(deal)/attachments/\(id)")
            #expect(download.status == .ok && download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true && download.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            // The history lists it, with its hash.
            let history = try await api.send(.get, "/api/v1/opportunities/\(deal)/history").body["data"]?.arrayValue ?? []
            #expect(history.contains { $0["operation"] == "attach" && $0["new"]?["sha256"] == .string(sha) }, "\(history)")

            // Refused, nothing stored: HTML, a script, an executable, a file over the limit, an unknown kind, no multipart.
            let before = try FileManager.default.subpathsOfDirectory(atPath: api.keel.attachments.folder.path).count
            for (name, bytes) in [("x.html", Array("<!DOCTYPE html><script>alert(1)</script>".utf8)), ("x.svg", Array("<svg onload=alert(1)>".utf8)),
                                  ("x.sh", Array("#!/bin/sh\nrm -rf /".utf8)), ("x.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03])] {
                let (h, b) = Self.multipart([("file", name, bytes)])
                let refused = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: b, headers: h)
                #expect(refused.status == .unsupportedMediaType && refused.body.errorCode == "file_type_refused", "\(name): \(refused.body)")
            }
            let (bigHeaders, big) = Self.multipart([("file", "big.pdf", Array("%PDF-".utf8) + Array(repeating: 0x41, count: TestDatabase.testFileLimit))])
            #expect(try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: big, headers: bigHeaders).status == .contentTooLarge)
            for kind in ["secret", ""] {
                let (kindHeaders, kinded) = Self.multipart([("kind", nil, Array(kind.utf8)), ("file", "a.pdf", pdf)])
                let refused = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: kinded, headers: kindHeaders)
                #expect(refused.status == .unprocessableContent && refused.body.violationCodes == ["kind": "invalid_option"], "kind \(kind): \(refused.body)")
            }
            #expect(try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", json: ["file": "x"]).status == .unsupportedMediaType)
            let (extraHeaders, extra) = Self.multipart([("file", "a.pdf", pdf), ("colour", nil, Array("red".utf8))])
            let unknown = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: extra, headers: extraHeaders)
            #expect(unknown.status == .unprocessableContent && unknown.body.violationCodes == ["colour": "unknown_field"])
            // A part whose header name is not ASCII (a broken client, a fuzzer) is a 400, and the server goes on.
            let boundary = "4acfd591b97f0afa119e0386f5ea2b9b"
            for garbled in [Array("--\(boundary)\r\nS".utf8) + [0xC2, 0xBF, 0xF3, 0x9F] + Array("--\(boundary)--\r\n".utf8),
                            Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n".utf8) + [0xE6, 0x96, 0x87] + Array(": x\r\n\r\nabc\r\n--\(boundary)--\r\n".utf8)] {
                let broken = try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: garbled,
                                                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
                #expect(broken.status == .badRequest && broken.body.errorCode == "invalid_multipart", "\(broken.body)")
            }
            #expect(try FileManager.default.subpathsOfDirectory(atPath: api.keel.attachments.folder.path).count == before)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(deal)/attachments").body["data"]?.arrayValue?.count == 2)

            // A rep who may not read the deal can neither list nor download nor attach.
            _ = try await api.keel.makeUser("rep@example.com", role: .member)
            let login = try await api.send(.post, "/api/v1/auth/token", json: ["email": "rep@example.com", "password": "correct horse"], auth: .none)
            let rep = API.Auth.token(login.body["token"]?.stringValue ?? "")
            #expect(try await api.send(.get, "/api/v1/opportunities/\(deal)/attachments/\(id)", auth: rep).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(deal)/attachments", auth: rep).status == .notFound)
            #expect(try await api.send(.post, "/api/v1/opportunities/\(deal)/attachments", raw: body, headers: headers, auth: rep).status == .notFound)
        }
    }
}
