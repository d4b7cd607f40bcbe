import Foundation
import KeelCore
import Testing

@Suite struct ValueFormatsTests {
    /// The stored form is read directly (fast): the moment it names, to the millisecond the format style reads, for any moment.
    @Test func storedTimesReadBackExactly() throws {
        var rng = SeededGenerator(seed: 7)
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<5_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &rng))
            let text = ValueFormats.formatDateTime(date)
            let read = try #require(ValueFormats.parseDateTime(text))
            #expect(abs(read.timeIntervalSince(try style.parse(text))) < 0.000_001, "\(text)")
        }
        #expect(ValueFormats.parseDateTime("2024-02-29T23:59:59.999Z") == Date(timeIntervalSince1970: 1_709_251_199.999))
        // Other forms still read; impossible ones do not.
        #expect(ValueFormats.parseDateTime("2026-11-30T10:30:00+08:00") == Date(timeIntervalSince1970: 1_796_005_800))
        #expect(ValueFormats.parseDateTime("2026-13-30T10:30:00.000Z") == nil)
        #expect(ValueFormats.parseDateTime("2026-11-30T1x:30:00.000Z") == nil)
    }
}
