/// Prepared values seen through pointers: what the comparison reads, with nothing to reference-count, so that
/// comparing millions of pairs on every core costs the comparison and not the bookkeeping.
extension PreparedValue {
    struct View {
        var scalars: UnsafeBufferPointer<UInt32>
        var alternate: UnsafeBufferPointer<UInt32>
        var qualifier: UnsafeBufferPointer<UInt32>
        var digits: UInt64
        var isASCII: Bool

        /// A company's branch part (after `|`), empty when it has none.
        var branch: Slice<UnsafeBufferPointer<UInt32>> {
            guard let bar = scalars.firstIndex(of: 124) else { return scalars[scalars.endIndex...] }
            let rest = scalars[(bar + 1)...]
            return rest[..<(rest.firstIndex(of: 124) ?? rest.endIndex)]
        }
    }

    func withView<R>(_ body: (View) -> R) -> R {
        scalars.withUnsafeBufferPointer { s in
            alternate.withUnsafeBufferPointer { a in
                qualifier.withUnsafeBufferPointer { q in body(View(scalars: s, alternate: a, qualifier: q, digits: digits, isASCII: isASCII)) }
            }
        }
    }

    /// Views of many values, their text copied into one buffer that lives as long as `body` runs.
    static func withViews<R>(_ values: [PreparedValue], _ body: (UnsafeBufferPointer<View>) -> R) -> R {
        var arena: [UInt32] = []
        arena.reserveCapacity(values.reduce(0) { $0 + $1.scalars.count + $1.alternate.count + $1.qualifier.count })
        var spans: [(Int, Int, Int)] = []
        spans.reserveCapacity(values.count)
        for v in values {
            spans.append((arena.count, arena.count + v.scalars.count, arena.count + v.scalars.count + v.alternate.count))
            arena += v.scalars
            arena += v.alternate
            arena += v.qualifier
        }
        return arena.withUnsafeBufferPointer { base in
            let views = zip(values, spans).map { v, span in
                View(scalars: UnsafeBufferPointer(rebasing: base[span.0..<span.1]), alternate: UnsafeBufferPointer(rebasing: base[span.1..<span.2]),
                     qualifier: UnsafeBufferPointer(rebasing: base[span.2..<(span.2 + v.qualifier.count)]), digits: v.digits, isASCII: v.isASCII)
            }
            return views.withUnsafeBufferPointer(body)
        }
    }
}
