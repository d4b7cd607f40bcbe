import Foundation
import HTTPTypes
import Hummingbird
import Logging
import KeelCore
import KeelEngine
import KeelWeb

/// Cookies, CSRF, language and page rendering shared by the web routes.
struct WebSupport: Sendable {
    let keel: Keel
    let templates = Templates()

    static let sessionCookie = "keel_session"
    static let loginCookie = "keel_login"

    func language(_ request: Request, _ session: WebSession?) -> Language {
        session?.locale.flatMap(Language.init(rawValue:)) ?? Language.preferred(acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The signed-in session, or nil.
    func session(_ request: Request) async throws -> WebSession? {
        guard let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty else { return nil }
        return try await keel.auth.session(cookie: cookie)
    }

    /// A same-origin path, else "/": it starts with one `/`, and neither as sent nor percent-decoded does its path start
    /// with `//`, hold a backslash (browsers read `/\host` as `//host`) or hold a control character (they drop a tab
    /// or line break, so `/\t/host` becomes `//host`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/") else { return "/" }
        for form in [next, next.removingPercentEncoding ?? "//"] {
            let path = form.prefix { $0 != "?" && $0 != "#" }
            if path.hasPrefix("//") || path.contains("\\") || form.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return "/"
            }
        }
        return next
    }

    /// A redirect to a same-origin path (anything else goes to "/"), whatever built the location.
    /// Back to `next` (made safe), with `query` added to what it already asks (`logged=1`, `moved=…`).
    static func redirect(back next: String?, adding query: String) -> Response {
        let next = safeNext(next)
        return redirect(next + (next.contains("?") ? "&" : "?") + query)
    }

    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: safeNext(location)])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// The form body's pairs, after checking its CSRF token against `expected` (403 when missing or wrong).
    static func form(_ request: inout Request, context: KeelRequestContext, csrf expected: String) async throws -> [(String, String)] {
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let pairs = try FormEncoding.pairs(String(decoding: body.readableBytesView, as: UTF8.self))
        let sent = pairs.last { $0.0 == "_csrf" }?.1 ?? ""
        guard !expected.isEmpty, constantTimeEqual(sent, expected) else {
            throw KeelError(.forbidden, code: "csrf_failed", message: "The form's CSRF token is missing or wrong.")
        }
        return pairs
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A full HTML page.
    func render(_ context: some PageContext, title: String, request: Request, session: WebSession?,
                status: HTTPResponse.Status = .ok, notice: String? = nil, watermark: Bool = false) async throws -> Response {
        let lang = language(request, session)
        let t = Strings(lang)
        var layout = LayoutPage(lang: lang.rawValue, title: title, notice: notice ?? (keel.demoLoading.isActive ? t["demo_loading"] : nil))
        if let session {
            let catalog = try await keel.metadata.catalog()
            let path = request.uri.path
            let current = path.split(separator: "/").dropFirst().first.map(String.init)
            layout.user = session.name
            // Pages with sensitive (L3+) data carry who is looking and when, across the page and on paper.
            if watermark {
                layout.watermark = Watermark.text(for: session.principal, timeZone: keel.timeZone)
                layout.marks = Array(repeating: true, count: 24)
            }
            layout.csrf = session.csrf
            layout.otherLocale = lang == .zhCN ? Language.en.rawValue : Language.zhCN.rawValue
            layout.path = path + (request.uri.query.map { "?" + $0 } ?? "")
            // What a salesperson uses all day in the bar; the rest under "more" (managers' and admins' pages only for them).
            let role = session.principal.role
            // Leads open on the inbox (mine, team, unassigned, pool), which links to the whole list.
            func object(_ o: ObjectDefinition) -> Link {
                o.name == StandardObjects.lead.name
                    ? Link("/lead-inbox", lang.label(o.labels), current: o.name == current || path.hasPrefix("/lead-inbox"))
                    : Link("/o/\(o.name)", lang.label(o.labels), current: o.name == current)
            }
            let daily = ["accounts", "contacts", "leads", "opportunities", "activities", "tasks"]
            layout.menu = [Link("/", t["today"], current: path == "/")] + catalog.objects.filter { daily.contains($0.name) }.map(object)
                + [Link("/board", t["board"], current: path.hasPrefix("/board"))]
            let more = [("/dashboard", "dashboard"), ("/forecast", "forecast"), ("/follow-ups", "follow_ups"), ("/imports", "imports"), ("/reconciliation", "reconciliation"), ("/lead-response", "lead_response"), ("/approvals", "approvals"), ("/notifications", "notifications"), ("/access-requests", "access_requests")]
                + (role == .member ? [] : [("/health", "data_health")]) + (role == .admin ? [("/admin/users", "admin")] : [])
            layout.more = more.map { Link($0.0, t[$0.1], current: path == $0.0 || ($0.1 == "admin" && path.hasPrefix("/admin"))) }
                + catalog.objects.filter { !daily.contains($0.name) }.map(object)
            layout.moreCurrent = layout.more.contains { $0.current }
        }
        let html = templates.page(context, t, layout: layout)
        return Response(status: status, headers: Self.htmlHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let htmlHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ]
}

/// Renders errors on web pages as HTML in the reader's language; an expired session goes back to the login page.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    let web: WebSupport

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return await web.errorPage(error, request: request, logger: context.logger)
        }
    }
}

extension WebSupport {
    /// Whether a request comes from a browser for a page (not from a program for the API): errors answer it with a page.
    static func isPage(_ request: Request) -> Bool {
        let path = request.uri.path
        return !path.hasPrefix("/api/") && !["/metrics", "/healthz"].contains(path) && request.headers[.accept]?.contains("text/html") == true
    }

    /// An error as a page in the reader's language with a way back (an expired session: back to the login page).
    func errorPage(_ error: any Error, request: Request, logger: Logger) async -> Response {
        let e = APIResponse.keelError(from: error)
        if e.kind == .unauthorized {
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return WebSupport.redirect("/login?next=" + URLQuery.escape(back))
        }
        if e.kind == .internalError {
            logger.error("page failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
        }
        let session = try? await self.session(request)
        let t = Strings(language(request, session))
        let key = switch e.kind {
        case .notFound: "not_found"
        case .forbidden: e.code == "csrf_failed" ? "csrf_failed" : "forbidden"
        case .conflict: "conflict"
        case .unprocessable: "invalid_input"
        case .methodNotAllowed: "not_found"
        case .tooManyRequests: "too_many_requests"
        default: "internal_error"
        }
        // What the server says in English is for programs; a person reads the page's own words, or each field's reason.
        let detail = !e.violations.isEmpty ? e.violations.map { "\($0.field): \(t.violation($0))" }.joined(separator: "; ")
            : t.text(key + "_detail") ?? ""
        let page = MessagePage(title: t[key], message: detail)
        do {
            return try await render(page, title: t[key], request: request, session: session, status: APIResponse.status(e.kind))
        } catch {
            // The page itself could not be drawn (the database is gone): a plain page, still in the reader's language.
            return Response(status: APIResponse.status(e.kind), headers: Self.htmlHeaders,
                            body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><meta charset=utf-8><title>Keel</title><p>\(t[key])</p><p><a href=\"/\">\(t["back_home"])</a></p>")))
        }
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
