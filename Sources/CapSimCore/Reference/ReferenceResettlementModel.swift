import LinearAlgebra

/// The reference workers model (docs/MODEL.md §7): today's per-scenario code, kept unchanged in
/// behaviour as the oracle of `ResettlementModel` (the data-parallel one `Engine` uses). The scalar
/// `ReferenceEngine` runs it with one scenario and the loop kernel.
///
/// Stocks are one matrix: rows (state, sex, age band), columns (scenario, sector, channel slot),
/// where slot 0 holds workers not yet placed and slot `c + 1` those placed through channel `c`.
/// Each year: closures add workers to slot 0 (`waiting`); channels take from it; the year's costs
/// are charged on the stocks; then one BLAS product `T · X` per run of scenarios that share `T`
/// moves everyone to the end of the year.
struct ReferenceResettlementModel {
    let structure: WorkforceStructure
    let channels: [ResettlementChannel]
    let policies: [ResettlementPolicy]
    let sectorCount = Sector.allCases.count
    var slots: Int { channels.count + 1 }
    /// Transition operator per scenario, and runs of consecutive scenarios that share one.
    let transitions: [Matrix]
    /// One sparse operator per run (for the loop kernel).
    let sparseTransitions: [ReferenceSparseOperator]
    let runs: [Range<Int>]
    let kernel: Engine.Kernel
    var stocks: Matrix
    var scratch: Matrix
    var capacityLeft: [[Double]]
    var placedCumulative: [Double]
    var displacedCumulative: [Double]
    var awardBalance: [Double]
    var refundBalance: [Double]
    var result: ResettlementResult
    let q: QuantityIndex
    /// Position of each sector index in `result.sectors`, nil for sectors without facilities.
    let reportedPosition: [Int?]
    /// Placements when nobody was waiting: channels × sectors × cells of zeros.
    let noPlacements: [[[Double]]]
    /// Per scenario, sector index and channel: whether the channel takes the sector's workers.
    let serves: [[[Bool]]]

    /// Positions of the named quantities in `result.quantities`.
    struct QuantityIndex {
        var displaced = 0, displacedCumulative = 1
        var state: [Int] = []
        var placed: [Int] = [], placedCumulative: [Int] = [], channelCost: [Int] = []
        var backWages = 0
        var paid: [Int] = []
        var awardAllocated = 0, awardBalance = 0, refundAccrued = 0, refundBalance = 0
    }

    init(policies: [ResettlementPolicy], years: [Int], sectors: [Sector], kernel: Engine.Kernel = .loops) {
        let first = policies[0]
        precondition(policies.allSatisfy {
            $0.structure == first.structure && $0.channels.map(\.id) == first.channels.map(\.id)
        }, "scenarios of one batch must share age bands and channel ids")
        structure = first.structure
        channels = first.channels
        self.policies = policies
        var ts: [Matrix] = []
        var runs: [Range<Int>] = []
        for (s, p) in policies.enumerated() {
            if s > 0, p.transitions == policies[s - 1].transitions {
                ts.append(ts[s - 1])
                runs[runs.count - 1] = runs[runs.count - 1].lowerBound..<(s + 1)
            } else {
                ts.append(TransitionMatrix.build(first.structure, p.transitions))
                runs.append(s..<(s + 1))
            }
        }
        transitions = ts
        sparseTransitions = kernel == .loops ? runs.map { ReferenceSparseOperator(ts[$0.lowerBound]) } : []
        self.runs = runs
        self.kernel = kernel
        let n = TransitionMatrix.size(first.structure)
        let columns = policies.count * Sector.allCases.count * (first.channels.count + 1)
        stocks = Matrix(rowCount: n, columnCount: columns)
        scratch = stocks
        capacityLeft = policies.map { $0.channels.map { $0.capacityTotalPersons ?? .infinity } }
        placedCumulative = [Double](repeating: 0, count: policies.count * Sector.allCases.count * first.channels.count)
        displacedCumulative = [Double](repeating: 0, count: policies.count * Sector.allCases.count)
        awardBalance = displacedCumulative
        refundBalance = displacedCumulative

        var quantities: [ResettlementResult.Quantity] = [
            .init(name: "workers_displaced", unit: "persons"),
            .init(name: "workers_displaced_cumulative", unit: "persons"),
        ]
        var index = QuantityIndex()
        func add(_ name: String, _ unit: String, for channel: ResettlementChannel? = nil) -> Int {
            let sectors = channel.flatMap { $0.sectors.isEmpty ? nil : $0.sectors }
            quantities.append(.init(name: name, unit: unit, sectors: sectors))
            return quantities.count - 1
        }
        index.state = WorkerState.allCases.map { add("workers_\($0.rawValue)", "persons") }
        index.placed = first.channels.map { add("workers_placed.\($0.id)", "persons", for: $0) }
        index.placedCumulative = first.channels.map { add("workers_placed_cumulative.\($0.id)", "persons", for: $0) }
        index.channelCost = first.channels.map { add("cost.\($0.id)", "yuan", for: $0) }
        index.backWages = add("cost.back_wages", "yuan")
        index.paid = Payer.allCases.map { add("paid.\($0.rawValue)", "yuan") }
        index.awardAllocated = add("central_award_allocated", "yuan")
        index.awardBalance = add("central_award_balance", "yuan")
        index.refundAccrued = add("job_retention_refund_accrued", "yuan")
        index.refundBalance = add("job_retention_refund_balance", "yuan")
        q = index
        result = ResettlementResult(quantities: quantities, years: years, sectors: sectors,
                                    scenarioCount: policies.count)
        reportedPosition = Sector.allCases.map { σ in sectors.firstIndex(of: σ) }
        noPlacements = Array(repeating: Array(repeating: [Double](repeating: 0, count: first.structure.cellCount),
                                              count: Sector.allCases.count), count: first.channels.count)
        serves = policies.map { p in Sector.allCases.map { σ in p.channels.map { $0.accepts(σ) } } }
    }

    @inline(__always) func column(_ s: Int, _ σ: Int, _ slot: Int) -> Int { (s * sectorCount + σ) * slots + slot }
    @inline(__always) func flat(_ s: Int, _ σ: Int) -> Int { s * sectorCount + σ }

    /// Position of sector index `σ` in the result, or nil when the sector has no facilities.
    func reported(_ σ: Int) -> Int? { reportedPosition[σ] }

    /// Records a value for sector index `σ` if it is reported.
    mutating func record(_ v: Double, _ quantity: Int, year y: Int, sector σ: Int, scenario s: Int, add: Bool = true) {
        guard let r = reported(σ) else { return }
        if add { result.add(v, year: y, sector: r, quantity: quantity, scenario: s) } else {
            result.set(v, year: y, sector: r, quantity: quantity, scenario: s)
        }
    }

    /// Charges `amount` to `payer` for sector `σ`, drawing funds first where the payer is a fund.
    mutating func charge(_ amount: Double, to payer: Payer, year y: Int, sector σ: Int, scenario s: Int) {
        guard amount > 0 else { return }
        var rest = amount
        var payer = payer
        switch payer {
        case .centralAward:
            let use = min(rest, awardBalance[flat(s, σ)])
            awardBalance[flat(s, σ)] -= use
            record(use, q.paid[Payer.centralAward.index], year: y, sector: σ, scenario: s)
            rest -= use
            payer = policies[s].awardFund?.fallbackPayer ?? .provincialBudget
        case .jobRetentionRefund:
            let use = min(rest, refundBalance[flat(s, σ)])
            refundBalance[flat(s, σ)] -= use
            record(use, q.paid[Payer.jobRetentionRefund.index], year: y, sector: σ, scenario: s)
            rest -= use
            payer = .enterprise
        default:
            break
        }
        if rest > 0 { record(rest, q.paid[payer.index], year: y, sector: σ, scenario: s) }
    }

    /// Sum of a state's stock over the cells of one column.
    func stock(_ state: WorkerState, column c: Int) -> Double {
        // A state's cells are contiguous rows of the column.
        let cells = structure.cellCount
        let start = TransitionMatrix.index(state, cell: 0, structure) + c * stocks.rowCount
        return stocks.withUnsafeBufferPointer { p in
            var sum = 0.0
            for k in start..<(start + cells) { sum += p[k] }
            return sum
        }
    }

    /// Advances every scenario through `year`.
    ///
    /// - Parameters:
    ///   - displaced: per scenario, per sector index, headcount of the units closed this year.
    ///   - capacityCut: per scenario, per sector index, capacity closed this year (10 kt/yr).
    ///   - targets: per scenario, per sector index, the year's target if any (10 kt/yr).
    ///   - operatingWorkersLastYear: per scenario, per sector index, workers of units operating at
    ///     the end of last year (the base of last year's insurance premiums).
    mutating func step(yearIndex y: Int, year: Int, displaced: [[Double]], capacityCut: [[Double]],
                       targets: [[Double?]], operatingWorkersLastYear: [[Double]]) {
        let cells = structure.cellCount
        for s in policies.indices {
            let policy = policies[s]
            // 1. Closures put their workers in the waiting slot; back wages are paid.
            for σ in 0..<sectorCount where displaced[s][σ] > 0 {
                let sector = Sector.allCases[σ]
                guard let profile = policy.sectors[sector] else {
                    preconditionFailure("no workforce profile for sector \(sector.rawValue)")
                }
                let split = profile.cells(workers: displaced[s][σ], structure: structure)
                let col = column(s, σ, 0)
                for cell in 0..<cells {
                    stocks[TransitionMatrix.index(.waiting, cell: cell, structure), col] += split[cell]
                }
                displacedCumulative[flat(s, σ)] += displaced[s][σ]
                record(displaced[s][σ], q.displaced, year: y, sector: σ, scenario: s)
                let backWages = displaced[s][σ] * profile.wageArrearsMonths * profile.wageYuanPerYear / 12
                record(backWages, q.backWages, year: y, sector: σ, scenario: s)
                charge(backWages, to: policy.backWagesPayer, year: y, sector: σ, scenario: s)
            }
            // 2. Job-retention refunds: a share of last year's unemployment-insurance premiums.
            for σ in 0..<sectorCount {
                guard let profile = policy.sectors[Sector.allCases[σ]] else { continue }
                let accrued = policy.jobRetentionRefundShare * policy.socialInsurance.unemployment.rate(in: year - 1)
                    * operatingWorkersLastYear[s][σ] * profile.wageYuanPerYear
                refundBalance[flat(s, σ)] += accrued
                record(accrued, q.refundAccrued, year: y, sector: σ, scenario: s)
            }
            // 3. Central award funds for the year.
            if let fund = policy.awardFund, let amount = fund.amountYuanByYear[year] {
                var cut: [Sector: Double] = [:], workers: [Sector: Double] = [:], goal: [Sector: Double] = [:]
                for sector in Sector.allCases {
                    cut[sector] = capacityCut[s][sector.index]
                    workers[sector] = displaced[s][sector.index]
                    goal[sector] = targets[s][sector.index]
                }
                let split = AwardFundAllocation.split(amount: amount, fund: fund, capacityCut: cut,
                                                      displaced: workers, target: goal)
                for (sector, yuan) in split.bySector {
                    awardBalance[flat(s, sector.index)] += yuan
                    record(yuan, q.awardAllocated, year: y, sector: sector.index, scenario: s)
                }
            }
            // 4. Channels take from the waiting pool (nothing to do when nobody waits).
            var waiting = 0.0
            for σ in 0..<sectorCount where reportedPosition[σ] != nil {
                for cell in 0..<cells { waiting += stocks[TransitionMatrix.index(.waiting, cell: cell, structure), column(s, σ, 0)] }
            }
            var placed = noPlacements
            if waiting > 0 {
                var pool = (0..<sectorCount).map { σ in
                    (0..<cells).map { stocks[TransitionMatrix.index(.waiting, cell: $0, structure), column(s, σ, 0)] }
                }
                var capacity = channels.indices.map {
                    ChannelAllocation.Capacity(total: capacityLeft[s][$0],
                                               thisYear: policy.channels[$0].capacityPerYearPersons ?? .infinity)
                }
                placed = ChannelAllocation.allocate(pool: &pool, channels: policy.channels, capacity: &capacity,
                                                        structure: structure)
                for c in channels.indices { capacityLeft[s][c] = capacity[c].total }
                for σ in 0..<sectorCount {
                    for cell in 0..<cells {
                        stocks[TransitionMatrix.index(.waiting, cell: cell, structure), column(s, σ, 0)] = pool[σ][cell]
                    }
                    for (c, channel) in policy.channels.enumerated() {
                        let persons = placed[c][σ].reduce(0, +)
                        guard persons > 0 else { continue }
                        for cell in 0..<cells {
                            stocks[TransitionMatrix.index(channel.kind.entryState, cell: cell, structure),
                                   column(s, σ, c + 1)] += placed[c][σ][cell]
                        }
                        placedCumulative[flat(s, σ) * channels.count + c] += persons
                        record(persons, q.placed[c], year: y, sector: σ, scenario: s)
                    }
                }
            }
            // 5. The year's costs, charged on the stocks after this year's placements (MODEL.md §7.4).
            for σ in 0..<sectorCount where reportedPosition[σ] != nil {
                guard let profile = policy.sectors[Sector.allCases[σ]] else { continue }
                let wage = profile.wageYuanPerYear
                for (c, channel) in policy.channels.enumerated() where serves[s][σ][c] {
                    let col = column(s, σ, c + 1)
                    let newcomers = placed[c][σ]
                    let oneOff = channel.oneOffYuanPerPerson * newcomers.reduce(0, +)
                    let annual = (channel.annualYuanPerPerson + channel.annualShareOfWage * wage)
                        * stock(channel.kind.entryState, column: col)
                    var cost = oneOff + annual
                    charge(oneOff + annual, to: channel.payer, year: y, sector: σ, scenario: s)
                    if channel.kind == .contractTermination {
                        // Statutory severance: one month's wage per year of service (Labour Contract Law art. 47).
                        var severance = 0.0
                        for sex in Sex.allCases {
                            for k in 0..<structure.bandCount {
                                severance += newcomers[structure.cell(sex, k)] * structure.serviceYears(k) * wage / 12
                            }
                        }
                        cost += severance
                        charge(severance, to: .enterprise, year: y, sector: σ, scenario: s)
                    }
                    // Internal retirees: the enterprise keeps paying social insurance on the wage base.
                    let retirees = stock(.internallyRetired, column: col)
                    let contributions = retirees * wage * policy.socialInsurance.total(in: year)
                    cost += contributions
                    charge(contributions, to: .enterprise, year: y, sector: σ, scenario: s)
                    let benefits = stock(.unemployed, column: col) * policy.unemploymentBenefitYuanPerYear
                    cost += benefits
                    charge(benefits, to: .unemploymentInsurance, year: y, sector: σ, scenario: s)
                    record(cost, q.channelCost[c], year: y, sector: σ, scenario: s)
                }
            }
        }
        // 6. Everyone moves to the end of the year: X ← T · X, per run of scenarios sharing T
        //    (one dgemm per run, or a loop over T's non-zeros).
        for (r, run) in runs.enumerated() {
            let cols = (run.lowerBound * sectorCount * slots)..<(run.upperBound * sectorCount * slots)
            switch kernel {
            case .blas: Matrix.gemm(transitions[run.lowerBound], stocks, columns: cols, into: &scratch)
            case .loops: sparseTransitions[r].apply(stocks, columns: cols, into: &scratch)
            }
        }
        swap(&stocks, &scratch)
        // 7. End-of-year stocks and balances.
        for s in policies.indices {
            for σ in 0..<sectorCount where reported(σ) != nil {
                var totals = [Double](repeating: 0, count: WorkerState.allCases.count)
                let rows = stocks.rowCount, cells = structure.cellCount
                stocks.withUnsafeBufferPointer { p in
                    for slot in 0..<slots {
                        let base = column(s, σ, slot) * rows
                        for state in 0..<totals.count {
                            var sum = 0.0
                            for k in (base + state * cells)..<(base + (state + 1) * cells) { sum += p[k] }
                            totals[state] += sum
                        }
                    }
                }
                for state in WorkerState.allCases {
                    record(totals[state.index], q.state[state.index], year: y, sector: σ, scenario: s, add: false)
                }
                for c in channels.indices {
                    record(placedCumulative[flat(s, σ) * channels.count + c], q.placedCumulative[c],
                           year: y, sector: σ, scenario: s, add: false)
                }
                record(displacedCumulative[flat(s, σ)], q.displacedCumulative, year: y, sector: σ, scenario: s, add: false)
                record(awardBalance[flat(s, σ)], q.awardBalance, year: y, sector: σ, scenario: s, add: false)
                record(refundBalance[flat(s, σ)], q.refundBalance, year: y, sector: σ, scenario: s, add: false)
            }
        }
    }
}

/// The transition operator in compressed-column form: each column of `T` has at most a handful of
/// non-zeros (a state moves to at most three states, and ageing splits each into two cells), so a
/// loop over them does far fewer operations than a dense product.
struct ReferenceSparseOperator {
    let size: Int
    /// Column `j`'s non-zeros are `rows[start[j] ..< start[j+1]]` with `weights` alike.
    let start: [Int]
    let rows: [Int]
    let weights: [Double]

    init(_ dense: Matrix) {
        precondition(dense.rowCount == dense.columnCount, "the operator is square")
        size = dense.rowCount
        var start = [0], rows: [Int] = [], weights: [Double] = []
        for j in 0..<size {
            for i in 0..<size where dense[i, j] != 0 {
                rows.append(i)
                weights.append(dense[i, j])
            }
            start.append(rows.count)
        }
        self.start = start
        self.rows = rows
        self.weights = weights
    }

    /// `y[:, columns] = T · x[:, columns]` (both `size` rows, same column count).
    func apply(_ x: Matrix, columns: Range<Int>, into y: inout Matrix) {
        let n = size
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for c in columns {
                    let base = c * n
                    for i in 0..<n { yp[base + i] = 0 }
                    for j in 0..<n {
                        let v = xp[base + j]
                        if v == 0 { continue }
                        for k in start[j]..<start[j + 1] { yp[base + rows[k]] += weights[k] * v }
                    }
                }
            }
        }
    }
}
