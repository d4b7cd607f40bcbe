import Hummingbird
import KeelCore

/// Request context carrying the authenticated principal, set by `AuthMiddleware`.
public struct KeelRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The client's IP address, for policies that read `context.ip`.
    public let clientIP: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress
    }

    /// Largest request body accepted; larger ones get 413.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The principal of an authenticated route. The auth middleware guarantees it is set there.
    func requirePrincipal() throws(KeelError) -> Principal {
        guard let principal else { throw KeelError(.unauthorized, code: "unauthenticated", message: "Sign in first.") }
        return principal
    }
}
