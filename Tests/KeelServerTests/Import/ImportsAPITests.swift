import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Imports over HTTP: an upload runs in the background; its progress, counts, report and error CSV are read back; it
/// is taken back; a file that is no table starts nothing.
@Suite struct ImportsAPITests {
    /// Polls the import until it is no longer pending, running or being taken back.
    func finished(_ api: API, _ id: String) async throws -> JSONValue {
        for _ in 0..<200 {
            let job = try await api.send(.get, "/api/v1/imports/\(id)").body
            if !["pending", "running", "reverting"].contains(job["status"]?.stringValue ?? "") { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("import \(id) did not finish")
        return .null
    }

    @Test(arguments: TestDatabase.all)
    func anUploadIsImportedReportedAndTakenBack(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let sheet = Array("客户名称,电话,城市\r\n深圳市腾达科技有限公司,0755-86001234,深圳市\r\n坏电话公司,12345,\r\n".utf8)
            let (headers, body) = AttachmentsAPITests.multipart([("object", nil, Array("accounts".utf8)), ("onDuplicate", nil, Array("update".utf8)),
                                                                 ("file", "客户.csv", sheet)])
            let accepted = try await api.send(.post, "/api/v1/imports", raw: body, headers: headers)
            #expect(accepted.status == .accepted && accepted.body["totalRows"] == 2 && accepted.body["filename"] == "客户.csv", "\(accepted.body)")
            let id = try #require(accepted.body["id"]?.stringValue)
            #expect(accepted.headers[.location] == "/api/v1/imports/\(id)")
            let job = try await finished(api, id)
            #expect(job["status"] == "done" && job["progress"] == 1 && job["counts"]?["created"] == 1 && job["counts"]?["failed"] == 1, "\(job)")
            #expect(job["problems"]?[0]?["row"] == 3 && job["problems"]?[0]?["problems"]?[0]?["column"] == "电话", "\(job)")
            let rows = try await api.send(.get, "/api/v1/imports/\(id)/rows?after=0&limit=10").body["data"]?.arrayValue ?? []
            #expect(rows.map { $0["outcome"] } == ["created", "failed"])
            let csv = try await api.client.execute(uri: "/api/v1/imports/\(id)/errors.csv", method: .get, headers: [.authorization: "Bearer \(api.token)"])
            #expect(csv.status == .ok && String(buffer: csv.body).contains("3,电话,12345,phone,invalid_phone,"))
            // The same sheet as the body itself, fields in the query: the company is found and updated, not created again.
            let again = try await api.send(.post, "/api/v1/imports?object=accounts&onDuplicate=update&filename=again.csv",
                                           raw: Array("客户名称,城市\r\n深圳市腾达科技有限公司,广州市\r\n".utf8), headers: [.contentType: "text/csv"])
            #expect(again.status == .accepted, "\(again.body)")
            let updated = try await finished(api, try #require(again.body["id"]?.stringValue))
            #expect(updated["counts"]?["updated"] == 1 && updated["counts"]?["created"] == 0, "\(updated)")
            // Taken back in the background, newest first: the city is Shenzhen again; then the company goes.
            let reverting = try await api.send(.post, "/api/v1/imports/\(updated["id"]!.stringValue!)/revert")
            #expect(reverting.status == .accepted && ["reverting", "reverted"].contains(reverting.body["status"]?.stringValue ?? ""), "\(reverting.body)")
            let reverted = try await finished(api, try #require(updated["id"]?.stringValue))
            #expect(reverted["status"] == "reverted" && reverted["revert"]?["restored"] == 1, "\(reverted)")
            #expect(try await api.send(.post, "/api/v1/imports/\(id)/revert").status == .accepted)
            #expect(try await finished(api, id)["revert"]?["deleted"] == 1)
            #expect(try await api.send(.get, "/api/v1/accounts").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.post, "/api/v1/imports/\(id)/revert").status == .conflict)
        }
    }

    /// Mappings are saved under a name per object, shared with the team, replaced by name, and deleted by whoever saved
    /// them or an admin; a bad one is refused whole.
    @Test(arguments: TestDatabase.all)
    func mappingsAreSavedSharedAndDeleted(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let body: [String: JSONValue] = ["name": "展会名单", "object": "accounts", "columns": ["参展单位": "name", "人数": "size"],
                                   "values": ["size": ["百人以内": "21-100"]], "onDuplicate": "merge"]
            let saved = try await api.send(.post, "/api/v1/import-mappings", json: .object(body))
            #expect(saved.status == .created && saved.body["mapping"]?["columns"]?["参展单位"] == "name" && saved.body["mapping"]?["onDuplicate"] == "merge",
                    "\(saved.body)")
            let id = try #require(saved.body["id"]?.stringValue)
            #expect(saved.headers[.location] == "/api/v1/import-mappings/\(id)")
            // The same name again replaces it, keeping its id.
            var changed = body
            changed["onDuplicate"] = "skip"
            let replaced = try await api.send(.post, "/api/v1/import-mappings", json: .object(changed))
            #expect(replaced.body["id"]?.stringValue == id && replaced.body["mapping"]?["onDuplicate"] == "skip")
            // Refused whole: a field the object lacks, a name with a line break, values that are null, no name.
            let unknown = try await api.send(.post, "/api/v1/import-mappings", json: ["name": "坏映射", "object": "accounts", "columns": ["甲": "nope"]])
            #expect(unknown.status == .unprocessableContent && unknown.body.violationCodes["columns.甲"] == "unknown_field", "\(unknown.body)")
            let badName = try await api.send(.post, "/api/v1/import-mappings", json: ["name": "两\n行", "object": "accounts"])
            #expect(badName.status == .unprocessableContent && badName.body.errorCode == "invalid_mapping_name", "\(badName.body)")
            let null = try await api.send(.post, "/api/v1/import-mappings", json: ["name": "空映射", "object": "accounts", "values": .null])
            #expect(null.status == .unprocessableContent && null.body.violationCodes["values"] == "invalid_type", "\(null.body)")
            let noName = try await api.send(.post, "/api/v1/import-mappings", json: ["object": "accounts"])
            #expect(noName.status == .unprocessableContent && noName.body.violationCodes["name"] == "required")
            // A rep sees and uses the team's mapping, but may not delete it.
            let rep = try await AccessAPITests.user(api, "rep@example.com")
            let listed = try await api.send(.get, "/api/v1/import-mappings?object=accounts", auth: .token(rep.token))
            #expect(listed.body["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["展会名单"])
            #expect(try await api.send(.delete, "/api/v1/import-mappings/\(id)", auth: .token(rep.token)).status == .forbidden)
            #expect(try await api.send(.delete, "/api/v1/import-mappings/\(id)").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/import-mappings/\(id)").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadUploadStartsNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            func upload(_ parts: [(name: String, filename: String?, bytes: [UInt8])]) async throws -> (HTTPResponse.Status, JSONValue) {
                let (headers, body) = AttachmentsAPITests.multipart(parts)
                let r = try await api.send(.post, "/api/v1/imports", raw: body, headers: headers)
                return (r.status, r.body)
            }
            let sheet = Array("客户名称\r\n甲公司\r\n".utf8)
            let unclosed = try await upload([("object", nil, Array("accounts".utf8)), ("file", "a.csv", Array("客户名称\r\n\"甲公司\r\n".utf8))])
            #expect(unclosed.0 == .unprocessableContent && unclosed.1.errorCode == "unclosed_quote")
            let workbook = try await upload([("object", nil, Array("accounts".utf8)), ("file", "a.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1])])
            #expect(workbook.0 == .unprocessableContent && workbook.1.errorCode == "not_a_table")
            #expect(try await upload([("file", "a.csv", sheet)]).1.violationCodes == ["object": "required"])
            #expect(try await upload([("object", nil, Array("accounts".utf8)), ("file", "a.csv", sheet), ("mapping", nil, Array("{".utf8))]).1.violationCodes == ["mapping": "invalid_json"])
            #expect(try await upload([("object", nil, Array("accounts".utf8)), ("file", "a.csv", sheet), ("dryRun", nil, Array("maybe".utf8))]).1.violationCodes == ["dryRun": "invalid_type"])
            #expect(try await upload([("object", nil, Array("nope".utf8)), ("file", "a.csv", sheet)]).0 == .notFound)
            #expect(try await api.send(.post, "/api/v1/imports", json: ["object": "accounts"]).status == .unsupportedMediaType)
            #expect(try await api.send(.post, "/api/v1/imports?object=accounts&colour=red", raw: sheet, headers: [.contentType: "text/csv"]).body.violationCodes == ["colour": "unknown_field"])
            // Nothing was started, and no uploaded file was left behind.
            #expect(try await api.send(.get, "/api/v1/imports").body["data"]?.arrayValue?.isEmpty == true)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: api.keel.imports.folder.path)) ?? []
            #expect(left.isEmpty, "\(left)")
            #expect(try await api.send(.get, "/api/v1/imports/01a231b6-0000-7000-8000-000000000000").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExportAsAWorkbookImportsBackAsItWas(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            for (name, phone) in [("深圳市腾达科技有限公司", "0755-86001234"), ("=HYPERLINK(\"http://evil\")有限公司", "13800138000")] {
                #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": .string(name), "phone": .string(phone)]).status == .created)
            }
            let response = try await api.client.execute(uri: "/api/v1/exports/accounts?sort=name&format=xlsx", method: .get,
                                                         headers: [.authorization: "Bearer \(api.token)"])
            #expect(response.status == .ok && response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).xlsx").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(buffer: response.body).write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try ImportFile(path: path).rows { rows.append($0.cells); return true }
            // The watermark, the field names, then the records as stored.
            #expect(rows.first?.first?.hasPrefix("Keel export ") == true && rows.dropFirst().first?.prefix(3) == ["id", "name", "credit_code"])
            let names = rows.dropFirst(2).compactMap { $0.count > 1 ? $0[1] : nil }
            #expect(names == ["=HYPERLINK(\"http://evil\")有限公司", "深圳市腾达科技有限公司"], "\(rows)")
            #expect(try await api.send(.get, "/api/v1/exports/accounts?format=pdf").body.violationCodes == ["format": "invalid_option"])
        }
    }
}
