import LinearAlgebra

/// The capacity engine: advances every facility of every scenario in a batch year by year.
///
/// Before the first year every scenario's policy is compiled into flat arrays (`CompiledPolicy`);
/// the state is flat arrays with the scenario index innermost (`BatchState`). Each year applies,
/// to all scenarios at once, enterprise exits, reserve exhaustion, closure rules, closure targets
/// and replacement openings (docs/MODEL.md §2, `YearStep`); group sums change on each closure and
/// opening (§3, `Aggregator`); then the workforce and finance models take the year's events.
public enum Engine {
    /// Switches that do not change results.
    public struct Options: Sendable {
        /// Check the conservation identities after the run and trap if one fails.
        public var checkInvariants: Bool
        /// How worker stocks move through the year (docs/PERFORMANCE.md measures both).
        public var transitions: Kernel

        /// Creates options; the default kernels are the faster ones measured on the reference machine.
        ///
        /// There is no aggregation kernel to choose: group sums change on each closure and opening
        /// event, which leaves no per-year product to hand to BLAS (docs/MODEL.md §3.3).
        public init(checkInvariants: Bool = false, transitions: Kernel = .loops) {
            self.checkInvariants = checkInvariants
            self.transitions = transitions
        }
    }

    /// A way of computing a linear map: a dense BLAS product, or a loop over the non-zeros.
    ///
    /// Both give the same numbers up to the order of floating-point additions.
    public enum Kernel: String, Sendable, CaseIterable {
        /// Dense matrix product through BLAS `dgemm`.
        case blas
        /// Plain Swift loop over the structure's non-zeros (a scatter).
        case loops
    }

    /// Runs every scenario of `batch` from the base year to the end year.
    public static func run(_ batch: ScenarioBatch, options: Options = Options()) -> BatchResult {
        let S = batch.policies.count, years = batch.years
        let columns = FacilityColumns(batch.facilities)
        let groups = AggregationGroup.groups(of: batch.facilities)
        var policy = CompiledPolicy(batch.policies, columns: columns, years: years)
        let costKeyed = policy.targets.filter(\.keysDependOnScenario)
        let state = BatchState(
            columns: columns, policy: policy, baseYear: batch.baseYear, scenarioCount: S,
            scratchKeys: costKeyed.map { $0.candidates.count * $0.priority.count }.max() ?? 0,
            scratchOrder: costKeyed.map(\.candidates.count).max() ?? 0)
        let aggregator = Aggregator(groups: groups, facilities: batch.facilities, columns: columns,
                                    baseYear: batch.baseYear, scenarioCount: S)

        var workforce = makeResettlementModel(batch, kernel: options.transitions)
        var finance = makeFinanceModel(batch)
        var workforceInputs = WorkforceYearInputs(scenarioCount: workforce == nil ? 0 : S)
        // §2.7: sector markets, when some scenario gives some sector one; they overwrite the
        // compiled price index (decision price) and utilisation of their (sector, year, scenario).
        var market = MarketModel(batch, columns: columns)
        if market != nil { market!.start(policy: &policy, state: state, columns: columns) }

        var values: [Matrix] = []
        values.reserveCapacity(years.count)
        if policy.output.any {
            YearStep(columns: columns, policy: policy, state: state, aggregator: aggregator,
                     yearIndex: 0, year: batch.baseYear, baseYear: batch.baseYear).settleOutput()
        }
        values.append(aggregator.row(yearIndex: 0, policy: policy, utilisation: state.utilisation))
        for (yearIndex, year) in years.enumerated().dropFirst() {
            if workforce != nil {
                copy(state.operatingWorkersBySector, into: &workforceInputs.operatingWorkersLastYear)
            }
            state.closedBySector.fill(0)
            state.displacedBySector.fill(0)
            let closuresBefore = state.closures.count, openingsBefore = state.openings.count
            if market != nil { market!.open(yearIndex: yearIndex, policy: &policy, state: state, columns: columns) }
            let changesBefore = state.changes.count
            YearStep(columns: columns, policy: policy, state: state, aggregator: aggregator,
                     yearIndex: yearIndex, year: year, baseYear: batch.baseYear, unitCost: market?.unitCost).advance()
            // The year's events in scenario order, each scenario's in the order they happened.
            state.openings.sortByScenario(from: openingsBefore, scenarioCount: S, scratch: state.openingScratch,
                                          starts: state.scenarioStarts) { $0.scenario }
            state.closures.sortByScenario(from: closuresBefore, scenarioCount: S, scratch: state.closureScratch,
                                          starts: state.scenarioStarts) { $0.scenario }
            state.closedThisYear.removeAll(keepingCapacity: true)
            state.openedThisYear.removeAll(keepingCapacity: true)
            for k in closuresBefore..<state.closures.count {
                state.closedThisYear.append(UnitEvent(facility: state.closures[k].facility, scenario: state.closures[k].scenario))
            }
            for k in openingsBefore..<state.openings.count {
                state.openedThisYear.append(UnitEvent(facility: state.openings[k].facility, scenario: state.openings[k].scenario))
            }

            if market != nil { market!.clear(yearIndex: yearIndex, policy: &policy, state: state, columns: columns) }
            if workforce != nil {
                fill(&workforceInputs, state: state, policy: policy, yearIndex: yearIndex)
                workforce!.step(yearIndex: yearIndex, year: year, inputs: workforceInputs)
            }
            if finance != nil {
                finance!.step(yearIndex: yearIndex, year: year, closed: state.closedThisYear, opened: state.openedThisYear,
                              market: market?.inputs)
                state.pendingExits.append(contentsOf: finance!.exits)
                finance!.clearExits()
                cancelPlannedUnitsOfExits(state)
            }
            values.append(aggregator.row(yearIndex: yearIndex, policy: policy, utilisation: state.utilisation))
            aggregator.clearChanges(closures: state.closures, from: closuresBefore,
                                    openings: state.openings, from: openingsBefore,
                                    changes: state.changes, from: changesBefore, changedFacility: policy.changes.facility)
        }
        var result = BatchResult(
            scenarioNames: batch.scenarioNames, years: years, groups: groups, valuesByYear: values,
            closures: closureEvents(state, columns: columns, policy: policy, years: years, enterprises: batch.enterprises),
            openings: openingEvents(state, columns: columns, years: years),
            blockedOpenings: blockedOpenings(state, columns: columns, policy: policy, endYear: batch.endYear),
            shortfalls: shortfallEvents(state, policy: policy, years: years),
            resettlement: workforce?.result, finance: finance?.result, market: market?.result)
        if policy.changes.count > 0 {
            result.capacityChanges = changeEvents(state, columns: columns, policy: policy, years: years)
            result.blockedCapacityChanges = blockedChanges(state, columns: columns, policy: policy, years: years)
        }
        if policy.output.any { result.outputShortfalls = outputShortfallEvents(state, policy: policy, years: years) }
        if options.checkInvariants {
            if let violation = result.firstConservationViolation() ?? result.resettlement?.conservationViolations().first
                ?? result.finance?.identityViolations().first {
                preconditionFailure("invariant violated: \(violation)")
            }
        }
        return result
    }

    /// A bankrupt enterprise builds nothing: its planned units are cancelled now; its operating
    /// units close at the start of next year (`YearStep`).
    static func cancelPlannedUnitsOfExits(_ state: BatchState) {
        let S = state.scenarioCount
        for exit in state.pendingExits {
            let i = Int(exit.facility) * S + Int(exit.scenario)
            if state.status[i] == UnitStatus.planned.rawValue { state.status[i] = UnitStatus.closed.rawValue }
        }
    }

    /// Fills the workforce's inputs for the year from the sums the year step kept on its events.
    static func fill(_ inputs: inout WorkforceYearInputs, state: BatchState, policy: CompiledPolicy, yearIndex y: Int) {
        let S = state.scenarioCount, Y = policy.yearCount
        copy(state.displacedBySector, into: &inputs.displacedWorkers)
        copy(state.closedBySector, into: &inputs.capacityCut10kt)
        for σ in Sector.allCases.indices {
            for s in 0..<S {
                inputs.targetCapacity10kt[σ * S + s] = policy.targetCapacity[(σ * Y + y) * S + s]
                inputs.hasTarget[σ * S + s] = policy.hasTarget[(σ * Y + y) * S + s]
            }
        }
    }

    private static func copy(_ buffer: Buffer<Double>, into array: inout [Double]) {
        for i in array.indices { array[i] = buffer[i] }
    }

    /// The closures as public events, ordered by scenario, then year, then the order they happened.
    @inline(never)  // kept out of line so profiles separate result building from the year loop
    static func closureEvents(_ state: BatchState, columns: FacilityColumns, policy: CompiledPolicy, years: [Int],
                              enterprises: [Enterprise]) -> [ClosureEvent] {
        state.closures.sortByScenario(scenarioCount: state.scenarioCount, scratch: state.closureScratch,
                                      starts: state.scenarioStarts) { $0.scenario }
        let ruleBase = Int(ClosureRecord.ruleBase), ruleCount = policy.rules.count
        return state.closures.records.map { r in
            let cause: ClosureCause
            switch Int(r.cause) {
            case Int(ClosureRecord.exhausted): cause = .reserveExhausted(remainingYears: r.measured)
            case Int(ClosureRecord.exit): cause = .enterpriseExit(enterprise: enterprises[Int(r.measured)].id)
            case let c where c < ruleBase + ruleCount:
                let rule = policy.rules[c - ruleBase]
                cause = .rule(id: rule.id, criterion: rule.criterion, measured: r.measured, threshold: r.limit)
            case let c:
                let target = policy.targets[c - ruleBase - ruleCount]
                cause = .target(id: target.id, targetCapacity: r.measured, closedBefore: r.limit, priority: target.priority)
            }
            return ClosureEvent(scenario: Int(r.scenario), year: years[Int(r.yearIndex)], facility: Int(r.facility),
                                capacity10ktPerYear: r.capacity, cause: cause)
        }
    }

    static func openingEvents(_ state: BatchState, columns: FacilityColumns, years: [Int]) -> [OpeningEvent] {
        state.openings.sortByScenario(scenarioCount: state.scenarioCount, scratch: state.openingScratch,
                                      starts: state.scenarioStarts) { $0.scenario }
        return state.openings.records.map { r in
            OpeningEvent(scenario: Int(r.scenario), year: years[Int(r.yearIndex)], facility: Int(r.facility),
                         capacity10ktPerYear: columns.capacity[Int(r.facility)], creditUsed10kt: r.creditUsed,
                         creditAvailable10kt: r.creditAvailable, ratio: r.ratio)
        }
    }

    static func shortfallEvents(_ state: BatchState, policy: CompiledPolicy, years: [Int]) -> [TargetShortfall] {
        state.shortfalls.sortByScenario(scenarioCount: state.scenarioCount, scratch: state.shortfallScratch,
                                        starts: state.scenarioStarts) { $0.scenario }
        return state.shortfalls.records.map { r in
            TargetShortfall(scenario: Int(r.scenario), year: years[Int(r.yearIndex)], target: policy.targets[Int(r.target)].id,
                            targetCapacity: r.goal, closedCapacity: r.closed)
        }
    }

    /// Planned units due by the end year still waiting for credit, by scenario and table order.
    static func blockedOpenings(_ state: BatchState, columns: FacilityColumns, policy: CompiledPolicy,
                                endYear: Int) -> [BlockedOpening] {
        let S = state.scenarioCount
        var blocked: [BlockedOpening] = []
        for s in 0..<S {
            for f in policy.plannedUnits
            where state.status[f * S + s] == UnitStatus.planned.rawValue && columns.startYear[f] <= endYear {
                let ratio = policy.replacementRatio[columns.sectorIndex[f] * S + s]
                blocked.append(BlockedOpening(
                    scenario: s, facility: f, ratio: ratio, creditNeeded10kt: ratio * columns.capacity[f],
                    creditAvailable10kt: state.credit[columns.creditPool[f] * S + s]))
            }
        }
        return blocked
    }

    /// The resettlement model when the batch's policies model workers.
    static func makeResettlementModel(_ batch: ScenarioBatch, kernel: Kernel) -> ResettlementModel? {
        let policies = batch.policies.compactMap(\.resettlement)
        guard !policies.isEmpty else { return nil }
        precondition(policies.count == batch.policies.count, "either every scenario of a batch models workers or none")
        let sectors = Sector.allCases.filter { s in batch.facilities.contains { $0.sector == s } }
        return ResettlementModel(policies: policies, years: batch.years, sectors: sectors, kernel: kernel)
    }

    /// The finance model when the batch's policies model debt.
    static func makeFinanceModel(_ batch: ScenarioBatch) -> FinanceModel? {
        let policies = batch.policies.compactMap(\.finance)
        guard !policies.isEmpty else { return nil }
        precondition(policies.count == batch.policies.count, "either every scenario of a batch models debt or none")
        return FinanceModel(enterprises: batch.enterprises, facilities: batch.facilities, baseYear: batch.baseYear,
                            years: batch.years, policies: batch.policies)
    }

    /// The capacity changes that applied, by scenario, then year, then the order they applied in.
    static func changeEvents(_ state: BatchState, columns: FacilityColumns, policy: CompiledPolicy,
                             years: [Int]) -> [CapacityChangeEvent] {
        let S = state.scenarioCount, changes = policy.changes
        state.changes.sortByScenario(scenarioCount: S, scratch: RecordLog(reserving: state.changes.count),
                                     starts: state.scenarioStarts) { $0.scenario }
        return state.changes.records.map { r in
            let c = Int(r.change), i = c * S + Int(r.scenario)
            return CapacityChangeEvent(scenario: Int(r.scenario), year: years[Int(r.yearIndex)], facility: changes.facility[c],
                                       change: changes.ids[c], capacityBefore10kt: r.capacityBefore,
                                       capacityChange10kt: changes.change[i], workersChange: r.workers,
                                       investmentYuan: changes.investment[i], creditUsed10kt: r.creditUsed,
                                       creditAvailable10kt: r.creditAvailable, ratio: r.ratio)
        }
    }

    /// The capacity changes that did not apply, by scenario: those given up during the run in the
    /// order they were, then the expansions still waiting at the end year in list order.
    static func blockedChanges(_ state: BatchState, columns: FacilityColumns, policy: CompiledPolicy,
                               years: [Int]) -> [BlockedCapacityChange] {
        let S = state.scenarioCount, changes = policy.changes, endYear = years[years.count - 1]
        var bySenario = [[BlockedCapacityChange]](repeating: [], count: S)
        func event(_ c: Int, _ s: Int, _ reason: CapacityChangeBlock, needed: Double, available: Double,
                   ratio: Double) -> BlockedCapacityChange {
            BlockedCapacityChange(scenario: s, year: changes.year[c * S + s], facility: changes.facility[c],
                                  change: changes.ids[c], capacityChange10kt: changes.change[c * S + s], reason: reason,
                                  creditNeeded10kt: needed, creditAvailable10kt: available, ratio: ratio)
        }
        for r in state.blockedChanges.records {
            let s = Int(r.scenario)
            bySenario[s].append(event(Int(r.change), s, CapacityChangeBlock.allCases[Int(r.reason)],
                                      needed: r.creditNeeded, available: r.creditAvailable, ratio: r.ratio))
        }
        for s in 0..<S {
            for c in 0..<changes.count {
                let i = c * S + s, delta = changes.change[i]
                guard delta > 0, changes.year[i] <= endYear,
                      state.changeStatus[i] == ChangeStatus.pending.rawValue else { continue }
                let f = changes.facility[c], unit = state.status[f * S + s]
                let ratio = policy.replacementRatio[columns.sectorIndex[f] * S + s]
                let reason: CapacityChangeBlock = unit == UnitStatus.operating.rawValue ? .insufficientCredit
                    : unit == UnitStatus.planned.rawValue ? .unitNotOpen : .unitClosed
                bySenario[s].append(event(c, s, reason, needed: ratio * delta,
                                          available: state.credit[columns.creditPool[f] * S + s], ratio: ratio))
            }
        }
        return bySenario.flatMap { $0 }
    }

    static func outputShortfallEvents(_ state: BatchState, policy: CompiledPolicy, years: [Int]) -> [OutputShortfall] {
        var bySenario = [[OutputShortfall]](repeating: [], count: state.scenarioCount)
        for r in state.outputShortfalls.records {
            bySenario[Int(r.scenario)].append(OutputShortfall(
                scenario: Int(r.scenario), year: years[Int(r.yearIndex)], target: policy.output.ids[Int(r.target)],
                goal10kt: r.goal, output10kt: r.output, capacity10ktPerYear: r.capacity, ceiling: r.ceiling))
        }
        return bySenario.flatMap { $0 }
    }
}
