import CapSimCore
import Testing

/// Each closure criterion at its threshold edge, the owner/region filters and the active years.
@Suite struct ClosureRuleTests {
    // MARK: size

    @Test func sizeBelowKeepsTheThresholdAndClosesJustBelow() {
        let fs = [unit("at", size: 30), unit("below", size: 29.99), unit("above", size: 30.01)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 30)]))
        #expect(closed(r, fs) == [Closed("below", 2016, "small")])
        #expect(r.closures.first?.cause == .rule(id: "small", criterion: .sizeBelow, measured: 29.99, threshold: 30))
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 2)
    }

    @Test func sizeAtOrBelowClosesTheThresholdAndKeepsJustAbove() {
        let fs = [unit("at", size: 30), unit("below", size: 29.99), unit("above", size: 30.01)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeAtOrBelow, 30)]))
        #expect(closed(r, fs) == [Closed("at", 2016, "small"), Closed("below", 2016, "small")])
        #expect(r.value(.capacity, group: total(.coal), year: end) == 10)
    }

    @Test func steelSizeRuleCoversConvertersAndElectricFurnacesButNotBlastFurnaces() {
        let fs = [unit("cv", .converter, size: 30), unit("ef", .electricFurnace, size: 30),
                  unit("ef-big", .electricFurnace, size: 31), unit("bf", .blastFurnace, size: 30)]
        let r = run(fs, Policy(rules: [rule("s30", .steel, .sizeAtOrBelow, 30)]))
        #expect(closedIDs(r, fs) == ["cv", "ef"])
    }

    // MARK: reserve

    /// Remaining reserve in year y is reserve − (y − base − 1): 5 years stay at threshold 5 in the
    /// first programme year, then close the year after; 9 years reach exactly 5 in the end year.
    @Test func reserveBelowUsesRemainingYearsAndKeepsTheEdge() {
        let fs = [unit("r5", reserve: 5), unit("r4.5", reserve: 4.5), unit("r9", reserve: 9),
                  unit("r8.9", reserve: 8.9)]
        let r = run(fs, Policy(rules: [rule("short", .coal, .reserveBelow, 5)]))
        #expect(closed(r, fs) == [Closed("r4.5", 2016, "short"), Closed("r5", 2017, "short"),
                                  Closed("r8.9", 2020, "short")])
        let r5 = r.closures.first { fs[$0.facility].id == "r5" }
        #expect(r5?.cause == .rule(id: "short", criterion: .reserveBelow, measured: 4, threshold: 5))
    }

    @Test func reserveBelowWithAThresholdInOneYearOnly() {
        // In 2018 remaining = reserve − 2.
        let fs = [unit("r7", reserve: 7), unit("r6.5", reserve: 6.5), unit("r3", reserve: 3)]
        let policy = Policy(rules: [ClosureRule(id: "y18", sector: .coal, criterion: .reserveBelow,
                                                thresholdByYear: [2018: 5], years: 2016...2020)])
        let r = run(fs, policy)
        // r3 would fire in 2016 and 2017 under a threshold of 5, but the rule is off then; in
        // 2018 its remaining is 1.
        #expect(closed(r, fs) == [Closed("r6.5", 2018, "y18"), Closed("r3", 2018, "y18")])
    }

    // MARK: cost

    @Test func costAbovePriceKeepsCostEqualToPriceAndClosesAbove() {
        let fs = [unit("equal", cost: 100, price: 100), unit("above", cost: 100.01, price: 100),
                  unit("below", cost: 99, price: 100)]
        let r = run(fs, Policy(rules: [rule("loss", .coal, .costAbovePrice, 0)]))
        #expect(closed(r, fs) == [Closed("above", 2016, "loss")])
    }

    @Test func costAbovePriceAppliesTheMargin() {
        // limit = 100 × (1 + 0.5) = 150.
        let fs = [unit("at", cost: 150, price: 100), unit("over", cost: 150.5, price: 100),
                  unit("loss", cost: 120, price: 100)]
        let r = run(fs, Policy(rules: [rule("m", .coal, .costAbovePrice, 0.5)]))
        #expect(closed(r, fs) == [Closed("over", 2016, "m")])
        #expect(r.closures.first?.cause == .rule(id: "m", criterion: .costAbovePrice, measured: 150.5, threshold: 150))
    }

    @Test func priceIndexLowersThePriceAUnitIsComparedWith() {
        let fs = [unit("profitable", cost: 90, price: 100)]
        let rules = [rule("loss", .coal, .costAbovePrice, 0)]
        #expect(run(fs, Policy(rules: rules)).closures.isEmpty)
        let cheap = run(fs, Policy(rules: rules, sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: 0.8)]))
        #expect(closed(cheap, fs) == [Closed("profitable", 2016, "loss")])
        // Another sector's index does not apply to coal.
        let other = run(fs, Policy(rules: rules, sectors: [.iron: SectorPolicy(utilisation: 1, priceIndex: 0.5)]))
        #expect(other.closures.isEmpty)
    }

    @Test func priceIndexAndMarginCombineAtTheEdge() {
        // limit = 100 × 0.75 × 1.5 = 112.5 exactly.
        let fs = [unit("at", cost: 112.5, price: 100), unit("over", cost: 112.6, price: 100)]
        let policy = Policy(rules: [rule("m", .coal, .costAbovePrice, 0.5)],
                            sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: 0.75)])
        let r = run(fs, policy)
        #expect(closed(r, fs) == [Closed("over", 2016, "m")])
        #expect(r.closures.first?.cause == .rule(id: "m", criterion: .costAbovePrice, measured: 112.6, threshold: 112.5))
    }

    // MARK: logistics, safety

    @Test func logisticsAboveKeepsTheThresholdAndClosesAbove() {
        let fs = [unit("at", logistics: 300), unit("over", logistics: 300.5), unit("near", logistics: 50)]
        let r = run(fs, Policy(rules: [rule("far", .coal, .logisticsAbove, 300)]))
        #expect(closed(r, fs) == [Closed("over", 2016, "far")])
    }

    @Test func safetyFlagClosesFlaggedUnitsOfItsSectorOnly() {
        let fs = [unit("ok"), unit("flagged", safety: true), unit("bf-flagged", .blastFurnace, safety: true)]
        let r = run(fs, Policy(rules: [ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag,
                                                   years: 2016...2020)]))
        #expect(closed(r, fs) == [Closed("flagged", 2016, "safe")])
    }

    // MARK: named

    @Test func namedRuleWithoutSectorClosesListedUnitsOfAnySectorInItsYearOnly() {
        let fs = [unit("m1"), unit("m2"), unit("bf", .blastFurnace), unit("cl", .clinkerLine)]
        let r = run(fs, Policy(rules: [named("n", ["m2", "bf"], year: 2017)]))
        #expect(closed(r, fs) == [Closed("m2", 2017, "n"), Closed("bf", 2017, "n")])
        #expect(r.value(.unitsClosed, group: total(.coal), year: 2016) == 0)
        #expect(r.value(.unitsClosed, group: total(.iron), year: 2017) == 1)
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 1)
    }

    @Test func namedRuleWithSectorClosesOnlyUnitsOfThatSector() {
        let fs = [unit("m1"), unit("bf", .blastFurnace), unit("m2")]
        let r = run(fs, Policy(rules: [named("n", ["m1", "bf"], year: 2016, sector: .coal)]))
        #expect(closed(r, fs) == [Closed("m1", 2016, "n")])
    }

    @Test func namedRuleStillHonoursOwnerAndRegionFilters() {
        let fs = [unit("a", owner: .private), unit("b", owner: .state), unit("c", owner: .private, region: "south")]
        let rule = ClosureRule(id: "n", sector: nil, criterion: .named, years: 2016...2016,
                               owner: .private, region: "north", namedFacilities: ["a", "b", "c"])
        #expect(closedIDs(run(fs, Policy(rules: [rule])), fs) == ["a"])
    }

    // MARK: filters

    @Test func ownerFilterRestrictsARule() {
        let fs = [unit("st", owner: .state, size: 5), unit("pr", owner: .private, size: 5)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 30, owner: .private)]))
        #expect(closed(r, fs) == [Closed("pr", 2016, "small")])
        #expect(r.value(.unitsClosed, group: AggregationGroup(sector: .coal, owner: .private), year: 2016) == 1)
        #expect(r.value(.unitsClosed, group: AggregationGroup(sector: .coal, owner: .state), year: 2016) == 0)
    }

    @Test func regionFilterRestrictsARule() {
        let fs = [unit("n", region: "north", size: 5), unit("s", region: "south", size: 5),
                  unit("s-big", region: "south", size: 50)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 30, region: "south")]))
        #expect(closed(r, fs) == [Closed("s", 2016, "small")])
    }

    @Test func ownerAndRegionFiltersCombine() {
        let fs = [unit("ns", owner: .state, region: "north", size: 5),
                  unit("np", owner: .private, region: "north", size: 5),
                  unit("ss", owner: .state, region: "south", size: 5),
                  unit("sp", owner: .private, region: "south", size: 5)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 30, owner: .private, region: "south")]))
        #expect(closedIDs(r, fs) == ["sp"])
    }

    // MARK: active years

    @Test func thresholdByYearIsActiveOnlyInListedYears() {
        // The Jilin pattern: 9 in 2016, nothing in 2017, 30 in 2018.
        let fs = [unit("s8", size: 8), unit("s9", size: 9), unit("s20", size: 20), unit("s31", size: 31)]
        let policy = Policy(rules: [ClosureRule(id: "steps", sector: .coal, criterion: .sizeAtOrBelow,
                                                thresholdByYear: [2016: 9, 2018: 30], years: 2016...2020)])
        let r = run(fs, policy)
        #expect(closed(r, fs) == [Closed("s8", 2016, "steps"), Closed("s9", 2016, "steps"),
                                  Closed("s20", 2018, "steps")])
        #expect(r.value(.unitsClosed, group: total(.coal), year: 2017) == 0)
    }

    @Test func isActiveFollowsThresholdMapOrYears() {
        let byYear = ClosureRule(id: "a", sector: .coal, criterion: .sizeBelow,
                                 thresholdByYear: [2017: 5], years: 2016...2020)
        #expect(!byYear.isActive(in: 2016) && byYear.isActive(in: 2017) && !byYear.isActive(in: 2018))
        let flag = ClosureRule(id: "b", sector: .coal, criterion: .safetyFlag, years: 2017...2018)
        #expect([2016, 2017, 2018, 2019].map(flag.isActive) == [false, true, true, false])
        let single = rule("c", .coal, .sizeBelow, 30, years: 2018...2019)
        #expect(single.thresholdByYear == [2018: 30, 2019: 30])
        #expect([2017, 2018, 2019, 2020].map(single.isActive) == [false, true, true, false])
    }

    @Test func fromBoundDelaysAThresholdRule() {
        let fs = [unit("small", size: 10)]
        let r = run(fs, Policy(rules: [rule("late", .coal, .sizeBelow, 30, years: 2018...2020)]))
        #expect(closed(r, fs) == [Closed("small", 2018, "late")])
    }

    @Test func fromBoundDelaysASafetyRule() {
        let fs = [unit("flagged", safety: true)]
        let r = run(fs, Policy(rules: [ClosureRule(id: "late", sector: .coal, criterion: .safetyFlag,
                                                   years: 2019...2020)]))
        #expect(closed(r, fs) == [Closed("flagged", 2019, "late")])
    }

    @Test func toBoundEndsARule() {
        // Reserve 6: remaining 6, 5, 4, 3, 2 in 2016…2020; below 3 only in 2020.
        let fs = [unit("m", reserve: 6)]
        #expect(closed(run(fs, Policy(rules: [rule("r", .coal, .reserveBelow, 3, years: 2016...2020)])), fs)
            == [Closed("m", 2020, "r")])
        #expect(run(fs, Policy(rules: [rule("r", .coal, .reserveBelow, 3, years: 2016...2019)])).closures.isEmpty)
        // The same for a rule without a threshold: a planned flagged unit that opens in 2018.
        let flagged = [unit("old", enterprise: "e", capacity: 10),
                       unit("new", enterprise: "e", capacity: 10, startYear: 2016, safety: true)]
        let policy = { (to: Int) in
            Policy(rules: [named("swap", ["old"], year: 2018),
                           ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...to)])
        }
        #expect(closed(run(flagged, policy(2019)), flagged) == [Closed("old", 2018, "swap"), Closed("new", 2019, "safe")])
        #expect(closed(run(flagged, policy(2018)), flagged) == [Closed("old", 2018, "swap")])
    }
}
