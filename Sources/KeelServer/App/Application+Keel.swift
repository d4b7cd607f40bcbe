import Hummingbird
import KeelCore
import KeelEngine
import Logging
import ServiceLifecycle

/// How to run the server.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var metrics: MetricsAccess

    public init(host: String = "127.0.0.1", port: Int = 8080, metrics: MetricsAccess = .fromEnvironment()) {
        self.host = host
        self.port = port
        self.metrics = metrics
    }
}

/// The router of the whole HTTP surface.
public func buildRouter(keel: Keel, metricsAccess: MetricsAccess = .fromEnvironment()) -> Router<KeelRequestContext> {
    let router = Router(context: KeelRequestContext.self)
    let metrics = ServerMetrics()
    router.middlewares.add(MetricsMiddleware(metrics: metrics))
    router.middlewares.add(SecurityHeadersMiddleware())
    let web = WebSupport(keel: keel)
    router.middlewares.add(ErrorMiddleware(web: web))
    let routes = RouteTable()
    router.middlewares.add(MethodMiddleware(table: routes))

    router.get("healthz") { _, _ in
        try await keel.ping()
        return APIResponse.json(["status": "ok"])
    }
    router.get("metrics") { request, context in
        guard metricsAccess.allows(authorization: request.headers[.authorization], address: context.clientIP) else {
            throw KeelError(.unauthorized, code: "metrics_credentials",
                            message: "Send the bearer token of KEEL_METRICS_TOKEN, or scrape from an address in KEEL_METRICS_ALLOW.")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: try await metrics.render(keel: keel))))
    }

    WebRoutes(keel: keel, web: web).register(on: router)

    let api = router.group("api/v1").add(middleware: DemoLoadingMiddleware(loading: keel.demoLoading))
    AuthAPI(keel: keel).registerPublic(on: api)
    FormsAPI(keel: keel).registerPublic(api: api, router: router)
    LeadsAPI(keel: keel).registerPublic(on: api)
    ContractsAPI(keel: keel).registerPublic(on: api)
    api.get("openapi.json") { _, _ in
        APIResponse.json(OpenAPIDocument.build(catalog: try await keel.metadata.catalog(), registry: keel.registry != nil,
                              reserved: keel.metadata.reservedObjectNames))
    }
    let authed = api.group().add(middleware: AuthMiddleware(auth: keel.auth)).add(middleware: ConfigurationGuard(access: keel.access))
    AuthAPI(keel: keel).register(on: authed)
    MetadataAPI(keel: keel).register(on: authed)
    AccessAPI(keel: keel).register(on: authed)
    ExportsAPI(keel: keel).register(on: authed)
    AutomationAPI(keel: keel).register(on: authed)
    LeadsAPI(keel: keel).register(on: authed)
    FormsAPI(keel: keel).register(on: authed)
    PipelineAPI(keel: keel).register(on: authed)
    ForecastAPI(keel: keel).register(on: authed)
    ActivitiesAPI(keel: keel).register(on: authed)
    AttachmentsAPI(keel: keel).register(on: authed)
    ImportsAPI(keel: keel).register(on: authed)
    ContractsAPI(keel: keel).register(on: authed)
    FinanceAPI(keel: keel).register(on: authed)
    RecordsAPI(keel: keel).register(on: authed)
    routes.load(router.routes)
    keel.metadata.reserveObjectNames(routes.apiNames)
    return router
}

/// The HTTP application serving Keel, with the background worker (schedules, automations, webhooks) beside it.
/// `first` runs while the server already answers, before the worker starts (loading the demo company); when it throws,
/// the server stops with its error. `listening` is told the port once the server listens (the one the system chose, for port 0).
public func buildApplication(keel: Keel, configuration: ServerConfiguration, logger: Logger = Logger(label: "keel"),
                             first: (@Sendable () async throws -> Void)? = nil,
                             listening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(
        router: buildRouter(keel: keel, metricsAccess: configuration.metrics),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Keel"),
        services: [WorkerService(worker: Worker(keel: keel), first: first), ImportService(imports: keel.imports)],
        onServerRunning: { channel in await listening(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs the imports of uploads, one at a time, until the server shuts down.
struct ImportService: Service {
    let imports: Imports

    func run() async throws {
        await cancelWhenGracefulShutdown { await imports.work() }
    }
}

/// Runs the background worker until the server shuts down.
struct WorkerService: Service {
    let worker: Worker
    let first: (@Sendable () async throws -> Void)?

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await first?()
            await worker.run()
        }
    }
}
