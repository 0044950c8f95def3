import CapSimCore
import Testing

/// The debt levers of docs/MODEL.md §8.3, each on a hand-worked example, with their eligibility
/// filters, active years and order.
@Suite struct DebtInstrumentTests {
    let M = Fin.M

    /// The loss-maker most tests use: price = cost, so EBIT = −4 M fixed cost every year; interest
    /// 6 % on 100 M bank, 5 % on 40 M bonds, 10 % on 20 M private = 10 M in 2016.
    /// Without levers its 2016 accounts capitalise all 10 M (U: bank 6, bonds 2, private 2) and
    /// borrow 4 M: bank 110, bonds 42, private 22.
    func lossMaker(_ id: String = "A", owner: OwnerType = .state, wages: Double = 0) -> Enterprise {
        Fin.enterprise(id, owner: owner, assets: 300 * M, bank: 100 * M, bonds: 40 * M, privateFinancing: 20 * M,
                       wages: wages, bankRate: 0.06, bondRate: 0.05, privateRate: 0.10, fixedCost: 4 * M)
    }

    // MARK: interest_waiver

    /// The waiver cancels σ × capitalised unpaid interest only, never principal or new borrowing;
    /// the bank part is a bank loss.
    @Test func interestWaiverCancelsOnlyCapitalisedInterest() {
        let fs = [unit("a1", enterprise: "A", capacity: 10),
                  unit("b1", enterprise: "B", capacity: 10, cost: 100, price: 200)]
        // B earns EBIT 10 M ≥ its 6 M interest: it never has unpaid interest to waive.
        let b = Fin.enterprise("B", assets: 300 * M, bank: 100 * M, bankRate: 0.06)
        let r = Fin.run(fs, [lossMaker(wages: 8 * M), b], Fin.finance(instruments: [
            Fin.lever("w1", .interestWaiver, 2016...2016, [.bankLoans, .bonds], share: 0.5),
            Fin.lever("w2", .interestWaiver, 2017...2017, [.bankLoans], share: 1),
        ]))
        // 2016: waived 0.5 × (U bank 6 + U bonds 2) = 4 M, bank part 3 M.
        // Bank 110 − 3 = 107 (U 3), bonds 42 − 1 = 41 (U 1), private 22, wages 8: D = 178 M.
        Fin.expect(r, "A", 2016, [
            .interestCapitalised: 10 * M, .newBorrowing: 4 * M, .interestWaived: 4 * M, .writtenOff: 4 * M,
            .bankLosses: 3 * M, .debtByClass(.bankLoans): 107 * M, .debtByClass(.bonds): 41 * M,
            .debtByClass(.privateFinancing): 22 * M, .debt: 178 * M, .assets: 300 * M,
        ])
        // 2017: I = 6 % × 107 + 5 % × 41 + 10 % × 22 = 6.42 + 2.05 + 2.2 = 10.67 M, all capitalised;
        // U bank = 3 + 6.42 = 9.42 M; bank = 107 + 6.42 + 4 borrowed = 117.42 M. Waiving all bank U
        // leaves 108 M = the original 100 M plus the two years' borrowing, principal only.
        Fin.expect(r, "A", 2017, [
            .interestCharged: 10.67 * M, .interestCapitalised: 10.67 * M, .interestWaived: 9.42 * M,
            .bankLosses: 9.42 * M, .debtByClass(.bankLoans): 108 * M, .debtByClass(.bonds): 43.05 * M,
            .debtByClass(.privateFinancing): 24.2 * M, .debt: 183.25 * M,
        ])
        // B never capitalised anything.
        #expect(Fin.series(r, .interestWaived, "B") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .bankLosses, "B") == [0, 0, 0, 0, 0, 0])
        Fin.expectIdentity(r)
    }

    /// Repayment lowers unpaid interest by the amount repaid from the class, so a later waiver finds less.
    @Test func repaymentReducesUnpaidInterestBeforeAWaiver() {
        // Utilisation 0 in 2016 (EBIT 0), 1 afterwards (EBIT = 10 × 10⁴ t × 100 = 10 M).
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 200)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 300 * M, bank: 100 * M, bankRate: 0.06)],
                        Fin.finance(repayment: 0.5, instruments: [
                            Fin.lever("w", .interestWaiver, 2017...2017, [.bankLoans])]),
                        sectors: [.coal: SectorPolicy(utilisation: 1, utilisationByYear: [2016: 0])])
        // 2016: 6 M capitalised → bank 106 M, U 6 M.
        Fin.expect(r, "A", 2016, [.interestCapitalised: 6 * M, .newBorrowing: 0, .debt: 106 * M])
        // 2017: I = 6.36 M, S = 3.64 M, P = 1.82 M → bank 104.18 M, U = 6 − 1.82 = 4.18 M, waived;
        // bank = 100 M; A = 300 + 3.64 − 1.82 = 301.82 M.
        Fin.expect(r, "A", 2017, [.interestCharged: 6.36 * M, .repaid: 1.82 * M, .interestWaived: 4.18 * M,
                                  .bankLosses: 4.18 * M, .debt: 100 * M, .assets: 301.82 * M])
        Fin.expectIdentity(r)
    }

    // MARK: interest_suspension

    /// Suspended interest is recorded, not charged and not capitalised; other classes are charged; it
    /// stops after its years; enterprises outside its filter are charged in full.
    @Test func interestSuspensionRecordsInterestWithoutChargingOrCapitalising() {
        let fs = [unit("a1", enterprise: "A", capacity: 10), unit("b1", enterprise: "B", owner: .private, capacity: 10)]
        let r = Fin.run(fs, [lossMaker(), lossMaker("B", owner: .private)], Fin.finance(instruments: [
            Fin.lever("s", .interestSuspension, 2016...2017, [.bankLoans], filter: .init(owner: .state)),
            Fin.lever("w", .interestWaiver, 2016...2017, [.bankLoans]),
        ]))
        // 2016: bank interest 6 M suspended; charged 2 + 2 = 4 M, capitalised (EBIT −4); bank 100 + 4 = 104
        // (no capitalised bank interest, so the waiver finds nothing), bonds 42, private 22 → 168 M.
        Fin.expect(r, "A", 2016, [
            .interestSuspended: 6 * M, .interestCharged: 4 * M, .interestCapitalised: 4 * M, .newBorrowing: 4 * M,
            .interestWaived: 0, .debtByClass(.bankLoans): 104 * M, .debt: 168 * M, .profit: -8 * M,
        ])
        // 2017: suspended 6 % × 104 = 6.24 M; charged 5 % × 42 + 10 % × 22 = 2.1 + 2.2 = 4.3 M;
        // bank 108, bonds 44.1, private 24.2 → 176.3 M.
        Fin.expect(r, "A", 2017, [.interestSuspended: 6.24 * M, .interestCharged: 4.3 * M, .debt: 176.3 * M])
        // 2018, suspension over: 6 % × 108 + 5 % × 44.1 + 10 % × 24.2 = 6.48 + 2.205 + 2.42 = 11.105 M.
        Fin.expect(r, "A", 2018, [.interestSuspended: 0, .interestCharged: 11.105 * M,
                                  .debtByClass(.bankLoans): (108 + 6.48 + 4) * M])
        // B (private) is not eligible: charged 10 M, and the waiver then cancels its 6 M bank interest.
        Fin.expect(r, "B", 2016, [.interestSuspended: 0, .interestCharged: 10 * M, .interestWaived: 6 * M,
                                  .debtByClass(.bankLoans): 104 * M])
        Fin.expectIdentity(r)
    }

    // MARK: debt_equity_swap

    /// A swap converts σ of each listed class into equity, scales its unpaid interest by 1 − σ, and is
    /// no bank loss.
    @Test func debtEquitySwapMovesDebtToEquityByClass() {
        let r = Fin.run([unit("a1", enterprise: "A", capacity: 10)], [lossMaker()], Fin.finance(instruments: [
            Fin.lever("x", .debtEquitySwap, 2016...2016, [.bankLoans, .privateFinancing], share: 0.4),
            Fin.lever("w", .interestWaiver, 2016...2016, [.bankLoans, .privateFinancing]),
        ]))
        // After the accounts: bank 110 (U 6), bonds 42, private 22 (U 2), D 174, A 300, E 126.
        // Swap 0.4: 44 + 8.8 = 52.8 M → bank 66 (U 3.6), private 13.2 (U 1.2); E = 126 + 52.8 = 178.8.
        // The waiver then finds U = 3.6 + 1.2 = 4.8 M (bank 3.6) → D = 174 − 52.8 − 4.8 = 116.4 M.
        Fin.expect(r, "A", 2016, [
            .swapped: 52.8 * M, .interestWaived: 4.8 * M, .writtenOff: 4.8 * M, .bankLosses: 3.6 * M,
            .debtByClass(.bankLoans): 62.4 * M, .debtByClass(.bonds): 42 * M,
            .debtByClass(.privateFinancing): 12 * M, .debt: 116.4 * M, .assets: 300 * M, .equity: 183.6 * M,
        ])
        Fin.expectIdentity(r)
    }

    /// Equity rises by exactly the swapped amount compared with the same run without the swap.
    @Test func swapRaisesEquityByTheSwappedAmount() {
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let swap = Fin.finance(instruments: [Fin.lever("x", .debtEquitySwap, 2016...2016, [.bonds], share: 0.25)])
        let with = Fin.run(fs, [lossMaker()], swap, endYear: 2016)
        let without = Fin.run(fs, [lossMaker()], Fin.finance(), endYear: 2016)
        // Bonds 42 M after the accounts: x = 10.5 M.
        #expect(Fin.near(Fin.value(with, .swapped, "A", 2016), 10.5 * M))
        #expect(Fin.near(Fin.value(with, .equity, "A", 2016) - Fin.value(without, .equity, "A", 2016), 10.5 * M))
        #expect(Fin.value(with, .assets, "A", 2016) == Fin.value(without, .assets, "A", 2016))
        #expect(Fin.value(with, .bankLosses, "A", 2016) == 0)
    }

    // MARK: asset_stripping

    /// Stripping moves σ of assets and φ of each listed class out, and scales every book value by 1 − σ,
    /// so a later closure writes down less.
    @Test func assetStrippingMovesAssetsAndDebtAndScalesBookValues() {
        // A: bv(a1) = 400 × 10/40 = 100 M, bv(a2) = 300 M. B: one unit.
        let fs = [unit("a1", enterprise: "A", capacity: 10), unit("a2", enterprise: "A", capacity: 30),
                  unit("b1", enterprise: "B", capacity: 40)]
        let es = ["A", "B"].map { Fin.enterprise($0, assets: 400 * M, bank: 100 * M, wages: 20 * M) }
        let r = Fin.run(fs, es, Fin.finance(writeDown: 0.8, instruments: [
            Fin.lever("sa", .assetStripping, 2016...2016, [.bankLoans, .wageArrears], share: 0.25, follows: 0.5,
                      filter: Fin.only("A")),
            Fin.lever("sb", .assetStripping, 2016...2016, [.bankLoans], share: 0.25, filter: Fin.only("B")),
        ]), rules: [named("x1", ["a1"], year: 2017), named("x2", ["a2"], year: 2018)])
        // A 2016: assets 400 − 100 = 300; bank 100 − 50 = 50, wages 20 − 10 = 10 → stripped 60 M.
        Fin.expect(r, "A", 2016, [.strippedAssets: 100 * M, .strippedDebt: 60 * M, .assets: 300 * M,
                                  .debtByClass(.bankLoans): 50 * M, .debtByClass(.wageArrears): 10 * M,
                                  .debt: 60 * M, .equity: 240 * M, .bankLosses: 0, .writtenOff: 0])
        // Book values are now 75 M and 225 M: W(2017) = 0.8 × 75 = 60 M (not 80), W(2018) = 0.8 × 225 = 180 M.
        Fin.expect(r, "A", 2017, [.assetWriteDown: 60 * M, .assets: 240 * M])
        Fin.expect(r, "A", 2018, [.assetWriteDown: 180 * M, .assets: 60 * M])
        // B: debtFollowsShare defaults to the share: bank 100 − 25 = 75 M, wages untouched.
        Fin.expect(r, "B", 2016, [.strippedAssets: 100 * M, .strippedDebt: 25 * M, .assets: 300 * M,
                                  .debtByClass(.bankLoans): 75 * M, .debtByClass(.wageArrears): 20 * M])
        Fin.expectIdentity(r)
    }

    // MARK: write_off

    /// A write-off cancels σ of each listed class in each active year, the bank part a bank loss.
    @Test func writeOffActsInEachActiveYear() {
        let a = Fin.enterprise("A", assets: 500 * M, bank: 100 * M, bonds: 40 * M, privateFinancing: 20 * M)
        let r = Fin.run([unit("a1", enterprise: "A")], [a], Fin.finance(instruments: [
            Fin.lever("wo", .writeOff, 2017...2018, [.bankLoans, .bonds], share: 0.3)]))
        // 2017: 0.3 × (100 + 40) = 42 M (bank 30); 2018: 0.3 × (70 + 28) = 29.4 M (bank 21).
        #expect(Fin.series(r, .writtenOff, "A").map { $0 / M }.map(Fin.roundMicro) == [0, 0, 42, 29.4, 0, 0])
        #expect(Fin.series(r, .bankLosses, "A").map { $0 / M }.map(Fin.roundMicro) == [0, 0, 30, 21, 0, 0])
        #expect(Fin.series(r, .debtByClass(.bankLoans), "A").map { $0 / M }.map(Fin.roundMicro) == [100, 100, 70, 49, 49, 49])
        #expect(Fin.series(r, .debt, "A").map { $0 / M }.map(Fin.roundMicro) == [160, 160, 118, 88.6, 88.6, 88.6])
        #expect(Fin.series(r, .debtByClass(.privateFinancing), "A") == [20, 20, 20, 20, 20, 20].map { $0 * M })
        Fin.expectIdentity(r)
    }

    /// Levers act after the year's accounts: that year's interest is charged on the opening debt.
    @Test func leversActAfterTheYearsAccounts() {
        // EBIT = 10 × 10⁴ t × 200 = 20 M; bank 100 M at 10 %.
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 300)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 100 * M, bank: 100 * M, bankRate: 0.1)],
                        Fin.finance(instruments: [Fin.lever("wo", .writeOff, 2016...2016, [.bankLoans])]))
        // 2016: I = 10 M on the opening 100 M, then 100 M written off; 2017: nothing to charge.
        Fin.expect(r, "A", 2016, [.interestCharged: 10 * M, .writtenOff: 100 * M, .bankLosses: 100 * M,
                                  .debt: 0, .assets: 110 * M])
        Fin.expect(r, "A", 2017, [.interestCharged: 0, .assets: 130 * M])
    }

    /// Levers apply in list order: write-off then swap differs from swap then write-off.
    @Test func leversApplyInListOrder() {
        let a = Fin.enterprise("A", assets: 500 * M, bank: 100 * M)
        let wo = Fin.lever("wo", .writeOff, 2016...2016, [.bankLoans], share: 0.5)
        let sw = Fin.lever("sw", .debtEquitySwap, 2016...2016, [.bankLoans], share: 0.5)
        let policies = [[wo, sw], [sw, wo]].map { Policy(finance: Fin.finance(instruments: $0)) }
        let r = Fin.runBatch([unit("a1", enterprise: "A")], [a], policies, endYear: 2016)
        // Scenario 0: written off 50, then swapped 25. Scenario 1: swapped 50, then written off 25.
        Fin.expect(r, "A", 2016, scenario: 0, [.writtenOff: 50 * M, .swapped: 25 * M, .debt: 25 * M])
        Fin.expect(r, "A", 2016, scenario: 1, [.writtenOff: 25 * M, .swapped: 50 * M, .debt: 25 * M])
        Fin.expectIdentity(r)
    }

    // MARK: eligibility

    /// Sector (main sector), owner and id filters, alone and combined (every set condition must hold).
    @Test func filtersSelectBySectorOwnerAndId() {
        let fs = [unit("s1", .coalMine, enterprise: "S1", owner: .state),
                  unit("p1", .coalMine, enterprise: "P1", owner: .private),
                  unit("s2", .blastFurnace, enterprise: "S2", owner: .state),
                  unit("p2", .blastFurnace, enterprise: "P2", owner: .private)]
        let es = [("S1", OwnerType.state), ("P1", .private), ("S2", .state), ("P2", .private)].map {
            Fin.enterprise($0.0, owner: $0.1, assets: 1_000 * M, bank: 100 * M, bonds: 100 * M,
                           privateFinancing: 100 * M, wages: 100 * M)
        }
        let r = Fin.run(fs, es, Fin.finance(instruments: [
            Fin.lever("coal", .writeOff, 2016...2016, [.bankLoans], share: 0.5, filter: .init(sectors: [.coal])),
            Fin.lever("priv", .writeOff, 2016...2016, [.bonds], share: 0.5, filter: .init(owner: .private)),
            Fin.lever("ids", .writeOff, 2016...2016, [.privateFinancing], share: 0.5, filter: Fin.only("S2", "nobody")),
            Fin.lever("both", .writeOff, 2016...2016, [.wageArrears], share: 0.5,
                      filter: .init(sectors: [.iron], owner: .state)),
        ]))
        let want: [String: [Double]] = [ // bank, bonds, private, wages after 2016
            "S1": [50, 100, 100, 100], "P1": [50, 50, 100, 100], "S2": [100, 100, 50, 50], "P2": [100, 50, 100, 100],
        ]
        for (id, classes) in want {
            let got = [CreditorClass.bankLoans, .bonds, .privateFinancing, .wageArrears]
                .map { Fin.value(r, .debtByClass($0), id, 2016) / M }
            #expect(got == classes, "\(id)")
        }
    }

    /// zombiesOnly: levers run before the year's zombie check, so an enterprise first flagged in year y
    /// is eligible from y + 1; never-flagged enterprises never are.
    @Test func zombiesOnlyLeversStartTheYearAfterTheFirstFlag() {
        // Z: EBIT −1 M a year, loss streak 1 in 2016, 2 in 2017 → zombie from 2017 (lossYears 2).
        // H: EBIT 10 × 10⁴ t × 100 = 10 M, never a zombie.
        let fs = [unit("z1", enterprise: "Z"), unit("h1", enterprise: "H", cost: 100, price: 200)]
        let es = [Fin.enterprise("Z", assets: 1_000 * M, wages: 100 * M, fixedCost: 1 * M),
                  Fin.enterprise("H", assets: 1_000 * M, wages: 100 * M)]
        let r = Fin.run(fs, es, Fin.finance(instruments: [
            Fin.lever("wo", .writeOff, 2016...2020, [.wageArrears], share: 0.5, filter: .init(zombiesOnly: true))],
                                            zombies: Fin.zombies(lossYears: 2)))
        #expect(Fin.series(r, .zombies, "Z") == [0, 0, 1, 1, 1, 1])
        #expect(Fin.series(r, .debtByClass(.wageArrears), "Z").map { $0 / M } == [100, 100, 100, 50, 25, 12.5])
        #expect(Fin.series(r, .zombies, "H") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .debtByClass(.wageArrears), "H").map { $0 / M } == [100, 100, 100, 100, 100, 100])
        Fin.expectIdentity(r)
    }

    /// A lever outside its years does nothing.
    @Test func leversOutsideTheirYearsDoNothing() {
        let a = Fin.enterprise("A", assets: 500 * M, bank: 100 * M, bonds: 50 * M)
        let r = Fin.run([unit("a1", enterprise: "A")], [a], Fin.finance(instruments: [
            Fin.lever("late", .writeOff, 2021...2025, [.bankLoans]),
            Fin.lever("early", .debtEquitySwap, 2010...2015, [.bonds]),
            Fin.lever("strip", .assetStripping, 2019...2019, [.bankLoans], share: 0.5),
        ]))
        #expect(Fin.series(r, .debt, "A").map { $0 / M } == [150, 150, 150, 150, 100, 100])
        #expect(Fin.series(r, .assets, "A").map { $0 / M } == [500, 500, 500, 500, 250, 250])
        #expect(Fin.series(r, .writtenOff, "A") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .swapped, "A") == [0, 0, 0, 0, 0, 0])
    }
}
