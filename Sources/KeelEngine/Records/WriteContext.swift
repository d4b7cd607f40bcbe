import Foundation
import KeelCore

/// Who writes, and from where. Every write through the record service carries one.
public struct WriteContext: Sendable {
    public var principal: Principal
    public var source: WriteSource
    /// How many automation runs led to this write (0: a person's); carried to the outbox to stop loops.
    public var depth: Int
    /// When the change happened: now, unless the writer is Keel itself replaying a past (the demo's history).
    public var at: Date?
    /// A new record is written even when it matches an existing one (an import told to create duplicates anyway).
    public var allowsDuplicates: Bool
    /// Identities prepared before the write (an import's batch), for its duplicate check.
    var identities: DuplicateCheck.PreparedIdentities?
    /// Keel's own write of what it prices from a document's lines (a quote's totals, the lines themselves).
    var priced = false

    public init(principal: Principal, source: WriteSource, depth: Int = 0, at: Date? = nil, allowsDuplicates: Bool = false) {
        self.principal = principal
        self.source = source
        self.depth = depth
        self.at = at
        self.allowsDuplicates = allowsDuplicates
    }

    /// The moment the write is dated.
    var date: Date { at ?? Date() }
}

/// The steps of a write, in order. Tests make a step fail to prove the transaction leaves nothing behind.
public enum WriteStep: String, Sendable, CaseIterable {
    case authorize, validate, writeRow, writeHistory, writeOutbox
}

/// An idempotency key sent with a create, and the fingerprint of the request it came with.
public struct IdempotencyKey: Sendable {
    public var key: String
    public var requestHash: String

    public init(key: String, requestHash: String) {
        self.key = key
        self.requestHash = requestHash
    }
}

/// What a create returns: the record's API form, and whether it replays an earlier response.
public struct CreateResult: Sendable {
    public var json: JSONValue
    public var replayed: Bool
}
