import Foundation

extension Array where Element: Sendable {
    /// `transform` of each element, in order, spread over every core (in one task when there are few elements, each task
    /// taking at least `minimumPerTask`).
    public func concurrentMap<T: Sendable>(minimumPerTask: Int = 50, _ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        let parts = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / minimumPerTask))
        guard parts > 1 else { return map(transform) }
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for part in 0..<parts {
                let slice = self[count * part / parts..<count * (part + 1) / parts]
                group.addTask { (part, slice.map(transform)) }
            }
            var out = [[T]](repeating: [], count: parts)
            for await (part, values) in group { out[part] = values }
            return out.flatMap { $0 }
        }
    }
}
