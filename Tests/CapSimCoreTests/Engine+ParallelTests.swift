@testable import CapSimCore
import Testing

/// Threads and streaming must not change a single number (docs/PERFORMANCE.md).
@Suite struct EngineParallelTests {
    /// A batch exercising capacity rules, targets and debt, with a different policy per scenario.
    func batch(seed: UInt64, scenarios: Int) -> ScenarioBatch {
        Fin.randomBatch(seed: seed, scenarios: scenarios, enterprises: 6, facilities: 40)
    }

    func expectIdentical(_ a: BatchResult, _ b: BatchResult) {
        #expect(a.scenarioNames == b.scenarioNames)
        #expect(a.valuesByYear == b.valuesByYear)
        #expect(a.closures == b.closures)
        #expect(a.openings == b.openings)
        #expect(a.blockedOpenings == b.blockedOpenings)
        #expect(a.shortfalls == b.shortfalls)
        #expect(a.finance?.values == b.finance?.values)
        #expect(a.resettlement?.values == b.resettlement?.values)
    }

    @Test(arguments: [1, 2, 3, 7])
    func threadCountDoesNotChangeResults(threads: Int) {
        let b = batch(seed: 11, scenarios: 9)
        expectIdentical(Engine.run(b, threads: threads), Engine.run(b))
    }

    @Test(arguments: [(1, 1), (2, 2), (4, 2), (5, 3), (100, 2)])
    func streamedChunksJoinToTheWholeRun(chunk: Int, threads: Int) {
        let b = batch(seed: 5, scenarios: 10)
        var parts: [BatchResult] = []
        var firsts: [Int] = []
        Engine.stream(b, chunkSize: chunk, threads: threads) { first, result in
            firsts.append(first)
            parts.append(result)
        }
        #expect(firsts == Array(stride(from: 0, to: 10, by: chunk)))
        expectIdentical(BatchResult.joined(parts), Engine.run(b))
    }

    @Test func workersJoinAcrossChunks() {
        // Resettlement values interleave scenarios innermost: the join must put each back in place.
        var rng = WF.RNG(seed: 3)
        let facilities = ResettlementModelTests.randomFacilities(&rng)
        let policies = (0..<5).map { _ in
            ResettlementModelTests.randomPolicy(
                facilities, ResettlementModelTests.randomResettlement(WF.structure, channelCount: 4, &rng),
                endYear: WF.endYear, &rng)
        }
        let b = ScenarioBatch(facilities: facilities, baseYear: WF.baseYear, endYear: WF.endYear,
                              scenarioNames: policies.indices.map { "s\($0)" }, policies: policies)
        expectIdentical(Engine.run(b, threads: 2), Engine.run(b))
        expectIdentical(Engine.run(b, threads: 3), Engine.run(b))
    }
}
