import CapSimCore
import Testing

// Helpers for the enterprise-debt tests (docs/MODEL.md §8). Everything lives in `Fin` so the names
// cannot collide with Fixtures.swift or the other fixture files. Facilities come from `unit(...)`
// in Fixtures.swift, whose defaults (cost = price = 100 yuan/t) give an EBIT of zero.

enum Fin {
    /// One million yuan.
    static let M = 1_000_000.0

    // MARK: building blocks

    /// An enterprise; amounts in yuan, rates per year. Classes not given are 0.
    static func enterprise(_ id: String, owner: OwnerType = .state, assets: Double, bank: Double = 0,
                           bonds: Double = 0, privateFinancing: Double = 0, wages: Double = 0, tax: Double = 0,
                           social: Double = 0, bankRate: Double = 0, bondRate: Double = 0,
                           privateRate: Double = 0, fixedCost: Double = 0, lossYears: Int = 0) -> Enterprise {
        Enterprise(id: id, owner: owner, assetsYuan: assets,
                   debtYuan: [.bankLoans: bank, .bonds: bonds, .privateFinancing: privateFinancing,
                              .wageArrears: wages, .taxArrears: tax, .socialInsuranceArrears: social],
                   interestRate: [.bankLoans: bankRate, .bonds: bondRate, .privateFinancing: privateRate],
                   fixedCostYuanPerYear: fixedCost, lossYearsToBase: lossYears)
    }

    /// A holding or disposal entity (§8.7) with empty books.
    static func holding(_ id: String, _ kind: HoldingKind = .assetManagement, sector: Sector = .coal,
                        income: Double = 0, bankRate: Double = 0, fixedCost: Double = 0) -> Enterprise {
        Enterprise(id: id, owner: .state, assetsYuan: 0, debtYuan: [:], interestRate: [.bankLoans: bankRate],
                   fixedCostYuanPerYear: fixedCost, holding: Holding(kind: kind, sector: sector, assetIncomeRate: income))
    }

    /// Zombie criteria; the defaults can never hold (halted months are at most 12, no ratio exceeds
    /// +∞, no streak reaches Int.max), so a test switches on only the criterion it is about.
    static func zombies(halted: Double = 13, leverage: Double = .infinity, lossYears: Int = .max,
                        all: Bool = false, actions: [ZombieAction] = []) -> ZombiePolicy {
        ZombiePolicy(haltedMonths: halted, debtToAssets: leverage, lossYears: lossYears, requireAll: all,
                     actions: actions)
    }

    /// The seed's criteria (halted ≥ 6, λ > 0.85, losses ≥ 3, any) with `actions`.
    static func seedZombies(actions: [ZombieAction]) -> ZombiePolicy {
        let d = ZombiePolicy.seedDefaults
        return ZombiePolicy(haltedMonths: d.haltedMonths, debtToAssets: d.debtToAssets, lossYears: d.lossYears,
                            requireAll: d.requireAll, actions: actions)
    }

    /// A finance policy; by default no write-down, no repayment, no levers and no zombie.
    static func finance(writeDown: Double = 0, repayment: Double = 0, instruments: [DebtInstrument] = [],
                        zombies: ZombiePolicy = zombies()) -> FinancePolicy {
        FinancePolicy(assetWriteDownShare: writeDown, repaymentShare: repayment, instruments: instruments,
                      zombies: zombies)
    }

    /// A one-year lever on `classes` with `share`, for every enterprise unless `filter` says otherwise.
    static func lever(_ id: String, _ kind: DebtInstrumentKind, _ years: ClosedRange<Int>,
                      _ classes: [CreditorClass], share: Double = 1, follows: Double? = nil,
                      filter: EnterpriseFilter = .init()) -> DebtInstrument {
        DebtInstrument(id: id, kind: kind, years: years, filter: filter, creditors: classes, share: share,
                       debtFollowsShare: follows)
    }

    /// Only the enterprise `id`.
    static func only(_ ids: String...) -> EnterpriseFilter { EnterpriseFilter(enterprises: ids) }

    /// Runs one scenario with debt.
    static func run(_ facilities: [Facility], _ enterprises: [Enterprise], _ finance: FinancePolicy,
                    rules: [ClosureRule] = [], sectors: [Sector: SectorPolicy] = [:],
                    endYear: Int = end) -> BatchResult {
        Engine.run(ScenarioBatch(facilities: facilities, baseYear: base, endYear: endYear, scenarioNames: ["s"],
                                 policies: [Policy(rules: rules, sectors: sectors, finance: finance)],
                                 enterprises: enterprises))
    }

    /// Runs several scenarios with debt in one batch.
    static func runBatch(_ facilities: [Facility], _ enterprises: [Enterprise], _ policies: [Policy],
                         endYear: Int = end) -> BatchResult {
        Engine.run(ScenarioBatch(facilities: facilities, baseYear: base, endYear: endYear,
                                 scenarioNames: policies.indices.map { "s\($0)" }, policies: policies,
                                 enterprises: enterprises))
    }

    // MARK: reading results

    static func index(_ f: FinanceResult, _ id: String) -> Int {
        guard let e = f.enterprises.firstIndex(where: { $0.id == id }) else { preconditionFailure("no enterprise \(id)") }
        return e
    }

    /// `metric` of enterprise `id` in calendar `year`.
    static func value(_ r: BatchResult, _ metric: FinanceMetric, _ id: String, _ year: Int, scenario: Int = 0) -> Double {
        let f = r.finance!
        guard let y = f.years.firstIndex(of: year) else { preconditionFailure("no year \(year)") }
        return f.value(metric, yearIndex: y, enterprise: index(f, id), scenario: scenario)
    }

    /// `metric` of enterprise `id` for every reported year, base year first.
    static func series(_ r: BatchResult, _ metric: FinanceMetric, _ id: String, scenario: Int = 0) -> [Double] {
        r.finance!.years.map { value(r, metric, id, $0, scenario: scenario) }
    }

    /// Equal to a relative 1e-9, with an absolute floor of 1e-6 yuan.
    static func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1_000, abs(a), abs(b)) }

    /// Rounds to 1e-6 so decimal fractions of millions compare exactly.
    static func roundMicro(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    /// Checks every listed metric of `id` in `year`.
    static func expect(_ r: BatchResult, _ id: String, _ year: Int, scenario: Int = 0,
                       _ want: KeyValuePairs<FinanceMetric, Double>,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        for (metric, w) in want {
            let got = value(r, metric, id, year, scenario: scenario)
            #expect(near(got, w), "\(id) \(year) \(metric.name): got \(got), want \(w)", sourceLocation: sourceLocation)
        }
    }

    /// Checks the debt identity of §8.5 on every enterprise, year and scenario.
    static func expectIdentity(_ r: BatchResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let violations = r.finance!.identityViolations()
        #expect(violations.isEmpty, "\(violations.prefix(3))", sourceLocation: sourceLocation)
    }

    /// Position of one value in `FinanceResult.values` (the layout its documentation states).
    static func offset(_ f: FinanceResult, _ metric: FinanceMetric, yearIndex y: Int, enterprise e: Int,
                       scenario s: Int) -> Int {
        ((y * f.enterprises.count + e) * FinanceMetric.allCases.count + metric.index) * f.scenarioCount + s
    }

    // MARK: random tables and policies

    /// `count` enterprises `e0 … e(count-1)` with random balance sheets of up to a few billion yuan.
    static func randomEnterprises(count: Int, _ rng: inout SplitMix64) -> [Enterprise] {
        (0..<count).map { i in
            var debt: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where rng.chance(0.7) { debt[c] = rng.tenths(0...1_000) * M }
            var rate: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where c.bearsInterest { rate[c] = Double.random(in: 0...0.15, using: &rng) }
            return Enterprise(id: "e\(i)", owner: rng.pick(OwnerType.allCases),
                              assetsYuan: rng.chance(0.1) ? 0 : rng.tenths(0...2_000) * M, debtYuan: debt,
                              interestRate: rate, fixedCostYuanPerYear: rng.tenths(0...300) * M,
                              lossYearsToBase: Int.random(in: 0...4, using: &rng))
        }
    }

    /// A random facility table (Fixtures.randomFacilities) whose units belong to `enterprises`, each
    /// enterprise owning at least one unit and its units taking its owner type.
    static func randomFacilities(count: Int, enterprises: [Enterprise], _ rng: inout SplitMix64) -> [Facility] {
        var fs = CapSimCoreTests.randomFacilities(count: count, &rng)
        for i in fs.indices {
            let e = i < enterprises.count ? enterprises[i] : rng.pick(enterprises)
            fs[i].enterprise = e.id
            fs[i].owner = e.owner
        }
        return fs
    }

    static func randomFilter(_ ids: [String], _ rng: inout SplitMix64) -> EnterpriseFilter {
        EnterpriseFilter(sectors: rng.chance(0.3) ? Sector.allCases.filter { _ in rng.chance(0.5) } : [],
                         owner: rng.chance(0.3) ? rng.pick(OwnerType.allCases) : nil,
                         enterprises: rng.chance(0.3) ? ids.filter { _ in rng.chance(0.5) } : [],
                         zombiesOnly: rng.chance(0.3))
    }

    /// A random finance policy over enterprises `ids`: every kind of lever and action, random filters,
    /// shares, years and criteria; merger acquirers may be any enterprise, the zombie itself included.
    /// Stripping and swaps send to one of `holdings` (holding entities, §8.7) half the time; asset
    /// sales get a random recovery share.
    static func randomFinance(_ ids: [String], holdings: [String] = [], _ rng: inout SplitMix64) -> FinancePolicy {
        var instruments: [DebtInstrument] = []
        for i in 0..<Int.random(in: 0...6, using: &rng) {
            let from = Int.random(in: (base + 1)...end, using: &rng)
            let classes = CreditorClass.allCases.filter { _ in rng.chance(0.5) }
            let kind = rng.pick(DebtInstrumentKind.allCases)
            let sends = (kind == .assetStripping || kind == .debtEquitySwap) && !holdings.isEmpty && rng.chance(0.5)
            instruments.append(DebtInstrument(
                id: "i\(i)", kind: kind,
                years: from...Int.random(in: from...end, using: &rng), filter: randomFilter(ids + holdings, &rng),
                creditors: classes.isEmpty ? [.bankLoans] : classes, share: rng.tenths(0...1),
                debtFollowsShare: rng.chance(0.5) ? rng.tenths(0...1) : nil,
                recipient: sends ? rng.pick(holdings) : nil, recoveryShare: rng.tenths(0...1)))
        }
        var actions: [ZombieAction] = []
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            var recovery: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where rng.chance(0.7) { recovery[c] = rng.tenths(0...1) }
            actions.append(ZombieAction(filter: randomFilter(ids, &rng), kind: rng.pick(ZombieActionKind.allCases),
                                        recovery: recovery, acquirer: rng.pick(ids)))
        }
        let zombies = ZombiePolicy(haltedMonths: rng.tenths(0...12), debtToAssets: rng.tenths(0.3...1.5),
                                   lossYears: Int.random(in: 1...5, using: &rng), requireAll: rng.chance(0.3),
                                   actions: actions)
        return FinancePolicy(assetWriteDownShare: rng.tenths(0...1), repaymentShare: rng.tenths(0...1),
                             instruments: instruments, zombies: zombies)
    }

    /// A random wind-up policy (§8.8): liquidation at random recovery shares or absorption into one
    /// of `ids` (the enterprise itself or an unknown id included), from its own generator so the
    /// other draws of a batch stay as they were.
    static func randomWindUp(_ ids: [String], _ rng: inout SplitMix64) -> WindUpPolicy {
        if rng.chance(0.5) {
            var recovery: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where rng.chance(0.7) { recovery[c] = rng.tenths(0...1) }
            return WindUpPolicy(kind: .liquidation, recovery: recovery)
        }
        return WindUpPolicy(kind: .absorption, acquirer: rng.chance(0.9) ? rng.pick(ids) : "nobody")
    }

    /// A random batch: `scenarios` random capacity policies, each with a random finance policy.
    /// With `holdings`, that many holding entities `h0 …` (random kind, sector, income and rate)
    /// follow the enterprises, and the levers may send to them.
    static func randomBatch(seed: UInt64, scenarios: Int, enterprises count: Int = 6, facilities: Int = 30,
                            holdings holdingCount: Int = 0) -> ScenarioBatch
    {
        var rng = SplitMix64(seed: seed)
        let enterprises = randomEnterprises(count: count, &rng)
        let fs = randomFacilities(count: facilities, enterprises: enterprises, &rng)
        let ids = enterprises.map(\.id)
        let holdings = (0..<holdingCount).map { i in
            holding("h\(i)", rng.pick(HoldingKind.allCases), sector: rng.pick(Sector.allCases),
                    income: rng.tenths(0...0.2), bankRate: rng.tenths(0...0.1), fixedCost: rng.tenths(0...10) * M)
        }
        let policies = (0..<scenarios).map { _ -> Policy in
            var p = randomPolicy(fs, &rng)
            p.finance = randomFinance(ids, holdings: holdings.map(\.id), &rng)
            return p
        }
        return ScenarioBatch(facilities: fs, baseYear: base, endYear: end,
                             scenarioNames: policies.indices.map { "s\($0)" }, policies: policies,
                             enterprises: enterprises + holdings)
    }
}
