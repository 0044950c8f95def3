/// Keeps every enterprise's accounts for every scenario of a batch at once (docs/MODEL.md §8).
///
/// Each year, after the capacity step: revenue and cost from the units operating at the end of the
/// year, closures' asset write-downs, interest (charged, paid, capitalised, or suspended), new
/// borrowing for losses and repayment from surpluses; then the debt levers in order; then zombie
/// identification and the chosen action. Bankrupt enterprises' units are listed in `exits`.
///
/// Layout (§8.0): every per-enterprise quantity is a flat array `[e · S + s]`, per creditor class
/// `[(e · C + c) · S + s]`, per unit `[f · S + s]`, with the scenario index `s` innermost, so one
/// pass over an enterprise or a unit advances every scenario of the batch. The units each
/// enterprise owns in each scenario form a linked list (`firstUnit`, `nextUnit`; table order until a
/// merger splices the zombie's list in front of the acquirer's), so stripping, bankruptcy and merger
/// cost the units of the enterprise concerned, not a scan of the table; a bankruptcy sorts its units
/// into table order for `exits`. Scratch is allocated once; `step` allocates nothing (the exit list
/// keeps its reserved capacity).
struct FinanceModel {
    /// Enterprise status codes in `status`.
    enum StatusCode {
        static let active: UInt8 = 0
        static let bankrupt: UInt8 = 1
        static let merged: UInt8 = 2
        /// Wound up by liquidation once its last unit closed (§8.8).
        static let woundUp: UInt8 = 3
    }

    /// Creditor classes `C` and the interest-bearing ones, which are the first `bearing` classes.
    static let classes = 6
    static let bearing = 3

    let enterpriseCount: Int
    let facilityCount: Int
    let scenarioCount: Int
    /// `FinanceMetric.allCases.count`, kept so the year step reads no global.
    let metricCount: Int
    let policy: CompiledFinancePolicy

    // Per unit (table order), fixed.
    let unitSector: [Int]
    let unitCapacity: [Double]
    let unitPrice: [Double]
    let unitCost: [Double]

    // Per enterprise, fixed.
    let fixedCost: [Double]
    /// `[e · C + c]`, 0 for arrears.
    let interestRate: [Double]
    /// Base operating capacity, 10 kt/yr.
    let baseCapacity: [Double]
    /// Whether the enterprise is a holding or disposal entity (§8.7), and its income per yuan of assets.
    let isHolding: [Bool]
    let assetIncomeRate: [Double]

    // Per unit and scenario `[f · S + s]`.
    /// Whether the unit operates at the end of the last stepped year (kept from the events).
    var operating: [Bool]
    /// The enterprise owning the unit (changes with mergers).
    var owner: [Int32]
    /// Book value, yuan.
    var bookValue: [Double]
    /// The next unit of the same owner, −1 at the end (table order unless the owner acquired units).
    var nextUnit: [Int32]

    // Per enterprise and scenario `[e · S + s]` (debt and unpaid interest `[(e · C + c) · S + s]`).
    /// The owner's first unit, −1 if it owns none.
    var firstUnit: [Int32]
    var status: [UInt8]
    var assets: [Double]
    var debt: [Double]
    /// Capitalised interest still owed, per class (part of `debt`).
    var unpaidInterest: [Double]
    var lossStreak: [Int]
    var everZombie: [Bool]
    /// The acquirer of a merged enterprise, −1 otherwise.
    var mergedInto: [Int32]
    /// Units the enterprise owns that are operating or still planned (not closed), kept from the
    /// events; 0 with units owned means its last unit has closed (§8.8).
    var liveUnits: [Int32]

    // Scratch `[e · S + s]`, overwritten each year.
    var revenue: [Double]
    var cost: [Double]
    var operatingCapacity: [Double]
    var writeDown: [Double]
    /// A bankrupt enterprise's units, sorted into table order (capacity `F`).
    var unitScratch: [Int32]

    var result: FinanceResult
    /// Units of enterprises that went bankrupt this year (see `EnterpriseExit` for the order).
    private(set) var exits: [EnterpriseExit]

    /// Sets up the books of every enterprise in every scenario of `policies` (each must model debt).
    init(enterprises: [Enterprise], facilities: [Facility], baseYear: Int, years: [Int], policies: [Policy]) {
        precondition(CreditorClass.allCases.count == Self.classes
            && CreditorClass.allCases.prefix(Self.bearing).allSatisfy(\.bearsInterest)
            && !CreditorClass.allCases.dropFirst(Self.bearing).contains(where: \.bearsInterest),
                     "the interest-bearing classes come first")
        let E = enterprises.count, F = facilities.count, S = policies.count, C = Self.classes
        enterpriseCount = E
        facilityCount = F
        scenarioCount = S
        metricCount = FinanceMetric.allCases.count
        var index: [String: Int] = [:]
        for (e, enterprise) in enterprises.enumerated() { index[enterprise.id] = e }
        let facilityOwner = facilities.map { f -> Int in
            guard let e = index[f.enterprise] else { preconditionFailure("no balance sheet for enterprise \(f.enterprise)") }
            return e
        }
        var base = [Double](repeating: 0, count: E)
        for (f, facility) in facilities.enumerated() where facility.startYear <= baseYear {
            base[facilityOwner[f]] += facility.capacity10ktPerYear
        }
        baseCapacity = base
        let mainSector = Enterprise.mainSectors(of: enterprises, facilities: facilities, baseYear: baseYear).map {
            guard let sector = $0 else { preconditionFailure("every enterprise must own a facility") }
            return sector
        }
        policy = CompiledFinancePolicy(policies, enterprises: enterprises, mainSector: mainSector, years: years)
        unitSector = facilities.map(\.sector.index)
        unitCapacity = facilities.map(\.capacity10ktPerYear)
        unitPrice = facilities.map(\.priceYuanPerTonne)
        unitCost = facilities.map(\.unitCostYuanPerTonne)
        fixedCost = enterprises.map(\.fixedCostYuanPerYear)
        isHolding = enterprises.map { $0.holding != nil }
        assetIncomeRate = enterprises.map { $0.holding?.assetIncomeRate ?? 0 }
        interestRate = enterprises.flatMap(\.interestRate)

        // Book value: the enterprise's base assets spread over its base units by capacity.
        var values = [Double](repeating: 0, count: F)
        for (f, facility) in facilities.enumerated() where facility.startYear <= baseYear {
            let e = facilityOwner[f]
            values[f] = base[e] > 0 ? enterprises[e].assetsYuan * facility.capacity10ktPerYear / base[e] : 0
        }
        var first = [Int32](repeating: -1, count: E), next = [Int32](repeating: -1, count: F)
        var last = [Int](repeating: -1, count: E)
        for f in 0..<F {
            let e = facilityOwner[f]
            if last[e] < 0 { first[e] = Int32(f) } else { next[last[e]] = Int32(f) }
            last[e] = f
        }
        func perScenario<T>(_ column: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(column.count * S)
            for x in column { for _ in 0..<S { out.append(x) } }
            return out
        }
        operating = perScenario(facilities.map { $0.startYear <= baseYear })
        owner = perScenario(facilityOwner.map { Int32($0) })
        bookValue = perScenario(values)
        nextUnit = perScenario(next)
        firstUnit = perScenario(first)
        status = [UInt8](repeating: StatusCode.active, count: E * S)
        assets = perScenario(enterprises.map(\.assetsYuan))
        debt = perScenario(enterprises.flatMap(\.debtYuan))
        unpaidInterest = [Double](repeating: 0, count: E * C * S)
        lossStreak = perScenario(enterprises.map(\.lossYearsToBase))
        everZombie = [Bool](repeating: false, count: E * S)
        mergedInto = [Int32](repeating: -1, count: E * S)
        var owned = [Int32](repeating: 0, count: E)
        for f in 0..<F { owned[facilityOwner[f]] += 1 }
        liveUnits = perScenario(owned)
        revenue = [Double](repeating: 0, count: E * S)
        cost = revenue
        operatingCapacity = revenue
        writeDown = revenue
        unitScratch = [Int32](repeating: 0, count: F)
        result = FinanceResult(enterprises: enterprises, mainSector: mainSector, years: years, scenarioCount: S)
        exits = []
        exits.reserveCapacity(F * S)
        recordStocks(yearIndex: 0)
    }

    /// Forgets this year's exits once the engine has acted on them (keeps the list's capacity).
    mutating func clearExits() { exits.removeAll(keepingCapacity: true) }

    // MARK: the year step

    /// Advances every scenario through `year` (reported year index `yearIndex` ≥ 1).
    ///
    /// - Parameters:
    ///   - closed: units closed this year (exits included), in scenario order and, within a
    ///     scenario, in the order the capacity step closed them.
    ///   - opened: units opened this year.
    ///
    /// `market`, when some sector of the batch has a market, gives the year's price index,
    /// utilisation and unit costs in place of the fixed paths, and the cost-reduction investment
    /// booked as operating cost (docs/MODEL.md §2.7).
    mutating func step(yearIndex y: Int, year: Int, closed: [UnitEvent], opened: [UnitEvent],
                       market: MarketYearInputs? = nil) {
        let S = scenarioCount
        for i in 0..<(enterpriseCount * S) {
            revenue[i] = 0
            cost[i] = 0
            operatingCapacity[i] = 0
            writeDown[i] = 0
        }
        for event in opened { operating[Int(event.facility) * S + Int(event.scenario)] = true }
        // Write-downs in closure order: that order decides the last digit of each enterprise's sum.
        for event in closed {
            let s = Int(event.scenario), k = Int(event.facility) * S + s
            operating[k] = false
            liveUnits[Int(owner[k]) * S + s] -= 1
            let w = policy.writeDownShare[s] * bookValue[k]
            bookValue[k] -= w
            writeDown[Int(owner[k]) * S + s] += w
        }
        if let market { accumulateOperations(market) } else { accumulateOperations(yearIndex: y) }
        // Every enterprise's accounts before any lever: a lever may send assets and debt to a
        // holding entity, which receives them after its own accounts of the year (§8.0).
        for e in 0..<enterpriseCount {
            for s in 0..<S where status[e * S + s] == StatusCode.active {
                keepAccounts(e, s, yearIndex: y, year: year)
            }
        }
        for e in 0..<enterpriseCount {
            for s in 0..<S where status[e * S + s] == StatusCode.active {
                applyLevers(e, s, yearIndex: y, year: year)
            }
        }
        // Zombies scenario by scenario, enterprises in table order: a merger changes a later
        // enterprise's books, and exits are listed in scenario order. Holding entities operate
        // nothing and are not tested.
        for s in 0..<S {
            for e in 0..<enterpriseCount where status[e * S + s] == StatusCode.active && !isHolding[e] {
                // An enterprise whose last unit has closed is wound up, not tested as a zombie (§8.8).
                let i = e * S + s
                if policy.windUpKind[s] != 0 && liveUnits[i] == 0 && firstUnit[i] >= 0 {
                    if policy.windUpKind[s] == 1 {
                        liquidate(e, s, yearIndex: y, windUp: true, recoveryAt: s)
                    } else {
                        merge(e, into: Int(policy.windUpAcquirer[s]), s, yearIndex: y, debt: totalDebt(e, s),
                              count: FinanceMetric.windUps.index)
                    }
                    continue
                }
                testZombie(e, s, yearIndex: y)
            }
        }
        recordStocks(yearIndex: y)
    }

    /// Revenue, operating cost and operating capacity per (enterprise, scenario): one pass over the
    /// units in table order, all scenarios of a unit together, so each enterprise's sums run in table
    /// order (as the reference's).
    private mutating func accumulateOperations(yearIndex y: Int) {
        let S = scenarioCount, Q = Sector.allCases.count
        for f in 0..<facilityCount {
            let cap = unitCapacity[f], price = unitPrice[f], unitCost = unitCost[f]
            let path = (y * Q + unitSector[f]) * S
            for s in 0..<S where operating[f * S + s] {
                let tonnes = cap * policy.utilisation[path + s] * 10_000
                let i = Int(owner[f * S + s]) * S + s
                revenue[i] += tonnes * price * policy.priceIndex[path + s]
                cost[i] += tonnes * unitCost
                operatingCapacity[i] += cap
            }
        }
    }

    /// `accumulateOperations(yearIndex:)` at the market's prices, utilisation and unit costs; each
    /// unit's investment is added to its owner's cost after its operating cost (table order).
    private mutating func accumulateOperations(_ market: MarketYearInputs) {
        let S = scenarioCount
        for f in 0..<facilityCount {
            let cap = unitCapacity[f], price = unitPrice[f], sector = unitSector[f] * S
            for s in 0..<S {
                let i = Int(owner[f * S + s]) * S + s
                if operating[f * S + s] {
                    let tonnes = cap * market.utilisation[sector + s] * 10_000
                    revenue[i] += tonnes * price * market.priceIndex[sector + s]
                    cost[i] += tonnes * market.unitCost[f * S + s]
                    operatingCapacity[i] += cap
                }
                let invested = market.investment[f * S + s]
                if invested > 0 { cost[i] += invested }
            }
        }
    }

    @inline(__always) private func slot(_ y: Int, _ e: Int, _ m: Int, _ s: Int) -> Int {
        ((y * enterpriseCount + e) * metricCount + m) * scenarioCount + s
    }

    @inline(__always) private mutating func add(_ v: Double, _ m: Int, _ y: Int, _ e: Int, _ s: Int) {
        result.values[slot(y, e, m, s)] += v
    }

    @inline(__always) private func totalDebt(_ e: Int, _ s: Int) -> Double {
        let S = scenarioCount, base = e * Self.classes * S + s
        var sum = 0.0
        for c in 0..<Self.classes { sum += debt[base + c * S] }
        return sum
    }

    /// Whether lever `k` applies to enterprise `e` of scenario `s` in `year`.
    @inline(__always) private func applies(_ k: Int, _ e: Int, _ s: Int, _ year: Int) -> Bool {
        let S = scenarioCount, i = k * S + s
        return policy.leverFirst[i] <= year && year <= policy.leverLast[i]
            && policy.leverEligible[(k * enterpriseCount + e) * S + s]
            && (!policy.leverZombiesOnly[i] || everZombie[e * S + s])
    }

    /// §8.2 for one active enterprise.
    private mutating func keepAccounts(_ e: Int, _ s: Int, yearIndex y: Int, year: Int) {
        let S = scenarioCount, i = e * S + s, d = e * Self.classes * S + s
        add(totalDebt(e, s), FinanceMetric.debtOpening.index, y, e, s)
        // A holding entity's revenue is the income of the assets it holds at the start of the year.
        if isHolding[e] { revenue[i] += assetIncomeRate[e] * assets[i] }
        let operatingCost = cost[i] + fixedCost[e]
        let ebit = revenue[i] - operatingCost
        add(revenue[i], FinanceMetric.revenue.index, y, e, s)
        add(operatingCost, FinanceMetric.operatingCost.index, y, e, s)
        // Interest on opening debt; suspended classes are not charged (停息挂账).
        var suspended: UInt8 = 0
        for k in 0..<policy.leverCount
        where policy.leverKind[k * S + s] == CompiledFinancePolicy.LeverCode.interestSuspension && applies(k, e, s, year) {
            suspended |= policy.leverCreditors[k * S + s]
        }
        var interest = (0.0, 0.0, 0.0)
        for c in 0..<Self.bearing {
            let due = interestRate[e * Self.classes + c] * debt[d + c * S]
            if suspended & (1 << c) != 0 {
                add(due, FinanceMetric.interestSuspended.index, y, e, s)
            } else {
                switch c {
                case 0: interest.0 = due
                case 1: interest.1 = due
                default: interest.2 = due
                }
            }
        }
        let charged = 0 + interest.0 + interest.1 + interest.2
        add(charged, FinanceMetric.interestCharged.index, y, e, s)
        if ebit >= charged {
            add(charged, FinanceMetric.interestPaid.index, y, e, s)
            let surplus = ebit - charged
            var principal = 0.0
            for c in 0..<Self.bearing { principal += debt[d + c * S] }
            let repay = min(policy.repaymentShare[s] * surplus, principal)
            if repay > 0 {
                for c in 0..<Self.bearing {
                    let part = repay * debt[d + c * S] / principal
                    debt[d + c * S] -= part
                    unpaidInterest[d + c * S] = max(0, unpaidInterest[d + c * S] - part)
                }
            }
            add(repay, FinanceMetric.repaid.index, y, e, s)
            assets[i] += surplus - repay
        } else {
            // What operations cannot pay is capitalised; an operating loss is borrowed from banks.
            let paid = max(0, ebit)
            add(paid, FinanceMetric.interestPaid.index, y, e, s)
            let unpaid = charged - paid
            for c in 0..<Self.bearing {
                let due = c == 0 ? interest.0 : c == 1 ? interest.1 : interest.2
                if due > 0 {
                    let part = unpaid * due / charged
                    debt[d + c * S] += part
                    unpaidInterest[d + c * S] += part
                }
            }
            add(unpaid, FinanceMetric.interestCapitalised.index, y, e, s)
            let borrowed = max(0, -ebit)
            debt[d + CreditorClass.bankLoans.index * S] += borrowed
            add(borrowed, FinanceMetric.newBorrowing.index, y, e, s)
        }
        assets[i] -= writeDown[i]
        add(writeDown[i], FinanceMetric.assetWriteDown.index, y, e, s)
        let profit = ebit - charged - writeDown[i]
        add(profit, FinanceMetric.profit.index, y, e, s)
        lossStreak[i] = profit < 0 ? lossStreak[i] + 1 : 0
    }

    /// Reduces every class in `creditors` by `share` of its balance, unpaid interest alike; returns
    /// the amount and the bank part. With a recipient `t` ≥ 0 each class's amount, and the unpaid
    /// interest in it, moves to the same class of `t` (debt follows the assets, §8.7).
    private mutating func take(_ share: Double, of creditors: UInt8, _ e: Int, _ s: Int,
                               to t: Int = -1) -> (total: Double, bank: Double) {
        let S = scenarioCount, d = e * Self.classes * S + s, dt = t * Self.classes * S + s
        var total = 0.0, bank = 0.0
        for c in 0..<Self.classes where creditors & (1 << c) != 0 {
            let amount = share * debt[d + c * S]
            debt[d + c * S] -= amount
            let unpaid = unpaidInterest[d + c * S]
            unpaidInterest[d + c * S] *= 1 - share
            if t >= 0 {
                debt[dt + c * S] += amount
                unpaidInterest[dt + c * S] += unpaid - unpaidInterest[d + c * S]
            }
            total += amount
            if c == CreditorClass.bankLoans.index { bank += amount }
        }
        return (total, bank)
    }

    /// §8.3: the levers other than suspension, in list order.
    private mutating func applyLevers(_ e: Int, _ s: Int, yearIndex y: Int, year: Int) {
        let S = scenarioCount, d = e * Self.classes * S + s
        for k in 0..<policy.leverCount {
            let kind = policy.leverKind[k * S + s]
            guard kind != CompiledFinancePolicy.LeverCode.interestSuspension, applies(k, e, s, year) else { continue }
            let share = policy.leverShare[k * S + s], creditors = policy.leverCreditors[k * S + s]
            switch kind {
            case CompiledFinancePolicy.LeverCode.interestWaiver:
                var waived = 0.0, bank = 0.0
                for c in 0..<Self.classes where creditors & (1 << c) != 0 {
                    let amount = share * unpaidInterest[d + c * S]
                    debt[d + c * S] -= amount
                    unpaidInterest[d + c * S] -= amount
                    waived += amount
                    if c == CreditorClass.bankLoans.index { bank += amount }
                }
                add(waived, FinanceMetric.interestWaived.index, y, e, s)
                add(waived, FinanceMetric.writtenOff.index, y, e, s)
                add(bank, FinanceMetric.bankLosses.index, y, e, s)
            case CompiledFinancePolicy.LeverCode.debtEquitySwap:
                let swapped = take(share, of: creditors, e, s).total
                add(swapped, FinanceMetric.swapped.index, y, e, s)
                // The creditors' new equity, held by an entity, is that entity's asset at face value.
                let t = Int(policy.leverRecipient[k * S + s])
                if t >= 0 {
                    assets[t * S + s] += swapped
                    add(swapped, FinanceMetric.assetsReceived.index, y, t, s)
                }
            case CompiledFinancePolicy.LeverCode.assetStripping:
                let stripped = share * assets[e * S + s]
                assets[e * S + s] -= stripped
                add(stripped, FinanceMetric.strippedAssets.index, y, e, s)
                let t = Int(policy.leverRecipient[k * S + s])
                let moved = take(policy.leverFollows[k * S + s], of: creditors, e, s, to: t).total
                add(moved, FinanceMetric.strippedDebt.index, y, e, s)
                if t >= 0 {
                    assets[t * S + s] += stripped
                    add(stripped, FinanceMetric.assetsReceived.index, y, t, s)
                    add(moved, FinanceMetric.debtReceived.index, y, t, s)
                }
                var f = Int(firstUnit[e * S + s])
                while f >= 0 {
                    bookValue[f * S + s] *= 1 - share
                    f = Int(nextUnit[f * S + s])
                }
            case CompiledFinancePolicy.LeverCode.assetSale:
                // Sold at the recovery share of book value; the proceeds repay the listed classes
                // pro rata, the rest of the proceeds stays as cash, the shortfall is written down.
                let i = e * S + s
                let sold = share * assets[i]
                let proceeds = policy.leverRecovery[k * S + s] * sold
                var listed = 0.0
                for c in 0..<Self.classes where creditors & (1 << c) != 0 { listed += debt[d + c * S] }
                let repaid = listed > 0 ? take(min(proceeds, listed) / listed, of: creditors, e, s).total : 0
                assets[i] += proceeds - sold - repaid
                add(sold, FinanceMetric.assetsSold.index, y, e, s)
                add(repaid, FinanceMetric.repaid.index, y, e, s)
                add(sold - proceeds, FinanceMetric.assetWriteDown.index, y, e, s)
                // The units' book values fall with the assets, so a later closure writes down only what is left.
                var f = Int(firstUnit[i])
                while f >= 0 {
                    bookValue[f * S + s] *= 1 - share
                    f = Int(nextUnit[f * S + s])
                }
            default:  // write-off
                let (total, bank) = take(share, of: creditors, e, s)
                add(total, FinanceMetric.writtenOff.index, y, e, s)
                add(bank, FinanceMetric.bankLosses.index, y, e, s)
            }
        }
    }

    /// §8.4 for one active enterprise: flags a zombie (A1 L206) and applies its first matching action.
    private mutating func testZombie(_ e: Int, _ s: Int, yearIndex y: Int) {
        let S = scenarioCount, C = Self.classes, i = e * S + s
        let halted = baseCapacity[e] > 0 ? 12 * (1 - operatingCapacity[i] / baseCapacity[e]) : 0
        let total = totalDebt(e, s)
        let leverage = assets[i] > 0 ? total / assets[i] : (total > 0 ? .infinity : 0)
        let h = halted >= policy.haltedMonths[s], l = leverage > policy.debtToAssets[s]
        let streak = lossStreak[i] >= policy.lossYears[s]
        guard policy.requireAll[s] ? (h && l && streak) : (h || l || streak) else { return }
        everZombie[i] = true
        add(1, FinanceMetric.zombies.index, y, e, s)
        let a = Int(policy.firstAction[i])
        guard a >= 0 else { return }
        switch policy.actionKind[a * S + s] {
        case CompiledFinancePolicy.ActionCode.bankruptcy:
            liquidate(e, s, yearIndex: y, windUp: false, recoveryAt: a * C * S + s)
        case CompiledFinancePolicy.ActionCode.merger:
            merge(e, into: Int(policy.actionAcquirer[a * S + s]), s, yearIndex: y, debt: total,
                  count: FinanceMetric.mergers.index)
        default:
            break
        }
    }

    /// A bankruptcy (`windUp` false) or a wind-up's liquidation (§8.4, §8.8): creditors recover their
    /// class's rate (read at `recoveryAt + c · S` of the action's or the wind-up's rates), scaled
    /// down if the assets cannot cover it; the rest is written off. A bankruptcy lists its units in
    /// `exits`; a wound-up enterprise has no unit left to close or cancel.
    private mutating func liquidate(_ e: Int, _ s: Int, yearIndex y: Int, windUp: Bool, recoveryAt r: Int) {
        let S = scenarioCount, C = Self.classes, i = e * S + s, d = e * C * S + s
        @inline(__always) func rate(_ c: Int) -> Double {
            windUp ? policy.windUpRecovery[r + c * S] : policy.actionRecovery[r + c * S]
        }
        var claimed = 0.0
        for c in 0..<C { claimed += rate(c) * debt[d + c * S] }
        let scale = claimed > assets[i] ? max(0, assets[i]) / claimed : 1
        var recovered = 0.0, lost = 0.0, bank = 0.0
        for c in 0..<C {
            let back = rate(c) * debt[d + c * S] * scale
            recovered += back
            let loss = debt[d + c * S] - back
            lost += loss
            if c == CreditorClass.bankLoans.index { bank += loss }
            debt[d + c * S] = 0
            unpaidInterest[d + c * S] = 0
        }
        add(recovered, FinanceMetric.repaid.index, y, e, s)
        add(lost, FinanceMetric.writtenOff.index, y, e, s)
        add(bank, FinanceMetric.bankLosses.index, y, e, s)
        add(max(0, assets[i] - recovered), FinanceMetric.assetWriteDown.index, y, e, s)
        assets[i] = 0
        status[i] = windUp ? StatusCode.woundUp : StatusCode.bankrupt
        add(1, windUp ? FinanceMetric.windUps.index : FinanceMetric.bankruptcies.index, y, e, s)
        var n = 0, f = Int(firstUnit[i])
        while f >= 0 {
            unitScratch[n] = Int32(f)
            n += 1
            bookValue[f * S + s] = 0
            f = Int(nextUnit[f * S + s])
        }
        guard !windUp else { return }
        Self.heapSort(&unitScratch, count: n)
        for k in 0..<n {
            exits.append(EnterpriseExit(facility: unitScratch[k], scenario: Int32(s), enterprise: Int32(e)))
        }
    }

    /// A zombie's merger or a wind-up's absorption into `t0` (followed through its own acquirers):
    /// the acquirer takes the assets, every class of debt and the units; `count` is the metric
    /// counted (mergers or wind-ups). Nothing happens when there is no valid acquirer.
    private mutating func merge(_ e: Int, into t0: Int, _ s: Int, yearIndex y: Int, debt total: Double, count: Int) {
        let S = scenarioCount, C = Self.classes, i = e * S + s, d = e * C * S + s
        var t = t0
        guard t >= 0 else { return }
        // An acquirer that was itself merged passes the zombie on to its own acquirer.
        while status[t * S + s] == StatusCode.merged { t = Int(mergedInto[t * S + s]) }
        guard t != e, status[t * S + s] == StatusCode.active else { return }
        let j = t * S + s, dt = t * C * S + s
        add(total, FinanceMetric.mergedOut.index, y, e, s)
        add(total, FinanceMetric.mergedIn.index, y, t, s)
        assets[j] += assets[i]
        for c in 0..<C {
            debt[dt + c * S] += debt[d + c * S]
            unpaidInterest[dt + c * S] += unpaidInterest[d + c * S]
            debt[d + c * S] = 0
            unpaidInterest[d + c * S] = 0
        }
        assets[i] = 0
        status[i] = StatusCode.merged
        mergedInto[i] = Int32(t)
        liveUnits[j] += liveUnits[i]
        liveUnits[i] = 0
        add(1, count, y, e, s)
        transferUnits(from: e, to: t, scenario: s)
    }

    /// Gives every unit of `e` in scenario `s` to `t`: the zombie's list, walked once to set `owner`,
    /// is spliced in front of the acquirer's.
    private mutating func transferUnits(from e: Int, to t: Int, scenario s: Int) {
        let S = scenarioCount
        var f = Int(firstUnit[e * S + s]), tail = -1
        while f >= 0 {
            owner[f * S + s] = Int32(t)
            tail = f
            f = Int(nextUnit[f * S + s])
        }
        guard tail >= 0 else { return }
        nextUnit[tail * S + s] = firstUnit[t * S + s]
        firstUnit[t * S + s] = firstUnit[e * S + s]
        firstUnit[e * S + s] = -1
    }

    /// Sorts the first `count` elements ascending in place (heap sort: no allocation).
    static func heapSort(_ a: inout [Int32], count n: Int) {
        func siftDown(_ a: inout [Int32], _ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && a[child] < a[child + 1] { child += 1 }
                guard a[root] < a[child] else { return }
                a.swapAt(root, child)
                root = child
            }
        }
        guard n > 1 else { return }
        for start in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(&a, start, n) }
        for end in stride(from: n - 1, to: 0, by: -1) {
            a.swapAt(0, end)
            siftDown(&a, 0, end)
        }
    }

    /// The stocks at the end of reported year `y` for every enterprise and scenario.
    private mutating func recordStocks(yearIndex y: Int) {
        let S = scenarioCount, C = Self.classes, E = enterpriseCount, M = metricCount
        let debtAt = FinanceMetric.debt.index, assetsAt = FinanceMetric.assets.index
        let equityAt = FinanceMetric.equity.index, activeAt = FinanceMetric.enterprisesActive.index
        let openingAt = FinanceMetric.debtOpening.index, isHolding = isHolding
        debt.withUnsafeBufferPointer { debt in
            assets.withUnsafeBufferPointer { assets in
                status.withUnsafeBufferPointer { status in
                    result.values.withUnsafeMutableBufferPointer { out in
                        for e in 0..<E {
                            let cell = (y * E + e) * M * S, d = e * C * S, holding = isHolding[e]
                            for s in 0..<S {
                                var total = 0.0
                                for c in 0..<C {
                                    let v = debt[d + c * S + s]
                                    out[cell + c * S + s] = v
                                    total += v
                                }
                                let a = assets[e * S + s]
                                out[cell + debtAt * S + s] = total
                                out[cell + assetsAt * S + s] = a
                                out[cell + equityAt * S + s] = a - total
                                out[cell + activeAt * S + s] = status[e * S + s] == StatusCode.active && !holding ? 1 : 0
                                if y == 0 { out[cell + openingAt * S + s] = total }
                            }
                        }
                    }
                }
            }
        }
    }
}
