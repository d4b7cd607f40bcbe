import Synchronization

/// Whether the demo company is loading beside a serving Keel (`keel serve --demo` on a new database): pages say so, and
/// API requests wait until it is complete, so a script that starts Keel and calls it sees the whole demo.
public final class DemoLoading: Sendable {
    private let state = Mutex<(active: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public var isActive: Bool { state.withLock { $0.active } }

    public func begin() {
        state.withLock { $0.active = true }
    }

    /// Ends the loading, finished or failed: whoever waits goes on.
    public func end() {
        let waiting = state.withLock { state in
            defer { state = (false, []) }
            return state.waiting
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once no demo is loading (at once when none is).
    public func complete() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.active { state.waiting.append(waiter) }
                return !state.active
            }
            if idle { waiter.resume() }
        }
    }
}
