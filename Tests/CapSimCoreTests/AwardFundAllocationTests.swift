import CapSimCore
import Testing

/// Splitting a year's central award funds: the base part by weighted cut and workers times
/// difficulty, the reward part by over-fulfilment (docs/MODEL.md §7.6).
@Suite struct AwardFundAllocationTests {
    func fund(_ sectors: [Sector], baseShare: Double = 0.8, capacityWeight: Double = 0.5, workersWeight: Double = 0.5,
              difficulty: [Sector: Double] = [:]) -> AwardFund {
        AwardFund(amountYuanByYear: [:], sectors: sectors, baseShare: baseShare, capacityWeight: capacityWeight,
                  workersWeight: workersWeight, difficulty: difficulty)
    }

    func expectSplit(_ split: AwardFundAllocation.Split, _ want: [Sector: Double], unallocated: Double,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        for sector in Sector.allCases {
            let got = split.bySector[sector] ?? 0
            #expect(abs(got - (want[sector] ?? 0)) <= 1e-9, "\(sector): \(got) vs \(want[sector] ?? 0)",
                    sourceLocation: sourceLocation)
        }
        #expect(abs(split.unallocated - unallocated) <= 1e-9, "unallocated \(split.unallocated) vs \(unallocated)",
                sourceLocation: sourceLocation)
    }

    @Test func handWorkedThreeSectors() {
        // Fund of 100 over coal, iron and steel (listed out of order); base 80 %, weights 0.5 / 0.5,
        // coal difficulty 1.2. Clinker is not in the fund: its cut and workers are ignored.
        //   cut: coal 60, iron 30, steel 10 (Σ 100); displaced: coal 300, iron 100, steel 0 (Σ 400)
        //   v_coal  = (0.5 × 60/100 + 0.5 × 300/400) × 1.2 = (0.3 + 0.375) × 1.2 = 0.81
        //   v_iron  =  0.5 × 30/100 + 0.5 × 100/400        =  0.15 + 0.125      = 0.275
        //   v_steel =  0.5 × 10/100 + 0.5 × 0              =                       0.05
        //   Σv = 1.135; base 80: coal 80 × 0.81/1.135 = 57.092511013215859,
        //   iron 80 × 0.275/1.135 = 19.383259911894273, steel 80 × 0.05/1.135 = 3.5242290748898677
        //   reward 20: targets coal 50 (excess 10), iron 40 (cut 30: none), steel none → all 20 to coal
        let split = AwardFundAllocation.split(
            amount: 100, fund: fund([.steel, .coal, .iron], difficulty: [.coal: 1.2]),
            capacityCut: [.coal: 60, .iron: 30, .steel: 10, .clinker: 500],
            displaced: [.coal: 300, .iron: 100, .steel: 0, .clinker: 1000],
            target: [.coal: 50, .iron: 40, .clinker: 0])
        expectSplit(split, [.coal: 57.092511013215859 + 20, .iron: 19.383259911894273, .steel: 3.5242290748898677],
                    unallocated: 0)
        #expect(split.bySector[.clinker] == nil)
        #expect(abs(split.bySector.values.reduce(0, +) - 100) <= 1e-9)
    }

    @Test func rewardIsSplitByOverFulfilmentOnly() {
        // Base 60 % of 1000 by capacity alone (workers weight 0): cut coal 50, iron 80, steel 100 (Σ 230).
        //   coal 600 × 50/230 = 130.43478…, iron 600 × 80/230 = 208.69565…, steel 600 × 100/230 = 260.86956…
        // Reward 400: excess coal 50 − 40 = 10, iron 80 − 50 = 30; steel has no target, so no excess
        // however much it cut: coal 100, iron 300.
        let split = AwardFundAllocation.split(
            amount: 1000, fund: fund([.coal, .iron, .steel], baseShare: 0.6, capacityWeight: 1, workersWeight: 0),
            capacityCut: [.coal: 50, .iron: 80, .steel: 100], displaced: [.coal: 10, .iron: 20, .steel: 30],
            target: [.coal: 40, .iron: 50])
        expectSplit(split, [.coal: 600.0 * 50 / 230 + 100, .iron: 600.0 * 80 / 230 + 300, .steel: 600.0 * 100 / 230],
                    unallocated: 0)
    }

    @Test func rewardIsUnallocatedWhenNoSectorOverFulfils() {
        // Targets met exactly (coal) or missed (iron): no excess, the 20 % reward is not allocated.
        let split = AwardFundAllocation.split(
            amount: 100, fund: fund([.coal, .iron]), capacityCut: [.coal: 60, .iron: 30],
            displaced: [.coal: 300, .iron: 100], target: [.coal: 60, .iron: 45])
        // v_coal = 0.5 × 60/90 + 0.5 × 300/400 = 0.70833…, v_iron = 0.5 × 30/90 + 0.5 × 100/400 = 0.29166…; Σv = 1.
        expectSplit(split, [.coal: 80 * (1.0 / 3 + 0.375), .iron: 80 * (1.0 / 6 + 0.125)], unallocated: 20)
        // No targets at all: the same.
        let none = AwardFundAllocation.split(
            amount: 100, fund: fund([.coal, .iron]), capacityCut: [.coal: 60, .iron: 30],
            displaced: [.coal: 300, .iron: 100], target: [:])
        expectSplit(none, [.coal: 80 * (1.0 / 3 + 0.375), .iron: 80 * (1.0 / 6 + 0.125)], unallocated: 20)
        // Over-fulfilment in a sector outside the fund does not count.
        let outside = AwardFundAllocation.split(
            amount: 100, fund: fund([.coal, .iron]), capacityCut: [.coal: 60, .iron: 30, .steel: 99],
            displaced: [.coal: 300, .iron: 100], target: [.coal: 60, .steel: 1])
        #expect(abs(outside.unallocated - 20) <= 1e-12)
        #expect(outside.bySector[.steel] == nil)
    }

    @Test func nothingCutAndNobodyDisplacedLeavesEverythingUnallocated() {
        let split = AwardFundAllocation.split(amount: 100, fund: fund([.coal, .iron]), capacityCut: [:],
                                              displaced: [:], target: [.coal: 10])
        expectSplit(split, [:], unallocated: 100)
        // Cuts and targets only outside the fund: the same.
        let elsewhere = AwardFundAllocation.split(amount: 100, fund: fund([.coal]), capacityCut: [.iron: 50],
                                                  displaced: [.iron: 500], target: [.iron: 10])
        expectSplit(elsewhere, [:], unallocated: 100)
    }

    @Test func aZeroTotalRatioCountsAsZero() {
        // Nothing cut (capacity ratio 0) but workers displaced: base by workers alone, with difficulty.
        //   v_coal = 0.5 × 300/400 × 1.2 = 0.45, v_iron = 0.5 × 100/400 = 0.125; Σv = 0.575
        let split = AwardFundAllocation.split(
            amount: 100, fund: fund([.coal, .iron], difficulty: [.coal: 1.2]), capacityCut: [.coal: 0],
            displaced: [.coal: 300, .iron: 100], target: [:])
        expectSplit(split, [.coal: 80 * 0.45 / 0.575, .iron: 80 * 0.125 / 0.575], unallocated: 20)
    }

    @Test func weightsNeedNotSumToOneAndDifficultyScales() {
        // capacityWeight 2, workersWeight 1, baseShare 1 (no reward part), iron difficulty 0.5:
        //   v_coal = 2 × 40/100 + 1 × 100/200 = 1.3; v_iron = (2 × 60/100 + 1 × 100/200) × 0.5 = 0.85; Σv = 2.15
        let split = AwardFundAllocation.split(
            amount: 215, fund: fund([.coal, .iron], baseShare: 1, capacityWeight: 2, workersWeight: 1,
                                    difficulty: [.iron: 0.5]),
            capacityCut: [.coal: 40, .iron: 60], displaced: [.coal: 100, .iron: 100], target: [:])
        expectSplit(split, [.coal: 130, .iron: 85], unallocated: 0)
        // baseShare 0: everything by over-fulfilment.
        let reward = AwardFundAllocation.split(
            amount: 90, fund: fund([.coal, .iron], baseShare: 0), capacityCut: [.coal: 40, .iron: 60],
            displaced: [.coal: 100, .iron: 100], target: [.coal: 20, .iron: 50])
        expectSplit(reward, [.coal: 60, .iron: 30], unallocated: 0)
    }
}
