@testable import CapSimCore
import Testing

/// Holding and disposal entities (docs/MODEL.md §8.7) and the province-wide debt identity (§8.5),
/// on hand-worked examples. Units at the fixtures' default cost = price give an EBIT of zero, so
/// only the levers and the entities' own accounts move the books.
@Suite struct HoldingEntityTests {
    let M = Fin.M

    /// A (assets 1,000 M; bank 600 M, bonds 200 M, wage arrears 50 M) strips 60 % of its assets in
    /// 2016 into the asset-management company H, half its bank loans and bonds following them.
    func stripping(into recipient: String?, repayment: Double = 0.5, more: [DebtInstrument] = [],
                   zombies: ZombiePolicy = Fin.zombies()) -> BatchResult {
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let es = [Fin.enterprise("A", assets: 1_000 * M, bank: 600 * M, bonds: 200 * M, wages: 50 * M),
                  Fin.holding("H", income: 0.05, bankRate: 0.04)]
        let strip = DebtInstrument(id: "strip", kind: .assetStripping, years: 2016...2016, filter: Fin.only("A"),
                                   creditors: [.bankLoans, .bonds], share: 0.6, debtFollowsShare: 0.5,
                                   recipient: recipient)
        return Fin.run(fs, es, Fin.finance(repayment: repayment, instruments: [strip] + more, zombies: zombies))
    }

    /// The stripped assets and the debt that follows them land in H, class by class; H's accounts of
    /// 2016 ran before the transfer, so its income starts in 2017 on the 600 M it holds.
    @Test func strippedAssetsAndDebtLandInTheAssetManagementCompany() {
        let r = stripping(into: "H")
        Fin.expect(r, "A", 2016, [.strippedAssets: 600 * M, .strippedDebt: 400 * M, .assets: 400 * M,
                                  .debtByClass(.bankLoans): 300 * M, .debtByClass(.bonds): 100 * M, .debt: 450 * M])
        Fin.expect(r, "H", 2016, [.assetsReceived: 600 * M, .debtReceived: 400 * M, .assets: 600 * M,
                                  .debtByClass(.bankLoans): 300 * M, .debtByClass(.bonds): 100 * M,
                                  .debtByClass(.wageArrears): 0, .revenue: 0, .debtOpening: 0])
        // 2017: income 5 % × 600 = 30 M; interest 4 % × 300 M of bank loans = 12 M (bonds 0 %);
        // surplus 18 M, half repays 9 M pro rata (bank 300/400, bonds 100/400); 9 M stays as cash.
        Fin.expect(r, "H", 2017, [.revenue: 30 * M, .interestCharged: 12 * M, .interestPaid: 12 * M,
                                  .repaid: 9 * M, .debtByClass(.bankLoans): 293.25 * M,
                                  .debtByClass(.bonds): 97.75 * M, .assets: 609 * M, .debtOpening: 400 * M])
        Fin.expectIdentity(r)
    }

    /// Province-wide, stripping into an entity moves debt without removing any: the province's debt
    /// after the 2016 transfer is still A's 850 M; without a recipient 400 M leave the books untracked.
    @Test func provinceDebtIsKeptByTheEntityAndLostWithoutOne() throws {
        let held = try #require(stripping(into: "H").finance)
        let y = try #require(held.years.firstIndex(of: 2016))
        let withEntity = held.provinceDebtFlows(yearIndex: y, scenario: 0)
        #expect(Fin.near(withEntity.opening, 850 * M) && Fin.near(withEntity.closing, 850 * M))
        #expect(Fin.near(withEntity.stripped, 400 * M) && Fin.near(withEntity.received, 400 * M))
        #expect(withEntity.strippedToNoHolder == 0)
        let lost = try #require(stripping(into: nil).finance).provinceDebtFlows(yearIndex: y, scenario: 0)
        #expect(Fin.near(lost.closing, 450 * M))
        #expect(Fin.near(lost.strippedToNoHolder, 400 * M))
    }

    /// An entity is never tested as a zombie: after selling 90 % of its assets at 10 % of book value
    /// in 2017 its debt is several times its assets, and a bankruptcy action applies to it, yet it is
    /// neither flagged nor wound up; nor does it count as an operating enterprise.
    @Test func anEntityIsNoZombieAndDoesNotOperate() {
        let sale = DebtInstrument(id: "sale", kind: .assetSale, years: 2017...2017, filter: Fin.only("H"),
                                  creditors: [.bankLoans], share: 0.9, recoveryShare: 0.1)
        let zombies = Fin.seedZombies(actions: [ZombieAction(filter: Fin.only("H"), kind: .bankruptcy)])
        let r = stripping(into: "H", repayment: 0, more: [sale], zombies: zombies)
        for year in 2016...end {
            Fin.expect(r, "H", year, [.zombies: 0, .bankruptcies: 0, .enterprisesActive: 0])
        }
        Fin.expectIdentity(r)
    }

    /// A disposal platform D takes half of A's assets (500 M) and all its bank loans (800 M) in 2016;
    /// in 2017 it sells half its assets at 30 % of book value (250 M sold, 75 M proceeds repay bank
    /// loans, 175 M written down); in 2018 it writes off what is left of the loans (a bank loss).
    @Test func aDisposalPlatformSellsAtTheRecoveryShareAndWritesOff() {
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let es = [Fin.enterprise("A", assets: 1_000 * M, bank: 800 * M), Fin.holding("D", .disposalPlatform)]
        let levers = [
            DebtInstrument(id: "strip", kind: .assetStripping, years: 2016...2016, filter: Fin.only("A"),
                           creditors: [.bankLoans], share: 0.5, debtFollowsShare: 1, recipient: "D"),
            DebtInstrument(id: "sale", kind: .assetSale, years: 2017...2017, filter: Fin.only("D"),
                           creditors: [.bankLoans], share: 0.5, recoveryShare: 0.3),
            Fin.lever("wo", .writeOff, 2018...2018, [.bankLoans], filter: Fin.only("D")),
        ]
        let r = Fin.run(fs, es, Fin.finance(instruments: levers))
        Fin.expect(r, "D", 2016, [.assets: 500 * M, .debt: 800 * M])
        Fin.expect(r, "A", 2016, [.assets: 500 * M, .debt: 0])
        Fin.expect(r, "D", 2017, [.assetsSold: 250 * M, .repaid: 75 * M, .assetWriteDown: 175 * M,
                                  .assets: 250 * M, .debt: 725 * M, .equity: -475 * M])
        Fin.expect(r, "D", 2018, [.writtenOff: 725 * M, .bankLosses: 725 * M, .debt: 0, .assets: 250 * M])
        Fin.expectIdentity(r)
    }

    /// Proceeds above the listed debt repay all of it and stay as cash.
    @Test func saleProceedsAboveTheDebtStayAsCash() {
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let es = [Fin.enterprise("A", assets: 1_000 * M, bank: 100 * M, bonds: 300 * M)]
        let sale = DebtInstrument(id: "sale", kind: .assetSale, years: 2016...2016, creditors: [.bankLoans],
                                  share: 0.2, recoveryShare: 0.8)
        // 200 M sold, 160 M proceeds: 100 M repay the bank, 60 M stay; bonds untouched.
        let r = Fin.run(fs, es, Fin.finance(instruments: [sale]))
        Fin.expect(r, "A", 2016, [.repaid: 100 * M, .assets: 860 * M, .debtByClass(.bankLoans): 0,
                                  .debtByClass(.bonds): 300 * M, .assetWriteDown: 40 * M])
        Fin.expectIdentity(r)
    }

    /// A swap into an equity holding gives the holding the swapped amount as an asset, no debt.
    @Test func swappedEquityIsTheHoldingsAsset() {
        let fs = [unit("a1", enterprise: "A", capacity: 10)]
        let es = [Fin.enterprise("A", assets: 1_000 * M, bank: 500 * M), Fin.holding("B", .equityHolding)]
        let swap = DebtInstrument(id: "swap", kind: .debtEquitySwap, years: 2016...2016, filter: Fin.only("A"),
                                  creditors: [.bankLoans], share: 0.2, recipient: "B")
        let r = Fin.run(fs, es, Fin.finance(instruments: [swap]))
        Fin.expect(r, "A", 2016, [.swapped: 100 * M, .debt: 400 * M])
        Fin.expect(r, "B", 2016, [.assetsReceived: 100 * M, .assets: 100 * M, .debt: 0, .equity: 100 * M])
        Fin.expectIdentity(r)
    }

    // MARK: the identities' checks

    /// A province whose opening debt is not last year's closing debt is reported, although each
    /// enterprise's own identity holds (opening and new borrowing moved by the same amount).
    @Test func debtAppearingBetweenYearsBreaksTheProvinceIdentity() throws {
        var f = try #require(stripping(into: "H").finance)
        let y = try #require(f.years.firstIndex(of: 2018))
        f.values[Fin.offset(f, .debtOpening, yearIndex: y, enterprise: 0, scenario: 0)] += 1_000
        f.values[Fin.offset(f, .newBorrowing, yearIndex: y, enterprise: 0, scenario: 0)] -= 1_000
        let found = f.identityViolations()
        #expect(found.count == 1 && found[0].contains("opening debt"), "\(found)")
    }

    /// Mergers that move out more than they move in are reported.
    @Test func unbalancedMergersBreakTheProvinceIdentity() throws {
        var f = try #require(stripping(into: "H").finance)
        let y = try #require(f.years.firstIndex(of: 2017))
        f.values[Fin.offset(f, .mergedOut, yearIndex: y, enterprise: 0, scenario: 0)] += 5_000
        f.values[Fin.offset(f, .repaid, yearIndex: y, enterprise: 0, scenario: 0)] -= 5_000
        let found = f.identityViolations()
        #expect(found.count == 1 && found[0].contains("mergers moved"), "\(found)")
    }

    /// The tolerance scales with the amounts: a residual of 1,000 yuan is rounding beside 10^16 yuan
    /// of flows, but a violation beside 10^9.
    @Test func theToleranceIsRelativeToTheAmounts() throws {
        let clean = try #require(stripping(into: "H").finance)
        let y = try #require(clean.years.firstIndex(of: 2017))
        func residual(_ delta: Double, scale: Double) -> Int {
            var f = clean
            for m in [FinanceMetric.newBorrowing, .repaid] {
                f.values[Fin.offset(f, m, yearIndex: y, enterprise: 0, scenario: 0)] += scale
            }
            f.values[Fin.offset(f, .repaid, yearIndex: y, enterprise: 0, scenario: 0)] += delta
            return f.identityViolations().count
        }
        #expect(residual(1_000, scale: 1e16) == 0)
        #expect(residual(1_000, scale: 1e9) == 1)
        #expect(residual(0.5, scale: 0) == 0) // within the absolute floor of one yuan
    }
}

/// Exit is not bankruptcy (docs/MODEL.md §8.8): an enterprise whose last unit closes is wound up,
/// counted in `wound_up`, and never tested as a zombie; a partly closed one still is.
@Suite struct WindUpTests {
    let M = Fin.M

    /// A owns a1 and a2, B owns b1; a1, a2 close in 2016 (A has no unit left), b1 stays. A has 100 M
    /// of assets, 80 M of bank loans and 10 M of wage arrears; the zombie rule (λ > 0.5) would make
    /// it bankrupt with nothing recovered.
    func run(_ windUp: WindUpPolicy?, leverage: Double = 0.5) -> BatchResult {
        let fs = [unit("a1", enterprise: "A", capacity: 5), unit("a2", enterprise: "A", capacity: 5),
                  unit("b1", enterprise: "B", capacity: 5)]
        let es = [Fin.enterprise("A", assets: 100 * M, bank: 80 * M, wages: 10 * M),
                  Fin.enterprise("B", assets: 50 * M)]
        var finance = Fin.finance(zombies: Fin.zombies(leverage: leverage, actions: [ZombieAction(kind: .bankruptcy)]))
        finance.windUp = windUp
        return Fin.run(fs, es, finance, rules: [named("x", ["a1", "a2"], year: 2016)])
    }

    /// Liquidation: wages recovered in full (10 M), bank loans at 50 % (40 M); 50 M of assets
    /// written down, 40 M of bank loans written off (a bank loss); no zombie flag, no bankruptcy.
    @Test func anEnterpriseWithNoUnitLeftIsLiquidatedNotBankrupt() {
        let r = run(WindUpPolicy(kind: .liquidation, recovery: [.wageArrears: 1, .bankLoans: 0.5]))
        Fin.expect(r, "A", 2016, [.windUps: 1, .bankruptcies: 0, .zombies: 0, .repaid: 50 * M,
                                  .writtenOff: 40 * M, .bankLosses: 40 * M, .assetWriteDown: 50 * M,
                                  .debt: 0, .assets: 0, .enterprisesActive: 0])
        Fin.expect(r, "B", 2016, [.enterprisesActive: 1, .windUps: 0])
        Fin.expectIdentity(r)
        // Without a wind-up policy the closed-out enterprise stays open and the zombie rule takes it.
        let old = run(nil)
        Fin.expect(old, "A", 2016, [.windUps: 0, .bankruptcies: 1, .zombies: 1, .writtenOff: 90 * M])
    }

    /// Absorption: B takes A's assets and debt, counted as a wind-up, not a merger (the zombie
    /// threshold is raised above B's new λ of 0.6).
    @Test func anEnterpriseWithNoUnitLeftCanBeAbsorbed() {
        let r = run(WindUpPolicy(kind: .absorption, acquirer: "B"), leverage: 0.95)
        Fin.expect(r, "A", 2016, [.windUps: 1, .mergers: 0, .mergedOut: 90 * M])
        Fin.expect(r, "B", 2016, [.assets: 150 * M, .debt: 90 * M])
        Fin.expectIdentity(r)
    }
}
