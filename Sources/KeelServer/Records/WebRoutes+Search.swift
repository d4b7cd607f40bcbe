import Hummingbird
import KeelEngine
import KeelWeb

extension WebRoutes {
    func search(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let q = try request.queryPairs().last { $0.0 == "q" }?.1 ?? ""
        let groups = try await keel.records.search(q, as: session.principal)
        let t = Strings(web.language(request, session))
        return try await web.render(SearchPage(query: q, groups: groups).context(t), title: t["search"], request: request, session: session)
    }
}
