/// One scenario's changes in one year: exhaustion, rules, targets, replacement openings, in that order.
struct YearStep {
    let columns: FacilityColumns
    let policy: Policy
    let compiled: CompiledPolicy
    let year: Int
    let baseYear: Int
    let scenario: Int

    /// Relative slack when comparing sums of capacities with a target or a credit, so that a
    /// table whose capacities add up to the target exactly in decimal also does so in binary.
    static let tolerance = 1e-9

    func advance(_ state: inout BatchState) {
        var closedBySector = [Double](repeating: 0, count: Sector.allCases.count)
        for exit in state.pendingExits[scenario] where isOperating(exit.facility, state) {
            close(exit.facility, .enterpriseExit(enterprise: exit.enterprise), &state, &closedBySector)
        }
        state.pendingExits[scenario] = []
        closeExhaustedMines(&state, &closedBySector)
        for (r, rule) in policy.rules.enumerated() where rule.isActive(in: year) {
            apply(rule, named: compiled.namedIndices[r], &state, &closedBySector)
        }
        for target in policy.targets {
            if let goal = target.capacityClosedByYear[year] {
                pursue(target, goal: goal, &state, &closedBySector)
            }
        }
        openReplacements(&state)
    }

    private func isOperating(_ f: Int, _ state: BatchState) -> Bool {
        state.status[f, scenario] == .operating
    }

    private func close(_ f: Int, _ cause: ClosureCause, _ state: inout BatchState,
                       _ closedBySector: inout [Double]) {
        let cap = columns.capacity[f]
        state.status[f, scenario] = .closed
        state.closedThisYear[f, scenario] = true
        state.credit[columns.creditPool[f], scenario] += cap
        closedBySector[columns.sector[f].index] += cap
        state.closures[scenario].append(ClosureEvent(
            scenario: scenario, year: year, facility: f, capacity10ktPerYear: cap, cause: cause))
    }

    /// A mine closes when its remaining reserve is ≤ 0 at the start of the year.
    private func closeExhaustedMines(_ state: inout BatchState, _ closedBySector: inout [Double]) {
        for f in columns.bySector[Sector.coal.index] where isOperating(f, state) {
            let remaining = columns.remainingReserve(f, year: year, baseYear: baseYear)
            if remaining <= 0 {
                close(f, .reserveExhausted(remainingYears: remaining), &state, &closedBySector)
            }
        }
    }

    private func matches(_ f: Int, owner: OwnerType?, region: String?) -> Bool {
        (owner == nil || columns.owner[f] == owner) && (region == nil || columns.region[f] == region)
    }

    /// The figure the criterion measures on unit `f`, the limit it is compared with, and whether it fires.
    private func evaluate(_ criterion: ClosureCriterion, _ f: Int, threshold: Double)
        -> (measured: Double, limit: Double, fires: Bool)
    {
        switch criterion {
        case .sizeBelow:
            return (columns.size[f], threshold, columns.size[f] < threshold)
        case .sizeAtOrBelow:
            return (columns.size[f], threshold, columns.size[f] <= threshold)
        case .reserveBelow:
            let remaining = columns.remainingReserve(f, year: year, baseYear: baseYear)
            return (remaining, threshold, remaining < threshold)
        case .costAbovePrice:
            let limit = columns.price[f] * policy.sector(columns.sector[f]).priceIndex(in: year) * (1 + threshold)
            return (columns.cost[f], limit, columns.cost[f] > limit)
        case .logisticsAbove:
            return (columns.logistics[f], threshold, columns.logistics[f] > threshold)
        case .safetyFlag:
            return (columns.safety[f] ? 1 : 0, 1, columns.safety[f])
        case .named:
            return (1, 1, true)
        }
    }

    private func apply(_ rule: ClosureRule, named: [Int], _ state: inout BatchState,
                       _ closedBySector: inout [Double]) {
        let threshold = rule.thresholdByYear[year] ?? 0
        let candidates = rule.sector.map { columns.bySector[$0.index] } ?? named
        for f in candidates where isOperating(f, state)
            && matches(f, owner: rule.owner, region: rule.region)
            && (rule.criterion != .named || named.contains(f))
        {
            let (measured, limit, fires) = evaluate(rule.criterion, f, threshold: threshold)
            if fires {
                close(f, .rule(id: rule.id, criterion: rule.criterion, measured: measured, threshold: limit),
                      &state, &closedBySector)
            }
        }
    }

    /// Sort key of unit `f` for one priority key; smaller closes first.
    private func key(_ k: PriorityKey, _ f: Int) -> Double {
        switch k {
        case .smallest: return columns.size[f]
        case .largest: return -columns.size[f]
        case .shortestReserve: return columns.remainingReserve(f, year: year, baseYear: baseYear)
        case .highestCost:
            return -(columns.cost[f] - columns.price[f] * policy.sector(columns.sector[f]).priceIndex(in: year))
        case .highestLogistics: return -columns.logistics[f]
        case .oldest: return Double(columns.startYear[f])
        }
    }

    private func pursue(_ target: ClosureTarget, goal: Double, _ state: inout BatchState,
                        _ closedBySector: inout [Double]) {
        let sector = target.sector.index
        let needed = goal - Self.tolerance * max(1, goal)
        if closedBySector[sector] >= needed { return }
        let candidates = columns.bySector[sector].filter {
            isOperating($0, state) && matches($0, owner: target.owner, region: target.region)
        }
        let keys = candidates.map { f in target.priority.map { key($0, f) } }
        let order = candidates.indices.sorted { a, b in
            for (x, y) in zip(keys[a], keys[b]) where x != y { return x < y }
            return candidates[a] < candidates[b]
        }
        for i in order {
            if closedBySector[sector] >= needed { break }
            close(candidates[i], .target(id: target.id, targetCapacity: goal,
                                         closedBefore: closedBySector[sector], priority: target.priority),
                  &state, &closedBySector)
        }
        if closedBySector[sector] < needed {
            state.shortfalls[scenario].append(TargetShortfall(
                scenario: scenario, year: year, target: target.id, targetCapacity: goal,
                closedCapacity: closedBySector[sector]))
        }
    }

    /// Planned units whose start year has come open, in table order, if their enterprise has
    /// retired at least ratio × their capacity in the sector and not yet used it.
    private func openReplacements(_ state: inout BatchState) {
        for f in 0..<columns.count
        where state.status[f, scenario] == .planned && columns.startYear[f] <= year {
            let ratio = policy.sector(columns.sector[f]).replacementRatio
            let need = ratio * columns.capacity[f]
            let pool = columns.creditPool[f]
            let available = state.credit[pool, scenario]
            guard available >= need - Self.tolerance * max(1, need) else { continue }
            state.credit[pool, scenario] = max(0, available - need)
            state.status[f, scenario] = .operating
            state.openedThisYear[f, scenario] = true
            state.openings[scenario].append(OpeningEvent(
                scenario: scenario, year: year, facility: f, capacity10ktPerYear: columns.capacity[f],
                creditUsed10kt: need, creditAvailable10kt: available, ratio: ratio))
        }
    }
}
