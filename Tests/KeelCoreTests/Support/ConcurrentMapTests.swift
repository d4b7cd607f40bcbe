import KeelCore
import Testing

@Suite struct ConcurrentMapTests {
    /// Spread over every core or not, the values come back in the elements' order.
    @Test(arguments: [0, 1, 49, 50, 101, 1_003])
    func keepsTheOrder(_ count: Int) async {
        let numbers = Array(0..<count)
        #expect(await numbers.concurrentMap(minimumPerTask: 10) { $0 * 3 } == numbers.map { $0 * 3 })
    }
}
