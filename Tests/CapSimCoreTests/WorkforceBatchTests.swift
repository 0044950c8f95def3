@testable import CapSimCore
import Testing

/// The data-parallel workforce model against the reference model (today's per-scenario code),
/// driven directly with the same random yearly inputs: several scenarios per batch that differ in
/// every number, both transition kernels, conservation per scenario and batch splits.
@Suite struct WorkforceBatchTests {
    static let years = Array(2015...2022)

    /// A batch of random inputs per year: displaced, cut, targets and last year's operating workers,
    /// for the reported sectors only (a sector without facilities has no workers to displace).
    struct Inputs {
        var perYear: [WorkforceYearInputs]

        init(scenarios S: Int, _ rng: inout WF.RNG) {
            perYear = years.map { _ in
                var x = WorkforceYearInputs(scenarioCount: S)
                for σ in WorkforceBatchTests.sectors.map(\.index) {
                    for s in 0..<S {
                    let i = σ * S + s
                    if rng.chance(0.5) {
                        x.displacedWorkers[i] = Double(rng.int(1...3000))
                        x.capacityCut10kt[i] = rng.uniform(1...100)
                    }
                    if rng.chance(0.4) {
                        x.hasTarget[i] = true
                        x.targetCapacity10kt[i] = rng.uniform(0...80)
                    }
                    x.operatingWorkersLastYear[i] = rng.chance(0.8) ? Double(rng.int(0...20_000)) : 0
                    }
                }
                return x
            }
        }

        /// The inputs of scenarios `range` only.
        func slice(_ range: Range<Int>, of S: Int) -> Inputs {
            var out = self
            out.perYear = perYear.map { x in
                var y = WorkforceYearInputs(scenarioCount: range.count)
                for σ in 0..<Sector.allCases.count {
                    for (t, s) in range.enumerated() {
                        y.displacedWorkers[σ * range.count + t] = x.displacedWorkers[σ * S + s]
                        y.capacityCut10kt[σ * range.count + t] = x.capacityCut10kt[σ * S + s]
                        y.targetCapacity10kt[σ * range.count + t] = x.targetCapacity10kt[σ * S + s]
                        y.hasTarget[σ * range.count + t] = x.hasTarget[σ * S + s]
                        y.operatingWorkersLastYear[σ * range.count + t] = x.operatingWorkersLastYear[σ * S + s]
                    }
                }
                return y
            }
            return out
        }
    }

    /// `count` random policies over one structure and channel list (ids), differing in every number;
    /// where `sharedRates`, runs of scenarios keep the previous scenario's transition rates.
    static func policies(_ count: Int, channels: Int, sharedRates: Bool, _ rng: inout WF.RNG,
                         structure: WorkforceStructure = WF.wide) -> [ResettlementPolicy] {
        var out: [ResettlementPolicy] = []
        for s in 0..<count {
            var p = ResettlementModelTests.randomResettlement(structure, channelCount: channels, &rng)
            if sharedRates, s > 0, rng.chance(0.6) { p.transitions = out[s - 1].transitions }
            out.append(p)
        }
        return out
    }

    static let sectors: [Sector] = [.coal, .iron, .steel, .clinker]

    static func runNew(_ policies: [ResettlementPolicy], _ inputs: Inputs, kernel: Engine.Kernel = .loops) -> ResettlementModel {
        var m = ResettlementModel(policies: policies, years: years, sectors: sectors, kernel: kernel)
        for (y, year) in years.enumerated().dropFirst() { m.step(yearIndex: y, year: year, inputs: inputs.perYear[y]) }
        return m
    }

    static func runReference(_ policies: [ResettlementPolicy], _ inputs: Inputs) -> ResettlementResult {
        let S = policies.count, Σ = Sector.allCases.count
        var m = ReferenceResettlementModel(policies: policies, years: years, sectors: sectors, kernel: .loops)
        for (y, year) in years.enumerated().dropFirst() {
            let x = inputs.perYear[y]
            func nested(_ a: [Double]) -> [[Double]] { (0..<S).map { s in (0..<Σ).map { a[$0 * S + s] } } }
            let targets = (0..<S).map { s in (0..<Σ).map { x.hasTarget[$0 * S + s] ? x.targetCapacity10kt[$0 * S + s] : nil } }
            m.step(yearIndex: y, year: year, displaced: nested(x.displacedWorkers), capacityCut: nested(x.capacityCut10kt),
                   targets: targets, operatingWorkersLastYear: nested(x.operatingWorkersLastYear))
        }
        return m.result
    }

    /// Every value within relative `rel` (absolute 1e-9 near zero); reports the first few others.
    static func expectClose(_ a: ResettlementResult, _ b: ResettlementResult, rel: Double = 1e-9, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.quantities == b.quantities && a.years == b.years && a.sectors == b.sectors
                && a.scenarioCount == b.scenarioCount, sourceLocation: sourceLocation)
        #expect(a.values.count == b.values.count, sourceLocation: sourceLocation)
        var bad = 0
        for (i, (x, y)) in zip(a.values, b.values).enumerated() where !(abs(x - y) <= max(1e-9, rel * max(abs(x), abs(y)))) {
            bad += 1
            if bad <= 3 {
                let q = (i / a.scenarioCount) % a.quantities.count
                Issue.record("\(what): \(a.quantities[q].name) scenario \(i % a.scenarioCount): \(x) vs \(y)",
                             sourceLocation: sourceLocation)
            }
        }
        #expect(bad == 0, "\(what): \(bad) values differ", sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func matchesTheReferenceModelWithEitherKernel(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        let S = rng.int(3...7)
        let policies = Self.policies(S, channels: rng.int(1...6), sharedRates: seed % 2 == 0, &rng,
                                     structure: rng.pick([WF.structure, WF.wide, WF.uneven]))
        let inputs = Inputs(scenarios: S, &rng)
        let reference = Self.runReference(policies, inputs)
        let loops = Self.runNew(policies, inputs, kernel: .loops).result
        let blas = Self.runNew(policies, inputs, kernel: .blas).result
        Self.expectClose(loops, reference, "loops vs reference, seed \(seed)")
        Self.expectClose(blas, reference, "BLAS vs reference, seed \(seed)")
        Self.expectClose(loops, blas, "loops vs BLAS, seed \(seed)")
        // The scenarios do differ, and people were moved.
        let unemployed = reference.quantities.firstIndex { $0.name == "workers_unemployed" }!
        let last = (0..<S).map { reference.value(yearIndex: Self.years.count - 1, sectorIndex: 0, quantityIndex: unemployed, scenario: $0) }
        #expect(Set(last).count > 1 && last.contains { $0 > 0 })
    }

    @Test func withoutAnAwardFundTheLoopKernelGivesTheReferencesBits() {
        // Without an award fund no total depends on a dictionary's order: the loop kernel then gives
        // the reference's numbers to the last bit.
        var rng = WF.RNG(seed: 99)
        var policies = Self.policies(5, channels: 4, sharedRates: true, &rng)
        for s in policies.indices { policies[s].awardFund = nil }
        let inputs = Inputs(scenarios: 5, &rng)
        let a = Self.runNew(policies, inputs).result.values, b = Self.runReference(policies, inputs).values
        #expect(a.count == b.count)
        let differing = zip(a, b).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(a.count) values differ in the last bits")
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func workersInEqualWorkersOutPlusStillInChannelsPerScenario(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        let S = 5
        let policies = Self.policies(S, channels: 5, sharedRates: false, &rng)
        let inputs = Inputs(scenarios: S, &rng)
        var m = ResettlementModel(policies: policies, years: Self.years, sectors: Self.sectors)
        var entered = [Double](repeating: 0, count: Sector.allCases.count * S)
        for (y, year) in Self.years.enumerated().dropFirst() {
            m.step(yearIndex: y, year: year, inputs: inputs.perYear[y])
            for i in entered.indices { entered[i] += inputs.perYear[y].displacedWorkers[i] }
            for (σ, _) in m.reported {
                for s in 0..<S {
                    // Slot 0 holds who was never placed; slot c + 1 who channel c placed.
                    var slot0 = 0.0, inChannels = 0.0, placed = 0.0
                    for row in 0..<m.n { slot0 += m.stocks[m.block(σ, 0) + row * S + s] }
                    for c in 0..<m.C {
                        for row in 0..<m.n { inChannels += m.stocks[m.block(σ, c + 1) + row * S + s] }
                        placed += m.placedCumulative[(σ * m.C + c) * S + s]
                    }
                    let what = "seed \(seed) \(year) sector \(σ) scenario \(s)"
                    WF.near(slot0 + inChannels, entered[σ * S + s], abs: 1e-6, rel: 1e-12, what + ": in = held")
                    WF.near(inChannels, placed, abs: 1e-6, rel: 1e-12, what + ": placed = in channels")
                    WF.near(m.displacedCumulative[σ * S + s], entered[σ * S + s], rel: 0, what + ": displaced")
                }
            }
        }
        #expect(m.result.conservationViolations() == [])
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func batchSplitsGiveBitIdenticalResults(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        let S = 7
        let policies = Self.policies(S, channels: 4, sharedRates: true, &rng)
        let inputs = Inputs(scenarios: S, &rng)
        let whole = Self.runNew(policies, inputs).result
        for split in [[0..<1, 1..<7], [0..<3, 3..<5, 5..<7], (0..<7).map { $0..<($0 + 1) }] {
            for part in split {
                let alone = Self.runNew(Array(policies[part]), inputs.slice(part, of: S)).result
                var mismatches = 0
                for i in 0..<(alone.values.count / part.count) {
                    for (t, s) in part.enumerated() where alone.values[i * part.count + t] != whole.values[i * S + s] {
                        mismatches += 1
                    }
                }
                #expect(mismatches == 0, "seed \(seed): scenarios \(part) alone differ in \(mismatches) values")
            }
        }
    }

    @Test func sharedRatesUseOneWeightPerNonZeroAndGiveTheSameBitsAsPerScenarioWeights() {
        var rng = WF.RNG(seed: 31)
        var policies = Self.policies(4, channels: 4, sharedRates: false, &rng)
        for s in policies.indices { policies[s].transitions = policies[0].transitions }
        var mixed = policies
        mixed.append(Self.policies(1, channels: 4, sharedRates: false, &rng)[0])
        let uniform = BatchTransition(structure: WF.wide, rates: policies.map(\.transitions))
        let perScenario = BatchTransition(structure: WF.wide, rates: mixed.map(\.transitions))
        #expect(uniform.uniform && !perScenario.uniform)
        #expect(perScenario.weights.count == perScenario.rows.count * 5 && uniform.weights.count == uniform.rows.count)
        let inputs = Inputs(scenarios: 5, &rng)
        let a = Self.runNew(policies, inputs.slice(0..<4, of: 5)).result
        let b = Self.runNew(mixed, inputs).result
        for i in 0..<(a.values.count / 4) {
            for s in 0..<4 where a.values[i * 4 + s] != b.values[i * 5 + s] {
                Issue.record("value \(i) scenario \(s): \(a.values[i * 4 + s]) vs \(b.values[i * 5 + s])")
            }
        }
    }

    @Test(arguments: [41, 42, 43] as [UInt64])
    func bothKernelsApplyEachScenariosOwnOperator(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        let st = rng.pick([WF.structure, WF.wide, WF.uneven])
        let S = 6
        var rates = (0..<S).map { _ in WF.randomRates(&rng) }
        rates[3] = rates[2]
        let t = BatchTransition(structure: st, rates: rates)
        #expect(t.runs == [0..<1, 1..<2, 2..<4, 4..<5, 5..<6])
        let n = t.size
        let x = (0..<(n * S)).map { _ in rng.chance(0.7) ? rng.uniform(0...100) : 0 }
        // Stale numbers in the output (as in the swapped scratch buffer): every row must be overwritten.
        var loops = [Double](repeating: 12345, count: n * S), blas = loops
        x.withUnsafeBufferPointer { xp in
            loops.withUnsafeMutableBufferPointer { t.applyLoops(xp.baseAddress!, $0.baseAddress!, plan: t.plan(rows: Array(0..<n))) }
            blas.withUnsafeMutableBufferPointer { t.applyBLAS(xp.baseAddress!, $0.baseAddress!) }
        }
        for s in 0..<S {
            let want = WF.referenceStep(st, rates[s], (0..<n).map { x[$0 * S + s] })
            for i in 0..<n {
                WF.near(loops[i * S + s], want[i], rel: 1e-12, "loops row \(i) scenario \(s)")
                WF.near(blas[i * S + s], want[i], rel: 1e-12, "BLAS row \(i) scenario \(s)")
            }
        }
        // Reachable states: training leads to reemployed, unemployed, out of the labour force and,
        // by ageing, retired; internal retirement only to retired.
        let training = t.reachableStates(from: [WorkerState.inTraining.index], cellCount: st.cellCount)
        #expect(training.map { WorkerState.allCases[$0] } == [.inTraining, .reemployed, .unemployed, .retired, .outOfLabourForce])
        let early = t.reachableStates(from: [WorkerState.internallyRetired.index], cellCount: st.cellCount)
        #expect(early.map { WorkerState.allCases[$0] } == [.internallyRetired, .retired])
    }

    @Test func theCompiledPolicyHoldsEveryScenariosNumbersInPlace() throws {
        var rng = WF.RNG(seed: 51)
        let policies = Self.policies(3, channels: 3, sharedRates: false, &rng)
        let c = CompiledResettlementPolicy(policies, years: Self.years)
        let S = 3
        for (s, p) in policies.enumerated() {
            for sector in Sector.allCases {
                let σ = sector.index
                let profile = try #require(p.sectors[sector])
                #expect(c.wage[σ * S + s] == profile.wageYuanPerYear)
                #expect(c.sexShare[(σ * 2 + 1) * S + s] == profile.femaleShare)
                #expect(c.ageShare[(σ * WF.wide.cellCount + WF.wide.cell(.female, 1)) * S + s] == profile.ageShares[.female]![1])
            }
            for (ch, channel) in p.channels.enumerated() {
                #expect(c.capacityTotal[ch * S + s] == (channel.capacityTotalPersons ?? .infinity))
                #expect(c.share[ch * S + s] == (channel.share ?? .infinity))
                #expect(c.payer[ch * S + s] == channel.payer.index)
                #expect(c.entryState[ch * S + s] == channel.kind.entryState.index)
                #expect(c.accepts[(ch * 5 + Sector.iron.index) * S + s] == channel.accepts(.iron))
            }
            for (y, year) in Self.years.enumerated() {
                #expect(c.fundAmount[y * S + s] == (p.awardFund?.amountYuanByYear[year] ?? 0))
                #expect(c.insuranceTotal[y * S + s] == p.socialInsurance.total(in: year))
            }
            #expect(c.awardFallbackPayer[s] == (p.awardFund?.fallbackPayer ?? .provincialBudget).index)
        }
    }
}
