import Crypto
import Foundation
import KeelCore

/// SHA-256 helpers for the history chain, token hashes and request fingerprints.
public enum Digest {
    public static func sha256Hex(_ text: String) -> String {
        RecordID.hex(SHA256.hash(data: Data(text.utf8)))
    }
}

extension HistoryEntry {
    /// Links the entry to the chain: sets `prevHash` and computes `hash`.
    func chained(after previous: String) -> HistoryEntry {
        var e = self
        e.prevHash = previous
        e.hash = Digest.sha256Hex(e.hashInput)
        return e
    }
}
