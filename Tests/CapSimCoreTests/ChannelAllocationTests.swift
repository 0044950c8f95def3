import CapSimCore
import Numerics
import Testing

/// Placing a year's pool into channels: order, spill-over, share limits, shared capacity and
/// eligibility near retirement (docs/MODEL.md §7.2).
@Suite struct ChannelAllocationTests {
    let st = WF.structure  // cells: men [20,30) [30,40) [40,50) [50,55) [55,60), then women (50+ past retirement)
    static let zero = [Double](repeating: 0, count: 10)
    /// 100 persons: men 10, 20, 30, 20, 10; women 5, 5, 0, 0, 0.
    static let hundred: [Double] = [10, 20, 30, 20, 10, 5, 5, 0, 0, 0]

    func pool(coal: [Double] = zero, iron: [Double] = zero, steel: [Double] = zero) -> [[Double]] {
        [coal, iron, steel, Self.zero, Self.zero]
    }

    func capacity(_ channels: [ResettlementChannel]) -> [ChannelAllocation.Capacity] {
        channels.map { .init(total: $0.capacityTotalPersons ?? .infinity, thisYear: $0.capacityPerYearPersons ?? .infinity) }
    }

    func scaled(_ cells: [Double], _ f: Double) -> [Double] { cells.map { $0 * f } }

    func expectCells(_ got: [Double], _ want: [Double], _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for (j, (g, w)) in zip(got, want).enumerated() {
            #expect(g.isApproximatelyEqual(to: w, absoluteTolerance: 1e-12, relativeTolerance: 1e-12),
                    "\(what) cell \(j): \(g) vs \(w)", sourceLocation: sourceLocation)
        }
    }

    @Test func theFirstChannelTakesEverythingItCan() {
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise),
                        ResettlementChannel(id: "b", kind: .registeredUnemployment)]
        var p = pool(coal: Self.hundred)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        #expect(placed.count == 2 && placed[0].count == 5 && placed[0][0].count == 10)
        #expect(placed[0][0] == Self.hundred)
        #expect(placed[1][0] == Self.zero)
        #expect(p[0] == Self.zero)
    }

    @Test func capacityTotalSpillsTheRestToTheNextChannel() {
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise, capacityTotalPersons: 30),
                        ResettlementChannel(id: "b", kind: .registeredUnemployment)]
        var p = pool(coal: Self.hundred)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        // 30 of 100, drawn from every cell in proportion.
        expectCells(placed[0][0], scaled(Self.hundred, 0.3), "a")
        expectCells(placed[1][0], scaled(Self.hundred, 0.7), "b")
        expectCells(p[0], Self.zero, "pool")
        #expect(cap[0].total == 0 && cap[0].thisYear == .infinity)
        #expect(cap[1].total == .infinity)
    }

    @Test func capacityPerYearSpillsTheRestToTheNextChannel() {
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise, capacityTotalPersons: 100,
                                            capacityPerYearPersons: 40),
                        ResettlementChannel(id: "b", kind: .training, capacityTotalPersons: 25, capacityPerYearPersons: 40),
                        ResettlementChannel(id: "c", kind: .registeredUnemployment)]
        var p = pool(coal: Self.hundred)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        expectCells(placed[0][0], scaled(Self.hundred, 0.4), "a (per year 40)")
        expectCells(placed[1][0], scaled(Self.hundred, 0.25), "b (total 25 < per year 40)")
        expectCells(placed[2][0], scaled(Self.hundred, 0.35), "c")
        #expect(cap[0] == .init(total: 60, thisYear: 0))
        #expect(cap[1] == .init(total: 0, thisYear: 15))
    }

    @Test func withoutACatchAllTheRestStaysInThePool() {
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise, capacityPerYearPersons: 60)]
        var p = pool(coal: Self.hundred)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        expectCells(placed[0][0], scaled(Self.hundred, 0.6), "a")
        expectCells(p[0], scaled(Self.hundred, 0.4), "left waiting")
    }

    @Test func shareLimitsApplyToThePoolAtTheStart() {
        // a: 30 % of 100 = 30. b: 50 % of the starting 100 = 50 (not 50 % of the 70 left). c: the rest, 20.
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise, share: 0.3),
                        ResettlementChannel(id: "b", kind: .publicWelfare, share: 0.5),
                        ResettlementChannel(id: "c", kind: .registeredUnemployment)]
        var p = pool(coal: Self.hundred, iron: scaled(Self.hundred, 2))
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        expectCells(placed[0][0], scaled(Self.hundred, 0.3), "a coal")
        expectCells(placed[1][0], scaled(Self.hundred, 0.5), "b coal")
        expectCells(placed[2][0], scaled(Self.hundred, 0.2), "c coal")
        // Each sector's share is of its own pool: iron 200 → 60, 100, 40.
        expectCells(placed[0][1], scaled(Self.hundred, 0.6), "a iron")
        expectCells(placed[1][1], scaled(Self.hundred, 1.0), "b iron")
        expectCells(placed[2][1], scaled(Self.hundred, 0.4), "c iron")
        // A share larger than what is left takes what is left.
        let greedy = [ResettlementChannel(id: "a", kind: .otherEnterprise, share: 0.8),
                      ResettlementChannel(id: "b", kind: .publicWelfare, share: 0.5)]
        var q = pool(coal: Self.hundred)
        var cap2 = capacity(greedy)
        let placed2 = ChannelAllocation.allocate(pool: &q, channels: greedy, capacity: &cap2, structure: st)
        expectCells(placed2[1][0], scaled(Self.hundred, 0.2), "b after a took 80")
    }

    @Test func aChannelsCapacityIsSharedAcrossSectorsInSectorOrder() {
        // The channel lists iron before coal, but sectors are served in sector order: coal first.
        let channels = [ResettlementChannel(id: "a", kind: .otherEnterprise, sectors: [.iron, .coal],
                                            capacityPerYearPersons: 120),
                        ResettlementChannel(id: "b", kind: .registeredUnemployment)]
        var p = pool(coal: Self.hundred, iron: scaled(Self.hundred, 0.8), steel: scaled(Self.hundred, 0.1))
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        expectCells(placed[0][0], Self.hundred, "a coal (all 100)")
        expectCells(placed[0][1], scaled(Self.hundred, 0.2), "a iron (the 20 left)")
        expectCells(placed[0][2], Self.zero, "a steel (not accepted)")
        expectCells(placed[1][0], Self.zero, "b coal")
        expectCells(placed[1][1], scaled(Self.hundred, 0.6), "b iron")
        expectCells(placed[1][2], scaled(Self.hundred, 0.1), "b steel")
        #expect(cap[0].thisYear == 0)
        // The same with a total capacity.
        let total = [ResettlementChannel(id: "a", kind: .otherEnterprise, capacityTotalPersons: 150)]
        var q = pool(coal: Self.hundred, iron: Self.hundred)
        var cap2 = capacity(total)
        let placed2 = ChannelAllocation.allocate(pool: &q, channels: total, capacity: &cap2, structure: st)
        expectCells(placed2[0][0], Self.hundred, "coal")
        expectCells(placed2[0][1], scaled(Self.hundred, 0.5), "iron")
        #expect(cap2[0].total == 0)
    }

    @Test func eligibleShareNearRetirement() {
        let early = ResettlementChannel(id: "e", kind: .internalRetirement, withinYearsOfRetirement: 8)
        let any = ResettlementChannel(id: "x", kind: .otherEnterprise)
        // Men (60): window [52, 60): [50,55) → 3/5, [55,60) → 1. Women (50): window [42, 50): [40,50) → 0.8.
        let shares = (0..<10).map { ChannelAllocation.eligibleShare(early, cell: $0, st) }
        let want: [Double] = [0, 0, 0, 0.6, 1, 0, 0, 0.8, 0, 0]
        for j in 0..<10 { #expect(abs(shares[j] - want[j]) < 1e-15, "cell \(j): \(shares[j])") }
        // Without a window every cell before retirement is eligible; women 50+ never are.
        #expect((0..<10).map { ChannelAllocation.eligibleShare(any, cell: $0, st) } == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        // A wide window covers the women's cells past retirement still not.
        let wide = ResettlementChannel(id: "w", kind: .internalRetirement, withinYearsOfRetirement: 100)
        #expect((0..<10).map { ChannelAllocation.eligibleShare(wide, cell: $0, st) } == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    }

    @Test func eligibilityTakesOnlyTheEligibleShareOfEachCell() {
        // Men 10, 20, 30, 40, 50; women 5, 10, 15, and 7, 3 in cells past retirement.
        let cells: [Double] = [10, 20, 30, 40, 50, 5, 10, 15, 7, 3]
        let channels = [ResettlementChannel(id: "early", kind: .internalRetirement, withinYearsOfRetirement: 8),
                        ResettlementChannel(id: "rest", kind: .registeredUnemployment)]
        var p = pool(coal: cells)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        // Eligible: 0.6 × 40 + 1 × 50 + 0.8 × 15 = 24 + 50 + 12 = 86.
        expectCells(placed[0][0], [0, 0, 0, 24, 50, 0, 0, 12, 0, 0], "early")
        // The rest of those cells stays for the next channel; past-retirement cells are never placed.
        expectCells(placed[1][0], [10, 20, 30, 16, 0, 5, 10, 3, 0, 0], "rest")
        expectCells(p[0], [0, 0, 0, 0, 0, 0, 0, 0, 7, 3], "left")
    }

    @Test func aFullEligibleChannelDrawsEligiblePersonsInProportion() {
        let cells: [Double] = [10, 20, 30, 40, 50, 5, 10, 15, 0, 0]
        // Capacity 43 of the 86 eligible: half of each eligible part.
        let channels = [ResettlementChannel(id: "early", kind: .internalRetirement, capacityPerYearPersons: 43,
                                            withinYearsOfRetirement: 8)]
        var p = pool(coal: cells)
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        expectCells(placed[0][0], [0, 0, 0, 12, 25, 0, 0, 6, 0, 0], "early")
        expectCells(p[0], [10, 20, 30, 28, 25, 5, 10, 9, 0, 0], "left")
        // The share limit is of the whole starting pool (180), not of the eligible 86: 0.2 × 180 = 36.
        let shared = [ResettlementChannel(id: "early", kind: .internalRetirement, share: 0.2, withinYearsOfRetirement: 8)]
        var q = pool(coal: cells)
        var cap2 = capacity(shared)
        let placed2 = ChannelAllocation.allocate(pool: &q, channels: shared, capacity: &cap2, structure: st)
        expectCells(placed2[0][0], [0, 0, 0, 24 * 36 / 86, 50 * 36 / 86, 0, 0, 12 * 36 / 86, 0, 0], "early, share")
    }

    @Test func nothingEligibleLeavesCapacityUntouched() {
        let channels = [ResettlementChannel(id: "early", kind: .internalRetirement, capacityTotalPersons: 10,
                                            capacityPerYearPersons: 5, withinYearsOfRetirement: 5)]
        // Only young men: nobody within 5 years of 60.
        var p = pool(coal: [10, 20, 0, 0, 0, 0, 0, 0, 0, 0])
        var cap = capacity(channels)
        let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: st)
        #expect(placed[0][0] == Self.zero)
        #expect(cap[0] == .init(total: 10, thisYear: 5))
        #expect(p[0] == [10, 20, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// The allocation written from the text of §7.2, as a reference.
    func reference(pool: inout [[Double]], channels: [ResettlementChannel], total: inout [Double],
                   year: inout [Double], structure: WorkforceStructure) -> [[[Double]]] {
        let sectors: [Sector] = [.coal, .iron, .steel, .clinker, .grinding]
        let bands = structure.bandCount
        let start = pool.map { $0.reduce(0, +) }
        var placed = channels.map { _ in pool.map { $0.map { _ in 0.0 } } }
        for (c, channel) in channels.enumerated() {
            var g = [Double](repeating: 0, count: 2 * bands)
            for (x, sex) in [Sex.male, .female].enumerated() {
                let r = structure.retirementAge[sex]!
                for k in 0..<bands {
                    let lo = structure.ageBandEdges[k], hi = structure.ageBandEdges[k + 1]
                    if lo >= r { g[x * bands + k] = 0 } else if let n = channel.withinYearsOfRetirement {
                        g[x * bands + k] = max(0, min(hi, r) - max(lo, r - n)) / (hi - lo)
                    } else { g[x * bands + k] = 1 }
                }
            }
            for (σ, sector) in sectors.enumerated() where channel.sectors.isEmpty || channel.sectors.contains(sector) {
                let e = zip(pool[σ], g).reduce(0.0) { $0 + $1.0 * $1.1 }
                guard e > 0 else { continue }
                let take = min(e, total[c], year[c], channel.share.map { $0 * start[σ] } ?? .infinity)
                guard take > 0 else { continue }
                for j in 0..<(2 * bands) {
                    let d = pool[σ][j] * g[j] * take / e
                    pool[σ][j] -= d
                    placed[c][σ][j] += d
                }
                total[c] -= take
                year[c] -= take
            }
        }
        return placed
    }

    func randomChannels(_ rng: inout WF.RNG) -> [ResettlementChannel] {
        (0..<rng.int(1...6)).map { c in
            ResettlementChannel(
                id: "c\(c)", kind: rng.pick(ChannelKind.allCases),
                sectors: rng.chance(0.5) ? [] : Sector.allCases.filter { _ in rng.chance(0.5) },
                capacityTotalPersons: rng.chance(0.5) ? rng.uniform(0...300) : nil,
                capacityPerYearPersons: rng.chance(0.5) ? rng.uniform(0...200) : nil,
                share: rng.chance(0.4) ? rng.uniform(0...1) : nil,
                withinYearsOfRetirement: rng.chance(0.3) ? rng.uniform(0...15) : nil)
        }
    }

    @Test(arguments: [31, 32, 33, 34, 35, 36, 37, 38] as [UInt64])
    func randomAllocationsConservePersonsAndMatchTheReference(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        for structure in [WF.structure, WF.wide, WF.uneven] {
            let cells = structure.cellCount
            let channels = randomChannels(&rng)
            let before = (0..<5).map { _ in (0..<cells).map { _ in rng.chance(0.3) ? 0 : rng.uniform(0...100) } }
            var p = before
            var cap = capacity(channels)
            // Some capacity already used in earlier years.
            for c in cap.indices where cap[c].total.isFinite { cap[c].total *= rng.uniform(0...1) }
            let capBefore = cap
            let placed = ChannelAllocation.allocate(pool: &p, channels: channels, capacity: &cap, structure: structure)

            var refPool = before
            var refTotal = capBefore.map(\.total), refYear = capBefore.map(\.thisYear)
            let want = reference(pool: &refPool, channels: channels, total: &refTotal, year: &refYear,
                                 structure: structure)
            for σ in 0..<5 {
                for j in 0..<cells {
                    let placedHere = (0..<channels.count).reduce(0.0) { $0 + placed[$1][σ][j] }
                    #expect((p[σ][j] + placedHere).isApproximatelyEqual(to: before[σ][j], absoluteTolerance: 1e-12,
                                                                         relativeTolerance: 1e-12),
                            "sector \(σ) cell \(j): left \(p[σ][j]) + placed \(placedHere) ≠ \(before[σ][j])")
                    #expect(p[σ][j] >= -1e-12)
                    #expect(p[σ][j].isApproximatelyEqual(to: refPool[σ][j], absoluteTolerance: 1e-9))
                    for c in channels.indices {
                        #expect(placed[c][σ][j] >= 0)
                        #expect(placed[c][σ][j].isApproximatelyEqual(to: want[c][σ][j], absoluteTolerance: 1e-9),
                                "channel \(c) sector \(σ) cell \(j): \(placed[c][σ][j]) vs \(want[c][σ][j])")
                        if ChannelAllocation.eligibleShare(channels[c], cell: j, structure) == 0 {
                            #expect(placed[c][σ][j] == 0)
                        }
                    }
                }
            }
            for (c, channel) in channels.enumerated() {
                let taken = placed[c].reduce(0.0) { $0 + $1.reduce(0, +) }
                #expect(taken <= capBefore[c].total + 1e-9 && taken <= capBefore[c].thisYear + 1e-9)
                if capBefore[c].total.isFinite {
                    #expect((capBefore[c].total - cap[c].total).isApproximatelyEqual(to: taken, absoluteTolerance: 1e-9))
                }
                if capBefore[c].thisYear.isFinite {
                    #expect((capBefore[c].thisYear - cap[c].thisYear).isApproximatelyEqual(to: taken, absoluteTolerance: 1e-9))
                }
                for σ in 0..<5 {
                    let fromSector = placed[c][σ].reduce(0, +)
                    if !channel.accepts(Sector.allCases[σ]) { #expect(fromSector == 0) }
                    if let share = channel.share { #expect(fromSector <= share * before[σ].reduce(0, +) + 1e-9) }
                }
            }
        }
    }
}
