@testable import CapSimCore
import Testing

/// Random capacity changes and output targets on top of `randomPolicy` (docs/MODEL.md §2.0b,
/// §2.5b, §2.6b): expansions and reductions of random units, some of planned units or of units
/// that close, in random years; output targets on random sectors, some out of reach.
func withRandomChanges(_ policy: Policy, _ facilities: [Facility], endYear: Int = end, _ rng: inout SplitMix64) -> Policy {
    var p = policy
    for c in 0..<Int.random(in: 1...8, using: &rng) {
        let f = rng.pick(facilities)
        let expansion = rng.chance(0.6)
        let delta = expansion ? rng.tenths(1...80) : -rng.tenths(0.1...(f.capacity10ktPerYear * 1.2))
        p.capacityChanges.append(CapacityChange(
            id: "c\(c)", facility: f.id, year: Int.random(in: (base + 1)...endYear, using: &rng), capacityChange10ktPerYear: delta,
            workersChange: Int.random(in: -15...40, using: &rng), investmentYuan: rng.tenths(0...1e6)))
    }
    for _ in 0..<Int.random(in: 0...3, using: &rng) {
        let f = rng.pick(facilities)
        p.replacementCredit.append(ReplacementCredit(enterprise: f.enterprise, sector: f.sector, credit10kt: rng.tenths(0...60)))
    }
    for t in 0..<Int.random(in: 0...2, using: &rng) {
        var goals: [Int: Double] = [:]
        for y in base...endYear where rng.chance(0.5) { goals[y] = rng.tenths(0...400) }
        p.outputTargets.append(OutputTarget(id: "o\(t)", sector: rng.pick(Sector.allCases), outputByYear: goals,
                                            utilisationCeiling: rng.tenths(0.3...1)))
    }
    return p
}

@Suite struct CapacityChangeTests {
    // MARK: the batched engine against the reference

    @Test(arguments: [41, 42, 43, 44, 45, 46, 47, 48] as [UInt64])
    func changesAndOutputTargetsMatchTheReference(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let fs = randomFacilities(count: 40, &rng)
        let policies = (0..<4).map { _ in withRandomChanges(randomPolicy(fs, &rng), fs, &rng) }
        let batch = ScenarioBatch(facilities: fs, baseYear: base, endYear: end,
                                  scenarioNames: ["a", "b", "c", "d"], policies: policies)
        let reference = ReferenceEngine.run(batch)
        let engine = Engine.run(batch, options: .init(checkInvariants: true))
        ReferenceEngineTests.expectSame(engine, reference)
        #expect(engine.conservationViolations() == [])
        // Every change either applied or was given up, at most once each, in every scenario.
        for s in 0..<4 {
            let applied = engine.capacityChanges.filter { $0.scenario == s }.map(\.change)
            let blocked = engine.blockedCapacityChanges.filter { $0.scenario == s }.map(\.change)
            #expect(Set(applied).count == applied.count && Set(applied).isDisjoint(with: blocked))
            #expect(applied.count + blocked.count <= policies[s].capacityChanges.count)
        }
        // Scenario chunks and threads change nothing.
        let chunked = BatchResult.joined([Engine.run(batch.slice(0..<1)), Engine.run(batch.slice(1..<4))])
        #expect(chunked.capacityChanges == engine.capacityChanges)
        #expect(chunked.blockedCapacityChanges == engine.blockedCapacityChanges)
        #expect(chunked.outputShortfalls == engine.outputShortfalls)
        #expect(zip(chunked.valuesByYear, engine.valuesByYear).allSatisfy { $0.elements == $1.elements })
    }

    @Test(arguments: [51, 52, 53] as [UInt64])
    func changesMoveWorkersAsTheReferenceDoes(seed: UInt64) {
        var wrng = WF.RNG(seed: seed)
        let facilities = ResettlementModelTests.randomFacilities(&wrng)
        var rng = SplitMix64(seed: seed)
        let policies = (0..<3).map { _ in
            withRandomChanges(ResettlementModelTests.randomPolicy(
                facilities, ResettlementModelTests.randomResettlement(WF.structure, channelCount: 5, &wrng),
                endYear: WF.endYear, &wrng), facilities, endYear: WF.endYear, &rng)
        }
        let batch = ScenarioBatch(facilities: facilities, baseYear: WF.baseYear, endYear: WF.endYear,
                                  scenarioNames: policies.indices.map { "s\($0)" }, policies: policies)
        ReferenceEngineTests.expectSame(Engine.run(batch), ReferenceEngine.run(batch))
    }

    // MARK: hand-worked cases

    /// Enterprise e closes a 30 mine in 2016 (credit 30); at ratio 1.5 its 20 expansion of mine b
    /// (due 2016) needs 30 and applies in 2016; a second expansion of 10 (needs 15) waits for
    /// credit that never comes and is reported blocked at the end.
    @Test func expansionUsesCreditAtTheRatioAndABlockedOneIsReported() throws {
        let fs = [unit("a", enterprise: "e", capacity: 30, size: 5), unit("b", enterprise: "e", capacity: 50)]
        let policy = Policy(rules: [named("shut-a", ["a"], year: 2016)],
                            sectors: [.coal: SectorPolicy(utilisation: 1, replacementRatio: 1.5)],
                            capacityChanges: [
                                CapacityChange(id: "grow", facility: "b", year: 2016, capacityChange10ktPerYear: 20,
                                               workersChange: 7, investmentYuan: 3e8),
                                CapacityChange(id: "grow-more", facility: "b", year: 2017, capacityChange10ktPerYear: 10)])
        let r = run(fs, policy)
        let applied = try #require(r.capacityChanges.first)
        #expect(r.capacityChanges.count == 1)
        #expect(applied.change == "grow" && applied.year == 2016 && applied.capacityBefore10kt == 50)
        #expect(applied.creditUsed10kt == 30 && applied.creditAvailable10kt == 30 && applied.ratio == 1.5)
        #expect(applied.workersChange == 7 && applied.investmentYuan == 3e8)
        #expect(r.blockedCapacityChanges == [BlockedCapacityChange(
            scenario: 0, year: 2017, facility: 1, change: "grow-more", capacityChange10kt: 10, reason: .insufficientCredit,
            creditNeeded10kt: 15, creditAvailable10kt: 0, ratio: 1.5)])
        #expect(r.value(.capacity, group: total(.coal), year: 2016) == 70)
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2016) == 30)
        #expect(r.value(.capacityOpened, group: total(.coal), year: 2016) == 20)
        #expect(r.value(.netCapacityReduction, group: total(.coal), year: 2016) == 10)
        #expect(r.value(.unitsOperating, group: total(.coal), year: 2016) == 1)
        // At ratio 1 the credit (30) covers both (20 + 10): the second applies in 2017.
        var equal = policy
        equal.sectors[.coal] = SectorPolicy(utilisation: 1, replacementRatio: 1)
        let r1 = run(fs, equal)
        #expect(r1.capacityChanges.map(\.year) == [2016, 2017] && r1.blockedCapacityChanges.isEmpty)
        #expect(r1.value(.capacity, group: total(.coal), year: 2020) == 80)
    }

    /// Credit held at the start lets an expansion apply without a closure; it is the enterprise's only.
    @Test func startingCreditCoversAnExpansion() {
        let fs = [unit("a", enterprise: "e", capacity: 30), unit("b", enterprise: "f", capacity: 30)]
        var policy = Policy(capacityChanges: [
            CapacityChange(id: "ga", facility: "a", year: 2016, capacityChange10ktPerYear: 20),
            CapacityChange(id: "gb", facility: "b", year: 2016, capacityChange10ktPerYear: 20)])
        policy.replacementCredit = [ReplacementCredit(enterprise: "e", sector: .coal, credit10kt: 25)]
        let r = run(fs, policy)
        #expect(r.capacityChanges.map(\.change) == ["ga"])
        #expect(r.capacityChanges.first?.creditAvailable10kt == 25)
        #expect(r.blockedCapacityChanges.map(\.change) == ["gb"])
    }

    /// An expansion due in 2016 waits (no credit) until a closure in 2018 gives its pool credit.
    @Test func expansionWaitsForCreditFromALaterClosure() {
        let fs = [unit("a", enterprise: "e", capacity: 30), unit("b", enterprise: "e", capacity: 50),
                  unit("c", enterprise: "other", capacity: 90)]
        let policy = Policy(rules: [named("shut-c", ["c"], year: 2017), named("shut-a", ["a"], year: 2018)],
                            capacityChanges: [CapacityChange(id: "grow", facility: "b", year: 2016,
                                                             capacityChange10ktPerYear: 25)])
        let r = run(fs, policy)
        // Other enterprises' credit (c) is not b's.
        #expect(r.capacityChanges.map(\.year) == [2018])
        #expect(r.capacityChanges.first?.creditAvailable10kt == 30)
        #expect(r.blockedCapacityChanges.isEmpty)
    }

    /// A reduction frees credit that opens a planned unit the same year, counts toward the
    /// year's closure target and displaces the workers it removes.
    @Test func reductionFreesCreditAndCountsTowardTheTarget() throws {
        let fs = [unit("a", enterprise: "e", capacity: 40), unit("b", enterprise: "e", capacity: 5, size: 5),
                  unit("n", enterprise: "e", capacity: 15, startYear: 2016)]
        let target = ClosureTarget(id: "cut", sector: .coal, capacityClosedByYear: [2016: 15], priority: [.smallest])
        let policy = Policy(targets: [target], capacityChanges: [
            CapacityChange(id: "trim", facility: "a", year: 2016, capacityChange10ktPerYear: -12, workersChange: -4)])
        let r = run(fs, policy)
        // 12 reduced + b (5) closed by the target = 17 ≥ 15; credit 17 opens n (15).
        #expect(r.closures.map(\.facility) == [1])
        #expect(r.openings.map(\.facility) == [2])
        let trim = try #require(r.capacityChanges.first)
        #expect(trim.creditUsed10kt == -12 && trim.capacityBefore10kt == 40 && trim.workersChange == -4)
        #expect(r.value(.capacity, group: total(.coal), year: 2016) == 28 + 15)
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2016) == 17)
        // Without the reduction the target closes b and then a (5 < 15).
        var plain = policy
        plain.capacityChanges = []
        #expect(run(fs, plain).closures.map(\.facility) == [1, 0])
        // A later closure of a frees its reduced capacity (28), not its table capacity.
        var later = policy
        later.rules = [named("shut-a", ["a"], year: 2019)]
        #expect(run(fs, later).closures.last?.capacity10ktPerYear == 28)
    }

    /// Reductions of a planned unit, of a closed unit, or of all its capacity are given up.
    @Test func impossibleReductionsAreReportedWithTheirReason() {
        let fs = [unit("a", capacity: 40), unit("n", capacity: 15, startYear: 2019)]
        let policy = Policy(rules: [named("shut-a", ["a"], year: 2017)], capacityChanges: [
            CapacityChange(id: "all", facility: "a", year: 2016, capacityChange10ktPerYear: -40),
            CapacityChange(id: "late", facility: "a", year: 2018, capacityChange10ktPerYear: -5),
            CapacityChange(id: "early", facility: "n", year: 2016, capacityChange10ktPerYear: -5),
            CapacityChange(id: "after-shut", facility: "a", year: 2019, capacityChange10ktPerYear: 5)])
        let r = run(fs, policy)
        #expect(r.capacityChanges.isEmpty)
        #expect(r.blockedCapacityChanges.map(\.change) == ["all", "early", "late", "after-shut"])
        #expect(r.blockedCapacityChanges.map(\.reason) == [.exceedsCapacity, .unitNotOpen, .unitClosed, .unitClosed])
    }

    // MARK: output targets

    /// Capacity 100 (coal), base utilisation 0.6: a goal of 80 needs u = 0.8; a goal of 50 keeps
    /// 0.6 (output 60 already reaches it); a goal of 120 is capped at the ceiling 0.9 (output 90,
    /// shortfall 30); in the base year too.
    @Test func outputTargetRaisesUtilisationUpToTheCeiling() {
        let fs = [unit("a", capacity: 60), unit("b", capacity: 40), unit("k", .clinkerLine, capacity: 10)]
        let target = OutputTarget(id: "coal-out", sector: .coal,
                                  outputByYear: [2015: 80, 2016: 50, 2017: 120], utilisationCeiling: 0.9)
        let r = run(fs, Policy(sectors: [.coal: SectorPolicy(utilisation: 0.6)], outputTargets: [target]))
        #expect(approx(r.value(.output, group: total(.coal), year: 2015), 80))
        #expect(approx(r.value(.output, group: total(.coal), year: 2016), 60))
        #expect(approx(r.value(.output, group: total(.coal), year: 2017), 90))
        #expect(approx(r.value(.output, group: total(.coal), year: 2018), 60))
        #expect(r.value(.output, group: total(.clinker), year: 2017) == 10)
        #expect(r.outputShortfalls == [OutputShortfall(scenario: 0, year: 2017, target: "coal-out", goal10kt: 120,
                                                       output10kt: 90, capacity10ktPerYear: 100, ceiling: 0.9)])
        // Every group of the sector runs at the sector's utilisation.
        let north = AggregationGroup(sector: .coal, region: "north")
        #expect(approx(r.value(.output, group: north, year: 2015), 80))
    }

    /// The utilisation follows capacity: after an expansion the same goal needs less of it.
    @Test func outputTargetFollowsCapacityChanges() {
        let fs = [unit("a", enterprise: "e", capacity: 60), unit("b", enterprise: "e", capacity: 40, size: 5)]
        let target = OutputTarget(id: "o", sector: .coal, outputByYear: [2017: 70], utilisationCeiling: 0.8)
        var policy = Policy(rules: [named("shut-b", ["b"], year: 2016)],
                            sectors: [.coal: SectorPolicy(utilisation: 0.5)], outputTargets: [target])
        // 60 × 0.8 = 48 < 70: shortfall.
        #expect(run(fs, policy).outputShortfalls.map(\.output10kt) == [48])
        // Expanded by 40 (credit 40 from b): 100 × 0.7 = 70, met.
        policy.capacityChanges = [CapacityChange(id: "g", facility: "a", year: 2016, capacityChange10ktPerYear: 40)]
        let r = run(fs, policy)
        #expect(r.outputShortfalls.isEmpty)
        #expect(approx(r.value(.output, group: total(.coal), year: 2017), 70))
    }
}
