/// The scalar reference of the finance sub-model: every enterprise's accounts, one scenario at a time
/// (docs/MODEL.md §8), written for clarity. `ReferenceEngine` uses it; tests require the data-parallel
/// `FinanceModel` of `Engine` to give the same numbers and the same exits, zombie actions and mergers.
///
/// Each year, after the capacity step: revenue and cost from the units' output, closures' asset
/// write-downs, interest (charged, paid, capitalised, or suspended), new borrowing for losses and
/// repayment from surpluses; then the debt levers in order; then zombie identification and the
/// chosen action. Bankrupt enterprises' units close at the start of the next year.
struct ReferenceFinanceModel {
    /// One enterprise's books in one scenario.
    struct Books {
        enum Status { case active, bankrupt, merged, woundUp }
        var status = Status.active
        var assets: Double
        var debt: [Double]
        /// Capitalised interest still owed, per class (part of `debt`).
        var unpaidInterest: [Double]
        var lossStreak: Int
        var everZombie = false

        var totalDebt: Double { debt.reduce(0, +) }
    }

    let enterprises: [Enterprise]
    let policies: [FinancePolicy]
    let facilityCount: Int
    let mainSector: [Sector]
    /// Base operating capacity per enterprise, 10 kt/yr.
    let baseCapacity: [Double]
    let indexByID: [String: Int]
    /// Owning enterprise per facility and scenario (changes with mergers).
    var owner: [Int]
    /// Book value per facility and scenario, yuan.
    var bookValue: [Double]
    /// Whether each unit has closed, per facility and scenario (for the wind-up test, §8.8).
    var closedUnit: [Bool]
    var books: [Books]
    var result: FinanceResult
    /// The acquirer of each merged enterprise, keyed by its (enterprise, scenario) index `at(e, s)`.
    var mergedInto: [Int: Int] = [:]
    /// Units of enterprises that went bankrupt this year, per scenario: they close next year.
    var exits: [[(facility: Int, enterprise: String)]]
    /// Each scenario's levers as plain values (no arrays to retain in the hot loop).
    let levers: [[Lever]]
    /// Per scenario, lever and enterprise: whether the lever's filter matches, zombie status aside.
    let leverEligible: [[[Bool]]]

    /// A debt instrument reduced to what the year step reads.
    struct Lever {
        let kind: DebtInstrumentKind
        let first: Int, last: Int
        let share: Double, debtFollowsShare: Double
        /// Creditor classes as a bit set over `CreditorClass.index`.
        let creditors: Int
        let zombiesOnly: Bool
        let recipient: String?
        let recoveryShare: Double

        init(_ inst: DebtInstrument) {
            kind = inst.kind
            first = inst.years.lowerBound
            last = inst.years.upperBound
            share = inst.share
            debtFollowsShare = inst.debtFollowsShare
            creditors = inst.creditors.reduce(0) { $0 | (1 << $1.index) }
            zombiesOnly = inst.filter.zombiesOnly
            recipient = inst.recipient
            recoveryShare = inst.recoveryShare
        }

        func isActive(_ year: Int) -> Bool { first <= year && year <= last }
        func acts(on c: CreditorClass) -> Bool { creditors & (1 << c.index) != 0 }
    }

    init(enterprises: [Enterprise], facilities: [Facility], baseYear: Int, years: [Int], policies: [FinancePolicy]) {
        self.enterprises = enterprises
        self.policies = policies
        facilityCount = facilities.count
        var index: [String: Int] = [:]
        for (e, enterprise) in enterprises.enumerated() { index[enterprise.id] = e }
        indexByID = index
        let facilityOwner = facilities.map { f -> Int in
            guard let e = index[f.enterprise] else { preconditionFailure("no balance sheet for enterprise \(f.enterprise)") }
            return e
        }
        var base = [Double](repeating: 0, count: enterprises.count)
        for (f, facility) in facilities.enumerated() where facility.startYear <= baseYear {
            base[facilityOwner[f]] += facility.capacity10ktPerYear
        }
        mainSector = Enterprise.mainSectors(of: enterprises, facilities: facilities, baseYear: baseYear).map {
            guard let sector = $0 else { preconditionFailure("every enterprise must own a facility") }
            return sector
        }
        baseCapacity = base
        // Book value: the enterprise's base assets spread over its base units by capacity.
        var values = [Double](repeating: 0, count: facilities.count)
        for (f, facility) in facilities.enumerated() where facility.startYear <= baseYear {
            let e = facilityOwner[f]
            values[f] = base[e] > 0 ? enterprises[e].assetsYuan * facility.capacity10ktPerYear / base[e] : 0
        }
        owner = Array((0..<policies.count).map { _ in facilityOwner }.joined())
        bookValue = Array((0..<policies.count).map { _ in values }.joined())
        closedUnit = [Bool](repeating: false, count: policies.count * facilities.count)
        books = Array((0..<policies.count).map { _ in
            enterprises.map {
                Books(assets: $0.assetsYuan, debt: $0.debtYuan,
                      unpaidInterest: [Double](repeating: 0, count: CreditorClass.allCases.count),
                      lossStreak: $0.lossYearsToBase)
            }
        }.joined())
        result = FinanceResult(enterprises: enterprises, mainSector: mainSector, years: years, scenarioCount: policies.count)
        exits = Array(repeating: [], count: policies.count)
        levers = policies.map { $0.instruments.map(Lever.init) }
        let sectors = mainSector
        leverEligible = policies.map { policy in
            policy.instruments.map { inst in
                enterprises.indices.map { e in
                    Self.matchesIgnoringZombies(inst.filter, enterprises[e], sectors[e])
                }
            }
        }
        for s in policies.indices { recordStocks(yearIndex: 0, scenario: s) }
    }

    @inline(__always) func at(_ e: Int, _ s: Int) -> Int { s * enterprises.count + e }

    static func matchesIgnoringZombies(_ filter: EnterpriseFilter, _ enterprise: Enterprise, _ sector: Sector) -> Bool {
        (filter.sectors.isEmpty || filter.sectors.contains(sector))
            && (filter.owner == nil || enterprise.owner == filter.owner)
            && (filter.enterprises.isEmpty || filter.enterprises.contains(enterprise.id))
    }

    func matches(_ filter: EnterpriseFilter, _ e: Int, _ s: Int) -> Bool {
        Self.matchesIgnoringZombies(filter, enterprises[e], mainSector[e])
            && (!filter.zombiesOnly || books[at(e, s)].everZombie)
    }

    /// Whether lever `k` of scenario `s` applies to enterprise `e` in `year`.
    func applies(_ k: Int, _ e: Int, _ s: Int, _ year: Int) -> Bool {
        let lever = levers[s][k]
        return lever.isActive(year) && leverEligible[s][k][e] && (!lever.zombiesOnly || books[at(e, s)].everZombie)
    }

    mutating func recordStocks(yearIndex y: Int, scenario s: Int) {
        for e in enterprises.indices {
            let b = books[at(e, s)]
            for c in CreditorClass.allCases { result.set(b.debt[c.index], .debtByClass(c), yearIndex: y, enterprise: e, scenario: s) }
            result.set(b.totalDebt, .debt, yearIndex: y, enterprise: e, scenario: s)
            result.set(b.assets, .assets, yearIndex: y, enterprise: e, scenario: s)
            result.set(b.assets - b.totalDebt, .equity, yearIndex: y, enterprise: e, scenario: s)
            result.set(b.status == .active && enterprises[e].holding == nil ? 1 : 0, .enterprisesActive, yearIndex: y, enterprise: e, scenario: s)
            if y == 0 { result.set(b.totalDebt, .debtOpening, yearIndex: y, enterprise: e, scenario: s) }
        }
    }

    /// Reduces every class in `classes` by `share` of its balance, unpaid interest alike; returns the
    /// amount. With a recipient (books index `to`), each class's amount and its unpaid interest move there.
    mutating func take(_ share: Double, of classes: [CreditorClass], from i: Int, to j: Int? = nil,
                       bankShare: inout Double) -> Double {
        var total = 0.0
        for c in classes {
            let amount = share * books[i].debt[c.index]
            books[i].debt[c.index] -= amount
            let unpaid = books[i].unpaidInterest[c.index]
            books[i].unpaidInterest[c.index] *= 1 - share
            if let j {
                books[j].debt[c.index] += amount
                books[j].unpaidInterest[c.index] += unpaid - books[i].unpaidInterest[c.index]
            }
            total += amount
            if c == .bankLoans { bankShare += amount }
        }
        return total
    }

    /// Advances scenario `s` through `year`.
    ///
    /// - Parameters:
    ///   - operating: whether each facility operates at the end of the year.
    ///   - closed: facilities closed this year.
    ///   - facilities: the facility table.
    ///   - market: the year's market prices, utilisation, unit costs and investment when some sector
    ///     has a market (docs/MODEL.md §2.7); nil books the fixed paths.
    mutating func step(yearIndex y: Int, year: Int, scenario s: Int, policy: Policy, facilities: [Facility],
                       operating: (Int) -> Bool, closed: [Int], market: ReferenceMarketYear? = nil) {
        let finance = policies[s]
        let n = enterprises.count
        var revenue = [Double](repeating: 0, count: n), cost = revenue, opCapacity = revenue, writeDown = revenue
        if let market {
            for f in 0..<facilityCount {
                let facility = facilities[f], σ = facility.sector.index
                let e = owner[s * facilityCount + f]
                if operating(f) {
                    let tonnes = facility.capacity10ktPerYear * market.utilisation[σ] * 10_000
                    revenue[e] += tonnes * facility.priceYuanPerTonne * market.priceIndex[σ]
                    cost[e] += tonnes * market.unitCost[f]
                    opCapacity[e] += facility.capacity10ktPerYear
                }
                if market.investment[f] > 0 { cost[e] += market.investment[f] }
            }
        } else {
            for f in 0..<facilityCount where operating(f) {
                let facility = facilities[f]
                let sector = policy.sector(facility.sector)
                let tonnes = facility.capacity10ktPerYear * sector.utilisation(in: year) * 10_000
                let e = owner[s * facilityCount + f]
                revenue[e] += tonnes * facility.priceYuanPerTonne * sector.priceIndex(in: year)
                cost[e] += tonnes * facility.unitCostYuanPerTonne
                opCapacity[e] += facility.capacity10ktPerYear
            }
        }
        for f in closed {
            let k = s * facilityCount + f
            closedUnit[k] = true
            let w = finance.assetWriteDownShare * bookValue[k]
            bookValue[k] -= w
            writeDown[owner[k]] += w
        }
        for e in 0..<n where books[at(e, s)].status == .active {
            let i = at(e, s)
            func record(_ v: Double, _ m: FinanceMetric) { result.add(v, m, yearIndex: y, enterprise: e, scenario: s) }
            record(books[i].totalDebt, .debtOpening)
            // A holding entity's revenue is the income of the assets it holds at the start of the year (§8.7).
            if let holding = enterprises[e].holding { revenue[e] += holding.assetIncomeRate * books[i].assets }
            let operatingCost = cost[e] + enterprises[e].fixedCostYuanPerYear
            let ebit = revenue[e] - operatingCost
            record(revenue[e], .revenue)
            record(operatingCost, .operatingCost)
            // Interest on opening debt; suspended classes are not charged (停息挂账).
            var suspended = 0  // bit set over CreditorClass.index
            for k in levers[s].indices where levers[s][k].kind == .interestSuspension && applies(k, e, s, year) {
                suspended |= levers[s][k].creditors
            }
            var interest = [Double](repeating: 0, count: CreditorClass.allCases.count)
            for c in CreditorClass.allCases where c.bearsInterest {
                let due = enterprises[e].interestRate[c.index] * books[i].debt[c.index]
                if suspended & (1 << c.index) != 0 { record(due, .interestSuspended) } else { interest[c.index] = due }
            }
            let charged = interest.reduce(0, +)
            record(charged, .interestCharged)
            if ebit >= charged {
                record(charged, .interestPaid)
                let surplus = ebit - charged
                let bearing = CreditorClass.allCases.filter(\.bearsInterest)
                let principal = bearing.reduce(0.0) { $0 + books[i].debt[$1.index] }
                let repay = min(finance.repaymentShare * surplus, principal)
                if repay > 0 {
                    for c in bearing {
                        let part = repay * books[i].debt[c.index] / principal
                        books[i].debt[c.index] -= part
                        books[i].unpaidInterest[c.index] = max(0, books[i].unpaidInterest[c.index] - part)
                    }
                }
                record(repay, .repaid)
                books[i].assets += surplus - repay
            } else {
                // What operations cannot pay is capitalised; an operating loss is borrowed from banks.
                let paid = max(0, ebit)
                record(paid, .interestPaid)
                let unpaid = charged - paid
                for c in CreditorClass.allCases where interest[c.index] > 0 {
                    let part = unpaid * interest[c.index] / charged
                    books[i].debt[c.index] += part
                    books[i].unpaidInterest[c.index] += part
                }
                record(unpaid, .interestCapitalised)
                let borrowed = max(0, -ebit)
                books[i].debt[CreditorClass.bankLoans.index] += borrowed
                record(borrowed, .newBorrowing)
            }
            books[i].assets -= writeDown[e]
            record(writeDown[e], .assetWriteDown)
            let profit = ebit - charged - writeDown[e]
            record(profit, .profit)
            books[i].lossStreak = profit < 0 ? books[i].lossStreak + 1 : 0
        }
        // The levers after every enterprise's accounts: a recipient's accounts never see what it receives this year.
        for e in 0..<n where books[at(e, s)].status == .active {
            let i = at(e, s)
            func record(_ v: Double, _ m: FinanceMetric, _ who: Int? = nil) {
                result.add(v, m, yearIndex: y, enterprise: who ?? e, scenario: s)
            }
            for k in levers[s].indices where levers[s][k].kind != .interestSuspension && applies(k, e, s, year) {
                let inst = levers[s][k]
                let creditors = CreditorClass.allCases.filter(inst.acts)
                var bank = 0.0
                switch inst.kind {
                case .interestWaiver:
                    var waived = 0.0
                    for c in creditors {
                        let amount = inst.share * books[i].unpaidInterest[c.index]
                        books[i].debt[c.index] -= amount
                        books[i].unpaidInterest[c.index] -= amount
                        waived += amount
                        if c == .bankLoans { bank += amount }
                    }
                    record(waived, .interestWaived)
                    record(waived, .writtenOff)
                    record(bank, .bankLosses)
                case .debtEquitySwap:
                    let swapped = take(inst.share, of: creditors, from: i, bankShare: &bank)
                    record(swapped, .swapped)
                    if let id = inst.recipient, let t = indexByID[id] {
                        books[at(t, s)].assets += swapped
                        record(swapped, .assetsReceived, t)
                    }
                case .assetStripping:
                    let assets = inst.share * books[i].assets
                    books[i].assets -= assets
                    record(assets, .strippedAssets)
                    let t = inst.recipient.flatMap { indexByID[$0] }
                    let moved = take(inst.debtFollowsShare, of: creditors, from: i, to: t.map { at($0, s) }, bankShare: &bank)
                    record(moved, .strippedDebt)
                    if let t {
                        books[at(t, s)].assets += assets
                        record(assets, .assetsReceived, t)
                        record(moved, .debtReceived, t)
                    }
                    for f in 0..<facilityCount where owner[s * facilityCount + f] == e {
                        bookValue[s * facilityCount + f] *= 1 - inst.share
                    }
                case .writeOff:
                    record(take(inst.share, of: creditors, from: i, bankShare: &bank), .writtenOff)
                    record(bank, .bankLosses)
                case .assetSale:
                    let sold = inst.share * books[i].assets
                    let proceeds = inst.recoveryShare * sold
                    let listed = creditors.reduce(0.0) { $0 + books[i].debt[$1.index] }
                    let repaid = listed > 0 ? take(min(proceeds, listed) / listed, of: creditors, from: i, bankShare: &bank) : 0
                    books[i].assets += proceeds - sold - repaid
                    record(sold, .assetsSold)
                    record(repaid, .repaid)
                    record(sold - proceeds, .assetWriteDown)
                    for f in 0..<facilityCount where owner[s * facilityCount + f] == e {
                        bookValue[s * facilityCount + f] *= 1 - inst.share
                    }
                case .interestSuspension:
                    break
                }
            }
        }
        identifyZombies(yearIndex: y, scenario: s, operatingCapacity: opCapacity)
        recordStocks(yearIndex: y, scenario: s)
    }

    /// Winds up active enterprises whose units have all closed (§8.8), then flags zombies among the
    /// other active enterprises (A1 L206) and applies the first matching action.
    mutating func identifyZombies(yearIndex y: Int, scenario s: Int, operatingCapacity: [Double]) {
        let rule = policies[s].zombies
        let F = facilityCount
        for e in enterprises.indices where books[at(e, s)].status == .active && enterprises[e].holding == nil {
            let i = at(e, s)
            func record(_ v: Double, _ m: FinanceMetric, _ who: Int = e) { result.add(v, m, yearIndex: y, enterprise: who, scenario: s) }
            let debt = books[i].totalDebt
            /// Bankruptcy or a wind-up's liquidation: creditors recover their class's rate, scaled
            /// down if the assets cannot cover it.
            func liquidate(_ recovery: [Double], windUp: Bool) {
                let claims = CreditorClass.allCases.map { recovery[$0.index] * books[i].debt[$0.index] }
                let claimed = claims.reduce(0, +)
                let scale = claimed > books[i].assets ? max(0, books[i].assets) / claimed : 1
                var recovered = 0.0, lost = 0.0, bank = 0.0
                for c in CreditorClass.allCases {
                    let r = claims[c.index] * scale
                    recovered += r
                    let loss = books[i].debt[c.index] - r
                    lost += loss
                    if c == .bankLoans { bank += loss }
                    books[i].debt[c.index] = 0
                    books[i].unpaidInterest[c.index] = 0
                }
                record(recovered, .repaid)
                record(lost, .writtenOff)
                record(bank, .bankLosses)
                record(max(0, books[i].assets - recovered), .assetWriteDown)
                books[i].assets = 0
                books[i].status = windUp ? .woundUp : .bankrupt
                record(1, windUp ? .windUps : .bankruptcies)
                for f in 0..<F where owner[s * F + f] == e {
                    if !windUp { exits[s].append((f, enterprises[e].id)) }
                    bookValue[s * F + f] = 0
                }
            }
            /// A merger or a wind-up's absorption.
            func merge(into id: String?, count: FinanceMetric) {
                guard let id, var a = indexByID[id] else { return }
                // An acquirer that was itself merged passes the zombie on to its own acquirer.
                while books[at(a, s)].status == .merged, let next = mergedInto[at(a, s)] { a = next }
                guard a != e, books[at(a, s)].status == .active else { return }
                let j = at(a, s)
                record(debt, .mergedOut)
                record(debt, .mergedIn, a)
                books[j].assets += books[i].assets
                for c in CreditorClass.allCases {
                    books[j].debt[c.index] += books[i].debt[c.index]
                    books[j].unpaidInterest[c.index] += books[i].unpaidInterest[c.index]
                    books[i].debt[c.index] = 0
                    books[i].unpaidInterest[c.index] = 0
                }
                books[i].assets = 0
                books[i].status = .merged
                mergedInto[i] = a
                record(1, count)
                for f in 0..<F where owner[s * F + f] == e { owner[s * F + f] = a }
            }
            if let windUp = policies[s].windUp,
               (0..<F).contains(where: { owner[s * F + $0] == e }),
               !(0..<F).contains(where: { owner[s * F + $0] == e && !closedUnit[s * F + $0] }) {
                switch windUp.kind {
                case .liquidation: liquidate(windUp.recovery, windUp: true)
                case .absorption: merge(into: windUp.acquirer, count: .windUps)
                }
                continue
            }
            let halted = baseCapacity[e] > 0 ? 12 * (1 - operatingCapacity[e] / baseCapacity[e]) : 0
            let leverage = books[i].assets > 0 ? debt / books[i].assets : (debt > 0 ? .infinity : 0)
            let criteria = [halted >= rule.haltedMonths, leverage > rule.debtToAssets, books[i].lossStreak >= rule.lossYears]
            guard rule.requireAll ? criteria.allSatisfy({ $0 }) : criteria.contains(true) else { continue }
            books[i].everZombie = true
            record(1, .zombies)
            guard let action = rule.actions.first(where: { matches($0.filter, e, s) }) else { continue }
            switch action.kind {
            case .none: break
            case .bankruptcy: liquidate(action.recovery, windUp: false)
            case .merger: merge(into: action.acquirer, count: .mergers)
            }
        }
    }

}
