import CapSimCore
import Testing

/// FinanceResult: the debt identity of docs/MODEL.md §8.5 on random tables and policies, the check
/// itself on corrupted results, group totals, invariants over all enterprises, and batching.
@Suite struct FinanceResultTests {
    let M = Fin.M

    // MARK: the identity on random runs

    /// For random enterprise tables, facility tables and finance policies (every lever and action), the
    /// identity holds for every enterprise, year and scenario, and the invariants a bug would break hold:
    /// no negative class or asset, interest paid + capitalised = charged, merged in = merged out over
    /// all enterprises, a bank loss never exceeds what was written off, an enterprise stops being
    /// active exactly when it goes bankrupt or is merged, and enterprise exits follow a bankruptcy.
    @Test(arguments: Array(1...12) as [UInt64])
    func identityAndInvariantsHoldOnRandomRuns(seed: UInt64) {
        let batch = Fin.randomBatch(seed: seed, scenarios: 3)
        let r = Engine.run(batch)
        let f = r.finance!
        #expect(f.identityViolations().isEmpty, "\(f.identityViolations().prefix(3))")
        let tol = 1.0 // yuan, as the identity check
        for s in 0..<f.scenarioCount {
            for y in f.years.indices {
                func sum(_ m: FinanceMetric) -> Double { f.total(m, sector: nil, owner: nil, yearIndex: y, scenario: s) }
                #expect(abs(sum(.mergedIn) - sum(.mergedOut)) <= tol, "s\(s) y\(f.years[y])")
                // Over all enterprises the merger terms cancel.
                let flows = sum(.debtOpening) + sum(.newBorrowing) + sum(.interestCapitalised) - sum(.repaid)
                    - sum(.swapped) - sum(.strippedDebt) + sum(.debtReceived) - sum(.writtenOff)
                #expect(abs(flows - sum(.debt)) <= tol, "s\(s) y\(f.years[y])")
                for e in f.enterprises.indices {
                    func v(_ m: FinanceMetric, _ yy: Int = y) -> Double { f.value(m, yearIndex: yy, enterprise: e, scenario: s) }
                    let label = "s\(s) \(f.enterprises[e].id) \(f.years[y])"
                    for c in CreditorClass.allCases { #expect(v(.debtByClass(c)) >= -tol, "\(label) \(c)") }
                    #expect(v(.assets) >= -tol, "\(label) assets")
                    #expect(abs(v(.interestPaid) + v(.interestCapitalised) - v(.interestCharged)) <= tol, "\(label)")
                    #expect(v(.bankLosses) <= v(.writtenOff) + tol, "\(label)")
                    #expect(v(.zombies) == 0 || v(.zombies) == 1, "\(label)")
                    #expect(v(.bankruptcies) + v(.mergers) <= v(.zombies), "\(label)")
                    if y > 0 {
                        #expect(v(.enterprisesActive) == v(.enterprisesActive, y - 1) - v(.bankruptcies) - v(.mergers), "\(label)")
                        // An enterprise inactive at the start of the year has no accounts and no stocks.
                        if v(.enterprisesActive, y - 1) == 0 {
                            for m in FinanceMetric.allCases {
                                #expect(v(m) == 0, "\(label) \(m.name)")
                            }
                        }
                    }
                }
            }
            // Every exit closure follows its enterprise's bankruptcy the year before.
            for c in r.closures where c.scenario == s {
                guard case let .enterpriseExit(id) = c.cause else { continue }
                let e = Fin.index(f, id)
                let y = f.years.firstIndex(of: c.year)!
                #expect(f.value(.bankruptcies, yearIndex: y - 1, enterprise: e, scenario: s) == 1, "\(id) \(c.year)")
            }
        }
    }

    /// The identity check itself finds a bankrupt enterprise's debt, classes and equity consistent on a
    /// random run with many zombies (aggressive criteria, bankruptcy and merger for all).
    @Test(arguments: Array(20...27) as [UInt64])
    func identityHoldsWithManyBankruptciesAndMergers(seed: UInt64) {
        var batch = Fin.randomBatch(seed: seed, scenarios: 2, enterprises: 8)
        let ids = batch.enterprises.map(\.id)
        batch.policies[0].finance!.zombies = ZombiePolicy(haltedMonths: 3, debtToAssets: 0.5, lossYears: 1,
                                                          requireAll: false, actions: [
            ZombieAction(filter: .init(owner: .private), kind: .bankruptcy, recovery: [.bankLoans: 0.3, .wageArrears: 1]),
            ZombieAction(kind: .merger, acquirer: ids.last!)])
        batch.policies[1].finance!.zombies = ZombiePolicy(haltedMonths: 12, debtToAssets: 0.7, lossYears: 2,
                                                          requireAll: false, actions: ids.indices.map {
            ZombieAction(filter: .init(enterprises: [ids[$0]]), kind: .merger, acquirer: ids[($0 + 1) % ids.count])
        })
        let r = Engine.run(batch)
        let f = r.finance!
        #expect(f.identityViolations().isEmpty, "\(f.identityViolations().prefix(3))")
        for s in 0..<2 {
            for y in f.years.indices {
                let inSum = f.total(.mergedIn, sector: nil, owner: nil, yearIndex: y, scenario: s)
                let outSum = f.total(.mergedOut, sector: nil, owner: nil, yearIndex: y, scenario: s)
                #expect(abs(inSum - outSum) <= 1e-6 * max(1, inSum), "s\(s) \(f.years[y])")
            }
        }
    }

    // MARK: the identity check on corrupted results

    /// A small hand-worked run whose result the corruption tests tamper with.
    func cleanResult() -> FinanceResult {
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 150)]
        let a = Fin.enterprise("A", assets: 300 * M, bank: 100 * M, bonds: 40 * M, bankRate: 0.06, bondRate: 0.05)
        let r = Fin.run(fs, [a], Fin.finance(instruments: [Fin.lever("wo", .writeOff, 2017...2017, [.bonds], share: 0.5)]))
        return r.finance!
    }

    @Test func theCleanResultHasNoViolations() {
        #expect(cleanResult().identityViolations().isEmpty)
    }

    /// Changing the closing debt breaks the identity and the class sum; changing equity breaks
    /// assets − debt = equity; changing a flow breaks the identity only; changes within the tolerance pass.
    @Test func corruptedResultsAreReported() {
        let clean = cleanResult()
        let y = clean.years.firstIndex(of: 2017)!
        func corrupted(_ metric: FinanceMetric, by delta: Double) -> [String] {
            var f = clean
            let k = Fin.offset(f, metric, yearIndex: y, enterprise: 0, scenario: 0)
            #expect(f.values[k] == f.value(metric, yearIndex: y, enterprise: 0, scenario: 0))
            f.values[k] += delta
            return f.identityViolations()
        }
        let debt = corrupted(.debt, by: 1_000)
        // identity, class sum, equity; and the province's 2018 opening debt is no longer its 2017 closing (§8.5)
        #expect(debt.count == 4, "\(debt)")
        #expect(debt.contains { $0.contains("the province's opening debt") })
        #expect(debt.contains { $0.contains("debt identity") && $0.contains("A 2017") })
        #expect(debt.contains { $0.contains("classes sum") })
        let equity = corrupted(.equity, by: -5)
        #expect(equity.count == 1 && equity[0].contains("equity"), "\(equity)")
        let flow = corrupted(.writtenOff, by: 2)
        #expect(flow.count == 1 && flow[0].contains("debt identity"), "\(flow)")
        let bankClass = corrupted(.debtByClass(.bankLoans), by: 10)
        #expect(bankClass.count == 1 && bankClass[0].contains("classes sum"), "\(bankClass)")
        #expect(corrupted(.debt, by: 0.5).isEmpty) // within one yuan
        #expect(corrupted(.repaid, by: -0.9).isEmpty)
        var tight = clean
        tight.values[Fin.offset(tight, .newBorrowing, yearIndex: y, enterprise: 0, scenario: 0)] += 0.5
        #expect(tight.identityViolations(toleranceYuan: 0.1).count == 1)
    }

    /// A value that is not a number is no balance: the check must report it rather than let every
    /// comparison with NaN come out false.
    @Test func aNaNInTheResultIsReported() {
        var f = cleanResult()
        let y = f.years.firstIndex(of: 2018)!
        f.values[Fin.offset(f, .debt, yearIndex: y, enterprise: 0, scenario: 0)] = .nan
        #expect(!f.identityViolations().isEmpty, "a NaN closing debt passes the identity check")
    }

    // MARK: group totals

    /// total() sums enterprises by main sector and owner; debtToAssets is group debt / group assets.
    @Test func groupTotalsAndLeverageByMainSectorAndOwner() {
        let fs = [unit("s1", enterprise: "S1"), unit("p1", enterprise: "P1", owner: .private),
                  unit("i1", .blastFurnace, enterprise: "I1")]
        let es = [Fin.enterprise("S1", assets: 100 * M, bank: 30 * M),
                  Fin.enterprise("P1", owner: .private, assets: 50 * M, bonds: 45 * M),
                  Fin.enterprise("I1", assets: 200 * M, wages: 10 * M)]
        let f = Fin.run(fs, es, Fin.finance(), endYear: 2016).finance!
        func total(_ m: FinanceMetric, _ s: Sector?, _ o: OwnerType?) -> Double {
            f.total(m, sector: s, owner: o, yearIndex: 1, scenario: 0)
        }
        #expect(total(.debt, .coal, nil) == 75 * M)
        #expect(total(.debt, .coal, .private) == 45 * M)
        #expect(total(.debt, nil, .state) == 40 * M)
        #expect(total(.assets, nil, nil) == 350 * M)
        #expect(total(.enterprisesActive, .coal, nil) == 2)
        #expect(total(.debt, .steel, nil) == 0)
        // coal: 75 / 150 = 0.5; iron: 10 / 200 = 0.05; steel has no enterprise: 0.
        #expect(f.debtToAssets(sector: .coal, owner: nil, yearIndex: 1, scenario: 0) == 0.5)
        #expect(f.debtToAssets(sector: .iron, owner: .state, yearIndex: 1, scenario: 0) == 0.05)
        #expect(f.debtToAssets(sector: .steel, owner: nil, yearIndex: 1, scenario: 0) == 0)
        #expect(f.debtToAssets(sector: .iron, owner: .private, yearIndex: 1, scenario: 0) == 0)
    }

    /// Every metric has a distinct output name and a consistent index; debt per class is named after
    /// its class.
    @Test func metricNamesAreDistinctAndIndicesRoundTrip() {
        let names = FinanceMetric.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(FinanceMetric.allCases.count == CreditorClass.allCases.count + 30)
        for (i, m) in FinanceMetric.allCases.enumerated() { #expect(m.index == i) }
        #expect(FinanceMetric.debtByClass(.socialInsuranceArrears).name == "debt.social_insurance_arrears")
        #expect(FinanceMetric.allCases.filter(\.isStock).count == CreditorClass.allCases.count + 5)
        #expect(FinanceMetric.allCases.filter { $0.unit == "enterprises" }.map(\.name)
            == ["zombies", "bankruptcies", "mergers", "enterprises_active", "wound_up"])
    }

    // MARK: batching

    /// Three scenarios with different finance policies in one batch give each scenario exactly the
    /// numbers it gets alone (hand-built: bankruptcy, merger, levers, different closures).
    @Test func aBatchOfThreeMatchesEachScenarioRunAlone() {
        let fs = [unit("a1", enterprise: "A", capacity: 10, cost: 100, price: 150),
                  unit("a2", enterprise: "A", capacity: 20, cost: 100, price: 150),
                  unit("b1", enterprise: "B", owner: .private, capacity: 10),
                  unit("c1", .blastFurnace, enterprise: "C", capacity: 30, cost: 200, price: 260)]
        let es = [Fin.enterprise("A", assets: 300 * M, bank: 100 * M, bonds: 40 * M, bankRate: 0.06, bondRate: 0.05),
                  Fin.enterprise("B", owner: .private, assets: 60 * M, bank: 50 * M, wages: 5 * M, bankRate: 0.08,
                                 fixedCost: 3 * M, lossYears: 2),
                  Fin.enterprise("C", assets: 800 * M, bank: 200 * M, privateFinancing: 50 * M, bankRate: 0.05,
                                 privateRate: 0.12)]
        let policies = [
            Policy(rules: [named("x", ["a2"], year: 2017)], sectors: [.coal: SectorPolicy(utilisation: 0.7)],
                   finance: Fin.finance(writeDown: 0.8, repayment: 0.5, instruments: [
                       Fin.lever("wo", .writeOff, 2017...2018, [.bankLoans], share: 0.2)],
                                        zombies: Fin.seedZombies(actions: [
                                            ZombieAction(kind: .bankruptcy, recovery: [.bankLoans: 0.4])]))),
            Policy(sectors: [.iron: SectorPolicy(utilisation: 0.5, priceIndex: 0.9)],
                   finance: Fin.finance(writeDown: 0.5, repayment: 0.3, instruments: [
                       Fin.lever("sw", .debtEquitySwap, 2016...2016, [.bankLoans, .privateFinancing], share: 0.3),
                       Fin.lever("su", .interestSuspension, 2016...2019, [.bankLoans], filter: .init(owner: .private))],
                                        zombies: Fin.seedZombies(actions: [
                                            ZombieAction(kind: .merger, acquirer: "C")]))),
            Policy(rules: [named("y", ["c1"], year: 2019)],
                   finance: Fin.finance(writeDown: 1, repayment: 1, instruments: [
                       Fin.lever("st", .assetStripping, 2018...2018, CreditorClass.allCases, share: 0.4, follows: 0.6),
                       Fin.lever("wv", .interestWaiver, 2016...2020, [.bankLoans], share: 0.5,
                                 filter: .init(zombiesOnly: true))], zombies: Fin.seedZombies(actions: []))),
        ]
        let together = Fin.runBatch(fs, es, policies)
        for (s, policy) in policies.enumerated() {
            let alone = Fin.runBatch(fs, es, [policy])
            expectSameScenario(together, s, alone, fs)
        }
        // The three scenarios really differ: B (loss streak 2 + 1, λ 55/60) goes bankrupt, is merged
        // into C, or is only flagged.
        #expect(Fin.series(together, .bankruptcies, "B", scenario: 0) == [0, 1, 0, 0, 0, 0])
        #expect(Fin.series(together, .mergers, "B", scenario: 1) == [0, 1, 0, 0, 0, 0])
        #expect(Fin.series(together, .zombies, "B", scenario: 2) == [0, 1, 1, 1, 1, 1])
        #expect(Fin.series(together, .debt, "C", scenario: 1) != Fin.series(together, .debt, "C", scenario: 2))
        Fin.expectIdentity(together)
    }

    /// The same on random batches of three.
    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func randomBatchesMatchEachScenarioRunAlone(seed: UInt64) {
        let batch = Fin.randomBatch(seed: seed, scenarios: 3)
        let together = Engine.run(batch)
        for s in batch.policies.indices {
            let alone = Engine.run(ScenarioBatch(facilities: batch.facilities, baseYear: batch.baseYear,
                                                 endYear: batch.endYear, scenarioNames: ["s"],
                                                 policies: [batch.policies[s]], enterprises: batch.enterprises))
            expectSameScenario(together, s, alone, batch.facilities)
        }
    }

    /// Every finance value and every closure of scenario `s` of `batch` equals scenario 0 of `alone`, bit for bit.
    func expectSameScenario(_ batch: BatchResult, _ s: Int, _ alone: BatchResult, _ fs: [Facility],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let fb = batch.finance!, fa = alone.finance!
        var differences: [String] = []
        for y in fb.years.indices {
            for e in fb.enterprises.indices {
                for m in FinanceMetric.allCases {
                    let b = fb.value(m, yearIndex: y, enterprise: e, scenario: s)
                    let a = fa.value(m, yearIndex: y, enterprise: e, scenario: 0)
                    if b != a { differences.append("\(fb.enterprises[e].id) \(fb.years[y]) \(m.name): \(b) vs \(a)") }
                }
            }
        }
        #expect(differences.isEmpty, "scenario \(s): \(differences.prefix(5))", sourceLocation: sourceLocation)
        let closedTogether = batch.closures.filter { $0.scenario == s }.map { Closed(fs[$0.facility].id, $0.year, $0.cause.ruleID) }
        #expect(closedTogether == closed(alone, fs), "scenario \(s)", sourceLocation: sourceLocation)
        #expect(fb.mainSector == fa.mainSector, sourceLocation: sourceLocation)
    }
}
