import CapSimCore
import Testing

/// Yearly closure targets: counting rule closures, priority order, stopping, filters, shortfalls.
@Suite struct ClosureTargetTests {
    func target(_ goals: [Int: Double], _ priority: [PriorityKey], sector: Sector = .coal,
                owner: OwnerType? = nil, region: String? = nil) -> ClosureTarget {
        ClosureTarget(id: "t", sector: sector, capacityClosedByYear: goals, priority: priority,
                      owner: owner, region: region)
    }

    /// Three mines of equal capacity; each key must pick a different one ("pick").
    static let keyCases: [(PriorityKey, [Facility], Double)] = [
        (.smallest, [unit("a", size: 20), unit("pick", size: 5), unit("c", size: 12)], 1),
        (.largest, [unit("a", size: 20), unit("pick", size: 25), unit("c", size: 12)], 1),
        (.shortestReserve, [unit("a", reserve: 30), unit("b", reserve: 12), unit("pick", reserve: 8)], 1),
        // cost − price: 20, 10, 40.
        (.highestCost, [unit("a", cost: 120, price: 100), unit("b", cost: 200, price: 190),
                        unit("pick", cost: 90, price: 50)], 1),
        // With priceIndex 0.5, cost − price × 0.5: 70, 105, 65.
        (.highestCost, [unit("a", cost: 120, price: 100), unit("pick", cost: 200, price: 190),
                        unit("c", cost: 90, price: 50)], 0.5),
        (.highestLogistics, [unit("a", logistics: 100), unit("pick", logistics: 400), unit("c", logistics: 250)], 1),
        (.oldest, [unit("a", startYear: 2005), unit("pick", startYear: 1990), unit("c", startYear: 2000)], 1),
    ]

    @Test(arguments: keyCases)
    func eachKeyPicksItsFirstCandidate(key: PriorityKey, facilities: [Facility], priceIndex: Double) {
        let policy = Policy(targets: [target([2016: 10], [key])],
                            sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: priceIndex)])
        let r = run(facilities, policy)
        #expect(closed(r, facilities) == [Closed("pick", 2016, "t")])
        #expect(r.closures.first?.cause == .target(id: "t", targetCapacity: 10, closedBefore: 0, priority: [key]))
    }

    @Test func shortestReserveRanksByRemainingYearsAcrossYears() {
        // One mine per year, shortest remaining first each year.
        let fs = [unit("r9", reserve: 9), unit("r6", reserve: 6), unit("r7", reserve: 7)]
        let r = run(fs, Policy(targets: [target([2016: 10, 2017: 10, 2018: 10], [.shortestReserve])]))
        #expect(closed(r, fs) == [Closed("r6", 2016, "t"), Closed("r7", 2017, "t"), Closed("r9", 2018, "t")])
    }

    @Test func laterKeysBreakTiesOfEarlierKeys() {
        let fs = [unit("a", size: 10, logistics: 100), unit("b", size: 10, logistics: 300),
                  unit("c", size: 20, logistics: 500)]
        let keys: [PriorityKey] = [.smallest, .highestLogistics]
        #expect(closedIDs(run(fs, Policy(targets: [target([2016: 10], keys)])), fs) == ["b"])
        #expect(closedIDs(run(fs, Policy(targets: [target([2016: 30], keys)])), fs) == ["b", "a", "c"])
        // Reversed keys: logistics first.
        #expect(closedIDs(run(fs, Policy(targets: [target([2016: 30], keys.reversed())])), fs) == ["c", "b", "a"])
    }

    @Test func threeKeysApplyInOrder() {
        let fs = [unit("a", size: 10, startYear: 2000, logistics: 100),
                  unit("b", size: 10, startYear: 2000, logistics: 200),
                  unit("c", size: 10, startYear: 1995, logistics: 50),
                  unit("d", size: 5, startYear: 2010, logistics: 0)]
        let r = run(fs, Policy(targets: [target([2016: 40], [.smallest, .oldest, .highestLogistics])]))
        #expect(closedIDs(r, fs) == ["d", "c", "b", "a"])
    }

    @Test func remainingTiesFollowTableOrder() {
        let fs = [unit("z"), unit("y"), unit("x"), unit("w")]
        #expect(closedIDs(run(fs, Policy(targets: [target([2016: 20], [.smallest])])), fs) == ["z", "y"])
        let reordered = [fs[2], fs[0], fs[3], fs[1]]
        #expect(closedIDs(run(reordered, Policy(targets: [target([2016: 20], [.smallest])])), reordered) == ["x", "z"])
    }

    @Test func stopsOnceReachedAndMayOvershoot() {
        let fs = [unit("a", capacity: 10, size: 1), unit("b", capacity: 25, size: 2), unit("c", capacity: 40, size: 3)]
        let r = run(fs, Policy(targets: [target([2016: 30], [.smallest])]))
        #expect(closedIDs(r, fs) == ["a", "b"])
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2016) == 35)
        #expect(r.closures.map(\.cause) == [
            .target(id: "t", targetCapacity: 30, closedBefore: 0, priority: [.smallest]),
            .target(id: "t", targetCapacity: 30, closedBefore: 10, priority: [.smallest]),
        ])
        #expect(r.shortfalls.isEmpty)
    }

    @Test func stopsWhenReachedExactly() {
        let fs = [unit("a", capacity: 10, size: 1), unit("b", capacity: 25, size: 2), unit("c", capacity: 40, size: 3)]
        #expect(closedIDs(run(fs, Policy(targets: [target([2016: 35], [.smallest])])), fs) == ["a", "b"])
    }

    @Test func decimalCapacitiesThatAddUpToTheTargetReachIt() {
        // 0.7 + 0.1 is 0.7999999999999999 in binary; the target of 0.8 counts as met.
        let fs = [unit("a", capacity: 0.7, size: 1), unit("b", capacity: 0.1, size: 2), unit("c", capacity: 5, size: 3)]
        let r = run(fs, Policy(targets: [target([2016: 0.8], [.smallest])]))
        #expect(closedIDs(r, fs) == ["a", "b"])
        #expect(r.shortfalls.isEmpty)
    }

    @Test func targetAlreadyMetByRulesClosesNothingMore() {
        let fs = [unit("flag", capacity: 30, safety: true), unit("a", size: 1), unit("b", size: 2)]
        let safe = ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)
        let r = run(fs, Policy(rules: [safe], targets: [target([2016: 30], [.smallest])]))
        #expect(closed(r, fs) == [Closed("flag", 2016, "safe")])
        #expect(r.shortfalls.isEmpty)
        // Exhaustion counts too.
        let dry = [unit("dry", capacity: 30, reserve: 0), unit("a", size: 1)]
        #expect(closed(run(dry, Policy(targets: [target([2016: 30], [.smallest])])), dry)
            == [Closed("dry", 2016, "reserve_exhausted")])
    }

    @Test func onlyClosuresOfTheTargetSectorCount() {
        let fs = [unit("bf", .blastFurnace, capacity: 50, safety: true), unit("a", size: 1), unit("b", size: 2)]
        let safe = ClosureRule(id: "safe", sector: .iron, criterion: .safetyFlag, years: 2016...2020)
        let r = run(fs, Policy(rules: [safe], targets: [target([2016: 10], [.smallest])]))
        #expect(closed(r, fs) == [Closed("bf", 2016, "safe"), Closed("a", 2016, "t")])
    }

    @Test func secondTargetInTheSameSectorCountsTheFirstOnesClosures() {
        let fs = [unit("a", size: 1), unit("b", size: 2), unit("c", size: 3)]
        let first = ClosureTarget(id: "t1", sector: .coal, capacityClosedByYear: [2016: 10], priority: [.smallest])
        let second = ClosureTarget(id: "t2", sector: .coal, capacityClosedByYear: [2016: 20], priority: [.largest])
        let r = run(fs, Policy(targets: [first, second]))
        #expect(closed(r, fs) == [Closed("a", 2016, "t1"), Closed("c", 2016, "t2")])
    }

    @Test func ownerFilterRestrictsCandidatesButNotTheCount() {
        let fs = [unit("p-small", owner: .private, size: 1), unit("s-big", owner: .state, size: 50),
                  unit("s-mid", owner: .state, size: 20), unit("p-flag", owner: .private, capacity: 10, size: 90, safety: true)]
        let safe = ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020, owner: .private)
        let r = run(fs, Policy(rules: [safe], targets: [target([2016: 20], [.smallest], owner: .state)]))
        // The private closure counts toward the target (10 of 20); one state unit is enough.
        #expect(closed(r, fs) == [Closed("p-flag", 2016, "safe"), Closed("s-mid", 2016, "t")])
    }

    @Test func regionFilterRestrictsCandidates() {
        let fs = [unit("n", region: "north", size: 1), unit("s2", region: "south", size: 9),
                  unit("s1", region: "south", size: 5)]
        let r = run(fs, Policy(targets: [target([2016: 10], [.smallest], region: "south")]))
        #expect(closedIDs(r, fs) == ["s1"])
    }

    @Test func shortfallWhenCandidatesRunOut() {
        let fs = [unit("s1", owner: .state, capacity: 10), unit("s2", owner: .state, capacity: 15),
                  unit("p", owner: .private, capacity: 100)]
        let r = run(fs, Policy(targets: [target([2016: 60, 2017: 5], [.smallest], owner: .state)]))
        #expect(closedIDs(r, fs) == ["s1", "s2"])
        #expect(shortfalls(r) == [Shortfall(year: 2016, target: "t", goal: 60, closed: 25),
                                  Shortfall(year: 2017, target: "t", goal: 5, closed: 0)])
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 1)
    }

    @Test func shortfallCountsRuleClosures() {
        let fs = [unit("flag", capacity: 30, safety: true), unit("a", capacity: 10)]
        let safe = ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)
        let r = run(fs, Policy(rules: [safe], targets: [target([2016: 100], [.smallest])]))
        #expect(shortfalls(r) == [Shortfall(year: 2016, target: "t", goal: 100, closed: 40)])
    }

    @Test func yearsWithoutAGoalCloseNothing() {
        let fs = [unit("a", size: 1), unit("b", size: 2), unit("c", size: 3)]
        let r = run(fs, Policy(targets: [target([2017: 10, 2019: 10], [.smallest])]))
        #expect(closed(r, fs) == [Closed("a", 2017, "t"), Closed("b", 2019, "t")])
    }

    @Test func zeroGoalClosesNothingAndIsNoShortfall() {
        let fs = [unit("a")]
        let r = run(fs, Policy(targets: [target([2016: 0], [.smallest])]))
        #expect(r.closures.isEmpty && r.shortfalls.isEmpty)
    }

    @Test func plannedUnitsAreNotCandidates() {
        let fs = [unit("planned", size: 1, startYear: 2016), unit("old", size: 50)]
        let r = run(fs, Policy(targets: [target([2016: 10], [.smallest])]))
        #expect(closedIDs(r, fs) == ["old"])
    }
}
