import CapSimCore
import Testing

/// The year's accounts of docs/MODEL.md §8.1–8.2: revenue and cost from output, interest paid,
/// repayment, capitalised interest, new borrowing, closure write-downs, profit and the main sector.
@Suite struct FinanceModelTests {
    let M = Fin.M

    // MARK: surplus years

    /// EBIT ≥ interest: interest is paid, repaymentShare of the surplus repays interest-bearing debt pro
    /// rata, the rest of the surplus adds to assets.
    @Test func surplusPaysInterestRepaysProRataAndKeepsTheRestAsAssets() {
        // Two coal units of A at 300 yuan/t price, 200 yuan/t cost; coal runs at 50 % with prices × 1.2.
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 200, price: 300),
                  unit("a2", enterprise: "A", capacity: 30, cost: 200, price: 300)]
        let a = Fin.enterprise("A", assets: 500 * M, bank: 100 * M, bonds: 50 * M, privateFinancing: 50 * M,
                               wages: 10 * M, bankRate: 0.05, bondRate: 0.08, privateRate: 0.10, fixedCost: 12 * M)
        let r = Fin.run(fs, [a], Fin.finance(repayment: 0.5),
                        sectors: [.coal: SectorPolicy(utilisation: 0.5, priceIndex: 1.2)])
        // 2016. q(a1) = 10 × 0.5 × 10⁴ = 50,000 t, q(a2) = 150,000 t; 200,000 t in all.
        // R = 200,000 × 300 × 1.2 = 72 M; C = 200,000 × 200 + 12 M fixed = 52 M; EBIT = 20 M.
        // I = 5 % × 100 + 8 % × 50 + 10 % × 50 = 5 + 4 + 5 = 14 M (wage arrears bear none) ≤ EBIT.
        // S = 6 M; P = 0.5 × 6 = 3 M over 200 M interest-bearing: bank 1.5, bonds 0.75, private 0.75.
        // A = 500 + 6 − 3 = 503 M; D = 210 − 3 = 207 M; profit = 20 − 14 = 6 M.
        Fin.expect(r, "A", 2016, [
            .revenue: 72 * M, .operatingCost: 52 * M, .interestCharged: 14 * M, .interestPaid: 14 * M,
            .interestCapitalised: 0, .newBorrowing: 0, .repaid: 3 * M, .debtOpening: 210 * M,
            .debtByClass(.bankLoans): 98.5 * M, .debtByClass(.bonds): 49.25 * M,
            .debtByClass(.privateFinancing): 49.25 * M, .debtByClass(.wageArrears): 10 * M,
            .debt: 207 * M, .assets: 503 * M, .equity: 296 * M, .profit: 6 * M, .assetWriteDown: 0,
        ])
        // 2017, interest on the reduced opening debt: 5 % × 98.5 + 8 % × 49.25 + 10 % × 49.25
        // = 4.925 + 3.94 + 4.925 = 13.79 M; S = 6.21 M; P = 3.105 M; A = 503 + 3.105 = 506.105 M.
        // Bank share of P: 3.105 × 98.5 / 197 = 1.5525 → bank 96.9475 M.
        Fin.expect(r, "A", 2017, [
            .debtOpening: 207 * M, .interestCharged: 13.79 * M, .interestPaid: 13.79 * M, .repaid: 3.105 * M,
            .debtByClass(.bankLoans): 96.9475 * M, .debt: 203.895 * M, .assets: 506.105 * M, .profit: 6.21 * M,
        ])
        Fin.expectIdentity(r)
    }

    /// Repayment is min(share × surplus, interest-bearing debt); arrears are never repaid from surplus.
    @Test func repaymentIsCappedAtInterestBearingDebtAndLeavesArrears() {
        // EBIT = 10 × 1 × 10⁴ t × (300 − 200) = 10 M every year; bank 2 M at 0 %; wage arrears 5 M.
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 200, price: 300)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 100 * M, bank: 2 * M, wages: 5 * M)], Fin.finance(repayment: 1))
        // 2016: P = min(1 × 10, 2) = 2 M; A = 100 + 10 − 2 = 108 M; bank 0, wages 5 M.
        Fin.expect(r, "A", 2016, [.repaid: 2 * M, .assets: 108 * M, .debtByClass(.bankLoans): 0,
                                  .debtByClass(.wageArrears): 5 * M, .debt: 5 * M])
        // 2017: nothing interest-bearing left: P = 0, A = 118 M.
        Fin.expect(r, "A", 2017, [.repaid: 0, .assets: 118 * M, .debt: 5 * M])
        Fin.expectIdentity(r)
    }

    /// Arrears bear no interest even when a rate is passed for them.
    @Test func arrearsBearNoInterestWhateverRateIsGiven() {
        let e = Enterprise(id: "A", owner: .state, assetsYuan: 100 * M,
                           debtYuan: [.wageArrears: 10 * M, .taxArrears: 10 * M, .socialInsuranceArrears: 10 * M],
                           interestRate: [.wageArrears: 0.5, .taxArrears: 0.5, .socialInsuranceArrears: 0.5])
        #expect(e.interestRate == [0, 0, 0, 0, 0, 0])
        #expect(e.totalDebtYuan == 30 * M)
        // Even a rate set on an arrears class after creation is not charged by the model.
        var forced = e
        forced.interestRate[CreditorClass.wageArrears.index] = 0.5
        forced.interestRate[CreditorClass.taxArrears.index] = 0.5
        for enterprise in [e, forced] {
            let r = Fin.run([unit("a1", enterprise: "A")], [enterprise], Fin.finance())
            Fin.expect(r, "A", 2016, [.interestCharged: 0, .interestCapitalised: 0, .debt: 30 * M])
        }
    }

    // MARK: shortfall years

    /// 0 < EBIT < interest: EBIT pays part, the rest is capitalised pro rata to the charged interest;
    /// nothing is borrowed and assets do not change.
    @Test func ebitBelowInterestCapitalisesTheShortfallProRataToChargedInterest() {
        // EBIT = 10 × 10⁴ t × (150 − 100) = 5 M.
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 150)]
        let a = Fin.enterprise("A", assets: 300 * M, bank: 100 * M, bonds: 40 * M, privateFinancing: 20 * M,
                               bankRate: 0.06, bondRate: 0.05, privateRate: 0.10)
        let r = Fin.run(fs, [a], Fin.finance(repayment: 1))
        // I = 6 + 2 + 2 = 10 M > 5 M: paid 5 M, capitalised 5 M split 6:2:2 → bank +3, bonds +1, private +1.
        // Profit = 5 − 10 = −5 M.
        Fin.expect(r, "A", 2016, [
            .interestCharged: 10 * M, .interestPaid: 5 * M, .interestCapitalised: 5 * M, .newBorrowing: 0,
            .repaid: 0, .debtByClass(.bankLoans): 103 * M, .debtByClass(.bonds): 41 * M,
            .debtByClass(.privateFinancing): 21 * M, .debt: 165 * M, .assets: 300 * M, .equity: 135 * M,
            .profit: -5 * M,
        ])
        // 2017 charges interest on the capitalised interest too: 6 % × 103 + 5 % × 41 + 10 % × 21
        // = 6.18 + 2.05 + 2.1 = 10.33 M; paid 5 M, capitalised 5.33 M; D = 165 + 5.33 = 170.33 M.
        Fin.expect(r, "A", 2017, [.interestCharged: 10.33 * M, .interestPaid: 5 * M,
                                  .interestCapitalised: 5.33 * M, .debt: 170.33 * M, .assets: 300 * M])
        Fin.expectIdentity(r)
    }

    /// EBIT < 0: no interest is paid, all of it is capitalised and the loss is borrowed from banks.
    @Test func operatingLossIsBorrowedFromBanksAndAllInterestCapitalised() {
        // price = cost, so EBIT = −fixed cost = −4 M.
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let a = Fin.enterprise("A", assets: 300 * M, bank: 100 * M, bonds: 40 * M, privateFinancing: 20 * M,
                               bankRate: 0.06, bondRate: 0.05, privateRate: 0.10, fixedCost: 4 * M)
        let r = Fin.run(fs, [a], Fin.finance(repayment: 1))
        // Capitalised 10 M (bank 6, bonds 2, private 2); N = 4 M to banks: bank 100 + 6 + 4 = 110 M.
        // Profit = −4 − 10 = −14 M; assets unchanged.
        Fin.expect(r, "A", 2016, [
            .revenue: 10 * M, .operatingCost: 14 * M, // R = 10 × 10⁴ t × 100 yuan/t; C = R + 4 M fixed
            .interestPaid: 0, .interestCapitalised: 10 * M, .newBorrowing: 4 * M,
            .debtByClass(.bankLoans): 110 * M, .debtByClass(.bonds): 42 * M, .debtByClass(.privateFinancing): 22 * M,
            .debt: 174 * M, .assets: 300 * M, .equity: 126 * M, .profit: -14 * M,
        ])
        Fin.expectIdentity(r)
    }

    /// EBIT < 0 with no interest-bearing debt: only the loss is borrowed, nothing is capitalised.
    @Test func lossWithoutInterestBearingDebtOnlyBorrows() {
        let r = Fin.run([unit("a1", enterprise: "A")], [Fin.enterprise("A", assets: 50 * M, wages: 5 * M, fixedCost: 2 * M)],
                        Fin.finance())
        // Each year N = 2 M; D = 5 + 2 y M.
        #expect(Fin.series(r, .newBorrowing, "A") == [0, 2, 2, 2, 2, 2].map { $0 * M })
        #expect(Fin.series(r, .interestCapitalised, "A") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .debtByClass(.bankLoans), "A") == [0, 2, 4, 6, 8, 10].map { $0 * M })
        #expect(Fin.series(r, .debt, "A") == [5, 7, 9, 11, 13, 15].map { $0 * M })
        Fin.expectIdentity(r)
    }

    // MARK: output, openings and write-downs

    /// Revenue follows utilisation by year and price index; a replacement unit earns from its opening
    /// year but carries no book value; closures write down share × book value (assets × cap / base cap).
    @Test func revenueWriteDownsAndBookValuesOverARun() {
        // Base units a1 (20) and a2 (10): base capacity 30, so bv(a1) = 300 × 20/30 = 200 M, bv(a2) = 100 M.
        // p (10, 400 yuan/t) is planned for 2017; a2's closure in 2016 gives the credit it needs.
        let fs = [unit("a1", enterprise: "A", capacity: 20, cost: 200, price: 300),
                  unit("a2", enterprise: "A", capacity: 10, cost: 200, price: 300),
                  unit("p", enterprise: "A", capacity: 10, startYear: 2017, cost: 200, price: 400)]
        let rules = [named("x2", ["a2"], year: 2016), named("xp", ["p"], year: 2019), named("x1", ["a1"], year: 2020)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 300 * M)], Fin.finance(writeDown: 1, repayment: 0.5), rules: rules,
                        sectors: [.coal: SectorPolicy(utilisation: 0.5, utilisationByYear: [2018: 1])])
        #expect(opened(r, fs) == [Opened("p", 2017)])
        // 2016: a1 only, 100,000 t: R 30, C 20 → A = 300 + 10 − W 100 (a2) = 210 M; profit 10 − 100 = −90 M.
        Fin.expect(r, "A", 2016, [.revenue: 30 * M, .operatingCost: 20 * M, .assetWriteDown: 100 * M,
                                  .assets: 210 * M, .profit: -90 * M])
        // 2017: a1 100,000 t + p 50,000 t: R = 30 + 20 = 50, C = 20 + 10 = 30 → A = 230 M.
        Fin.expect(r, "A", 2017, [.revenue: 50 * M, .operatingCost: 30 * M, .assetWriteDown: 0, .assets: 230 * M])
        // 2018 at full utilisation: a1 200,000 t (60 / 40), p 100,000 t (40 / 20) → A = 270 M.
        Fin.expect(r, "A", 2018, [.revenue: 100 * M, .operatingCost: 60 * M, .assets: 270 * M])
        // 2019: p closes with no book value: W = 0; a1 earns 10 M → A = 280 M.
        Fin.expect(r, "A", 2019, [.revenue: 30 * M, .assetWriteDown: 0, .assets: 280 * M, .profit: 10 * M])
        // 2020: a1 closes: W = 200 M, no revenue → A = 80 M.
        Fin.expect(r, "A", 2020, [.revenue: 0, .assetWriteDown: 200 * M, .assets: 80 * M, .profit: -200 * M])
        Fin.expectIdentity(r)
    }

    /// Revenue uses the year's price index π(sec, y): priceIndexByYear where given, else priceIndex.
    @Test func revenueFollowsThePricePath() {
        // 10 × 10⁴ t a year at 200 yuan/t × π, cost 100 yuan/t: π = 1.5 → R 30 M; 2017 π = 0.5 → R 10 M,
        // EBIT 0; 2018 π = 0.25 → R 5 M, EBIT −5 M (borrowed).
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 200)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 100 * M)], Fin.finance(),
                        sectors: [.coal: SectorPolicy(utilisation: 1, priceIndex: 1.5,
                                                      priceIndexByYear: [2017: 0.5, 2018: 0.25])])
        #expect(Fin.series(r, .revenue, "A").map { $0 / M } == [0, 30, 10, 5, 30, 30])
        #expect(Fin.series(r, .profit, "A").map { $0 / M } == [0, 20, 0, -5, 20, 20])
        #expect(Fin.series(r, .newBorrowing, "A").map { $0 / M } == [0, 0, 0, 5, 0, 0])
        // No debt to repay: assets collect every surplus, 100 + 20 + 0 + 0 + 20 + 20.
        #expect(Fin.series(r, .assets, "A").map { $0 / M } == [100, 120, 120, 120, 140, 160])
    }

    /// Write-down = assetWriteDownShare × bv, bv from base units only; a planned unit never enters the
    /// base capacity.
    @Test func writeDownIsAShareOfBookValueFromBaseCapacityOnly() {
        // Base capacity 10 + 30 = 40 (the planned 60 never opens): bv 100 M and 300 M.
        let fs = [unit("a1", enterprise: "A", capacity: 10), unit("a2", enterprise: "A", capacity: 30),
                  unit("p", enterprise: "A", capacity: 60, startYear: 2030)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 400 * M)], Fin.finance(writeDown: 0.8),
                        rules: [named("x1", ["a1"], year: 2016), named("x2", ["a2"], year: 2018)])
        // W(2016) = 0.8 × 100 = 80 M; W(2018) = 0.8 × 300 = 240 M; assets 400 → 320 → 80 M.
        #expect(Fin.series(r, .assetWriteDown, "A").map { $0 / M } == [0, 80, 0, 240, 0, 0])
        #expect(Fin.series(r, .assets, "A").map { $0 / M } == [400, 320, 320, 80, 80, 80])
        #expect(Fin.series(r, .profit, "A").map { $0 / M } == [0, -80, 0, -240, 0, 0])
        Fin.expectIdentity(r)
    }

    // MARK: base year and main sector

    /// The base-year row is the opening balance sheet, with no flows.
    @Test func baseYearRowIsTheOpeningBalanceSheet() {
        let a = Fin.enterprise("A", owner: .private, assets: 90 * M, bank: 10 * M, bonds: 20 * M, tax: 3 * M,
                               bankRate: 0.1, fixedCost: 5 * M)
        let r = Fin.run([unit("a1", enterprise: "A", owner: .private)], [a], Fin.finance())
        Fin.expect(r, "A", base, [.debtOpening: 33 * M, .debt: 33 * M, .debtByClass(.bankLoans): 10 * M,
                                  .debtByClass(.bonds): 20 * M, .debtByClass(.taxArrears): 3 * M, .assets: 90 * M,
                                  .equity: 57 * M, .enterprisesActive: 1])
        for metric in FinanceMetric.allCases where !metric.isStock {
            #expect(Fin.value(r, metric, "A", base) == 0, "\(metric.name)")
        }
        #expect(r.finance!.years == Array(base...end))
        #expect(Fin.series(r, .enterprisesActive, "A") == [1, 1, 1, 1, 1, 1])
    }

    /// Main sector: the sector of most base capacity, ties in sector order, planned units not counted
    /// (an enterprise with only planned units takes its first unit's sector).
    @Test func mainSectorIsTheSectorOfMostBaseCapacity() {
        let fs = [unit("x1", .coalMine, enterprise: "X", capacity: 10),
                  unit("x2", .blastFurnace, enterprise: "X", capacity: 20),
                  unit("y1", .converter, enterprise: "Y", capacity: 15),
                  unit("y2", .coalMine, enterprise: "Y", capacity: 15),
                  unit("z1", .clinkerLine, enterprise: "Z", capacity: 100, startYear: 2030),
                  unit("z2", .grindingStation, enterprise: "Z", capacity: 5),
                  unit("w1", .electricFurnace, enterprise: "W", capacity: 50, startYear: 2030),
                  unit("w2", .coalMine, enterprise: "W", capacity: 70, startYear: 2031)]
        let es = ["X", "Y", "Z", "W"].map { Fin.enterprise($0, assets: 10 * M, bank: 4 * M) }
        let r = Fin.run(fs, es, Fin.finance())
        // X: iron 20 > coal 10. Y: steel 15 = coal 15 → coal (first in sector order). Z: grinding 5
        // (the 100 of clinker is planned). W: only planned units → its first unit's sector, steel.
        #expect(r.finance!.mainSector == [.iron, .coal, .grinding, .steel])
        // Group totals follow the main sector.
        let f = r.finance!
        #expect(f.total(.assets, sector: .coal, owner: nil, yearIndex: 0, scenario: 0) == 10 * M)
        #expect(f.total(.assets, sector: nil, owner: .state, yearIndex: 0, scenario: 0) == 40 * M)
        #expect(f.debtToAssets(sector: .iron, owner: nil, yearIndex: 0, scenario: 0) == 0.4)
        #expect(f.debtToAssets(sector: .clinker, owner: nil, yearIndex: 0, scenario: 0) == 0)
    }

    /// Enterprise.mainSectors directly: most base capacity, ties to the earlier sector, base units of
    /// zero capacity count as none, planned-only → first unit's sector, no facility → nil.
    @Test func mainSectorsOfATable() {
        let fs = [unit("a1", .clinkerLine, enterprise: "A", capacity: 7),
                  unit("a2", .grindingStation, enterprise: "A", capacity: 7),
                  unit("b1", .electricFurnace, enterprise: "B", capacity: 0),
                  unit("b2", .blastFurnace, enterprise: "B", capacity: 3, startYear: 2017),
                  unit("c1", .grindingStation, enterprise: "C", capacity: 1, startYear: 1990),
                  unit("c2", .coalMine, enterprise: "C", capacity: 2, startYear: base + 1)]
        let es = ["A", "B", "C", "D"].map { Fin.enterprise($0, assets: 1) }
        // A: clinker 7 = grinding 7 → clinker. B: no base capacity → first unit (steel). C: the coal mine
        // starts after the base year → grinding. D owns nothing.
        #expect(Enterprise.mainSectors(of: es, facilities: fs, baseYear: base) == [.clinker, .steel, .grinding, nil])
    }

    /// Lever filters by sector use the main sector, not the sector of any unit.
    @Test func sectorFilterUsesTheMainSector() {
        let fs = [unit("x1", .coalMine, enterprise: "X", capacity: 10),
                  unit("x2", .blastFurnace, enterprise: "X", capacity: 20),
                  unit("y1", .coalMine, enterprise: "Y", capacity: 10)]
        let es = ["X", "Y"].map { Fin.enterprise($0, assets: 100 * M, bank: 40 * M) }
        let r = Fin.run(fs, es, Fin.finance(instruments: [
            Fin.lever("coal", .writeOff, 2016...2016, [.bankLoans], share: 0.5, filter: .init(sectors: [.coal]))]))
        // X (main sector iron) keeps 40 M; Y (coal) loses half.
        Fin.expect(r, "X", 2016, [.debt: 40 * M, .writtenOff: 0])
        Fin.expect(r, "Y", 2016, [.debt: 20 * M, .writtenOff: 20 * M])
    }
}
