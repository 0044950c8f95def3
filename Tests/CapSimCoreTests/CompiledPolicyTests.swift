@testable import CapSimCore
import Testing

/// The compiled policy (docs/MODEL.md §2.6): scenarios of one batch that differ in every number
/// and in their lists of rules and targets run together exactly as each would alone.
@Suite struct CompiledPolicyTests {
    /// Each scenario of `batch` run alone must equal the batch's part for it, bit for bit.
    func expectEachAloneEqualsTheBatch(_ batch: ScenarioBatch, sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = Engine.run(batch)
        let alone = BatchResult.joined(batch.policies.indices.map { Engine.run(batch.slice($0..<($0 + 1))) })
        #expect(whole.valuesByYear == alone.valuesByYear, sourceLocation: sourceLocation)
        #expect(whole.closures == alone.closures, sourceLocation: sourceLocation)
        #expect(whole.openings == alone.openings, sourceLocation: sourceLocation)
        #expect(whole.shortfalls == alone.shortfalls, sourceLocation: sourceLocation)
        #expect(whole.blockedOpenings == alone.blockedOpenings, sourceLocation: sourceLocation)
        ReferenceEngineTests.expectSame(whole, ReferenceEngine.run(batch), sourceLocation: sourceLocation)
    }

    @Test func rulesInADifferentOrderPerScenarioKeepEachScenariosOrder() {
        // Both rules close u1; the first one applied in each scenario is the reported reason.
        let facilities = [unit("u1", size: 5), unit("u2", size: 50)]
        let small = rule("small", .coal, .sizeBelow, 10)
        let smallish = rule("smallish", .coal, .sizeBelow, 60)
        let batch = ScenarioBatch(facilities: facilities, baseYear: base, endYear: end, scenarioNames: ["a", "b", "c"],
                                  policies: [Policy(rules: [small, smallish]), Policy(rules: [smallish, small]),
                                             Policy(rules: [smallish])])
        let r = Engine.run(batch)
        #expect(closed(r, facilities, scenario: 0) == [Closed("u1", 2016, "small"), Closed("u2", 2016, "smallish")])
        #expect(closed(r, facilities, scenario: 1) == [Closed("u1", 2016, "smallish"), Closed("u2", 2016, "smallish")])
        #expect(closed(r, facilities, scenario: 2) == [Closed("u1", 2016, "smallish"), Closed("u2", 2016, "smallish")])
        // Union: (0, small), (0, smallish), (1, smallish), (1, small).
        let compiled = CompiledPolicy(batch.policies, columns: FacilityColumns(facilities), years: batch.years)
        #expect(compiled.rules.map(\.id) == ["small", "smallish", "smallish", "small"])
        expectEachAloneEqualsTheBatch(batch)
    }

    @Test func thresholdsYearsAndSectorParametersDifferPerScenario() {
        let facilities: [Facility] = (0..<12).map { (i: Int) -> Facility in
            let x = Double(i)
            return unit("u\(i)", capacity: 5 + x, size: 10 * x, reserve: x, cost: 80 + 5 * x)
        }
        let policies: [Policy] = (0..<6).map { (s: Int) -> Policy in
            let x = Double(s)
            let size = rule("size", .coal, .sizeBelow, 15 * x, years: (base + 1 + s % 3)...end)
            let cost = rule("cost", .coal, .costAbovePrice, 0.1 * x)
            let coal = SectorPolicy(utilisation: 0.5 + 0.05 * x, priceIndexByYear: [2017: 1 + 0.1 * x])
            return Policy(rules: [size, cost], sectors: [.coal: coal])
        }
        let batch = ScenarioBatch(facilities: facilities, baseYear: base, endYear: end,
                                  scenarioNames: policies.indices.map { "s\($0)" }, policies: policies)
        let compiled = CompiledPolicy(policies, columns: FacilityColumns(facilities), years: batch.years)
        #expect(compiled.rules.count == 2)
        // Inactive before its first year in that scenario: NaN, which no comparison passes.
        let sizeRule = compiled.rules[0]
        #expect(sizeRule.threshold[1 * 6 + 2].isNaN)
        #expect(sizeRule.threshold[3 * 6 + 2] == 30)
        let Y = batch.years.count, coal = Sector.coal.index
        #expect(compiled.utilisation[(coal * Y + 1) * 6 + 4] == 0.5 + 0.05 * 4)
        #expect(compiled.priceIndex[(coal * Y + 2) * 6 + 3] == 1 + 0.1 * 3)
        let r = Engine.run(batch)
        let closingScenarios = Set(r.closures.map { (e: ClosureEvent) in e.scenario })
        #expect(closingScenarios.count > 1)
        expectEachAloneEqualsTheBatch(batch)
    }

    @Test func costKeyedTargetOrdersDifferPerScenarioPriceIndex() throws {
        // Cost minus price × index: with a low index the high-price unit is the costliest, with a
        // high index the low-price one is.
        let facilities = [unit("cheap-price", capacity: 10, cost: 100, price: 50),
                          unit("dear-price", capacity: 10, cost: 160, price: 100)]
        let target = ClosureTarget(id: "t", sector: .coal, capacityClosedByYear: [2016: 10], priority: [.highestCost])
        let policies = [0.5, 2.0, 0.5].map {
            Policy(targets: [target], sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: $0)])
        }
        let batch = ScenarioBatch(facilities: facilities, baseYear: base, endYear: end, scenarioNames: ["lo", "hi", "lo2"],
                                  policies: policies)
        let r = Engine.run(batch)
        // index 0.5: 100 − 25 = 75 vs 160 − 50 = 110 → dear-price first; index 2: 0 vs −40 → cheap-price first.
        #expect(closedIDs(r, facilities, scenario: 0) == ["dear-price"])
        #expect(closedIDs(r, facilities, scenario: 1) == ["cheap-price"])
        #expect(closedIDs(r, facilities, scenario: 2) == ["dear-price"])
        expectEachAloneEqualsTheBatch(batch)
    }

    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func randomStructuresPerScenarioInOneBatch(seed: UInt64) {
        // Random tables and a random policy per scenario (every criterion, key and filter), some
        // with cost-keyed targets and their own price paths.
        var rng = SplitMix64(seed: seed)
        let facilities = randomFacilities(count: 60, &rng)
        let policies = (0..<7).map { _ in
            // Named rules without a sector included: both engines visit their list in listed
            // order (docs/MODEL.md §2.2; the reference once visited table order).
            var p = randomPolicy(facilities, &rng)
            if rng.chance(0.5) {
                p.targets.append(ClosureTarget(id: "cost", sector: rng.pick(Sector.allCases),
                                               capacityClosedByYear: [2017: rng.tenths(10...200), 2019: rng.tenths(10...200)],
                                               priority: [.highestCost, .smallest]))
            }
            return p
        }
        let batch = ScenarioBatch(facilities: facilities, baseYear: base, endYear: end,
                                  scenarioNames: policies.indices.map { "s\($0)" }, policies: policies)
        expectEachAloneEqualsTheBatch(batch)
        for threads in [2, 3] { #expect(Engine.run(batch, threads: threads).valuesByYear == Engine.run(batch).valuesByYear) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func priorityOrderIsLexicographicWithTableOrderForTies(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = 200, K = 2
        // Few distinct values, so that ties on the first key (and on both) are common.
        let keys = (0..<(n * K)).map { _ in Double(Int.random(in: 0...4, using: &rng)) }
        var order = [Int32](repeating: 0, count: n)
        keys.withUnsafeBufferPointer { k in
            order.withUnsafeMutableBufferPointer { PriorityOrder.sort($0, keys: k.baseAddress!, keyCount: K) }
        }
        let want = (0..<n).sorted { a, b in
            for k in 0..<K where keys[a * K + k] != keys[b * K + k] { return keys[a * K + k] < keys[b * K + k] }
            return a < b
        }
        #expect(order.map(Int.init) == want)
    }

    @Test func exhaustionCandidatesListOperatingMinesOnceAndPlannedOnesEveryYear() {
        let facilities = [unit("old", reserve: 2), unit("new", startYear: 2017, reserve: 1), unit("far", reserve: 40)]
        let years = Array(base...end)
        let compiled = CompiledPolicy([Policy()], columns: FacilityColumns(facilities), years: years)
        // "old": remaining = 2 − (year − 2016) ≤ 0 first in 2018; "new": ≤ 0 from 2017 on.
        #expect(compiled.exhaustionCandidates == [[], [], [1], [0, 1], [1], [1]])
        #expect(compiled.plannedUnits == [1])
    }

    @Test func activeYearsOutsideTheHorizonAreClipped() {
        // A rule whose years lie before the base year never fires; one running past the end year
        // fires from its first year; a threshold map with years outside the horizon is clipped.
        let facilities = [unit("u1", safety: true), unit("u2", size: 5)]
        let policy = Policy(rules: [
            ClosureRule(id: "past", sector: .coal, criterion: .safetyFlag, years: 2000...2010),
            ClosureRule(id: "later", sector: .coal, criterion: .safetyFlag, years: 2018...2040),
            ClosureRule(id: "map", sector: .coal, criterion: .sizeBelow, thresholdByYear: [2010: 50, 2019: 10, 2030: 50],
                        years: 2010...2030),
        ])
        let years = Array(base...end)
        let compiled = CompiledPolicy([policy], columns: FacilityColumns(facilities), years: years)
        #expect(compiled.rules[0].activeInYear.allSatisfy { !$0 })
        #expect(compiled.rules[1].activeInYear == [false, false, false, true, true, true])
        #expect(compiled.rules[2].activeInYear == [false, false, false, false, true, false])
        let r = run(facilities, policy)
        #expect(closed(r, facilities) == [Closed("u1", 2018, "later"), Closed("u2", 2019, "map")])
    }
}
