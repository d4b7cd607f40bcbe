import Foundation
import KeelCore
import Testing

@Suite struct ValueFormatsTests {
    /// The stored form is written and read directly (fast): what it writes reads back to the same text, and names the
    /// moment the format style would, for any moment.
    @Test func storedTimesReadBackExactly() throws {
        var rng = SeededGenerator(seed: 7)
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<5_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &rng))
            let text = ValueFormats.formatDateTime(date)
            let read = try #require(ValueFormats.parseDateTime(text))
            #expect(ValueFormats.formatDateTime(read) == text)
            #expect(abs(read.timeIntervalSince(try style.parse(text))) < 0.000_001, "\(text)")
        }
        #expect(ValueFormats.parseDateTime("2024-02-29T23:59:59.999Z") == Date(timeIntervalSince1970: 1_709_251_199.999))
        #expect(ValueFormats.formatDateTime(Date(timeIntervalSince1970: 1_709_251_199.999)) == "2024-02-29T23:59:59.999Z")
        #expect(ValueFormats.formatDateTime(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ValueFormats.formatDateTime(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
        #expect(ValueFormats.formatDateTime(Date(timeIntervalSince1970: 1_796_005_800.6779999)) == "2026-11-30T02:30:00.678Z")
        // Other forms still read; impossible ones do not.
        #expect(ValueFormats.parseDateTime("2026-11-30T10:30:00+08:00") == Date(timeIntervalSince1970: 1_796_005_800))
        #expect(ValueFormats.parseDateTime("2026-13-30T10:30:00.000Z") == nil)
        #expect(ValueFormats.parseDateTime("2026-11-30T1x:30:00.000Z") == nil)
    }
}
