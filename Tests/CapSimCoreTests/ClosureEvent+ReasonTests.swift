import CapSimCore
import Testing

/// Closure reasons name the numbers, in the kind's unit, that made the rule fire.
@Suite struct ClosureEventReasonTests {
    @Test func reasonsOfARunUseMeasuredFiguresAndUnits() {
        let fs = [unit("bf", .blastFurnace, size: 350), unit("cl", .clinkerLine, size: 2500),
                  unit("m", cost: 420.5, price: 400), unit("dry", reserve: 0), unit("far", cost: 50, logistics: 512)]
        let policy = Policy(rules: [rule("bf400", .iron, .sizeAtOrBelow, 400), rule("cl", .clinker, .sizeBelow, 2600),
                                    rule("loss", .coal, .costAbovePrice, 0.05),
                                    rule("far", .coal, .logisticsAbove, 500)],
                            sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: 0.9)])
        let r = run(fs, policy)
        let reasons = Dictionary(uniqueKeysWithValues: r.closures.map {
            (fs[$0.facility].id, $0.cause.reason(facility: fs[$0.facility]))
        })
        #expect(reasons["bf"] == "size 350 m3 <= 400 m3")
        #expect(reasons["cl"] == "size 2500 t/day < 2600 t/day")
        // limit = 400 × 0.9 × 1.05 = 378.
        #expect(reasons["m"] == "unit cost 420.5 yuan/t > price limit 378 yuan/t")
        #expect(reasons["dry"] == "reserve exhausted: 0 years left")
        #expect(reasons["far"] == "logistics distance 512 km > 500 km")
    }

    @Test func targetReasonListsGoalClosedBeforeAndKeys() {
        let cause = ClosureCause.target(id: "t", targetCapacity: 1405, closedBefore: 310.5,
                                        priority: [.shortestReserve, .highestLogistics])
        #expect(cause.reason(facility: unit("m")) == "target 1405 10kt/yr, 310.5 closed before; priority shortest_reserve>highest_logistics")
        #expect(cause.ruleID == "t")
        #expect(ClosureCause.reserveExhausted(remainingYears: -0.5).ruleID == "reserve_exhausted")
    }

    @Test func reserveBelowReasonShowsRemainingYears() {
        let fs = [unit("m", reserve: 4.5)]
        let r = run(fs, Policy(rules: [rule("short", .coal, .reserveBelow, 5, years: 2017...2017)]))
        #expect(r.closures.first?.cause.reason(facility: fs[0]) == "remaining reserve 3.5 years < 5 years")
    }
}
