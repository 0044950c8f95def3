import CapSimCore
import Testing

/// Cohort cells: indexing, band geometry, service years, retirement and the eligibility share
/// (docs/MODEL.md §7.1, §7.2).
@Suite struct WorkforceStructureTests {
    @Test func cellsAreMaleFirstThenFemale() {
        let st = WF.wide  // 7 bands
        #expect(st.bandCount == 7)
        #expect(st.cellCount == 14)
        #expect((0..<7).map { st.cell(.male, $0) } == Array(0..<7))
        #expect((0..<7).map { st.cell(.female, $0) } == Array(7..<14))
        #expect(Sex.male.index == 0 && Sex.female.index == 1)
        #expect(WF.structure.cell(.female, 0) == 5)
        #expect(WF.structure.cell(.female, 4) == 9)
    }

    @Test func widthsAndMidAges() {
        let st = WF.wide  // edges 16, 25, 35, 45, 50, 55, 60, 65
        #expect((0..<7).map(st.width) == [9, 10, 10, 5, 5, 5, 5])
        #expect((0..<7).map(st.midAge) == [20.5, 30, 40, 47.5, 52.5, 57.5, 62.5])
        #expect((0..<7).map(WF.uneven.width) == [15, 12, 9, 1, 3, 1, 1])
    }

    @Test func serviceYearsCountFromCareerStartAndAreNeverNegative() {
        // Career start 18: mid-points 20.5, 30, 40, 47.5, … less 18.
        #expect((0..<7).map(WF.wide.serviceYears) == [2.5, 12, 22, 29.5, 34.5, 39.5, 44.5])
        // Career start 25: the first band's mid-point 20.5 is before it, so 0, not −4.5.
        let late = WorkforceStructure(ageBandEdges: WF.wide.ageBandEdges, retirementAge: WF.wide.retirementAge,
                                      careerStartAge: 25)
        #expect(late.serviceYears(0) == 0)
        #expect(late.serviceYears(1) == 5)
        #expect(late.serviceYears(6) == 37.5)
    }

    @Test func pastRetirementIsBandStartAtOrAfterTheRetirementAge() {
        let st = WF.wide  // men 60, women 50
        #expect((0..<7).map { st.isPastRetirement(.male, $0) } == [false, false, false, false, false, false, true])
        #expect((0..<7).map { st.isPastRetirement(.female, $0) } == [false, false, false, false, true, true, true])
        // Retirement at the last edge: no band is past it.
        #expect((0..<7).allSatisfy { !WF.uneven.isPastRetirement(.male, $0) })
        #expect((0..<7).map { WF.uneven.isPastRetirement(.female, $0) }
            == [false, false, false, false, true, true, true])
    }

    @Test func shareWithinIsOneForTheBandExactlyBeforeRetirement() {
        // Men retire at 60: [55, 60) lies entirely in the last 5 years; women (50): [45, 50).
        #expect(WF.wide.shareWithin(5, ofRetirement: .male, band: 5) == 1)
        #expect(WF.wide.shareWithin(5, ofRetirement: .female, band: 3) == 1)
        // A window longer than the band still gives 1, never more.
        #expect(WF.wide.shareWithin(7, ofRetirement: .male, band: 5) == 1)
    }

    @Test func shareWithinOfABandStraddlingTheWindowStartIsTheOverlapFraction() {
        let st = WF.wide
        // Men, 8 years: window [52, 60). Band [50, 55): (55 − 52) / 5 = 0.6.
        #expect(abs(st.shareWithin(8, ofRetirement: .male, band: 4) - 0.6) < 1e-15)
        // Men, 18 years: window [42, 60). Band [35, 45): (45 − 42) / 10 = 0.3; [45, 50) wholly inside.
        #expect(abs(st.shareWithin(18, ofRetirement: .male, band: 2) - 0.3) < 1e-15)
        #expect(st.shareWithin(18, ofRetirement: .male, band: 3) == 1)
        // Women, 7 years: window [43, 50). Band [35, 45): (45 − 43) / 10 = 0.2.
        #expect(abs(st.shareWithin(7, ofRetirement: .female, band: 2) - 0.2) < 1e-15)
        // A 6-year band [52, 58) with the 5-year window [55, 60): half of it.
        let straddle = WorkforceStructure(ageBandEdges: [20, 52, 58, 60], retirementAge: [.male: 60, .female: 60],
                                          careerStartAge: 20)
        #expect(straddle.shareWithin(5, ofRetirement: .male, band: 1) == 0.5)
        #expect(straddle.shareWithin(5, ofRetirement: .male, band: 2) == 1)
        #expect(straddle.shareWithin(5, ofRetirement: .male, band: 0) == 0)
        // Band [20, 52) and a 10-year window [50, 60): 2 / 32.
        #expect(straddle.shareWithin(10, ofRetirement: .female, band: 0) == 2.0 / 32)
    }

    @Test func shareWithinIsZeroBelowTheWindowAndPastRetirement() {
        let st = WF.wide
        // Men, 5 years: window [55, 60); band [50, 55) ends exactly where it starts.
        #expect(st.shareWithin(5, ofRetirement: .male, band: 4) == 0)
        #expect(st.shareWithin(5, ofRetirement: .male, band: 0) == 0)
        // Past retirement: men [60, 65), women [50, 55) … [60, 65).
        #expect(st.shareWithin(5, ofRetirement: .male, band: 6) == 0)
        #expect(st.shareWithin(40, ofRetirement: .male, band: 6) == 0)
        for k in 4..<7 { #expect(st.shareWithin(30, ofRetirement: .female, band: k) == 0) }
        // A zero-year window contains nobody.
        #expect(st.shareWithin(0, ofRetirement: .male, band: 5) == 0)
    }

    @Test func sectorCellsSplitTheHeadcountExactlyBySexAndAge() {
        // Dyadic shares so every product is exact in binary.
        let profile = SectorWorkforce(
            femaleShare: 0.25,
            ageShares: [.male: [0.125, 0.25, 0.25, 0.125, 0.125, 0.125, 0],
                        .female: [0.5, 0.25, 0.125, 0.125, 0, 0, 0]],
            wageYuanPerYear: 1)
        let cells = profile.cells(workers: 1024, structure: WF.wide)
        // Men: 768 × shares; women: 256 × shares.
        #expect(cells == [96, 192, 192, 96, 96, 96, 0, 128, 64, 32, 32, 0, 0, 0])
        #expect(cells.reduce(0, +) == 1024)
    }

    @Test func sectorCellsOfAnArbitraryProfileSumToTheHeadcount() {
        let cells = WF.coalProfile.cells(workers: 1000, structure: WF.structure)
        let want: [Double] = [160, 240, 240, 80, 80, 50, 50, 100, 0, 0]
        for (got, w) in zip(cells, want) { WF.near(got, w, "cell") }
        WF.near(cells.reduce(0, +), 1000, "sum")
        // Fractional persons are kept, not rounded.
        let few = WF.coalProfile.cells(workers: 3, structure: WF.structure)
        WF.near(few[0], 3 * 0.8 * 0.2, "3 workers, men 20-30")
        WF.near(few[7], 3 * 0.2 * 0.5, "3 workers, women 40-50")
        // No women: every female cell is 0.
        var men = WF.coalProfile
        men.femaleShare = 0
        #expect(men.cells(workers: 1000, structure: WF.structure)[5...] == [0, 0, 0, 0, 0])
    }
}
