@testable import CapSimCore
import Testing

/// The batched engine against the scalar reference: the same numbers (relative difference under
/// 1e-9) and identical closure events, with either kernel (docs/PERFORMANCE.md).
@Suite struct ReferenceEngineTests {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    static func expectSame(_ engine: BatchResult, _ reference: BatchResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(engine.groups == reference.groups, sourceLocation: sourceLocation)
        #expect(engine.closures == reference.closures, sourceLocation: sourceLocation)
        #expect(engine.openings == reference.openings, sourceLocation: sourceLocation)
        #expect(engine.blockedOpenings == reference.blockedOpenings, sourceLocation: sourceLocation)
        #expect(engine.shortfalls == reference.shortfalls, sourceLocation: sourceLocation)
        #expect(engine.blockedCapacityChanges == reference.blockedCapacityChanges, sourceLocation: sourceLocation)
        #expect(engine.capacityChanges.count == reference.capacityChanges.count, sourceLocation: sourceLocation)
        for (a, b) in zip(engine.capacityChanges, reference.capacityChanges) {
            #expect(a.scenario == b.scenario && a.year == b.year && a.facility == b.facility && a.change == b.change
                    && a.workersChange == b.workersChange && a.ratio == b.ratio && close(a.capacityBefore10kt, b.capacityBefore10kt)
                    && close(a.creditUsed10kt, b.creditUsed10kt) && close(a.creditAvailable10kt, b.creditAvailable10kt),
                    sourceLocation: sourceLocation)
        }
        #expect(engine.outputShortfalls.count == reference.outputShortfalls.count, sourceLocation: sourceLocation)
        for (a, b) in zip(engine.outputShortfalls, reference.outputShortfalls) {
            #expect(a.scenario == b.scenario && a.year == b.year && a.target == b.target && a.goal10kt == b.goal10kt
                    && close(a.output10kt, b.output10kt) && close(a.capacity10ktPerYear, b.capacity10ktPerYear),
                    sourceLocation: sourceLocation)
        }
        for (x, y) in zip(engine.valuesByYear, reference.valuesByYear) {
            #expect(zip(x.elements, y.elements).allSatisfy { close($0, $1) }, sourceLocation: sourceLocation)
        }
        #expect((engine.resettlement == nil) == (reference.resettlement == nil), sourceLocation: sourceLocation)
        if let a = engine.resettlement, let b = reference.resettlement {
            #expect(a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { close($0, $1) },
                    sourceLocation: sourceLocation)
        }
        if let a = engine.finance, let b = reference.finance {
            #expect(zip(a.values, b.values).allSatisfy { close($0, $1) }, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func capacityAndDebtMatchOnRandomBatches(seed: UInt64) {
        var batch = Fin.randomBatch(seed: seed, scenarios: 4, enterprises: 5, facilities: 40, holdings: 2)
        var windRNG = SplitMix64(seed: seed &+ 2_000)
        let ids = batch.enterprises.map(\.id)
        for s in [1, 3] { batch.policies[s].finance!.windUp = Fin.randomWindUp(ids, &windRNG) }
        let reference = ReferenceEngine.run(batch)
        for kernel in Engine.Kernel.allCases {
            Self.expectSame(Engine.run(batch, options: .init(transitions: kernel)), reference)
        }
        #expect(!reference.closures.isEmpty)
    }

    @Test(arguments: [7, 8, 9, 10] as [UInt64])
    func workersMatchOnRandomBatches(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        let facilities = ResettlementModelTests.randomFacilities(&rng)
        let policies = (0..<3).map { _ in
            ResettlementModelTests.randomPolicy(
                facilities, ResettlementModelTests.randomResettlement(WF.structure, channelCount: 5, &rng),
                endYear: WF.endYear, &rng)
        }
        let batch = ScenarioBatch(facilities: facilities, baseYear: WF.baseYear, endYear: WF.endYear,
                                  scenarioNames: policies.indices.map { "s\($0)" }, policies: policies)
        let reference = ReferenceEngine.run(batch)
        for kernel in Engine.Kernel.allCases {
            Self.expectSame(Engine.run(batch, options: .init(transitions: kernel)), reference)
        }
    }
}
