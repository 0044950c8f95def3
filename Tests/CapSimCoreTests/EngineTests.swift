import CapSimCore
import Testing

/// The engine end to end: aggregated values, output, the base-year row and batching.
@Suite struct EngineTests {
    // MARK: aggregation

    @Test func valuesOfAHandBuiltRunAreTheHandSums() {
        let fs = [unit("a", owner: .state, region: "north", capacity: 10, size: 5),
                  unit("b", owner: .private, region: "north", capacity: 20, size: 50),
                  unit("c", owner: .private, region: "south", capacity: 40, size: 8),
                  unit("bf", .blastFurnace, owner: .state, region: "south", capacity: 100)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 10, years: 2017...2017)]))
        let coal = total(.coal), north = AggregationGroup(sector: .coal, region: "north")
        let priv = AggregationGroup(sector: .coal, owner: .private)
        let southPriv = AggregationGroup(sector: .coal, region: "south", owner: .private)
        #expect(r.value(.capacity, group: coal, year: 2016) == 70)
        #expect(r.value(.capacity, group: coal, year: 2017) == 20)
        #expect(r.value(.unitsOperating, group: coal, year: 2017) == 1)
        #expect(r.value(.capacityClosed, group: coal, year: 2017) == 50)
        #expect(r.value(.unitsClosed, group: coal, year: 2017) == 2)
        #expect(r.value(.netCapacityReduction, group: coal, year: 2017) == 50)
        #expect(r.value(.capacity, group: north, year: 2017) == 20)
        #expect(r.value(.capacityClosed, group: north, year: 2017) == 10)
        #expect(r.value(.capacity, group: priv, year: 2016) == 60)
        #expect(r.value(.capacityClosed, group: southPriv, year: 2017) == 40)
        #expect(r.value(.capacityClosed, group: southPriv, year: 2018) == 0)
        #expect(r.value(.capacity, group: total(.iron), year: end) == 100)
        #expect(r.years == Array(base...end))
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func valuesEqualAPlainLoopOverFacilities(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let fs = randomFacilities(count: 40, &rng)
        let policy = randomPolicy(fs, &rng)
        let r = run(fs, policy)
        #expect(r.groups == AggregationGroup.groups(of: fs))
        for group in r.groups {
            for year in r.years {
                for metric in Metric.allCases {
                    let expected = referenceValue(metric, group: group, year: year, scenario: 0,
                                                  facilities: fs, policy: policy, result: r)
                    let got = r.value(metric, group: group, year: year)
                    #expect(approx(got, expected), "\(metric) \(group) \(year): \(got) vs \(expected)")
                }
            }
        }
    }

    @Test func outputIsCapacityTimesUtilisationWithYearOverrides() {
        let fs = [unit("m", capacity: 100), unit("m2", capacity: 50, size: 5), unit("bf", .blastFurnace, capacity: 80)]
        let coal = SectorPolicy(utilisation: 0.6, utilisationByYear: [2016: 0.5, 2018: 0.75])
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 10, years: 2017...2017)], sectors: [.coal: coal]))
        #expect(r.value(.output, group: total(.coal), year: base) == 90)
        #expect(r.value(.output, group: total(.coal), year: 2016) == 75)
        #expect(r.value(.output, group: total(.coal), year: 2017) == 60)
        #expect(r.value(.output, group: total(.coal), year: 2018) == 75)
        #expect(r.value(.output, group: total(.coal), year: 2019) == 60)
        // A sector without parameters produces at full capacity.
        #expect(r.value(.output, group: total(.iron), year: 2016) == 80)
    }

    @Test func utilisationOverrideForTheBaseYearAppliesToTheBaseRow() {
        let fs = [unit("m", capacity: 100)]
        let r = run(fs, Policy(sectors: [.coal: SectorPolicy(utilisation: 0.6, utilisationByYear: [base: 0.25])]))
        #expect(r.value(.output, group: total(.coal), year: base) == 25)
        #expect(r.value(.output, group: total(.coal), year: base + 1) == 60)
    }

    @Test func baseYearRowCountsUnitsStartedByTheBaseYearOnly() {
        let fs = [unit("old", capacity: 10, startYear: 1990), unit("edge", capacity: 20, startYear: base),
                  unit("planned", capacity: 40, startYear: base + 1), unit("late", capacity: 80, startYear: end + 3),
                  unit("dry", capacity: 5, reserve: 0)]
        let r = run(fs)
        let coal = total(.coal)
        #expect(r.value(.capacity, group: coal, year: base) == 35)
        #expect(r.value(.unitsOperating, group: coal, year: base) == 3)
        for m in [Metric.unitsClosed, .capacityClosed, .unitsOpened, .capacityOpened, .netCapacityReduction] {
            #expect(r.value(m, group: coal, year: base) == 0, "\(m)")
        }
        // The exhausted mine closes in the first programme year, not in the base year.
        #expect(r.value(.capacityClosed, group: coal, year: base + 1) == 5)
    }

    @Test func emptyTableRunsWithNoGroups() {
        let r = run([])
        #expect(r.groups.isEmpty)
        #expect(r.years == Array(base...end))
        #expect(r.valuesByYear.count == end - base + 1)
        #expect(r.closures.isEmpty && r.openings.isEmpty && r.blockedOpenings.isEmpty)
        #expect(r.conservationViolations().isEmpty)
    }

    // MARK: batching

    @Test(arguments: [21, 22, 23] as [UInt64])
    func batchGivesEachScenarioTheResultsOfRunningItAlone(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let fs = randomFacilities(count: 50, &rng)
        let policies = (0..<4).map { _ in randomPolicy(fs, &rng) }
        let names = policies.indices.map { "s\($0)" }
        let batch = Engine.run(ScenarioBatch(facilities: fs, baseYear: base, endYear: end, scenarioNames: names,
                                             policies: policies))
        #expect(batch.scenarioNames == names)
        for (s, policy) in policies.enumerated() {
            let alone = run(fs, policy)
            for group in alone.groups {
                for year in alone.years {
                    for metric in Metric.allCases {
                        let a = alone.value(metric, group: group, year: year)
                        let b = batch.value(metric, group: group, year: year, scenario: s)
                        #expect(a == b, "scenario \(s) \(metric) \(group) \(year): alone \(a), batch \(b)")
                    }
                }
            }
            func renumber<T>(_ items: [T], _ scenario: KeyPath<T, Int>, _ set: WritableKeyPath<T, Int>) -> [T] {
                items.filter { $0[keyPath: scenario] == s }.map { var x = $0; x[keyPath: set] = 0; return x }
            }
            #expect(renumber(batch.closures, \.scenario, \.scenario) == alone.closures)
            #expect(renumber(batch.openings, \.scenario, \.scenario) == alone.openings)
            #expect(renumber(batch.blockedOpenings, \.scenario, \.scenario) == alone.blockedOpenings)
            #expect(renumber(batch.shortfalls, \.scenario, \.scenario) == alone.shortfalls)
        }
        // Events are ordered by scenario.
        #expect(batch.closures.map(\.scenario) == batch.closures.map(\.scenario).sorted())
    }

    @Test func scenariosInABatchDoNotShareCredit() {
        // Scenario 0 retires the old mine and opens the new one; scenario 1 retires nothing.
        let fs = [unit("old", enterprise: "e"), unit("new", enterprise: "e", startYear: 2016)]
        let policies = [Policy(rules: [named("shut", ["old"], year: 2016)]), Policy()]
        let r = Engine.run(ScenarioBatch(facilities: fs, baseYear: base, endYear: end, scenarioNames: ["a", "b"],
                                         policies: policies))
        #expect(r.openings.map(\.scenario) == [0])
        #expect(blocked(r) == [Blocked(scenario: 1, facility: 1, ratio: 1, needed: 10, available: 0)])
        #expect(r.value(.capacity, group: total(.coal), year: end, scenario: 0) == 10)
        #expect(r.value(.capacity, group: total(.coal), year: end, scenario: 1) == 10)
        #expect(r.value(.capacityOpened, group: total(.coal), year: 2016, scenario: 1) == 0)
    }

    @Test func checkInvariantsOptionAcceptsAConsistentRun() {
        var rng = SplitMix64(seed: 99)
        let fs = randomFacilities(count: 30, &rng)
        let policy = randomPolicy(fs, &rng)
        let checked = Engine.run(ScenarioBatch(facilities: fs, baseYear: base, endYear: end, scenarioNames: ["s"],
                                               policies: [policy]), options: Engine.Options(checkInvariants: true))
        #expect(checked.closures == run(fs, policy).closures)
    }
}
