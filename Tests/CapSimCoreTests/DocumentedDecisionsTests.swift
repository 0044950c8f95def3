import CapSimCore
import Testing

/// Behaviours docs/MODEL.md and docs/SCENARIO-FORMAT.md state after an independent
/// reimplementation found the two documents disagreeing or silent (issue 11). Each test pins what
/// the engine does, as the documents now say.
@Suite struct DocumentedDecisionsTests {
    static let nfc = "Caf\u{E9}"        // é as one scalar
    static let nfd = "Cafe\u{301}"      // e + combining acute accent

    /// Text (enterprise, region, ids) is compared as Unicode text: canonically equivalent spellings
    /// are one value (MODEL §1.1). A unit retired under the NFC spelling gives credit to a planned
    /// unit whose enterprise is spelled in NFD.
    @Test func canonicallyEquivalentEnterpriseSpellingsShareOneCreditPool() {
        #expect(Array(Self.nfc.unicodeScalars) != Array(Self.nfd.unicodeScalars))
        let fs = [unit("old", enterprise: Self.nfc, capacity: 10),
                  unit("new", enterprise: Self.nfd, capacity: 10, startYear: 2017)]
        let policy = Policy(rules: [named("x", ["old"], year: 2016)],
                            sectors: [.coal: SectorPolicy(utilisation: 1, replacementRatio: 1)])
        let r = run(fs, policy)
        #expect(opened(r, fs) == [Opened("new", 2017)])
        #expect(r.blockedOpenings.isEmpty)
    }

    /// A rule's `region` filter matches a unit whose region is the canonically equivalent spelling.
    @Test func aRegionFilterMatchesTheCanonicallyEquivalentSpelling() {
        let fs = [unit("a", region: Self.nfd, size: 5), unit("b", region: "other", size: 5)]
        let r = run(fs, Policy(rules: [rule("small", .coal, .sizeBelow, 10, region: Self.nfc)]))
        #expect(closedIDs(r, fs) == ["a"])
    }

    /// A planned unit whose start year is after the end year never had a chance to open: it is not
    /// in the blocked list (MODEL §2.4), while one that could have opened and lacked credit is.
    @Test func aUnitStartingAfterTheEndYearIsNotListedAsBlocked() {
        let fs = [unit("late", capacity: 10, startYear: end + 1),
                  unit("due", capacity: 10, startYear: end)]
        let r = run(fs, Policy(sectors: [.coal: SectorPolicy(utilisation: 1, replacementRatio: 1)]))
        #expect(r.openings.isEmpty)
        #expect(r.blockedOpenings.map { fs[$0.facility].id } == ["due"])
    }

    /// Filters on a `named` rule built in code (the loader refuses them in a scenario file) still
    /// apply: a listed unit that fails them is not closed (MODEL §2.2).
    @Test func filtersOnANamedRuleBuiltInCodeStillApply() {
        let fs = [unit("a", owner: .state), unit("b", owner: .private)]
        var rule = named("n", ["a", "b"], year: 2016)
        rule.owner = .private
        let r = run(fs, Policy(rules: [rule]))
        #expect(closedIDs(r, fs) == ["b"])
    }

    /// `closures.csv` lists a year's closures as they happen: enterprise exits (§2.0a) first, then
    /// exhaustion, rules and targets; here an exit precedes an exhaustion of a unit earlier in the table.
    @Test func enterpriseExitsComeFirstInAYearsClosures() {
        let M = Fin.M
        let fs = [unit("mine", enterprise: "Y", reserve: 1), unit("x1", enterprise: "X"),
                  unit("y1", enterprise: "Y", size: 5)]
        let es = [Fin.enterprise("X", assets: 10 * M, bank: 100 * M), Fin.enterprise("Y", assets: 1_000 * M)]
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("X"), kind: .bankruptcy, recovery: [:])])),
                        rules: [rule("small", .coal, .sizeBelow, 10, years: 2017...2017)])
        #expect(closed(r, fs) == [Closed("x1", 2017, "enterprise_exit"), Closed("mine", 2017, "reserve_exhausted"),
                                  Closed("y1", 2017, "small")])
    }
}
