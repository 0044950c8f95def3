import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// The Jilin scenario (capacity, workers and debt) through the batched engine and the scalar reference.
@Suite struct ReferenceEngineJilinTests {
    @Test func jilinBatchMatchesTheReference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let jilin = try Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        // Three variants: the plan, a 45 (10kt/yr) mine threshold from 2018, and 20 % lower coal prices.
        var lower = jilin.policy
        let coal = try #require(lower.sectors[.coal], "the Jilin scenario has no coal sector")
        lower.sectors[.coal]?.priceIndexByYear = coal.priceIndexByYear.mapValues { $0 * 0.8 }
        var stricter = jilin.policy
        let r = try #require(stricter.rules.firstIndex { $0.id == "coal-under-30" })
        stricter.rules[r].thresholdByYear = stricter.rules[r].thresholdByYear.mapValues { _ in 45 }
        let batch = ScenarioBatch(facilities: jilin.facilities, baseYear: jilin.baseYear, endYear: jilin.endYear,
                                  scenarioNames: ["plan", "price-20", "threshold-45"],
                                  policies: [jilin.policy, lower, stricter], enterprises: jilin.enterprises)
        let reference = ReferenceEngine.run(batch)
        let engine = Engine.run(batch, threads: 2)
        #expect(engine.closures == reference.closures)
        #expect(engine.closures.filter { $0.scenario == 2 }.count > engine.closures.filter { $0.scenario == 0 }.count)
        for (x, y) in zip(engine.valuesByYear, reference.valuesByYear) {
            #expect(zip(x.elements, y.elements).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) })
        }
        let (a, b) = (try #require(engine.resettlement), try #require(reference.resettlement))
        #expect(zip(a.values, b.values).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) })
        let (c, d) = (try #require(engine.finance), try #require(reference.finance))
        #expect(zip(c.values, d.values).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) })
    }
}
