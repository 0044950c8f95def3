/// Every scenario's capacity changes in one year, in the order of docs/MODEL.md §2: enterprise
/// exits, reserve exhaustion, capacity reductions, rules, targets, replacement openings,
/// expansions, then the utilisation output targets ask for.
///
/// Each stage is one pass over its units advancing every scenario of the batch: the unit's
/// figures are read once and compared with each scenario's threshold (the scenario index
/// innermost), so the inner loop is a status byte and a comparison per (unit, scenario). Targets
/// walk their priority order scenario by scenario, since each stops when its scenario's goal is met.
struct YearStep {
    let columns: FacilityColumns
    let policy: CompiledPolicy
    let state: BatchState
    let aggregator: Aggregator
    let yearIndex: Int
    let year: Int
    let baseYear: Int
    /// The year's unit costs `[f · S + s]`, yuan/t, when some sector has a market (§2.7); nil
    /// compares the tabled costs.
    var unitCost: Buffer<Double>? = nil

    /// Relative slack when comparing sums of capacities with a target or a credit, so that a
    /// table whose capacities add up to the target exactly in decimal also does so in binary.
    static let tolerance = 1e-9

    private static let operating = UnitStatus.operating.rawValue
    private static let planned = UnitStatus.planned.rawValue

    func advance() {
        closeExitedEnterprises()
        closeExhaustedMines()
        if policy.changes.count > 0 { applyCapacityChanges(expansions: false) }
        for r in policy.rules.indices where policy.rules[r].activeInYear[yearIndex] { apply(rule: r) }
        for t in policy.targets.indices where policy.targets[t].activeInYear[yearIndex] { pursue(target: t) }
        openReplacements()
        if policy.changes.count > 0 { applyCapacityChanges(expansions: true) }
        if policy.output.any { settleOutput() }
    }

    /// Closes unit `f` in scenario `s`: status, credit, the sector's sums and the group sums.
    private func close(_ f: Int, _ s: Int, cause: Int32, measured: Double, limit: Double) {
        let S = state.scenarioCount
        let cap = state.capacity[f * S + s], workers = state.workers[f * S + s]
        let k = columns.sectorIndex[f] * S + s
        state.status[f * S + s] = UnitStatus.closed.rawValue
        state.credit[columns.creditPool[f] * S + s] += cap
        state.closedBySector[k] += cap
        state.displacedBySector[k] += workers
        state.operatingWorkersBySector[k] -= workers
        aggregator.closed(f, s, capacity: cap)
        state.closures.append(ClosureRecord(facility: Int32(f), scenario: Int32(s), yearIndex: Int32(yearIndex),
                                            cause: cause, measured: measured, limit: limit, capacity: cap))
    }

    /// Units of enterprises that left last year close first (docs/MODEL.md §2.0a).
    private func closeExitedEnterprises() {
        for exit in state.pendingExits where state.isOperating(Int(exit.facility), Int(exit.scenario)) {
            close(Int(exit.facility), Int(exit.scenario), cause: ClosureRecord.exit,
                  measured: Double(exit.enterprise), limit: 0)
        }
        state.pendingExits.removeAll(keepingCapacity: true)
    }

    /// A mine closes when its remaining reserve is ≤ 0 at the start of the year.
    private func closeExhaustedMines() {
        let S = state.scenarioCount
        for f in policy.exhaustionCandidates[yearIndex] {
            let remaining = columns.remainingReserve(f, year: year, baseYear: baseYear)
            let row = state.status.base + f * S
            for s in 0..<S where row[s] == Self.operating {
                close(f, s, cause: ClosureRecord.exhausted, measured: remaining, limit: 0)
            }
        }
    }

    /// One rule over its candidates × every scenario: a unit closes where it operates and the
    /// criterion holds against the scenario's threshold (NaN where the rule is inactive).
    private func apply(rule r: Int) {
        let rule = policy.rules[r], S = state.scenarioCount, Y = policy.yearCount, y = yearIndex
        let cause = ClosureRecord.ruleBase + Int32(r)
        let status = state.status.base
        rule.threshold.withUnsafeBufferPointer { tb in
            let t = tb.baseAddress! + y * S
            switch rule.criterion {
            case .sizeBelow:
                for f in rule.candidates {
                    let m = columns.size[f], row = status + f * S
                    for s in 0..<S where row[s] == Self.operating && m < t[s] {
                        close(f, s, cause: cause, measured: m, limit: t[s])
                    }
                }
            case .sizeAtOrBelow:
                for f in rule.candidates {
                    let m = columns.size[f], row = status + f * S
                    for s in 0..<S where row[s] == Self.operating && m <= t[s] {
                        close(f, s, cause: cause, measured: m, limit: t[s])
                    }
                }
            case .reserveBelow:
                for f in rule.candidates {
                    let m = columns.remainingReserve(f, year: year, baseYear: baseYear), row = status + f * S
                    for s in 0..<S where row[s] == Self.operating && m < t[s] {
                        close(f, s, cause: cause, measured: m, limit: t[s])
                    }
                }
            case .logisticsAbove:
                for f in rule.candidates {
                    let m = columns.logistics[f], row = status + f * S
                    for s in 0..<S where row[s] == Self.operating && m > t[s] {
                        close(f, s, cause: cause, measured: m, limit: t[s])
                    }
                }
            case .costAbovePrice:
                policy.priceIndex.withUnsafeBufferPointer { pb in
                    if let unitCost {
                        // §2.7: each scenario's own unit cost of the year.
                        for f in rule.candidates {
                            let price = columns.price[f], row = status + f * S, costs = unitCost.base + f * S
                            let index = pb.baseAddress! + (columns.sectorIndex[f] * Y + y) * S
                            for s in 0..<S where row[s] == Self.operating {
                                let limit = price * index[s] * (1 + t[s])
                                if costs[s] > limit { close(f, s, cause: cause, measured: costs[s], limit: limit) }
                            }
                        }
                        return
                    }
                    for f in rule.candidates {
                        let cost = columns.cost[f], price = columns.price[f], row = status + f * S
                        let index = pb.baseAddress! + (columns.sectorIndex[f] * Y + y) * S
                        for s in 0..<S where row[s] == Self.operating {
                            let limit = price * index[s] * (1 + t[s])
                            if cost > limit { close(f, s, cause: cause, measured: cost, limit: limit) }
                        }
                    }
                }
            case .safetyFlag, .named:
                // Candidates already passed the flag or the list; 0 marks an active scenario.
                for f in rule.candidates {
                    let row = status + f * S
                    for s in 0..<S where row[s] == Self.operating && t[s] == 0 {
                        close(f, s, cause: cause, measured: 1, limit: 1)
                    }
                }
            }
        }
    }

    /// One target, scenario by scenario: while the sector's capacity closed this year is below the
    /// goal, close the next operating candidate in priority order.
    private func pursue(target t: Int) {
        let target = policy.targets[t], S = state.scenarioCount, Y = policy.yearCount, y = yearIndex
        let cause = ClosureRecord.ruleBase + Int32(policy.rules.count + t)
        let n = target.candidates.count
        var sortedFor: UInt64? = nil  // price index bits the scratch order was sorted for
        for s in 0..<S {
            let goal = target.goal[y * S + s]
            if goal.isNaN { continue }
            let needed = goal - Self.tolerance * max(1, goal)
            let k = target.sectorIndex * S + s
            if state.closedBySector[k] >= needed { continue }
            func walk(_ f: Int) -> Bool {
                guard state.isOperating(f, s) else { return true }
                if state.closedBySector[k] >= needed { return false }
                close(f, s, cause: cause, measured: goal, limit: state.closedBySector[k])
                return true
            }
            if target.keysDependOnScenario {
                let index = policy.priceIndex[(target.sectorIndex * Y + y) * S + s]
                // With market costs (§2.7) every scenario has its own costs, so its own order.
                if sortedFor != index.bitPattern || unitCost != nil {
                    CompiledTarget.fillKeys(state.sortKeys.base, priority: target.priority, candidates: target.candidates,
                                            columns: columns, year: year, baseYear: baseYear, priceIndex: index,
                                            unitCost: unitCost.map { $0.base + s }, scenarioCount: S)
                    PriorityOrder.sort(UnsafeMutableBufferPointer(start: state.sortOrder.base, count: n),
                                       keys: state.sortKeys.base, keyCount: target.priority.count)
                    sortedFor = index.bitPattern
                }
                for i in 0..<n where !walk(target.candidates[Int(state.sortOrder[i])]) { break }
            } else {
                for f in target.orderByYear[y] where !walk(f) { break }
            }
            if state.closedBySector[k] < needed {
                state.shortfalls.append(ShortfallRecord(scenario: Int32(s), yearIndex: Int32(y), target: Int32(t),
                                                        goal: goal, closed: state.closedBySector[k]))
            }
        }
    }

    /// Planned units whose start year has come open, in table order, where their enterprise has
    /// retired at least ratio × their capacity in the sector and not yet used it.
    private func openReplacements() {
        let S = state.scenarioCount
        policy.replacementRatio.withUnsafeBufferPointer { rb in
            for f in policy.plannedUnits where columns.startYear[f] <= year {
                let cap = columns.capacity[f], σ = columns.sectorIndex[f]
                let row = state.status.base + f * S
                let credit = state.credit.base + columns.creditPool[f] * S
                let ratio = rb.baseAddress! + σ * S
                for s in 0..<S where row[s] == Self.planned {
                    let need = ratio[s] * cap, available = credit[s]
                    guard available >= need - Self.tolerance * max(1, need) else { continue }
                    credit[s] = max(0, available - need)
                    row[s] = Self.operating
                    state.operatingWorkersBySector[σ * S + s] += state.workers[f * S + s]
                    aggregator.opened(f, s, capacity: cap)
                    state.openings.append(OpeningRecord(facility: Int32(f), scenario: Int32(s), yearIndex: Int32(yearIndex),
                                                        creditUsed: need, creditAvailable: available, ratio: ratio[s]))
                }
            }
        }
    }

    private static let blockedUnitClosed = Int32(CapacityChangeBlock.allCases.firstIndex(of: .unitClosed)!)
    private static let blockedUnitNotOpen = Int32(CapacityChangeBlock.allCases.firstIndex(of: .unitNotOpen)!)
    private static let blockedExceeds = Int32(CapacityChangeBlock.allCases.firstIndex(of: .exceedsCapacity)!)

    /// Capacity changes of existing units (docs/MODEL.md §2.0b, §2.5b), in list order, every
    /// scenario. Reductions (`expansions == false`) apply in their due year to an operating unit
    /// and free their capacity as credit; otherwise they are given up. Expansions due by now wait
    /// until their unit operates and its pool holds ratio × change of credit; a closed unit's
    /// expansion is given up.
    private func applyCapacityChanges(expansions: Bool) {
        let S = state.scenarioCount, changes = policy.changes
        for c in 0..<changes.count {
            let f = changes.facility[c], σ = columns.sectorIndex[f], pool = columns.creditPool[f]
            for s in 0..<S where state.changeStatus[c * S + s] == ChangeStatus.pending.rawValue {
                let i = c * S + s, delta = changes.change[i]
                guard delta != 0, (delta > 0) == expansions, changes.year[i] <= year else { continue }
                let unit = state.status[f * S + s], available = state.credit[pool * S + s]
                let ratio = policy.replacementRatio[σ * S + s]
                func give(up reason: Int32, needed: Double) {
                    state.changeStatus[i] = ChangeStatus.blocked.rawValue
                    state.blockedChanges.append(BlockedChangeRecord(change: Int32(c), scenario: Int32(s), reason: reason,
                                                                    creditNeeded: needed, creditAvailable: available, ratio: ratio))
                }
                if !expansions {
                    guard changes.year[i] == year else { continue }
                    if unit != Self.operating {
                        give(up: unit == Self.planned ? Self.blockedUnitNotOpen : Self.blockedUnitClosed, needed: 0)
                    } else if -delta >= state.capacity[f * S + s] {
                        give(up: Self.blockedExceeds, needed: 0)
                    } else {
                        state.credit[pool * S + s] = available - delta
                        state.closedBySector[σ * S + s] -= delta
                        apply(c, f, s, delta: delta, used: delta, available: available, ratio: ratio)
                    }
                } else {
                    if unit == UnitStatus.closed.rawValue { give(up: Self.blockedUnitClosed, needed: ratio * delta); continue }
                    guard unit == Self.operating else { continue }
                    let need = ratio * delta
                    guard available >= need - Self.tolerance * max(1, need) else { continue }
                    state.credit[pool * S + s] = max(0, available - need)
                    apply(c, f, s, delta: delta, used: need, available: available, ratio: ratio)
                }
            }
        }
    }

    /// Applies change slot `c` to unit `f` in scenario `s`: capacity, workers, group sums, event.
    private func apply(_ c: Int, _ f: Int, _ s: Int, delta: Double, used: Double, available: Double, ratio: Double) {
        let S = state.scenarioCount, k = columns.sectorIndex[f] * S + s
        let before = state.capacity[f * S + s]
        state.capacity[f * S + s] = before + delta
        // Workers removed are at most the unit's; they are displaced like a closure's.
        let w = max(policy.changes.workers[c * S + s], -state.workers[f * S + s])
        state.workers[f * S + s] += w
        state.operatingWorkersBySector[k] += w
        if w < 0 { state.displacedBySector[k] -= w }
        state.changeStatus[c * S + s] = ChangeStatus.applied.rawValue
        aggregator.changed(f, s, by: delta)
        state.changes.append(ChangeRecord(change: Int32(c), scenario: Int32(s), yearIndex: Int32(yearIndex),
                                          capacityBefore: before, workers: w, creditUsed: used,
                                          creditAvailable: available, ratio: ratio))
    }

    /// The utilisation each sector runs at this year (docs/MODEL.md §2.6b): where an output target
    /// applies, u = max(u₀, min(ceiling, goal / capacity)) on the sector's operating capacity; a
    /// shortfall is recorded where capacity × u stays below the goal.
    func settleOutput() {
        let S = state.scenarioCount, Y = policy.yearCount, out = policy.output
        for σ in Sector.allCases.indices {
            for s in 0..<S {
                let k = (σ * Y + yearIndex) * S + s, goal = out.goal[k]
                if goal.isNaN { continue }
                let u0 = policy.utilisation[k], capacity = aggregator.sectorCapacity(σ, s)
                let u = capacity > 0 ? max(u0, min(out.ceiling[k], goal / capacity)) : u0
                state.utilisation[k] = u
                let output = capacity * u
                if output < goal - Self.tolerance * max(1, goal) {
                    state.outputShortfalls.append(OutputShortfallRecord(
                        scenario: Int32(s), yearIndex: Int32(yearIndex), target: out.target[k], goal: goal,
                        output: output, capacity: capacity, ceiling: out.ceiling[k]))
                }
            }
        }
    }
}
