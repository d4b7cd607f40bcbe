import Foundation
import KeelEngine
import Synchronization

/// A clock tests set, move forward and set back.
public final class ManualClock: KeelClock {
    let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A moment written in ISO 8601 (`2026-11-23T09:00:00+08:00`).
public func instant(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}
