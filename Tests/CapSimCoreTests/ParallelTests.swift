import CapSimCore
import Glibc
import Synchronization
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
    /// Counts the iterations that have started, so each can wait for a second one to run at the
    /// same time (relaxed atomics: they give ThreadSanitizer no ordering between the iterations).
    final class Gate: Sendable {
        let started = Atomic<Int>(0)

        /// Registers an iteration, then waits (at most about 2 s) until `count` have started.
        func arrive(waitingFor count: Int) {
            started.add(1, ordering: .relaxed)
            var spins = 0
            while started.load(ordering: .relaxed) < count && spins < 2_000 {
                usleep(1_000)
                spins += 1
            }
        }
    }

    /// Two iterations on two threads at once, each writing its heap-allocated result: under
    /// ThreadSanitizer (`.ci/run`'s second step) the old `Parallel.map`, which assigned into an
    /// array held by a shared class, reports an access race here. Without the gate the race was
    /// caught only when the machine happened to run two workers (a loaded 2-core machine often ran
    /// every iteration on one thread), so the gate makes sure two threads take part.
    @Test func concurrentWorkersWriteDisjointSlots() {
        for count in [2, 3, 16] {
            let gate = Gate()
            let results = Parallel.map(count) { i in
                gate.arrive(waitingFor: 2)
                return (0..<(i % 5 + 1)).map { "\(i).\($0)" }
            }
            #expect(results == (0..<count).map { i in (0..<(i % 5 + 1)).map { "\(i).\($0)" } })
        }
        #expect(Parallel.map(0) { $0 }.isEmpty)
    }
}
