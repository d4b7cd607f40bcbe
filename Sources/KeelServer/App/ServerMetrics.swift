import Foundation
import Hummingbird
import KeelEngine
import Prometheus

/// Prometheus metrics: requests and latency per route, database pool, outbox backlog, background work, clocks.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let connections: Gauge
    let waitingWriters: Gauge
    let commits: Gauge
    let outboxBacklog: Gauge

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "http_requests", unitName: "total", helpText: "HTTP requests") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "http_request_duration", unitName: "seconds",
                                              helpText: "HTTP request latency") }
    static let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]

    static var jobs: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "background_jobs", unitName: "",
                                           helpText: "Automation runs and webhook deliveries by automation or endpoint and outcome") }
    static var successRatio: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "background_success_ratio", unitName: "",
                                                   helpText: "Succeeded / (succeeded + failed) per automation or webhook endpoint") }
    static var lag: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "scheduler_lag", unitName: "seconds",
                                          helpText: "How long the longest-waiting due job or schedule has waited") }
    static var drift: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "clock_drift", unitName: "seconds",
                                            helpText: "Wall clock minus monotonic clock since the process started (a jump or drift)") }
    static var databaseOffset: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "database_clock_offset", unitName: "seconds",
                                                     helpText: "This process's clock minus the PostgreSQL server's") }

    init() {
        connections = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "db_connections", unitName: "", helpText: "Database connections (SQLite: open; PostgreSQL: in use)"))
        waitingWriters = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "db_waiting_writers", unitName: "", helpText: "Writes waiting for the SQLite writer connection"))
        commits = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "db_commits", unitName: "total",
            helpText: "Commits since the process started (SQLite: one per group of writes; writes per commit = write requests / this)"))
        outboxBacklog = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "keel", metricName: "outbox_backlog", unitName: "", helpText: "Outbox events not yet processed"))
    }

    func record(method: String, path: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("path", path), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("method", method), ("path", path)], buckets: Self.buckets)
            .record(duration)
    }

    /// When this process started, by the wall clock and by the monotonic clock: their difference since is the drift.
    let startedWall = Date()
    let startedMonotonic = ContinuousClock.now

    /// The text exposition, with gauges read now: the pool, the outbox, background jobs per automation and webhook
    /// endpoint (by outcome, and their success ratio), how late background work is, and clock drift.
    func render(keel: Keel) async throws -> String {
        let status = try await keel.databaseStatus()
        connections.set(Double(status.connections))
        waitingWriters.set(Double(status.waitingWriters))
        commits.set(Double(status.commits))
        outboxBacklog.set(Double(status.outboxBacklog))
        for stats in try await keel.automations.stats() {
            let labels = [("kind", stats.kind), ("ref", stats.ref)]
            for (status, count) in stats.counts {
                registry.makeGauge(descriptor: Self.jobs, labels: labels + [("status", status)]).set(Double(count))
            }
            registry.makeGauge(descriptor: Self.successRatio, labels: labels).set(stats.successRate)
        }
        registry.makeGauge(descriptor: Self.lag).set(try await keel.automations.lag())
        let wall = Date().timeIntervalSince(startedWall)
        let monotonic = Double((ContinuousClock.now - startedMonotonic) / .milliseconds(1)) / 1000
        registry.makeGauge(descriptor: Self.drift).set(wall - monotonic)
        if let offset = status.clockOffset { registry.makeGauge(descriptor: Self.databaseOffset).set(offset) }
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
