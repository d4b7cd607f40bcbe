import Foundation

/// Record ids are UUID version 7: time-ordered, so ordering by id is ordering by creation.
public enum RecordID {
    public static func make(now: Date = Date()) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        var rng = SystemRandomNumberGenerator()
        for i in 6..<16 { bytes[i] = rng.next() }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return hex(bytes, dashesAfter: [4, 6, 8, 10])
    }

    static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal of `bytes`, with a dash after the given byte counts.
    public static func hex(_ bytes: some Sequence<UInt8>, dashesAfter dashes: Set<Int> = []) -> String {
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: bytes.count * 2 + dashes.count) { out in
            var n = 0
            for (i, b) in bytes.enumerated() {
                if !dashes.isEmpty, dashes.contains(i) {
                    out[n] = UInt8(ascii: "-")
                    n += 1
                }
                out[n] = digits[Int(b >> 4)]
                out[n + 1] = digits[Int(b & 0x0F)]
                n += 2
            }
            return n
        }
    }

    /// True for a lowercase or uppercase UUID in 8-4-4-4-12 form.
    public static func isWellFormed(_ id: String) -> Bool {
        UUID(uuidString: id) != nil
    }
}
