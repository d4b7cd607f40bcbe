import Hummingbird
import KeelCore
import Synchronization

/// Every route the server registered (path pattern and method), read from the router once it is built: which
/// methods a path takes (for 405 and `Allow`), and which first path segments under `/api/v1` the API owns (so a custom
/// object cannot be named like a route and be shadowed by it).
final class RouteTable: Sendable {
    struct Route: Sendable {
        var path: RouterPath
        var method: HTTPRequest.Method
    }

    private let routes = Mutex<[Route]>([])

    func load(_ descriptions: [Router<KeelRequestContext>.RouteDescription]) {
        routes.withLock { $0 = descriptions.map { Route(path: $0.path, method: $0.method) } }
    }

    /// The methods of the route that serves `path` — as the router picks it, a literal segment before a capture
    /// (`/api/v1/settings/calendar` is the settings route, not `/api/v1/{object}/{id}`); empty when no route matches.
    /// HEAD goes with GET.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: [Int] = [], found = Set<String>()
        for route in routes.withLock({ $0 }) {
            guard let rank = Self.rank(route.path, segments) else { continue }
            if rank.lexicographicallyPrecedes(best) { continue }
            if rank != best { (best, found) = (rank, []) }
            found.insert(route.method.rawValue)
        }
        return (found.contains("GET") ? found.union(["HEAD"]) : found).sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// How specifically `pattern` matches `segments` (per segment: 2 literal, 1 capture, 0 wildcard), nil if it does not.
    static func rank(_ pattern: RouterPath, _ segments: [Substring]) -> [Int]? {
        var rank: [Int] = []
        for element in pattern.components {
            let text = element.description
            if text == "**" { return rank + [0] }
            guard rank.count < segments.count, element ~= segments[rank.count] else { return nil }
            rank.append(text.contains("{") ? 1 : text.contains("*") ? 0 : 2)
        }
        return rank.count == segments.count ? rank : nil
    }

    /// The literal first segments of the routes under `/api/v1` (`automations`, `metadata`, `openapi.json`, …).
    var apiNames: Set<String> {
        Set(routes.withLock { $0 }.compactMap { route -> String? in
            let parts = route.path.components.map(\.description)
            guard parts.count > 2, parts[0] == "api", parts[1] == "v1", !parts[2].contains("{"), !parts[2].contains("*") else { return nil }
            return parts[2]
        })
    }
}

/// Answers a method the route at the path does not take with 405 and `Allow` (TRACE, or PUT where only GET and POST
/// exist); a path no route matches goes on to the router's 404.
struct MethodMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = table.methods(for: request.uri.path)
        guard allowed.isEmpty || allowed.contains(request.method) else {
            throw KeelError(.methodNotAllowed, code: "method_not_allowed",
                            message: "\(request.method.rawValue) is not a method of \(request.uri.path); it takes \(allowed.map(\.rawValue).joined(separator: ", ")).",
                            details: ["allow": .array(allowed.map { .string($0.rawValue) })])
        }
        return try await next(request, context)
    }
}
