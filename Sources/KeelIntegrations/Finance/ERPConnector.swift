import Foundation
import KeelCore

/// An ERP Keel reads receivables and receipts from: documents changed since a cursor, a page at a time.
public protocol ERPConnector: Sendable {
    /// `kingdee`, `yonbip`: the entries' source.
    var name: String { get }
    /// The kinds of document it reads.
    var kinds: [ERPEntry.Kind] { get }
    /// Page `page` (from 0) of the documents of `kind` changed at or after `since` (the ERP's own modification time;
    /// nil: all), oldest change first.
    func pull(_ kind: ERPEntry.Kind, since: String?, page: Int) async throws -> ERPPage
}

public struct ERPPage: Sendable {
    public var entries: [ERPEntry]
    /// The latest modification time among them: where the next pull starts.
    public var cursor: String?
    public var more: Bool

    public init(entries: [ERPEntry], cursor: String?, more: Bool) { (self.entries, self.cursor, self.more) = (entries, cursor, more) }
}

/// Why a pull failed; each is retried with backoff, and a failure that persists is told to people.
public enum ERPError: Error, Equatable, CustomStringConvertible {
    /// No answer, or a server error.
    case unavailable(String)
    /// The ERP refused (credentials, permissions, a query it does not take).
    case refused(String)
    /// An answer Keel cannot read, or a document missing what it must have.
    case malformed(String)
    /// Too many requests: try again after this many seconds (when the ERP said).
    case rateLimited(retryAfter: TimeInterval?)

    public var description: String {
        switch self {
        case .unavailable(let s): "unavailable: \(s)"
        case .refused(let s): "refused: \(s)"
        case .malformed(let s): "malformed answer: \(s)"
        case .rateLimited(let after): "rate limited" + (after.map { " (retry after \(Int($0)) s)" } ?? "")
        }
    }
}

/// What every connector shares: one HTTP exchange with its failures sorted into `ERPError`s.
enum ERPHTTP {
    static func send(_ url: String, method: String, headers: [(String, String)], body: [UInt8]?, timeout: TimeInterval = 30)
        async throws(ERPError) -> (headers: [(String, String)], bytes: [UInt8]) {
        let answer: (status: Int, headers: [(String, String)], bytes: [UInt8])
        do {
            answer = try await HTTPWebhookTransport.shared.exchange(url: url, method: method, headers: headers, body: body, timeout: timeout)
        } catch {
            throw .unavailable("no answer (\(error))")
        }
        if answer.status == 429 {
            throw .rateLimited(retryAfter: answer.headers.first { $0.0.lowercased() == "retry-after" }.flatMap { HTTPWebhookTransport.retryAfter($0.1) })
        }
        if answer.status >= 500 { throw .unavailable("HTTP \(answer.status)") }
        if answer.status == 401 || answer.status == 403 { throw .refused("HTTP \(answer.status)") }
        guard (200..<300).contains(answer.status) else { throw .refused("HTTP \(answer.status): \(String(decoding: answer.bytes.prefix(200), as: UTF8.self))") }
        return (answer.headers, answer.bytes)
    }

    static func json(_ bytes: [UInt8]) throws(ERPError) -> JSONValue {
        guard let value = try? JSONValue.parse(bytes) else { throw .malformed("not JSON: \(String(decoding: bytes.prefix(120), as: UTF8.self))") }
        return value
    }

    /// An amount as an ERP writes it in JSON (a number, or text) as an exact decimal.
    static func amount(_ value: JSONValue?) -> Decimal? {
        guard let value else { return nil }
        if case .string(let s) = value { return Decimal(exactText: s.replacingOccurrences(of: ",", with: "")) }
        return Decimal(exactly: value).map { $0.rounded(2, .halfUp) }
    }
}
