import KeelCore
import Testing

/// Expects `body` to fail with a `KeelError` whose code — or one of whose violations' codes — is `code`.
public func expectKeelError(_ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code)", sourceLocation: sourceLocation)
    } catch let e as KeelError {
        #expect(e.code == code || e.violations.contains { $0.code == code }, "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
