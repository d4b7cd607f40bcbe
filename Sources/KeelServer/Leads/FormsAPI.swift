import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// Web forms: published by admins (`/api/v1/forms`), posted by visitors without a login
/// (`/api/v1/forms/{key}/submissions`, JSON from the snippet or a plain HTML form post), and the snippet itself
/// (`/forms/{key}/snippet.js`), which sends UTM parameters, referrer, landing page and time on page along.
struct FormsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("forms") { _, context in
            APIResponse.json(["data": .array(try await keel.records.forms(by: try context.requirePrincipal()).map(\.json))])
        }
        group.post("forms") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.records.publishForm(.object(body), by: try context.requirePrincipal()).json, status: .created)
        }
    }

    func registerPublic(api: RouterGroup<KeelRequestContext>, router: Router<KeelRequestContext>) {
        api.post("forms/:key/submissions") { request, context in
            let origin = request.headers[.origin]
            var cors: HTTPFields = [.vary: "Origin"]
            do {
                let key = try context.parameters.require("key")
                if let origin, let form = try await keel.records.form(key: key)?.form, form.origins.contains(origin.lowercased()) {
                    cors[.accessControlAllowOrigin] = origin
                }
                var request = request
                let submitted = try await Self.fields(&request, context: context)
                _ = try await keel.records.submit(form: key, submitted, address: context.clientIP ?? "unknown", origin: origin)
                // A plain HTML post gets a page; the snippet gets JSON. Neither learns whether the lead was new.
                if request.headers[.contentType]?.hasPrefix("application/json") == true {
                    return APIResponse.json(["status": "received"], status: .created, headers: cors)
                }
                return Response(status: .created, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: Self.thanks)))
            } catch let error as KeelError {
                var response = APIResponse.error(error)
                for field in cors { response.headers.append(field) }
                return response
            }
        }
        api.on("forms/:key/submissions", method: .options) { request, context in
            guard let origin = request.headers[.origin], let form = try await keel.records.form(key: try context.parameters.require("key"))?.form,
                  form.origins.contains(origin.lowercased()) else {
                throw KeelError(.forbidden, code: "origin_not_allowed", message: "This form does not take submissions from this origin.")
            }
            return Response(status: .noContent, headers: [.accessControlAllowOrigin: origin, .accessControlAllowMethods: "POST",
                                                          .accessControlAllowHeaders: "Content-Type", .accessControlMaxAge: "600", .vary: "Origin"])
        }
        router.get("forms/:key/snippet.js") { _, context in
            guard try await keel.records.form(key: try context.parameters.require("key")) != nil else { throw KeelError.notFound("form") }
            return Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(string: Self.snippet)))
        }
    }

    /// The visitor's fields: a JSON object of texts (numbers are taken as text) or a form post; at most 16 KiB.
    static func fields(_ request: inout Request, context: KeelRequestContext) async throws -> [String: String] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: LeadForm.maxBody)
        } catch {
            throw KeelError(.payloadTooLarge, code: "too_large", message: "A form submission is at most \(LeadForm.maxBody / 1024) KiB.")
        }
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("application/json") {
            guard let object = try JSONValue.parse(buffer.readableBytesView).objectValue else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send the form's fields as a JSON object.")
            }
            var out: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case .string(let s): out[key] = s
                case .number(let n): out[key] = FormulaEvaluator.text(.number(n))
                case .null: continue
                default: throw KeelError.validation([Violation(field: key, code: "invalid_type", message: "\(key) must be text.")])
                }
            }
            return out
        }
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return Dictionary(try FormEncoding.pairs(String(buffer: buffer)), uniquingKeysWith: { _, last in last })
        }
        throw KeelError(.badRequest, code: "unsupported_media_type", message: "Send application/json or application/x-www-form-urlencoded.")
    }

    static let thanks = """
        <!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>已收到 / Received</title>
        <p>已收到您的信息，我们会尽快与您联系。</p><p lang="en">Thank you: we will be in touch soon.</p></html>
        """

    /// Hooks every `<form data-keel-form>` on the page: the form's own fields, the page's UTM parameters, referrer,
    /// landing page and seconds on the page, posted as JSON to the form's submissions; the form says how it went.
    static let snippet = """
        (function () {
          var script = document.currentScript, started = Date.now();
          var endpoint = script.src.replace(/\\/forms\\/([^/]+)\\/snippet\\.js.*$/, "/api/v1/forms/$1/submissions");
          var params = new URLSearchParams(location.search);
          function hook(form) {
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              var body = {};
              new FormData(form).forEach(function (value, name) { if (typeof value === "string") body[name] = value; });
              ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (name) {
                if (params.get(name)) body[name] = params.get(name);
              });
              body.referrer = document.referrer; body.landing_page = location.href;
              body.time_on_page = String(Math.round((Date.now() - started) / 1000));
              var status = form.querySelector("[data-keel-status]");
              fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
                .then(function (response) {
                  if (status) status.textContent = response.ok ? (form.dataset.keelThanks || "已收到，我们会尽快与您联系。") : (form.dataset.keelError || "提交失败，请检查后重试。");
                  if (response.ok) form.reset();
                });
            });
          }
          document.querySelectorAll("form[data-keel-form]").forEach(hook);
        })();
        """
}
