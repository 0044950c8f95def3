import LinearAlgebra

/// The scalar reference engine: the model of docs/MODEL.md applied to one scenario at a time,
/// written for clarity, with plain loops and no BLAS.
///
/// It exists to check `Engine` (tests require the same numbers and the same closure events) and
/// to measure what batching and the tuned kernels gain (docs/PERFORMANCE.md). The capacity step
/// and the aggregation are written out again here; worker stocks and enterprise books use the
/// per-scenario models the engine had before it became data-parallel (`ReferenceResettlementModel`,
/// `ReferenceFinanceModel`, in `Reference/`), so the batched models are checked against independent code.
public enum ReferenceEngine {
    /// Runs every scenario of `batch`, one after the other, and joins the results.
    public static func run(_ batch: ScenarioBatch) -> BatchResult {
        BatchResult.joined(batch.policies.indices.map { runOne(batch.slice($0..<($0 + 1))) })
    }

    /// The state of one unit.
    private enum Status { case planned, operating, closed }

    private static func runOne(_ batch: ScenarioBatch) -> BatchResult {
        let facilities = batch.facilities
        let policy = batch.policies[0]
        let groups = AggregationGroup.groups(of: facilities)
        var status = facilities.map { $0.startYear <= batch.baseYear ? Status.operating : Status.planned }
        var credit: [String: Double] = [:]  // "enterprise/sector" → capacity retired, not yet used
        for c in policy.replacementCredit { credit[c.enterprise + "/" + c.sector.rawValue, default: 0] += c.credit10kt }
        var closures: [ClosureEvent] = [], openings: [OpeningEvent] = [], shortfalls: [TargetShortfall] = []
        var exits: [(facility: Int, enterprise: String)] = []
        var workers = policy.resettlement.map {
            ReferenceResettlementModel(policies: [$0], years: batch.years, sectors: Sector.allCases.filter { s in
                facilities.contains { $0.sector == s }
            }, kernel: .loops)
        }
        var books = policy.finance.map {
            ReferenceFinanceModel(enterprises: batch.enterprises, facilities: facilities, baseYear: batch.baseYear,
                         years: batch.years, policies: [$0])
        }
        var values: [Matrix] = []
        // §2.7: sector markets, when any sector of the scenario has one.
        var market = ReferenceMarket(policy: policy, facilities: facilities, years: batch.years)
        let hasMarket = market.isOn
        var utilisationNow = Sector.allCases.map { policy.sector($0).utilisation(in: batch.baseYear) }
        func price(_ sector: Sector, _ year: Int) -> Double {
            hasMarket ? market.decisionPrice(sector, year: year) : policy.sector(sector).priceIndex(in: year)
        }
        func cost(_ i: Int) -> Double { hasMarket ? market.unitCost(i) : facilities[i].unitCostYuanPerTonne }
        // Capacity changes (§2.0b, §2.5b): each unit's current capacity and workers, and where each change stands.
        var capacity = facilities.map(\.capacity10ktPerYear)
        var unitWorkers = facilities.map { Double($0.workers) }
        let changes = policy.capacityChanges.compactMap { c in facilities.firstIndex { $0.id == c.facility }.map { (c, $0) } }
        enum ChangeState { case pending, applied, blocked }
        var changeState = [ChangeState](repeating: .pending, count: changes.count)
        var changeEvents: [CapacityChangeEvent] = [], blockedChanges: [BlockedCapacityChange] = []
        var outputShortfalls: [OutputShortfall] = []
        // The utilisation of each sector in the year being recorded (§2.6b).
        func utilisation(_ sector: Sector, _ year: Int) -> Double {
            let u0 = policy.sector(sector).utilisation(in: year)
            var chosen: OutputTarget?
            for t in policy.outputTargets where t.sector == sector {
                if let g = t.outputByYear[year], chosen == nil || g > chosen!.outputByYear[year]! { chosen = t }
            }
            guard let target = chosen, let goal = target.outputByYear[year] else { return u0 }
            var operating = 0.0
            for (i, f) in facilities.enumerated() where f.sector == sector && status[i] == .operating { operating += capacity[i] }
            let u = operating > 0 ? max(u0, min(target.utilisationCeiling, goal / operating)) : u0
            if operating * u < goal - 1e-9 * max(1, goal) {
                outputShortfalls.append(OutputShortfall(scenario: 0, year: year, target: target.id, goal10kt: goal,
                                                        output10kt: operating * u, capacity10ktPerYear: operating,
                                                        ceiling: target.utilisationCeiling))
            }
            return u
        }

        func remainingReserve(_ f: Facility, _ year: Int) -> Double {
            (f.reserveYears ?? .infinity) - Double(year - batch.baseYear - 1)
        }
        func creditKey(_ f: Facility) -> String { f.enterprise + "/" + f.sector.rawValue }

        /// `closed` and `opened`: the units and the capacity they closed or opened with; `changed`:
        /// the year's capacity changes (unit, change).
        func record(year: Int, closed: [Int: Double], opened: [Int: Double], changed: [(Int, Double)]) {
            var m = Matrix(rowCount: groups.count, columnCount: Metric.allCases.count)
            // Markets and output targets never apply together (the loader refuses it), so each
            // sector's utilisation comes from one of them.
            var u: [Sector: Double] = [:]
            for sector in Sector.allCases { u[sector] = hasMarket ? utilisationNow[sector.index] : utilisation(sector, year) }
            for (g, group) in groups.enumerated() {
                for (i, f) in facilities.enumerated() where group.contains(f) {
                    let operating = status[i] == .operating
                    let cap = capacity[i]
                    let shut = closed[i] ?? 0, new = opened[i] ?? 0
                    var reduced = 0.0, expanded = 0.0
                    for (j, delta) in changed where j == i { if delta < 0 { reduced -= delta } else { expanded += delta } }
                    m[g, Metric.unitsOperating.index] += operating ? 1 : 0
                    m[g, Metric.capacity.index] += operating ? cap : 0
                    m[g, Metric.unitsClosed.index] += closed[i] != nil ? 1 : 0
                    m[g, Metric.capacityClosed.index] += shut + reduced
                    m[g, Metric.unitsOpened.index] += opened[i] != nil ? 1 : 0
                    m[g, Metric.capacityOpened.index] += new + expanded
                    m[g, Metric.netCapacityReduction.index] += (shut + reduced) - (new + expanded)
                    m[g, Metric.output.index] += operating ? cap * u[f.sector]! : 0
                }
            }
            values.append(m)
        }

        if hasMarket {
            utilisationNow = market.clear(yearIndex: 0, year: batch.baseYear, operating: { status[$0] == .operating }).utilisation
        }
        record(year: batch.baseYear, closed: [:], opened: [:], changed: [])
        for (yearIndex, year) in batch.years.enumerated().dropFirst() {
            if hasMarket { market.open(year: year, operating: { status[$0] == .operating }) }
            var operatingWorkers = [Double](repeating: 0, count: Sector.allCases.count)
            for (i, f) in facilities.enumerated() where status[i] == .operating {
                operatingWorkers[f.sector.index] += unitWorkers[i]
            }
            var changed: [(Int, Double)] = []
            var reducedWorkers = [Double](repeating: 0, count: Sector.allCases.count), reducedCapacity = reducedWorkers
            // Applies change `k` to its unit: capacity, workers, event.
            func applyChange(_ k: Int, used: Double, available: Double, ratio: Double) {
                let (c, i) = changes[k]
                let w = max(Double(c.workersChange), -unitWorkers[i])
                changeEvents.append(CapacityChangeEvent(
                    scenario: 0, year: year, facility: i, change: c.id, capacityBefore10kt: capacity[i],
                    capacityChange10kt: c.capacityChange10ktPerYear, workersChange: w, investmentYuan: c.investmentYuan,
                    creditUsed10kt: used, creditAvailable10kt: available, ratio: ratio))
                capacity[i] += c.capacityChange10ktPerYear
                unitWorkers[i] += w
                if w < 0 { reducedWorkers[facilities[i].sector.index] -= w }
                changeState[k] = .applied
                changed.append((i, c.capacityChange10ktPerYear))
            }
            func giveUp(_ k: Int, _ reason: CapacityChangeBlock, needed: Double) {
                let (c, i) = changes[k], f = facilities[i]
                changeState[k] = .blocked
                blockedChanges.append(BlockedCapacityChange(
                    scenario: 0, year: c.year, facility: i, change: c.id, capacityChange10kt: c.capacityChange10ktPerYear,
                    reason: reason, creditNeeded10kt: needed, creditAvailable10kt: credit[creditKey(f), default: 0],
                    ratio: policy.sector(f.sector).replacementRatio))
            }
            var closed: [Int] = []
            var closedInSector: [Sector: Double] = [:]
            func close(_ i: Int, _ cause: ClosureCause) {
                let f = facilities[i]
                status[i] = .closed
                closed.append(i)
                closedInSector[f.sector, default: 0] += capacity[i]
                credit[creditKey(f), default: 0] += capacity[i]
                closures.append(ClosureEvent(scenario: 0, year: year, facility: i,
                                             capacity10ktPerYear: capacity[i], cause: cause))
            }
            // Units of enterprises that went bankrupt last year.
            for exit in exits where status[exit.facility] == .operating {
                close(exit.facility, .enterpriseExit(enterprise: exit.enterprise))
            }
            exits = []
            // Reserve exhaustion.
            for (i, f) in facilities.enumerated() where status[i] == .operating && f.sector == .coal {
                let left = remainingReserve(f, year)
                if left <= 0 { close(i, .reserveExhausted(remainingYears: left)) }
            }
            // Capacity reductions due this year, in list order: an operating unit gives up capacity
            // as credit; otherwise the reduction is given up.
            for (k, (c, i)) in changes.enumerated() where changeState[k] == .pending && c.capacityChange10ktPerYear < 0
                && c.year == year {
                let f = facilities[i]
                switch status[i] {
                case .planned: giveUp(k, .unitNotOpen, needed: 0)
                case .closed: giveUp(k, .unitClosed, needed: 0)
                case .operating:
                    let cut = -c.capacityChange10ktPerYear
                    if cut >= capacity[i] { giveUp(k, .exceedsCapacity, needed: 0); continue }
                    let available = credit[creditKey(f), default: 0]
                    credit[creditKey(f)] = available + cut
                    closedInSector[f.sector, default: 0] += cut
                    reducedCapacity[f.sector.index] += cut
                    applyChange(k, used: -cut, available: available, ratio: policy.sector(f.sector).replacementRatio)
                }
            }
            // Rules, in order.
            for rule in policy.rules where rule.isActive(in: year) {
                let threshold = rule.thresholdByYear[year] ?? 0
                // §2.2: a named rule without a sector visits its units in the order they are listed.
                let visit = rule.criterion == .named && rule.sector == nil
                    ? rule.namedFacilities.compactMap { id in facilities.firstIndex { $0.id == id } }
                    : Array(facilities.indices)
                for i in visit where status[i] == .operating {
                    let f = facilities[i]
                    if let sector = rule.sector, f.sector != sector { continue }
                    if let owner = rule.owner, f.owner != owner { continue }
                    if let region = rule.region, f.region != region { continue }
                    var measured = 0.0, limit = threshold, fires = false
                    switch rule.criterion {
                    case .sizeBelow: (measured, fires) = (f.size, f.size < threshold)
                    case .sizeAtOrBelow: (measured, fires) = (f.size, f.size <= threshold)
                    case .reserveBelow:
                        measured = remainingReserve(f, year)
                        fires = measured < threshold
                    case .costAbovePrice:
                        measured = cost(i)
                        limit = f.priceYuanPerTonne * price(f.sector, year) * (1 + threshold)
                        fires = measured > limit
                    case .logisticsAbove: (measured, fires) = (f.logisticsKm, f.logisticsKm > threshold)
                    case .safetyFlag: (measured, limit, fires) = (f.safetyFlag ? 1 : 0, 1, f.safetyFlag)
                    case .named: (measured, limit, fires) = (1, 1, rule.namedFacilities.contains(f.id))
                    }
                    if fires { close(i, .rule(id: rule.id, criterion: rule.criterion, measured: measured, threshold: limit)) }
                }
            }
            // Targets, in order: close candidates by priority until the sector's closures reach the goal.
            for target in policy.targets {
                guard let goal = target.capacityClosedByYear[year] else { continue }
                let needed = goal - 1e-9 * max(1, goal)
                if closedInSector[target.sector, default: 0] >= needed { continue }
                func key(_ k: PriorityKey, _ i: Int) -> Double {
                    let f = facilities[i]
                    switch k {
                    case .smallest: return f.size
                    case .largest: return -f.size
                    case .shortestReserve: return remainingReserve(f, year)
                    case .highestCost:
                        return -(cost(i) - f.priceYuanPerTonne * price(f.sector, year))
                    case .highestLogistics: return -f.logisticsKm
                    case .oldest: return Double(f.startYear)
                    }
                }
                let candidates = facilities.indices.filter { i in
                    let f = facilities[i]
                    return status[i] == .operating && f.sector == target.sector
                        && (target.owner == nil || f.owner == target.owner)
                        && (target.region == nil || f.region == target.region)
                }.sorted { a, b in
                    for k in target.priority {
                        let (x, y) = (key(k, a), key(k, b))
                        if x != y { return x < y }
                    }
                    return a < b
                }
                for i in candidates {
                    if closedInSector[target.sector, default: 0] >= needed { break }
                    close(i, .target(id: target.id, targetCapacity: goal,
                                     closedBefore: closedInSector[target.sector, default: 0], priority: target.priority))
                }
                if closedInSector[target.sector, default: 0] < needed {
                    shortfalls.append(TargetShortfall(scenario: 0, year: year, target: target.id, targetCapacity: goal,
                                                      closedCapacity: closedInSector[target.sector, default: 0]))
                }
            }
            // Openings through replacement, in table order.
            var opened: [Int: Double] = [:]
            for (i, f) in facilities.enumerated() where status[i] == .planned && f.startYear <= year {
                let ratio = policy.sector(f.sector).replacementRatio
                let need = ratio * f.capacity10ktPerYear
                let available = credit[creditKey(f), default: 0]
                guard available >= need - 1e-9 * max(1, need) else { continue }
                credit[creditKey(f)] = max(0, available - need)
                status[i] = .operating
                opened[i] = capacity[i]
                openings.append(OpeningEvent(scenario: 0, year: year, facility: i, capacity10ktPerYear: f.capacity10ktPerYear,
                                             creditUsed10kt: need, creditAvailable10kt: available, ratio: ratio))
            }
            // Expansions due by now, in list order: each waits until its unit operates and its pool
            // holds ratio × change of credit; a closed unit's expansion is given up.
            for (k, (c, i)) in changes.enumerated() where changeState[k] == .pending && c.capacityChange10ktPerYear > 0
                && c.year <= year {
                let f = facilities[i], ratio = policy.sector(f.sector).replacementRatio
                let need = ratio * c.capacityChange10ktPerYear
                if status[i] == .closed { giveUp(k, .unitClosed, needed: need); continue }
                guard status[i] == .operating else { continue }
                let available = credit[creditKey(f), default: 0]
                guard available >= need - 1e-9 * max(1, need) else { continue }
                credit[creditKey(f)] = max(0, available - need)
                applyChange(k, used: need, available: available, ratio: ratio)
            }
            // Workers displaced by this year's closures and reductions, then enterprise books.
            if workers != nil {
                var displaced = [Double](repeating: 0, count: Sector.allCases.count), cut = displaced
                for i in closed {
                    displaced[facilities[i].sector.index] += unitWorkers[i]
                    cut[facilities[i].sector.index] += capacity[i]
                }
                for σ in Sector.allCases.indices {
                    displaced[σ] += reducedWorkers[σ]
                    cut[σ] += reducedCapacity[σ]
                }
                let goals = Sector.allCases.map { policy.targetCapacity($0, in: year) }
                workers!.step(yearIndex: yearIndex, year: year, displaced: [displaced], capacityCut: [cut],
                              targets: [goals], operatingWorkersLastYear: [operatingWorkers])
            }
            // §2.7: the market clears on the capacity operating at the end of the year.
            let booked = hasMarket ? market.clear(yearIndex: yearIndex, year: year, operating: { status[$0] == .operating }) : nil
            utilisationNow = booked?.utilisation ?? Sector.allCases.map { policy.sector($0).utilisation(in: year) }
            if books != nil {
                books!.step(yearIndex: yearIndex, year: year, scenario: 0, policy: policy, facilities: facilities,
                            operating: { status[$0] == .operating }, closed: closed, market: booked)
                exits = books!.exits[0]
                books!.exits[0] = []
                for exit in exits where status[exit.facility] == .planned { status[exit.facility] = .closed }
            }
            record(year: year, closed: Dictionary(closed.map { ($0, capacity[$0]) }, uniquingKeysWith: { a, _ in a }),
                   opened: opened, changed: changed)
        }
        for (k, (c, i)) in changes.enumerated() where changeState[k] == .pending && c.capacityChange10ktPerYear > 0
            && c.year <= batch.endYear {
            let f = facilities[i], ratio = policy.sector(f.sector).replacementRatio
            let reason: CapacityChangeBlock = status[i] == .operating ? .insufficientCredit
                : status[i] == .planned ? .unitNotOpen : .unitClosed
            blockedChanges.append(BlockedCapacityChange(
                scenario: 0, year: c.year, facility: i, change: c.id, capacityChange10kt: c.capacityChange10ktPerYear,
                reason: reason, creditNeeded10kt: ratio * c.capacityChange10ktPerYear,
                creditAvailable10kt: credit[creditKey(f), default: 0], ratio: ratio))
        }
        var blocked: [BlockedOpening] = []
        for (i, f) in facilities.enumerated() where status[i] == .planned && f.startYear <= batch.endYear {
            let ratio = policy.sector(f.sector).replacementRatio
            blocked.append(BlockedOpening(scenario: 0, facility: i, ratio: ratio, creditNeeded10kt: ratio * f.capacity10ktPerYear,
                                          creditAvailable10kt: credit[creditKey(f), default: 0]))
        }
        return BatchResult(scenarioNames: batch.scenarioNames, years: batch.years, groups: groups, valuesByYear: values,
                           closures: closures, openings: openings, blockedOpenings: blocked, shortfalls: shortfalls,
                           resettlement: workers?.result, finance: books?.result, market: hasMarket ? market.result : nil,
                           capacityChanges: changeEvents, blockedCapacityChanges: blockedChanges,
                           outputShortfalls: outputShortfalls)
    }
}
