import Hummingbird
import KeelEngine

/// API requests made while the demo company loads wait for it to be complete.
struct DemoLoadingMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    let loading: DemoLoading

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await loading.complete()
        return try await next(request, context)
    }
}
