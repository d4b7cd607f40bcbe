import Foundation
import KeelCore
import Logging

/// The background loop of one Keel process: fires due schedules, dispatches committed changes from the outbox, runs
/// due automation jobs, sends due webhooks, runs batch duplicate searches and sends scheduled health reports; each minute returns unfollowed leads to the pool and
/// sends the morning lead digest once a working day has begun. Several processes may run it on one PostgreSQL database.
public final class Worker: Sendable {
    let keel: Keel
    public let id: String
    let logger: Logger

    public init(keel: Keel, logger: Logger = Logger(label: "keel.worker")) {
        self.keel = keel
        self.id = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(RecordID.make())"
        self.logger = logger
    }

    /// One pass; returns how much it did (events dispatched + jobs run).
    @discardableResult
    public func runOnce() async throws -> Int {
        var done = try await keel.automations.tick()
        done += try await keel.automations.dispatch()
        done += try await keel.automations.runDue(worker: id)
        done += try await keel.webhooks.deliverDue(worker: id)
        done += try await keel.escalations.fireDue()
        done += try await keel.escalations.deliverDue(worker: id)
        done += try await keel.dedup.runDue(worker: id)
        done += try await keel.health.runDue(worker: id)
        return done
    }

    /// Passes until nothing is left to do now (tests; the throughput benchmark).
    public func drain(maxPasses: Int = 1000) async throws {
        for _ in 0..<maxPasses {
            if try await runOnce() == 0 { return }
        }
    }

    /// Passes that did at least this much run back to back; smaller ones wait `gather` first.
    static let batch = 20
    static let gather = Duration.milliseconds(25)

    /// Runs until the task is cancelled: response-SLA timers on their own beat (each fires within a fraction of a second
    /// of its deadline), everything else in passes.
    public func run(idle: Duration = .milliseconds(500)) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runTimers() }
            group.addTask { await self.runPasses(idle: idle) }
        }
    }

    /// The longest a timer waits for the loop to look: a timer started meanwhile may be due sooner than the next known one.
    public static let timerBeat = Duration.milliseconds(200)

    /// Fires SLA timers as they fall due, until cancelled.
    public func runTimers() async {
        while !Task.isCancelled {
            do {
                if try await keel.escalations.fireDue() > 0 { continue }
            } catch {
                logger.error("response timers: \(error)")
            }
            try? await Task.sleep(for: Self.timerBeat)
        }
    }

    /// Passes back to back while there is much work, a short wait after a small pass, a pause when there is none.
    func runPasses(idle: Duration) async {
        do { try await keel.automations.syncSchedules() } catch { logger.error("schedules: \(error)") }
        var pruned = ContinuousClock.now - .seconds(3600), pooled = ContinuousClock.now - .seconds(60)
        while !Task.isCancelled {
            if ContinuousClock.now - pooled >= .seconds(60) {
                pooled = ContinuousClock.now
                do { _ = try await keel.records.returnStaleLeads() } catch { logger.error("lead pool: \(error)") }
                do { _ = try await keel.records.sendLeadDigests() } catch { logger.error("lead digest: \(error)") }
                do { try await keel.pipelines.alertStale() } catch { logger.error("stale deals: \(error)") }
                do { try await keel.erpSync.runDue() } catch { logger.error("ERP connectors: \(error)") }
            }
            if ContinuousClock.now - pruned >= .seconds(3600) {
                pruned = ContinuousClock.now
                do { try await keel.automations.prune() } catch { logger.error("pruning: \(error)") }
                do { try await keel.credibility.alertDormant() } catch { logger.error("dormant customers: \(error)") }
                do { try await keel.contracts.alertOverdue() } catch { logger.error("overdue receivables: \(error)") }
                do { _ = try await keel.reconciliations.runIfDue() } catch { logger.error("reconciliation: \(error)") }
            }
            do {
                let done = try await runOnce()
                if done >= Self.batch { continue }
                // A little work: let more gather for a moment, then take it in one pass (one pass per write would
                // double the writes a burst makes).
                if done > 0 {
                    try? await Task.sleep(for: Self.gather)
                    continue
                }
            } catch {
                logger.error("background work: \(error)")
            }
            try? await Task.sleep(for: idle)
        }
    }
}
