import CapSimCore
import Testing

/// One year's order of business: reserve exhaustion, rules, targets, replacement openings.
@Suite struct YearStepTests {
    // MARK: reserve exhaustion

    @Test func mineClosesWhenRemainingReserveReachesZero() {
        // Remaining in year y = reserve − (y − 2016): 2 → 0 in 2018; 2.5 → −0.5 in 2019; 0 → 0 in 2016.
        let fs = [unit("r2", reserve: 2), unit("r2.5", reserve: 2.5), unit("r0", reserve: 0),
                  unit("r10", reserve: 10), unit("bf", .blastFurnace)]
        let r = run(fs)
        #expect(closed(r, fs) == [Closed("r0", 2016, "reserve_exhausted"), Closed("r2", 2018, "reserve_exhausted"),
                                  Closed("r2.5", 2019, "reserve_exhausted")])
        #expect(r.closures.map(\.cause) == [.reserveExhausted(remainingYears: 0), .reserveExhausted(remainingYears: 0),
                                            .reserveExhausted(remainingYears: -0.5)])
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 1)
        #expect(r.value(.unitsOperating, group: total(.iron), year: end) == 1)
    }

    @Test func mineWithReserveOfOneYearWorksItsLastYearThenCloses() {
        let fs = [unit("r1", capacity: 7, reserve: 1)]
        let r = run(fs)
        #expect(r.value(.capacity, group: total(.coal), year: 2016) == 7)
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2017) == 7)
        #expect(closed(r, fs) == [Closed("r1", 2017, "reserve_exhausted")])
    }

    @Test func exhaustionComesBeforeTheRules() {
        let fs = [unit("m", size: 5, reserve: 0, safety: true)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 30),
                                       ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)]))
        #expect(closed(r, fs) == [Closed("m", 2016, "reserve_exhausted")])
    }

    // MARK: closed units

    @Test func closedUnitStaysClosedAndIsReportedOnce() {
        let fs = [unit("f", capacity: 12, safety: true), unit("g", capacity: 3)]
        let r = run(fs, Policy(rules: [ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020),
                                       rule("small", .coal, .sizeAtOrBelow, 1000, years: 2017...2020)]))
        #expect(closed(r, fs) == [Closed("f", 2016, "safe"), Closed("g", 2017, "small")])
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2016) == 12)
        #expect(r.value(.capacityClosed, group: total(.coal), year: 2017) == 3)
        for y in 2018...end {
            #expect(r.value(.unitsClosed, group: total(.coal), year: y) == 0)
            #expect(r.value(.capacity, group: total(.coal), year: y) == 0)
        }
    }

    @Test func firstMatchingRuleIsTheReason() {
        let fs = [unit("m", size: 5, safety: true)]
        let small = rule("small", .coal, .sizeBelow, 30)
        let safe = ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)
        #expect(closed(run(fs, Policy(rules: [small, safe])), fs) == [Closed("m", 2016, "small")])
        #expect(closed(run(fs, Policy(rules: [safe, small])), fs) == [Closed("m", 2016, "safe")])
    }

    @Test func anInactiveEarlierRuleDoesNotTakeTheReason() {
        let fs = [unit("m", size: 5)]
        let later = rule("later", .coal, .sizeBelow, 30, years: 2018...2020)
        let now = rule("now", .coal, .sizeBelow, 10)
        #expect(closed(run(fs, Policy(rules: [later, now])), fs) == [Closed("m", 2016, "now")])
    }

    @Test func rulesRunBeforeTargetsSoTheyCountTowardIt() {
        // The rule closes 20 in 2016; the target of 25 then needs one more unit, chosen smallest first.
        let fs = [unit("ruled", capacity: 20, safety: true), unit("big", capacity: 10, size: 50),
                  unit("small", capacity: 10, size: 20)]
        let policy = Policy(rules: [ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)],
                            targets: [ClosureTarget(id: "t", sector: .coal, capacityClosedByYear: [2016: 25],
                                                    priority: [.smallest])])
        let r = run(fs, policy)
        #expect(closed(r, fs) == [Closed("ruled", 2016, "safe"), Closed("small", 2016, "t")])
        #expect(r.closures.last?.cause == .target(id: "t", targetCapacity: 25, closedBefore: 20, priority: [.smallest]))
    }
}

/// Replacement (减量置换): a planned unit opens when its enterprise's credit in the sector covers
/// ratio × capacity.
@Suite struct ReplacementTests {
    func sectors(coal: Double = 1, iron: Double = 1) -> [Sector: SectorPolicy] {
        [.coal: SectorPolicy(utilisation: 1, replacementRatio: coal),
         .iron: SectorPolicy(utilisation: 1, replacementRatio: iron)]
    }

    @Test func opensWhenCreditEqualsRatioTimesCapacity() {
        let fs = [unit("old", enterprise: "e", capacity: 30), unit("new", enterprise: "e", capacity: 20, startYear: 2017)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2016)], sectors: sectors(coal: 1.5)))
        #expect(opened(r, fs) == [Opened("new", 2017)])
        #expect(openings(r) == [Opening(year: 2017, facility: 1, capacity: 20, used: 30, available: 30, ratio: 1.5)])
        #expect(r.blockedOpenings.isEmpty)
        #expect(r.value(.capacity, group: total(.coal), year: 2016) == 0)
        #expect(r.value(.capacityOpened, group: total(.coal), year: 2017) == 20)
        #expect(r.value(.netCapacityReduction, group: total(.coal), year: 2017) == -20)
        #expect(r.value(.capacity, group: total(.coal), year: end) == 20)
    }

    @Test func staysBlockedJustBelowTheBoundary() {
        let fs = [unit("old", enterprise: "e", capacity: 29.9), unit("new", enterprise: "e", capacity: 20, startYear: 2017)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2016)], sectors: sectors(coal: 1.5)))
        #expect(r.openings.isEmpty)
        #expect(blocked(r) == [Blocked(facility: 1, ratio: 1.5, needed: 30, available: 29.9)])
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 0)
    }

    @Test func plannedUnitIsNotCountedBeforeItOpens() {
        let fs = [unit("old", enterprise: "e"), unit("new", enterprise: "e", startYear: 2016)]
        let r = run(fs)
        #expect(r.value(.unitsOperating, group: total(.coal), year: base) == 1)
        #expect(r.value(.unitsOperating, group: total(.coal), year: end) == 1)
        #expect(blocked(r) == [Blocked(facility: 1, ratio: 1, needed: 10, available: 0)])
    }

    @Test func openingConsumesCreditInTableOrder() {
        let fs = [unit("old", enterprise: "e", capacity: 30),
                  unit("new1", enterprise: "e", capacity: 20, startYear: 2016),
                  unit("new2", enterprise: "e", capacity: 20, startYear: 2016)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2016)]))
        #expect(opened(r, fs) == [Opened("new1", 2016)])
        #expect(blocked(r) == [Blocked(facility: 2, ratio: 1, needed: 20, available: 10)])
    }

    @Test func creditAccumulatesAcrossYearsAndTheUnitWaits() {
        let fs = [unit("a", enterprise: "e", capacity: 10), unit("b", enterprise: "e", capacity: 10),
                  unit("new", enterprise: "e", capacity: 15, startYear: 2016)]
        let r = run(fs, Policy(rules: [named("a16", ["a"], year: 2016), named("b18", ["b"], year: 2018)]))
        #expect(opened(r, fs) == [Opened("new", 2018)])
        #expect(r.openings.first?.creditAvailable10kt == 20)
        #expect(r.value(.unitsOperating, group: total(.coal), year: 2017) == 1)
        #expect(r.value(.capacity, group: total(.coal), year: 2018) == 15)
    }

    @Test func unitDoesNotOpenBeforeItsStartYearEvenWithCredit() {
        let fs = [unit("old", enterprise: "e"), unit("new", enterprise: "e", startYear: 2019)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2016)]))
        #expect(opened(r, fs) == [Opened("new", 2019)])
    }

    @Test func creditIsPerEnterprise() {
        let fs = [unit("other", enterprise: "f", capacity: 50), unit("new", enterprise: "e", startYear: 2016)]
        let r = run(fs, Policy(rules: [named("shut", ["other"], year: 2016)]))
        #expect(r.openings.isEmpty)
        #expect(blocked(r) == [Blocked(facility: 1, ratio: 1, needed: 10, available: 0)])
    }

    @Test func creditIsPerSectorAndRatioIsPerSector() {
        // The enterprise retires a furnace: its new furnace opens (iron ratio 1), its new mine does not.
        let fs = [unit("bf-old", .blastFurnace, enterprise: "e", capacity: 40),
                  unit("mine-new", enterprise: "e", capacity: 10, startYear: 2016),
                  unit("bf-new", .blastFurnace, enterprise: "e", capacity: 30, startYear: 2016)]
        let r = run(fs, Policy(rules: [named("shut", ["bf-old"], year: 2016)], sectors: sectors(coal: 1, iron: 1.2)))
        #expect(opened(r, fs) == [Opened("bf-new", 2016)])
        #expect(r.openings.first?.creditUsed10kt == 36)
        #expect(r.blockedOpenings.count == 1)
        #expect(r.blockedOpenings.first?.facility == 1)
        #expect(r.blockedOpenings.first?.creditAvailable10kt == 0)
    }

    @Test func creditFromTargetsAndExhaustionCounts() {
        let fs = [unit("dry", enterprise: "e", capacity: 10, reserve: 1),
                  unit("picked", enterprise: "g", capacity: 10),
                  unit("e-new", enterprise: "e", capacity: 10, startYear: 2016),
                  unit("g-new", enterprise: "g", capacity: 10, startYear: 2016)]
        let target = ClosureTarget(id: "t", sector: .coal, capacityClosedByYear: [2018: 10], priority: [.oldest])
        let r = run(fs, Policy(targets: [target]))
        #expect(closed(r, fs) == [Closed("dry", 2017, "reserve_exhausted"), Closed("picked", 2018, "t")])
        #expect(opened(r, fs) == [Opened("e-new", 2017), Opened("g-new", 2018)])
    }

    @Test func openedUnitIsSubjectToRulesFromTheNextYear() {
        // Openings come after the rules: the flagged new unit opening in 2017 is closed in 2018.
        let fs = [unit("old", enterprise: "e"), unit("new", enterprise: "e", startYear: 2016, safety: true)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2017),
                                       ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2020)]))
        #expect(opened(r, fs) == [Opened("new", 2017)])
        #expect(closed(r, fs) == [Closed("old", 2017, "shut"), Closed("new", 2018, "safe")])
        #expect(r.conservationViolations().isEmpty)
    }

    @Test func unitOpeningInItsStartYearIsNotSeenByThatYearsRules() {
        // Credit is there from 2016; the small new unit opens in 2018 after the rules and closes in 2019.
        let fs = [unit("old", enterprise: "e", size: 100), unit("new", enterprise: "e", size: 5, startYear: 2018)]
        let r = run(fs, Policy(rules: [named("shut", ["old"], year: 2016), rule("small", .coal, .sizeBelow, 30)]))
        #expect(opened(r, fs) == [Opened("new", 2018)])
        #expect(closed(r, fs) == [Closed("old", 2016, "shut"), Closed("new", 2019, "small")])
        #expect(r.value(.capacity, group: total(.coal), year: 2018) == 10)
    }

    @Test func plannedUnitStartingAfterTheEndYearIsNotBlocked() {
        let fs = [unit("new", enterprise: "e", startYear: end + 1), unit("due", enterprise: "e", startYear: end)]
        let r = run(fs)
        #expect(blocked(r) == [Blocked(facility: 1, ratio: 1, needed: 10, available: 0)])
    }

    @Test func zeroRatioOpensWithoutCredit() {
        let fs = [unit("new", enterprise: "e", startYear: 2017)]
        let r = run(fs, Policy(sectors: sectors(coal: 0)))
        #expect(opened(r, fs) == [Opened("new", 2017)])
    }
}
