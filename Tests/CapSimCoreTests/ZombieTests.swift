import CapSimCore
import Testing

/// Zombie identification and actions of docs/MODEL.md §8.4: the three criteria at their thresholds,
/// any/all, action order, bankruptcy and merger.
@Suite struct ZombieTests {
    let M = Fin.M

    // MARK: criteria at the thresholds

    /// h = 12 × (1 − operating / base capacity) ≥ haltedMonths holds at exactly 6, not just under.
    @Test func haltedMonthsAtExactlyTheThresholdMakeAZombie() {
        let fs = [unit("a1", enterprise: "A", capacity: 5), unit("a2", enterprise: "A", capacity: 5),
                  unit("b1", enterprise: "B", capacity: 5.001), unit("b2", enterprise: "B", capacity: 4.999),
                  unit("c1", enterprise: "C", capacity: 10)]
        let es = ["A", "B", "C"].map { Fin.enterprise($0, assets: 100 * M) }
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(halted: 6)),
                        rules: [named("x", ["a2", "b2"], year: 2016)])
        // A: 12 × (1 − 5/10) = 6 ≥ 6 → zombie from 2016 on. B: 12 × (1 − 5.001/10) = 5.9988 < 6.
        // C: nothing closed, h = 0.
        #expect(Fin.series(r, .zombies, "A") == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(r, .zombies, "B") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .zombies, "C") == [0, 0, 0, 0, 0, 0])
    }

    /// λ = D / A > debtToAssets fails at exactly 0.85 and holds just above; A ≤ 0 < D counts as +∞,
    /// A = D = 0 as 0.
    @Test func leverageAtExactlyTheThresholdIsNotAZombie() {
        let fs = ["A", "B", "C", "D"].map { unit($0.lowercased(), enterprise: $0) }
        let es = [Fin.enterprise("A", assets: 100 * M, bank: 85 * M),        // 0.85
                  Fin.enterprise("B", assets: 100 * M, bank: 85.0001 * M),   // 0.850001
                  Fin.enterprise("C", assets: 0, wages: 1),                  // +∞
                  Fin.enterprise("D", assets: 0)]                            // 0
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(leverage: 0.85)))
        #expect(Fin.value(r, .debt, "A", 2016) / Fin.value(r, .assets, "A", 2016) == 0.85)
        #expect(Fin.series(r, .zombies, "A") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .zombies, "B") == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(r, .zombies, "C") == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(r, .zombies, "D") == [0, 0, 0, 0, 0, 0])
    }

    /// The loss streak L (starting at loss_years_to_base) ≥ lossYears holds at exactly lossYears.
    @Test func lossStreakAtExactlyLossYearsMakesAZombie() {
        // Both lose 1 M a year (fixed cost). A: 2 + 1 = 3 in 2016. B: 1 + 1 = 2 in 2016, 3 in 2017.
        let fs = [unit("a1", enterprise: "A"), unit("b1", enterprise: "B")]
        let es = [Fin.enterprise("A", assets: 1_000 * M, fixedCost: 1 * M, lossYears: 2),
                  Fin.enterprise("B", assets: 1_000 * M, fixedCost: 1 * M, lossYears: 1)]
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(lossYears: 3)))
        #expect(Fin.series(r, .zombies, "A") == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(r, .zombies, "B") == [0, 0, 1, 1, 1, 1])
    }

    /// A profitable year resets the loss streak to 0.
    @Test func aProfitableYearResetsTheLossStreak() {
        // Utilisation 0 except in 2018: EBIT −1 M, −1 M, +9 M (10 × 10⁴ t × 100 − 1 M), −1 M, −1 M.
        // Streak 1, 2, 0, 1, 2 → with lossYears 2 a zombie in 2017 and 2020 only.
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 200)]
        let r = Fin.run(fs, [Fin.enterprise("A", assets: 1_000 * M, fixedCost: 1 * M)],
                        Fin.finance(zombies: Fin.zombies(lossYears: 2)),
                        sectors: [.coal: SectorPolicy(utilisation: 0, utilisationByYear: [2018: 1])])
        #expect(Fin.series(r, .profit, "A").map { $0 / M } == [0, -1, -1, 9, -1, -1])
        #expect(Fin.series(r, .zombies, "A") == [0, 0, 1, 0, 0, 1])
    }

    /// match any: one criterion suffices; match all: all three must hold.
    @Test func matchAnyNeedsOneCriterionMatchAllNeedsAll() {
        // T: halted 6 and λ 0.9, no loss. U: all three (1 M loss). V: only the loss. W: none.
        let fs = [unit("t1", enterprise: "T", capacity: 5), unit("t2", enterprise: "T", capacity: 5),
                  unit("u1", enterprise: "U", capacity: 5), unit("u2", enterprise: "U", capacity: 5),
                  unit("v1", enterprise: "V"), unit("w1", enterprise: "W")]
        let es = [Fin.enterprise("T", assets: 100 * M, bank: 90 * M),
                  Fin.enterprise("U", assets: 100 * M, bank: 90 * M, fixedCost: 1 * M),
                  Fin.enterprise("V", assets: 100 * M, fixedCost: 1 * M),
                  Fin.enterprise("W", assets: 100 * M)]
        let rules = [named("x", ["t2", "u2"], year: 2016)]
        let policies = [false, true].map {
            Policy(rules: rules, finance: Fin.finance(zombies: Fin.zombies(halted: 6, leverage: 0.85, lossYears: 1, all: $0)))
        }
        let r = Fin.runBatch(fs, es, policies, endYear: 2016)
        let any = ["T", "U", "V", "W"].map { Fin.value(r, .zombies, $0, 2016, scenario: 0) }
        let all = ["T", "U", "V", "W"].map { Fin.value(r, .zombies, $0, 2016, scenario: 1) }
        #expect(any == [1, 1, 1, 0])
        #expect(all == [0, 1, 0, 0])
    }

    // MARK: actions

    /// The first action whose filter matches applies; `none` only flags (every year); a zombie no
    /// action matches is only flagged.
    @Test func theFirstMatchingActionApplies() {
        // X, Y, W: λ = 0.9 (zombies); Q healthy.
        let fs = ["X", "Y", "W", "Q"].map { unit($0.lowercased(), enterprise: $0) }
        let es = ["X", "Y", "W"].map { Fin.enterprise($0, assets: 100 * M, bank: 90 * M) }
            + [Fin.enterprise("Q", assets: 1_000 * M)]
        let actions = [ZombieAction(filter: Fin.only("X"), kind: .none),
                       ZombieAction(filter: Fin.only("X", "Y"), kind: .bankruptcy),
                       ZombieAction(kind: .merger, acquirer: "Q")]
        let policies = [Policy(finance: Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: actions))),
                        Policy(finance: Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
                            ZombieAction(filter: .init(owner: .private), kind: .bankruptcy)])))]
        let r = Fin.runBatch(fs, es, policies)
        // Scenario 0: X → none (the later bankruptcy and merger would match too), Y → bankruptcy
        // (the merger would match too), W → merger into Q.
        #expect(Fin.series(r, .zombies, "X") == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(r, .enterprisesActive, "X") == [1, 1, 1, 1, 1, 1])
        Fin.expect(r, "X", 2020, [.bankruptcies: 0, .mergers: 0, .debt: 90 * M])
        Fin.expect(r, "Y", 2016, [.zombies: 1, .bankruptcies: 1, .mergers: 0, .enterprisesActive: 0])
        Fin.expect(r, "W", 2016, [.zombies: 1, .bankruptcies: 0, .mergers: 1, .enterprisesActive: 0, .mergedOut: 90 * M])
        Fin.expect(r, "Q", 2016, [.mergedIn: 90 * M, .debt: 90 * M, .assets: 1_100 * M])
        // Scenario 1: every enterprise is state-owned, so no action matches: flagged every year, nothing else.
        for id in ["X", "Y", "W"] {
            #expect(Fin.series(r, .zombies, id, scenario: 1) == [0, 1, 1, 1, 1, 1], "\(id)")
            #expect(Fin.series(r, .enterprisesActive, id, scenario: 1) == [1, 1, 1, 1, 1, 1], "\(id)")
        }
        #expect(r.closures.isEmpty == false) // Y's unit exits in scenario 0 …
        #expect(r.closures.allSatisfy { $0.scenario == 0 }) // … and nothing closes in scenario 1.
        Fin.expectIdentity(r)
    }

    /// An action filtered on zombiesOnly applies in the very year the enterprise is first flagged.
    @Test func zombiesOnlyActionFilterHoldsInTheFirstZombieYear() {
        let r = Fin.run([unit("x1", enterprise: "X")], [Fin.enterprise("X", assets: 100 * M, bank: 90 * M)],
                        Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
                            ZombieAction(filter: .init(zombiesOnly: true), kind: .bankruptcy)])))
        #expect(Fin.series(r, .bankruptcies, "X") == [0, 1, 0, 0, 0, 0])
    }

    // MARK: bankruptcy

    /// Claims c_k = recovery_k × D_k are repaid when the assets cover them; the rest is written off (bank
    /// part a bank loss), the assets left are written down, the books close, and the units still
    /// operating close at the start of next year with rule `enterprise_exit`.
    @Test func bankruptcyRecoversPerClassAndItsUnitsExitNextYear() {
        let fs = [unit("x1", enterprise: "X", capacity: 10), unit("x2", enterprise: "X", capacity: 20),
                  unit("x3", enterprise: "X", capacity: 5), unit("y1", enterprise: "Y", capacity: 10)]
        let x = Fin.enterprise("X", assets: 200 * M, bank: 100 * M, bonds: 50 * M, privateFinancing: 20 * M,
                               wages: 10 * M, tax: 6 * M, social: 4 * M)
        let recovery: [CreditorClass: Double] = [.wageArrears: 1, .socialInsuranceArrears: 1, .taxArrears: 0.5,
                                                 .bankLoans: 0.2, .bonds: 0.1, .privateFinancing: 0.05]
        let r = Fin.run(fs, [x, Fin.enterprise("Y", assets: 1_000 * M)], Fin.finance(zombies: Fin.zombies(
            leverage: 0.85, actions: [ZombieAction(kind: .bankruptcy, recovery: recovery)])),
                        rules: [named("early", ["x3"], year: 2016)])
        // λ = 190 / 200 = 0.95. Claims: bank 20, bonds 5, private 1, wages 10, tax 3, social 4 = 43 M ≤ 200 M.
        // Repaid 43 M, written off 190 − 43 = 147 M, bank loss 100 − 20 = 80 M, write-down 200 − 43 = 157 M.
        Fin.expect(r, "X", 2016, [
            .zombies: 1, .bankruptcies: 1, .repaid: 43 * M, .writtenOff: 147 * M, .bankLosses: 80 * M,
            .assetWriteDown: 157 * M, .assets: 0, .debt: 0, .equity: 0, .enterprisesActive: 0,
            .debtByClass(.bankLoans): 0, .debtByClass(.wageArrears): 0,
        ])
        // Nothing afterwards: no accounts, no zombie count, no opening debt.
        for year in 2017...end {
            for metric in FinanceMetric.allCases {
                #expect(Fin.value(r, metric, "X", year) == 0, "\(metric.name) \(year)")
            }
        }
        // x3 closed by its rule before; x1 and x2 exit at the start of 2017.
        #expect(closed(r, fs) == [Closed("x3", 2016, "early"), Closed("x1", 2017, "enterprise_exit"),
                                  Closed("x2", 2017, "enterprise_exit")])
        #expect(r.closures.filter { $0.cause.ruleID == "enterprise_exit" }
            .allSatisfy { $0.cause == .enterpriseExit(enterprise: "X") })
        #expect(r.value(.capacity, group: total(.coal), year: 2016) == 40)
        #expect(r.value(.capacity, group: total(.coal), year: 2017) == 10)
        // Y is untouched.
        #expect(Fin.series(r, .enterprisesActive, "Y") == [1, 1, 1, 1, 1, 1])
        Fin.expectIdentity(r)
    }

    /// When the assets do not cover the claims, every claim is scaled by A / Σ c_k.
    @Test func bankruptcyScalesClaimsWhenAssetsFallShort() {
        let x = Fin.enterprise("X", assets: 21.5 * M, bank: 100 * M, bonds: 50 * M, privateFinancing: 20 * M,
                               wages: 10 * M, tax: 6 * M, social: 4 * M)
        let recovery: [CreditorClass: Double] = [.wageArrears: 1, .socialInsuranceArrears: 1, .taxArrears: 0.5,
                                                 .bankLoans: 0.2, .bonds: 0.1, .privateFinancing: 0.05]
        let r = Fin.run([unit("x1", enterprise: "X")], [x], Fin.finance(zombies: Fin.zombies(
            leverage: 0.85, actions: [ZombieAction(kind: .bankruptcy, recovery: recovery)])), endYear: 2016)
        // Claims 43 M > 21.5 M: scale 0.5. Bank recovers 0.5 × 20 = 10 → bank loss 90 M.
        // Repaid 21.5 M (all the assets), written off 190 − 21.5 = 168.5 M, nothing left to write down.
        Fin.expect(r, "X", 2016, [.repaid: 21.5 * M, .writtenOff: 168.5 * M, .bankLosses: 90 * M,
                                  .assetWriteDown: 0, .assets: 0, .debt: 0])
        Fin.expectIdentity(r)
    }

    /// With no recovery at all, everything is written off and every asset written down.
    @Test func bankruptcyWithoutRecoveryWritesOffEverything() {
        let x = Fin.enterprise("X", assets: 50 * M, bank: 60 * M, wages: 5 * M)
        let r = Fin.run([unit("x1", enterprise: "X")], [x], Fin.finance(zombies: Fin.zombies(
            leverage: 0.85, actions: [ZombieAction(kind: .bankruptcy)])), endYear: 2016)
        Fin.expect(r, "X", 2016, [.repaid: 0, .writtenOff: 65 * M, .bankLosses: 60 * M, .assetWriteDown: 50 * M])
        Fin.expectIdentity(r)
    }

    /// A bankrupt enterprise exits: none of its units operates after its exit year, and its planned
    /// units are cancelled: they never open (not even on the credit its own exit closures create) and
    /// are not listed as blocked.
    @Test func aBankruptEnterprisesPlannedUnitsAreCancelled() {
        // xp is planned for 2016 and blocked (no credit). X goes bankrupt in 2016; in 2017 x1 exits,
        // crediting 10 to the (X, coal) pool, which would be enough for xp. xl starts after the end year.
        // Y's planned unit, blocked for lack of credit, is still listed.
        let fs = [unit("x1", enterprise: "X", capacity: 10), unit("xp", enterprise: "X", capacity: 5, startYear: 2016),
                  unit("xl", enterprise: "X", capacity: 5, startYear: 2030),
                  unit("y1", enterprise: "Y", capacity: 10), unit("yp", enterprise: "Y", capacity: 5, startYear: 2018)]
        let es = [Fin.enterprise("X", assets: 100 * M, bank: 90 * M), Fin.enterprise("Y", assets: 100 * M)]
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(
            leverage: 0.85, actions: [ZombieAction(kind: .bankruptcy)])))
        #expect(Fin.series(r, .bankruptcies, "X") == [0, 1, 0, 0, 0, 0])
        #expect(closed(r, fs) == [Closed("x1", 2017, "enterprise_exit")])
        #expect(opened(r, fs) == [], "a unit of the bankrupt enterprise X opened after X exited")
        #expect(blocked(r).map { fs[$0.facility].id } == ["yp"])
        for year in 2017...end {
            #expect(r.value(.capacity, group: total(.coal), year: year) == 10, "\(year)") // y1 only
        }
        #expect(r.conservationViolations().isEmpty)
    }

    /// The same when the bankruptcy falls in the end year: §8.4 says a bankrupt enterprise's planned
    /// units are cancelled and not listed as blocked, so the end-year blocked list must not show them.
    @Test func plannedUnitsOfAnEnterpriseBankruptInTheEndYearAreNotListedAsBlocked() {
        // X loses 1 M a year: streak 1 … 5, a zombie (lossYears 5) and bankrupt in 2020 = end.
        // xp (planned for 2018) waits for credit X never has; Y's yp is blocked the same way.
        let fs = [unit("x1", enterprise: "X"), unit("xp", enterprise: "X", capacity: 5, startYear: 2018),
                  unit("y1", enterprise: "Y"), unit("yp", enterprise: "Y", capacity: 5, startYear: 2018)]
        let es = [Fin.enterprise("X", assets: 100 * M, fixedCost: 1 * M), Fin.enterprise("Y", assets: 100 * M)]
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(
            lossYears: 5, actions: [ZombieAction(kind: .bankruptcy)])))
        #expect(Fin.series(r, .bankruptcies, "X") == [0, 0, 0, 0, 0, 1])
        #expect(blocked(r).map { fs[$0.facility].id } == ["yp"],
                "the planned unit of X, bankrupt in the end year, is listed as blocked")
    }

    // MARK: merger

    /// The acquirer takes assets, every class with its unpaid interest, and the units, whose output and
    /// book value it then carries.
    @Test func mergerMovesAssetsDebtAndUnitsToTheAcquirer() {
        // Z 2016: R = 10 × 10⁴ t × 300 = 30, C = 20 + 16 fixed = 36 → EBIT −6 M; I = 10 % × 60 = 6 M
        // capitalised (U 6), 6 M borrowed → bank 72, wages 5 → D 77 M, A 50 M: λ 1.54, a zombie.
        // Q 2016: R 60, C 40 → EBIT 20; I = 5 M; S 15 → A 515 M; D 100 M.
        let fs = [unit("z1", enterprise: "Z", capacity: 10, cost: 200, price: 300),
                  unit("q1", enterprise: "Q", capacity: 20, cost: 200, price: 300)]
        let es = [Fin.enterprise("Z", assets: 50 * M, bank: 60 * M, wages: 5 * M, bankRate: 0.1, fixedCost: 16 * M),
                  Fin.enterprise("Q", assets: 500 * M, bank: 100 * M, bankRate: 0.05)]
        let r = Fin.run(fs, es, Fin.finance(writeDown: 1, instruments: [
            Fin.lever("w", .interestWaiver, 2017...2017, [.bankLoans], filter: Fin.only("Q"))],
                                            zombies: Fin.zombies(leverage: 0.85, actions: [
                                                ZombieAction(filter: Fin.only("Z"), kind: .merger, acquirer: "Q")])),
                        rules: [named("x", ["z1"], year: 2018)])
        Fin.expect(r, "Z", 2016, [.zombies: 1, .mergers: 1, .mergedOut: 77 * M, .debt: 0, .assets: 0,
                                  .equity: 0, .enterprisesActive: 0])
        Fin.expect(r, "Q", 2016, [.mergedIn: 77 * M, .mergers: 0, .debtByClass(.bankLoans): 172 * M,
                                  .debtByClass(.wageArrears): 5 * M, .debt: 177 * M, .assets: 565 * M])
        // 2017: Q sells from q1 and z1: R = 60 + 30 = 90, C = 40 + 20 = 60 (Z's fixed cost is gone);
        // I = 5 % × 172 = 8.6 M; S = 21.4 → A 586.4 M. Z's 6 M of unpaid interest came along: waived.
        Fin.expect(r, "Q", 2017, [.revenue: 90 * M, .operatingCost: 60 * M, .interestCharged: 8.6 * M,
                                  .interestWaived: 6 * M, .debtByClass(.bankLoans): 166 * M, .debt: 171 * M,
                                  .assets: 586.4 * M, .zombies: 0])
        #expect(Fin.series(r, .revenue, "Z") == [0, 30 * M, 0, 0, 0, 0])
        // 2018: z1 closes and its book value (50 × 10/10 = 50 M) is written down at Q.
        // EBIT 20, I = 5 % × 166 = 8.3 M → A = 586.4 + 11.7 − 50 = 548.1 M; profit −38.3 M.
        Fin.expect(r, "Q", 2018, [.revenue: 60 * M, .assetWriteDown: 50 * M, .interestCharged: 8.3 * M,
                                  .assets: 548.1 * M, .profit: -38.3 * M])
        #expect(closed(r, fs) == [Closed("z1", 2018, "x")])
        Fin.expectIdentity(r)
    }

    /// Merging into an enterprise that was itself merged goes to its acquirer, whatever the table
    /// order; the final acquirer ends with everything and earns from every unit.
    @Test(arguments: [["B", "A", "C"], ["A", "B", "C"], ["C", "A", "B"], ["C", "B", "A"]])
    func mergerChainsThroughAMergedAcquirer(order: [String]) {
        // EBIT: a1 1 × 10⁴ t × 100 = 1 M, b1 2 M, c1 3 M. 2016 accounts: A 11 / 20, B 22 / 30, C 1003 / 0
        // (assets / debt); A (λ 1.8) merges into B, B (λ 1.4) into C.
        let fs = [unit("a1", enterprise: "A", capacity: 1, cost: 100, price: 200),
                  unit("b1", enterprise: "B", capacity: 2, cost: 100, price: 200),
                  unit("c1", enterprise: "C", capacity: 3, cost: 100, price: 200)]
        let sheets = ["A": Fin.enterprise("A", assets: 10 * M, bank: 20 * M),
                      "B": Fin.enterprise("B", assets: 20 * M, bank: 30 * M),
                      "C": Fin.enterprise("C", assets: 1_000 * M)]
        let r = Fin.run(fs, order.map { sheets[$0]! }, Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("A"), kind: .merger, acquirer: "B"),
            ZombieAction(filter: Fin.only("B"), kind: .merger, acquirer: "C")])))
        // C: 1003 + 22 + 11 = 1036 M of assets, 30 + 20 = 50 M of debt.
        Fin.expect(r, "C", 2016, [.assets: 1_036 * M, .debt: 50 * M, .mergedIn: 50 * M, .enterprisesActive: 1])
        for id in ["A", "B"] {
            Fin.expect(r, id, 2016, [.mergers: 1, .enterprisesActive: 0, .assets: 0, .debt: 0])
        }
        // 2017: C sells from all three units: (1 + 2 + 3) × 10⁴ t × 200 = 12 M; EBIT 6 M → A 1042 M.
        Fin.expect(r, "C", 2017, [.revenue: 12 * M, .operatingCost: 6 * M, .assets: 1_042 * M])
        let f = r.finance!
        #expect(f.total(.mergedIn, sector: nil, owner: nil, yearIndex: 1, scenario: 0)
            == f.total(.mergedOut, sector: nil, owner: nil, yearIndex: 1, scenario: 0))
        #expect(f.total(.mergers, sector: nil, owner: nil, yearIndex: 1, scenario: 0) == 2)
        Fin.expectIdentity(r)
    }

    /// A zombie merging into an acquirer merged a year earlier goes to that acquirer's acquirer.
    @Test func mergerChainsAcrossYears() {
        // A: EBIT 1 − 4 fixed = −3 M a year, borrowed: λ = 83/100 in 2016 (not a zombie), 86/100 in 2017.
        // B merges into C in 2016; A, told to merge into B, goes to C in 2017.
        let fs = [unit("a1", enterprise: "A", capacity: 1, cost: 100, price: 200),
                  unit("b1", enterprise: "B", capacity: 2, cost: 100, price: 200),
                  unit("c1", enterprise: "C", capacity: 3, cost: 100, price: 200)]
        let es = [Fin.enterprise("A", assets: 100 * M, bank: 80 * M, fixedCost: 4 * M),
                  Fin.enterprise("B", assets: 20 * M, bank: 30 * M),
                  Fin.enterprise("C", assets: 1_000 * M)]
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("A"), kind: .merger, acquirer: "B"),
            ZombieAction(filter: Fin.only("B"), kind: .merger, acquirer: "C")])))
        #expect(Fin.series(r, .mergers, "B") == [0, 1, 0, 0, 0, 0])
        #expect(Fin.series(r, .mergers, "A") == [0, 0, 1, 0, 0, 0])
        #expect(Fin.series(r, .mergedIn, "B") == [0, 0, 0, 0, 0, 0])
        // C 2016: 1003 + 22 = 1025 M / 30 M. 2017: EBIT (2 + 3) × 10⁴ × 100 = 5 M → 1030, plus A's 100 M
        // → 1130 M; debt 30 + 86 = 116 M.
        Fin.expect(r, "C", 2017, [.mergedIn: 86 * M, .assets: 1_130 * M, .debt: 116 * M])
        Fin.expect(r, "A", 2017, [.mergedOut: 86 * M])
        // 2018: C earns from a1 as well: R = 6 × 10⁴ × 200 = 12 M.
        Fin.expect(r, "C", 2018, [.revenue: 12 * M])
        Fin.expectIdentity(r)
    }

    /// A merger into the zombie itself, or into a bankrupt enterprise, does not happen: the zombie is
    /// only flagged, and a bankrupt enterprise never receives debt.
    @Test func mergerIntoItselfOrABankruptEnterpriseOnlyFlags() {
        let fs = ["Y", "X", "Z"].map { unit($0.lowercased(), enterprise: $0) }
        let es = ["Y", "X", "Z"].map { Fin.enterprise($0, assets: 100 * M, bank: 90 * M) }
        let r = Fin.run(fs, es, Fin.finance(zombies: Fin.zombies(leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("Y"), kind: .bankruptcy),
            ZombieAction(filter: Fin.only("X"), kind: .merger, acquirer: "Y"),
            ZombieAction(filter: Fin.only("Z"), kind: .merger, acquirer: "Z")])))
        #expect(Fin.series(r, .bankruptcies, "Y") == [0, 1, 0, 0, 0, 0])
        #expect(Fin.series(r, .mergedIn, "Y") == [0, 0, 0, 0, 0, 0])
        #expect(Fin.series(r, .debt, "Y").dropFirst(1) == [0, 0, 0, 0, 0])
        for id in ["X", "Z"] {
            #expect(Fin.series(r, .zombies, id) == [0, 1, 1, 1, 1, 1], "\(id)")
            #expect(Fin.series(r, .mergers, id) == [0, 0, 0, 0, 0, 0], "\(id)")
            #expect(Fin.series(r, .debt, id) == [90, 90, 90, 90, 90, 90].map { $0 * M }, "\(id)")
        }
        Fin.expectIdentity(r)
    }
}
