import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// A web form over HTTP as a browser on another site uses it: the snippet, the CORS preflight, a JSON post and a
/// plain HTML post; oversize and malformed bodies refused with nothing stored.
@Suite struct FormsAPITests {
    @Test(arguments: TestDatabase.all)
    func aPageOnAnAllowedSitePostsLeadsAndEveryBadPostIsRefused(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let published = try await api.send(.post, "/api/v1/forms", json: ["id": "contact", "label": "联系我们", "origins": ["https://www.example.com"],
                                                                            "fields": ["手机": "phone"], "required": ["name", "phone"]])
            #expect(published.status == .created, "\(published.body)")
            let key = try #require(published.body["key"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/forms").body["data"]?[0]?["key"] == .string(key))
            #expect(try await api.send(.get, "/api/v1/forms", auth: .none).status == .unauthorized)

            let snippet = try await api.send(.get, "/forms/\(key)/snippet.js", auth: .none)
            #expect(snippet.status == .ok && snippet.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(snippet.body.stringValue?.contains("utm_source") == true && snippet.body.stringValue?.contains("time_on_page") == true)
            #expect(try await api.send(.get, "/forms/kf_nope/snippet.js", auth: .none).status == .notFound)

            let path = "/api/v1/forms/\(key)/submissions"
            let preflight = try await api.send(.options, path, headers: [.origin: "https://www.example.com"], auth: .none)
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowOrigin] == "https://www.example.com")
            #expect(try await api.send(.options, path, headers: [.origin: "https://evil.example"], auth: .none).status == .forbidden)

            let posted = try await api.send(.post, path, json: ["name": "周杰", "手机": "13912345678", "utm_source": "baidu"],
                                            headers: [.origin: "https://www.example.com", .contentType: "application/json"], auth: .none)
            #expect(posted.status == .created && posted.body["status"] == "received" && posted.headers[.accessControlAllowOrigin] == "https://www.example.com")
            let html = try await api.send(.post, path, raw: Array("name=%E5%90%B4%E6%95%8F&%E6%89%8B%E6%9C%BA=13812345678".utf8),
                                          headers: [.contentType: "application/x-www-form-urlencoded"], auth: .none)
            #expect(html.status == .created && html.body.stringValue?.contains("已收到您的信息") == true)
            let leads = try await api.send(.get, "/api/v1/leads?sort=name").body["data"]?.arrayValue ?? []
            #expect(leads.compactMap { $0["name"]?.stringValue }.sorted() == ["吴敏", "周杰"] && leads.allSatisfy { $0["form"] == "contact" })

            // A number no whole-number type holds: a clear 422, never a crash.
            let huge = try await api.send(.post, path, json: ["name": "大数", "手机": "13512345678", "time_on_page": 1.4142978935208844e+34],
                                          headers: [.contentType: "application/json"], auth: .none)
            #expect(huge.status == .unprocessableContent && huge.body.violationCodes["time_on_page"] != nil, "\(huge.body)")
            // Refused, nothing stored.
            let big = try await api.send(.post, path, raw: Array(("{\"name\": \"" + String(repeating: "长", count: 6_000) + "\"}").utf8),
                                         headers: [.contentType: "application/json"], auth: .none)
            #expect(big.status == .contentTooLarge)
            #expect(try await api.send(.post, path, raw: Array("{\"name\": ".utf8), headers: [.contentType: "application/json"], auth: .none).status == .badRequest)
            #expect(try await api.send(.post, path, json: ["name": ["a"]], headers: [.contentType: "application/json"], auth: .none).status == .unprocessableContent)
            let spam = try await api.send(.post, path, json: ["name": "机器人", "手机": "13712345678", "website_url": "http://spam.example"],
                                          headers: [.contentType: "application/json"], auth: .none)
            #expect(spam.status == .unprocessableContent && spam.body.errorCode == "spam")
            let foreign = try await api.send(.post, path, json: ["name": "某人", "手机": "13612345678"],
                                             headers: [.origin: "https://evil.example", .contentType: "application/json"], auth: .none)
            #expect(foreign.status == .forbidden && foreign.headers[.accessControlAllowOrigin] == nil)
            #expect(try await api.send(.post, "/api/v1/forms/kf_nope/submissions", json: ["name": "某人"], headers: [.contentType: "application/json"],
                                       auth: .none).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/leads").body["data"]?.arrayValue?.count == 2)
            #expect(try await api.send(.post, "/api/v1/forms", json: ["id": "contact", "rotateKey": "yes"]).status == .unprocessableContent)
        }
    }
}
