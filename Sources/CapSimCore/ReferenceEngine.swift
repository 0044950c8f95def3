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

        func remainingReserve(_ f: Facility, _ year: Int) -> Double {
            (f.reserveYears ?? .infinity) - Double(year - batch.baseYear - 1)
        }
        func creditKey(_ f: Facility) -> String { f.enterprise + "/" + f.sector.rawValue }

        func record(year: Int, closed: Set<Int>, opened: Set<Int>) {
            var m = Matrix(rowCount: groups.count, columnCount: Metric.allCases.count)
            let utilisation = { (f: Facility) in utilisationNow[f.sector.index] }
            for (g, group) in groups.enumerated() {
                for (i, f) in facilities.enumerated() where group.contains(f) {
                    let operating = status[i] == .operating
                    let cap = f.capacity10ktPerYear
                    m[g, Metric.unitsOperating.index] += operating ? 1 : 0
                    m[g, Metric.capacity.index] += operating ? cap : 0
                    m[g, Metric.unitsClosed.index] += closed.contains(i) ? 1 : 0
                    m[g, Metric.capacityClosed.index] += closed.contains(i) ? cap : 0
                    m[g, Metric.unitsOpened.index] += opened.contains(i) ? 1 : 0
                    m[g, Metric.capacityOpened.index] += opened.contains(i) ? cap : 0
                    m[g, Metric.netCapacityReduction.index] += (closed.contains(i) ? cap : 0) - (opened.contains(i) ? cap : 0)
                    m[g, Metric.output.index] += operating ? cap * utilisation(f) : 0
                }
            }
            values.append(m)
        }

        if hasMarket {
            utilisationNow = market.clear(yearIndex: 0, year: batch.baseYear, operating: { status[$0] == .operating }).utilisation
        }
        record(year: batch.baseYear, closed: [], opened: [])
        for (yearIndex, year) in batch.years.enumerated().dropFirst() {
            if hasMarket { market.open(year: year, operating: { status[$0] == .operating }) }
            var operatingWorkers = [Double](repeating: 0, count: Sector.allCases.count)
            for (i, f) in facilities.enumerated() where status[i] == .operating {
                operatingWorkers[f.sector.index] += Double(f.workers)
            }
            var closed: [Int] = []
            var closedInSector: [Sector: Double] = [:]
            func close(_ i: Int, _ cause: ClosureCause) {
                let f = facilities[i]
                status[i] = .closed
                closed.append(i)
                closedInSector[f.sector, default: 0] += f.capacity10ktPerYear
                credit[creditKey(f), default: 0] += f.capacity10ktPerYear
                closures.append(ClosureEvent(scenario: 0, year: year, facility: i,
                                             capacity10ktPerYear: f.capacity10ktPerYear, cause: cause))
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
            var opened: Set<Int> = []
            for (i, f) in facilities.enumerated() where status[i] == .planned && f.startYear <= year {
                let ratio = policy.sector(f.sector).replacementRatio
                let need = ratio * f.capacity10ktPerYear
                let available = credit[creditKey(f), default: 0]
                guard available >= need - 1e-9 * max(1, need) else { continue }
                credit[creditKey(f)] = max(0, available - need)
                status[i] = .operating
                opened.insert(i)
                openings.append(OpeningEvent(scenario: 0, year: year, facility: i, capacity10ktPerYear: f.capacity10ktPerYear,
                                             creditUsed10kt: need, creditAvailable10kt: available, ratio: ratio))
            }
            // Workers displaced by this year's closures, then enterprise books.
            if workers != nil {
                var displaced = [Double](repeating: 0, count: Sector.allCases.count), cut = displaced
                for i in closed {
                    displaced[facilities[i].sector.index] += Double(facilities[i].workers)
                    cut[facilities[i].sector.index] += facilities[i].capacity10ktPerYear
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
            record(year: year, closed: Set(closed), opened: opened)
        }
        var blocked: [BlockedOpening] = []
        for (i, f) in facilities.enumerated() where status[i] == .planned && f.startYear <= batch.endYear {
            let ratio = policy.sector(f.sector).replacementRatio
            blocked.append(BlockedOpening(scenario: 0, facility: i, ratio: ratio, creditNeeded10kt: ratio * f.capacity10ktPerYear,
                                          creditAvailable10kt: credit[creditKey(f), default: 0]))
        }
        return BatchResult(scenarioNames: batch.scenarioNames, years: batch.years, groups: groups, valuesByYear: values,
                           closures: closures, openings: openings, blockedOpenings: blocked, shortfalls: shortfalls,
                           resettlement: workers?.result, finance: books?.result, market: hasMarket ? market.result : nil)
    }
}
