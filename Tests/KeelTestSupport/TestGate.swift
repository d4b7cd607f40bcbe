/// At most `limit` fresh Keels (a SQLite file or a PostgreSQL schema, often with a live server) at once across the
/// suite. The tests run side by side; on two cores a hundred of them at once starve each other's requests past the
/// test client's 20-second timeout, and a test then fails for being slow, which no test here is about.
actor TestGate {
    static let shared = TestGate(limit: 8)
    /// Whether the running task already holds a place (a Keel opened inside another does not wait for a second one).
    @TaskLocal static var holding = false

    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        guard running >= limit else {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` holding a place.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        if holding { return try await body() }
        await shared.enter()
        do {
            let result = try await $holding.withValue(true) { try await body() }
            await shared.leave()
            return result
        } catch {
            await shared.leave()
            throw error
        }
    }
}
