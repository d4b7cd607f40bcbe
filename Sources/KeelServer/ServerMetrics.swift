import Hummingbird
import KeelEngine
import KeelStore
import Prometheus

/// Prometheus metrics: requests and latency per route, database pool, outbox backlog.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let connections: Gauge
    let waitingWriters: Gauge
    let outboxBacklog: Gauge

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "http_requests", unitName: "total", helpText: "HTTP requests") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "http_request_duration", unitName: "seconds",
                                              helpText: "HTTP request latency") }
    static let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]

    init() {
        connections = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "db_connections", unitName: "", helpText: "Database connections (SQLite: open; PostgreSQL: in use)"))
        waitingWriters = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "db_waiting_writers", unitName: "", helpText: "Writes waiting for the SQLite writer connection"))
        outboxBacklog = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "outbox_backlog", unitName: "", helpText: "Outbox events not yet processed"))
    }

    func record(method: String, path: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("path", path), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("method", method), ("path", path)], buckets: Self.buckets)
            .record(duration)
    }

    /// The text exposition, with gauges read now.
    func render(database: KeelDatabase) async throws -> String {
        let status = database.poolStatus
        connections.set(Double(status.connections))
        waitingWriters.set(Double(status.waitingWriters))
        let journal = JournalStore(dialect: database.dialect)
        outboxBacklog.set(Double(try await database.read { try await journal.backlog(on: $0) }))
        return registry.emitToString()
    }
}

/// Counts every request and its latency, labelled by the matched route, not the raw path.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = KeelRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(method: request.method.rawValue, path: context.endpointPath ?? "unmatched",
                       status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
