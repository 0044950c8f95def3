import LinearAlgebra

/// The capacity engine: advances every facility of every scenario in a batch year by year.
///
/// The state is a facilities × scenarios matrix of unit status; each year applies, per scenario,
/// reserve exhaustion, closure rules, closure targets and replacement openings (docs/MODEL.md §2),
/// then aggregates per-facility metrics to groups with one matrix product (§3).
public enum Engine {
    /// Switches that do not change results.
    public struct Options: Sendable {
        /// Check the conservation identities after the run and trap if one fails.
        public var checkInvariants: Bool
        /// How facility metrics are summed to groups (docs/PERFORMANCE.md measures both).
        public var aggregation: Kernel
        /// How worker stocks move through the year (docs/PERFORMANCE.md measures both).
        public var transitions: Kernel

        /// Creates options; the default kernels are the faster ones measured on the reference machine.
        public init(checkInvariants: Bool = false, aggregation: Kernel = .loops, transitions: Kernel = .loops) {
            self.checkInvariants = checkInvariants
            self.aggregation = aggregation
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
        let columns = FacilityColumns(batch.facilities)
        let groups = AggregationGroup.groups(of: batch.facilities)
        let aggregator = Aggregator(groups: groups, facilities: batch.facilities, kernel: options.aggregation)
        var state = BatchState(columns: columns, baseYear: batch.baseYear,
                               scenarioCount: batch.policies.count)
        let compiled = batch.policies.map { CompiledPolicy($0, columns: columns) }

        var workforce = makeResettlementModel(batch, kernel: options.transitions)
        var workforceInputs = WorkforceYearInputs(scenarioCount: batch.policies.count)  // glue: replaced on merge
        var finance = makeFinanceModel(batch)

        var values: [Matrix] = []
        values.append(aggregator.aggregate(state: state, year: batch.baseYear, policies: batch.policies))
        for (yearIndex, year) in batch.years.enumerated().dropFirst() {
            let operatingWorkers = workforce == nil ? [] : operatingWorkersBySector(state)
            let closuresBefore = state.closures.map(\.count)
            state.beginYear()
            for s in 0..<batch.policies.count {
                YearStep(columns: columns, policy: batch.policies[s], compiled: compiled[s],
                         year: year, baseYear: batch.baseYear, scenario: s).advance(&state)
            }
            if workforce != nil {  // glue: replaced on merge
                let S = batch.policies.count  // glue: replaced on merge
                for i in workforceInputs.displacedWorkers.indices {  // glue: replaced on merge
                    workforceInputs.displacedWorkers[i] = 0  // glue: replaced on merge
                    workforceInputs.capacityCut10kt[i] = 0  // glue: replaced on merge
                }  // glue: replaced on merge
                for s in 0..<S {  // glue: replaced on merge
                    for event in state.closures[s][closuresBefore[s]...] {  // glue: replaced on merge
                        let i = columns.sector[event.facility].index * S + s  // glue: replaced on merge
                        workforceInputs.displacedWorkers[i] += columns.workers[event.facility]  // glue: replaced on merge
                        workforceInputs.capacityCut10kt[i] += event.capacity10ktPerYear  // glue: replaced on merge
                    }  // glue: replaced on merge
                    for σ in Sector.allCases {  // glue: replaced on merge
                        let target = batch.policies[s].targetCapacity(σ, in: year)  // glue: replaced on merge
                        workforceInputs.targetCapacity10kt[σ.index * S + s] = target ?? 0  // glue: replaced on merge
                        workforceInputs.hasTarget[σ.index * S + s] = target != nil  // glue: replaced on merge
                        workforceInputs.operatingWorkersLastYear[σ.index * S + s] = operatingWorkers[s][σ.index]  // glue: replaced on merge
                    }  // glue: replaced on merge
                }  // glue: replaced on merge
                workforce!.step(yearIndex: yearIndex, year: year, inputs: workforceInputs)  // glue: replaced on merge
            }
            if finance != nil {
                for s in 0..<batch.policies.count {
                    let closed = state.closures[s][closuresBefore[s]...].map(\.facility)
                    finance!.step(yearIndex: yearIndex, year: year, scenario: s, policy: batch.policies[s],
                                  facilities: batch.facilities, operating: { state.status[$0, s] == .operating },
                                  closed: closed)
                    // A bankrupt enterprise builds nothing: its planned units are cancelled now;
                    // its operating units close at the start of next year.
                    for exit in finance!.exits[s] where state.status[exit.facility, s] == .planned {
                        state.status[exit.facility, s] = .closed
                    }
                    state.pendingExits[s] = finance!.exits[s]
                    finance!.exits[s] = []
                }
            }
            values.append(aggregator.aggregate(state: state, year: year, policies: batch.policies))
        }
        var blocked: [BlockedOpening] = []
        for s in 0..<batch.policies.count {
            for f in 0..<columns.count where state.status[f, s] == .planned && columns.startYear[f] <= batch.endYear {
                let ratio = batch.policies[s].sector(columns.sector[f]).replacementRatio
                blocked.append(BlockedOpening(
                    scenario: s, facility: f, ratio: ratio, creditNeeded10kt: ratio * columns.capacity[f],
                    creditAvailable10kt: state.credit[columns.creditPool[f], s]))
            }
        }
        let result = BatchResult(
            scenarioNames: batch.scenarioNames, years: batch.years, groups: groups,
            valuesByYear: values, closures: state.closures.flatMap { $0 },
            openings: state.openings.flatMap { $0 }, blockedOpenings: blocked,
            shortfalls: state.shortfalls.flatMap { $0 }, resettlement: workforce?.result, finance: finance?.result)
        if options.checkInvariants {
            let violations = result.conservationViolations() + (result.resettlement?.conservationViolations() ?? [])
                + (result.finance?.identityViolations() ?? [])
            precondition(violations.isEmpty, "invariant violated: \(violations.first!)")
        }
        return result
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
                            years: batch.years, policies: policies)
    }

    /// Workers of operating units per scenario and sector index.
    static func operatingWorkersBySector(_ state: BatchState) -> [[Double]] {
        let columns = state.columns
        var out = Array(repeating: [Double](repeating: 0, count: Sector.allCases.count),
                        count: state.closures.count)
        for s in out.indices {
            for f in 0..<columns.count where state.status[f, s] == .operating {
                out[s][columns.sector[f].index] += columns.workers[f]
            }
        }
        return out
    }
}
