/// Every scenario's capacity changes in one year, in the order of docs/MODEL.md §2: enterprise
/// exits, reserve exhaustion, rules, targets, replacement openings.
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
        for r in policy.rules.indices where policy.rules[r].activeInYear[yearIndex] { apply(rule: r) }
        for t in policy.targets.indices where policy.targets[t].activeInYear[yearIndex] { pursue(target: t) }
        openReplacements()
    }

    /// Closes unit `f` in scenario `s`: status, credit, the sector's sums and the group sums.
    private func close(_ f: Int, _ s: Int, cause: Int32, measured: Double, limit: Double) {
        let S = state.scenarioCount
        let cap = columns.capacity[f], workers = columns.workers[f]
        let k = columns.sectorIndex[f] * S + s
        state.status[f * S + s] = UnitStatus.closed.rawValue
        state.credit[columns.creditPool[f] * S + s] += cap
        state.closedBySector[k] += cap
        state.displacedBySector[k] += workers
        state.operatingWorkersBySector[k] -= workers
        aggregator.closed(f, s, capacity: cap)
        state.closures.append(ClosureRecord(facility: Int32(f), scenario: Int32(s), yearIndex: Int32(yearIndex),
                                            cause: cause, measured: measured, limit: limit))
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
                    state.operatingWorkersBySector[σ * S + s] += columns.workers[f]
                    aggregator.opened(f, s, capacity: cap)
                    state.openings.append(OpeningRecord(facility: Int32(f), scenario: Int32(s), yearIndex: Int32(yearIndex),
                                                        creditUsed: need, creditAvailable: available, ratio: ratio[s]))
                }
            }
        }
    }
}
