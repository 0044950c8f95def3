import CapSimCore
import Testing

@Suite struct ParallelTests {
    @Test(arguments: [(0, 2), (1, 2), (5, 2), (7, 3), (500, 2), (3, 8)])
    func rangesCoverEveryIndexOnceInOrder(count: Int, parts: Int) {
        let r = Parallel.ranges(count, parts: parts)
        #expect(r.count == max(1, min(parts, count)))
        #expect(r.flatMap { Array($0) } == Array(0..<count))
        let sizes = r.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func mapKeepsIndexOrder() {
        #expect(Parallel.map(97) { $0 * $0 } == (0..<97).map { $0 * $0 })
        #expect(Parallel.map(1) { $0 + 5 } == [5])
    }
}

@Suite struct ParallelRaceTests {
    /// Many workers writing heap-allocated results at once: under ThreadSanitizer (`.ci/run`'s
    /// second step) the old `Parallel.map`, which assigned into an array held in a shared class,
    /// reported an access race here.
    @Test func concurrentWorkersWriteDisjointSlots() {
        let results = Parallel.map(256) { i in (0..<(i % 7 + 1)).map { "\(i).\($0)" } }
        #expect(results.count == 256)
        for (i, r) in results.enumerated() { #expect(r == (0..<(i % 7 + 1)).map { "\(i).\($0)" }) }
        #expect(Parallel.map(0) { $0 }.isEmpty)
    }
}
