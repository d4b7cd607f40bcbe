import Hummingbird
import KeelCore
import Synchronization

/// Every route the server registered (path pattern and method), read from the router once it is built: which
/// methods a path takes (for 405 and `Allow`), and which first path segments under `/api/v1` the API owns (so a custom
/// object cannot be named like a route and be shadowed by it).
final class RouteTable: Sendable {
    /// One path pattern with every method registered on it, its segments ranked once: 2 literal, 1 capture, 0 wildcard.
    struct Pattern: Sendable {
        var elements: [RouterPath.Element]
        var ranks: [Int]
        var recursive: Bool
        var methods: Set<String>
    }

    private let patterns = Mutex<[Pattern]>([])

    func load(_ descriptions: [Router<KeelRequestContext>.RouteDescription]) {
        var byPath: [String: Pattern] = [:]
        for route in descriptions {
            let texts = route.path.components.map(\.description)
            let recursive = texts.last == "**"
            byPath[route.path.description, default: Pattern(
                elements: Array(route.path.components.prefix(recursive ? texts.count - 1 : texts.count)),
                ranks: texts.prefix(recursive ? texts.count - 1 : texts.count).map { $0.contains("{") ? 1 : $0.contains("*") ? 0 : 2 },
                recursive: recursive, methods: [])].methods.insert(route.method.rawValue)
        }
        patterns.withLock { $0 = Array(byPath.values) }
    }

    /// The methods of the route that serves `path` — as the router picks it, a literal segment before a capture
    /// (`/api/v1/settings/calendar` is the settings route, not `/api/v1/{object}/{id}`); empty when no route matches.
    /// HEAD goes with GET.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: [Int] = [], found = Set<String>()
        for pattern in patterns.withLock({ $0 }) {
            guard let rank = Self.rank(pattern, segments), !rank.lexicographicallyPrecedes(best) else { continue }
            if rank != best { (best, found) = (rank, []) }
            found.formUnion(pattern.methods)
        }
        // Records written only through another's (a quote's lines) are read here, never written.
        if segments.count >= 3, segments[0] == "api", segments[1] == "v1", StandardObjects.writtenThrough[String(segments[2])] != nil {
            found.formIntersection(["GET"])
        }
        return (found.contains("GET") ? found.union(["HEAD"]) : found).sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// How specifically `pattern` matches `segments`, nil if it does not.
    static func rank(_ pattern: Pattern, _ segments: [Substring]) -> [Int]? {
        guard pattern.recursive ? segments.count >= pattern.elements.count : segments.count == pattern.elements.count else { return nil }
        for (element, segment) in zip(pattern.elements, segments) where !(element ~= segment) { return nil }
        return pattern.recursive ? pattern.ranks + [0] : pattern.ranks
    }

    /// The literal first segments of the routes under `/api/v1` (`automations`, `metadata`, `openapi.json`, …).
    var apiNames: Set<String> {
        Set(patterns.withLock { $0 }.compactMap { pattern -> String? in
            let parts = pattern.elements.map(\.description)
            guard parts.count > 2, parts[0] == "api", parts[1] == "v1", pattern.ranks[2] == 2 else { return nil }
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
