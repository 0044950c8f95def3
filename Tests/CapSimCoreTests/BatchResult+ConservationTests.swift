import CapSimCore
import Testing

/// The conservation identities hold on real runs and catch a corrupted result.
@Suite struct BatchResultConservationTests {
    @Test(arguments: [31, 32, 33, 34, 35, 36] as [UInt64])
    func randomScenariosConserveCapacityAndUnits(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let fs = randomFacilities(count: Int.random(in: 5...60, using: &rng), &rng)
        let policies = (0..<3).map { _ in randomPolicy(fs, &rng) }
        let r = Engine.run(ScenarioBatch(facilities: fs, baseYear: base, endYear: end,
                                         scenarioNames: ["a", "b", "c"], policies: policies))
        #expect(r.conservationViolations() == [])
        // Each unit closes at most once and opens at most once per scenario.
        for s in 0..<3 {
            let closedUnits = r.closures.filter { $0.scenario == s }.map(\.facility)
            #expect(Set(closedUnits).count == closedUnits.count)
            let openedUnits = r.openings.filter { $0.scenario == s }.map(\.facility)
            #expect(Set(openedUnits).count == openedUnits.count)
        }
    }

    /// A run with closures and openings in every year, to corrupt.
    func sampleResult() -> BatchResult {
        let fs = [unit("a", enterprise: "e", capacity: 10, size: 5), unit("b", enterprise: "e", capacity: 20),
                  unit("n", enterprise: "e", capacity: 10, startYear: 2017)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 10), named("b", ["b"], year: 2018)]))
        #expect(r.conservationViolations().isEmpty)
        return r
    }

    @Test func corruptedCapacityIsReported() {
        var r = sampleResult()
        let g = r.groups.firstIndex(of: total(.coal))!
        r.valuesByYear[2][g, Metric.capacity.index] += 5
        let found = r.conservationViolations()
        // Year 2017 breaks against 2016, and 2018 against 2017.
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.contains("capacity") })
        #expect(found.first?.contains("2017") == true)
    }

    @Test func corruptedUnitCountIsReported() {
        var r = sampleResult()
        let g = r.groups.firstIndex(of: total(.coal))!
        r.valuesByYear[3][g, Metric.unitsClosed.index] = 0
        let found = r.conservationViolations()
        #expect(found.count == 1)
        #expect(found.first?.contains("units") == true)
    }

    @Test func corruptedNetReductionIsReported() {
        var r = sampleResult()
        let g = r.groups.firstIndex(of: total(.coal))!
        r.valuesByYear[1][g, Metric.netCapacityReduction.index] += 1
        #expect(r.conservationViolations().count == 1)
    }

    @Test func negativeCapacityIsReportedEvenInTheBaseYear() {
        var r = sampleResult()
        let g = r.groups.firstIndex(of: total(.coal))!
        r.valuesByYear[0][g, Metric.output.index] = -1
        let found = r.conservationViolations()
        #expect(found.count == 1)
        #expect(found.first?.contains("output") == true)
    }

    @Test func corruptionInTheSecondScenarioIsFound() {
        let fs = [unit("a", capacity: 10, size: 5)]
        var r = Engine.run(ScenarioBatch(facilities: fs, baseYear: base, endYear: end, scenarioNames: ["x", "y"],
                                         policies: [Policy(), Policy(rules: [rule("s", .coal, .sizeBelow, 10)])]))
        #expect(r.conservationViolations().isEmpty)
        r.valuesByYear[end - base][0, Metric.capacityClosed.index + Metric.allCases.count] = 3
        let found = r.conservationViolations()
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.hasPrefix("y ") })
    }

    @Test func smallDifferencesWithinToleranceAreAccepted() {
        var r = sampleResult()
        r.valuesByYear[2][0, Metric.capacity.index] += 1e-9
        #expect(r.conservationViolations().isEmpty)
        #expect(!r.conservationViolations(tolerance: 1e-12).isEmpty)
    }
}
