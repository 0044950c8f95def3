/// Follows displaced workers of every scenario in a batch year by year, all scenarios in one pass
/// (docs/MODEL.md §7).
///
/// State (docs/MODEL.md §7.0): stocks are one buffer of blocks, one block per (sector σ, slot),
/// slot 0 holding workers not yet placed and slot `c + 1` those placed through channel `c`; a block
/// is `n = 8·cells` rows (state, cell) by `S` scenarios, scenario innermost:
/// `stocks[((σ·slots + slot)·n + state·cells + cell)·S + s]`. Only blocks that can hold people
/// are touched: slot 0 of a sector once someone was displaced from it, slot `c + 1` once channel `c`
/// placed someone from the sector; within a block, only the states reachable from the slot's entry
/// state. The policy is compiled before the first year (`CompiledResettlementPolicy`); the year
/// step allocates nothing. The buffers are held by reference: a copy of a model shares its state,
/// so a model is stepped in one place only (as `Engine` does).
struct ResettlementModel {
    let structure: WorkforceStructure
    let policy: CompiledResettlementPolicy
    let transition: BatchTransition
    let kernel: Engine.Kernel
    let years: [Int]
    let sectors: [Sector]
    let quantities: [ResettlementResult.Quantity]
    let q: QuantityIndex

    let S: Int, J: Int, C: Int, n: Int
    let sectorCount = Sector.allCases.count
    var slots: Int { C + 1 }
    /// Reported sectors: sector index and position in the result.
    let reported: [(σ: Int, r: Int)]
    /// Per slot, the rows (state·cells + cell) that can hold people and how the loop kernel visits them.
    let slotPlans: [BatchTransition.Plan]
    /// Per slot, whether each state can hold people there.
    let slotHoldsState: [[Bool]]
    /// Per channel: whether it is a contract termination in any scenario (severance is summed).
    let anyTermination: [Bool]
    /// Per year index: whether any scenario receives award money.
    let anyFund: [Bool]

    // State, carried over between years.
    var stocks: Buffer<Double>
    var scratch: Buffer<Double>
    /// Per block `σ·slots + slot`: whether it has ever held anyone.
    var active: [Bool]
    let capacityLeft: Buffer<Double>
    /// `[(σ·C + c)·S + s]`.
    let placedCumulative: Buffer<Double>
    /// `[σ·S + s]` each.
    let displacedCumulative: Buffer<Double>
    let awardBalance: Buffer<Double>
    let refundBalance: Buffer<Double>
    /// Result values, `ResettlementResult`'s layout (scenario innermost).
    let values: Buffer<Double>

    // Scratch, overwritten every year.
    let capacityThisYear: Buffer<Double>
    /// `[σ·S + s]`: each sector's pool at the start of allocation; `[σ]`: whether anyone waits.
    let poolAtStart: Buffer<Double>
    let sectorWaiting: Buffer<Bool>
    /// `[j·S + s]`: eligible persons per cell for the channel and sector being allocated.
    let eligible: Buffer<Double>
    /// `[s]` vectors.
    let available: Buffer<Double>, factor: Buffer<Double>
    let sum0: Buffer<Double>, sum1: Buffer<Double>, sum2: Buffer<Double>
    /// `[(c·Σ + σ)·S + s]`: persons placed this year and their severance, yuan.
    let placedNow: Buffer<Double>
    let severanceNow: Buffer<Double>
    /// `[σ·S + s]`: award-fund weights and excess; `[s]`: their totals.
    let fundWeight: Buffer<Double>, fundExcess: Buffer<Double>
    let totalCut: Buffer<Double>, totalDisplaced: Buffer<Double>
    let totalWeight: Buffer<Double>, totalExcess: Buffer<Double>

    /// Positions of the named quantities in the result.
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
        let compiled = CompiledResettlementPolicy(policies, years: years)
        let transition = BatchTransition(structure: first.structure, rates: policies.map(\.transitions))
        policy = compiled
        self.transition = transition
        self.kernel = kernel
        self.years = years
        self.sectors = sectors
        S = policies.count
        J = first.structure.cellCount
        C = first.channels.count
        n = TransitionMatrix.size(first.structure)
        let Σ = Sector.allCases.count

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
        self.quantities = quantities
        q = index
        reported = sectors.enumerated().map { (σ: $0.element.index, r: $0.offset) }

        // Rows each slot can hold: slot 0 from `waiting`, slot c + 1 from the channel's entry states.
        let cells = J
        let seeds = [[WorkerState.waiting.index]] + compiled.entryStates
        let holds = seeds.map { transition.reachableStates(from: $0, cellCount: cells) }
        slotPlans = holds.map { states in transition.plan(rows: states.flatMap { st in (0..<cells).map { st * cells + $0 } }) }
        slotHoldsState = holds.map { states in WorkerState.allCases.map { states.contains($0.index) } }
        let S = policies.count
        anyTermination = (0..<compiled.channelCount).map { c in (0..<S).contains { compiled.isContractTermination[c * S + $0] } }
        anyFund = years.indices.map { y in (0..<S).contains { compiled.fundAmount[y * S + $0] != 0 } }

        stocks = Buffer(repeating: 0, count: Σ * (C + 1) * n * S)
        scratch = Buffer(repeating: 0, count: Σ * (C + 1) * n * S)
        active = [Bool](repeating: false, count: Σ * (C + 1))
        capacityLeft = Buffer(compiled.capacityTotal.array)
        placedCumulative = Buffer(repeating: 0, count: Σ * C * S)
        displacedCumulative = Buffer(repeating: 0, count: Σ * S)
        awardBalance = Buffer(repeating: 0, count: Σ * S)
        refundBalance = Buffer(repeating: 0, count: Σ * S)
        values = Buffer(repeating: 0, count: years.count * sectors.count * quantities.count * S)
        capacityThisYear = Buffer(repeating: 0, count: C * S)
        poolAtStart = Buffer(repeating: 0, count: Σ * S)
        sectorWaiting = Buffer(repeating: false, count: Σ)
        eligible = Buffer(repeating: 0, count: J * S)
        available = Buffer(repeating: 0, count: S)
        factor = Buffer(repeating: 0, count: S)
        sum0 = Buffer(repeating: 0, count: S)
        sum1 = Buffer(repeating: 0, count: S)
        sum2 = Buffer(repeating: 0, count: S)
        placedNow = Buffer(repeating: 0, count: C * Σ * S)
        severanceNow = Buffer(repeating: 0, count: C * Σ * S)
        fundWeight = Buffer(repeating: 0, count: Σ * S)
        fundExcess = Buffer(repeating: 0, count: Σ * S)
        totalCut = Buffer(repeating: 0, count: S)
        totalDisplaced = Buffer(repeating: 0, count: S)
        totalWeight = Buffer(repeating: 0, count: S)
        totalExcess = Buffer(repeating: 0, count: S)
    }

    /// The result so far (a copy of the values).
    var result: ResettlementResult {
        var out = ResettlementResult(quantities: quantities, years: years, sectors: sectors, scenarioCount: S)
        out.values = values.array
        return out
    }

    /// Start of block (σ, slot) in `stocks`.
    @inline(__always) func block(_ σ: Int, _ slot: Int) -> Int { (σ * slots + slot) * n * S }

    /// The `S` values of quantity `quantity` for year `y` and result position `r`.
    @inline(__always) func out(_ y: Int, _ r: Int, _ quantity: Int) -> UnsafeMutablePointer<Double> {
        values.base + ((y * sectors.count + r) * quantities.count + quantity) * S
    }

    /// Charges `amount` to `payer` for sector `σ` (result position `r`) in scenario `s`, drawing the
    /// sector's award or refund balance first where the payer is a fund (docs/MODEL.md §7.5).
    @inline(__always)
    func charge(_ amount: Double, to payerIndex: Int, y: Int, σ: Int, r: Int, s: Int) {
        guard amount > 0 else { return }
        var rest = amount
        var payer = payerIndex
        if payer == Payer.centralAward.index {
            let i = σ * S + s
            let use = min(rest, awardBalance[i])
            awardBalance[i] -= use
            out(y, r, q.paid[payer])[s] += use
            rest -= use
            payer = policy.awardFallbackPayer[s]
        } else if payer == Payer.jobRetentionRefund.index {
            let i = σ * S + s
            let use = min(rest, refundBalance[i])
            refundBalance[i] -= use
            out(y, r, q.paid[payer])[s] += use
            rest -= use
            payer = Payer.enterprise.index
        }
        if rest > 0 { out(y, r, q.paid[payer])[s] += rest }
    }

    /// Advances every scenario through `year` (docs/MODEL.md §7, steps 1-7).
    mutating func step(yearIndex y: Int, year: Int, inputs: WorkforceYearInputs) {
        displace(y, inputs)
        accrueRefunds(y, inputs)
        if anyFund[y] { allocateAwardFunds(y, inputs) }
        allocateToChannels(y)
        chargeCosts(y)
        moveToEndOfYear()
        recordEndOfYear(y)
    }

    /// 1. Closures put their workers in slot 0 (`waiting`); back wages are charged.
    private mutating func displace(_ y: Int, _ inputs: WorkforceYearInputs) {
        let K = structure.bandCount, waitingRow = WorkerState.waiting.index * J
        for (σ, r) in reported {
            var any = false
            for s in 0..<S where inputs.displacedWorkers[σ * S + s] > 0 {
                precondition(policy.hasProfile[σ * S + s], "no workforce profile for sector \(Sector.allCases[σ].rawValue)")
                any = true
            }
            guard any else { continue }
            active[σ * slots] = true
            inputs.displacedWorkers.withUnsafeBufferPointer { dp in
                let d = dp.baseAddress! + σ * S
                let base = stocks.base + block(σ, 0)
                for j in 0..<J {
                    let sex = policy.sexShare.base + (σ * 2 + j / K) * S
                    let age = policy.ageShare.base + (σ * J + j) * S
                    let w = base + (waitingRow + j) * S
                    for s in 0..<S { w[s] += d[s] * sex[s] * age[s] }
                }
                let displaced = out(y, r, q.displaced), back = out(y, r, q.backWages)
                for s in 0..<S {
                    let dd = d[s]
                    displacedCumulative[σ * S + s] += dd
                    displaced[s] += dd
                    let backWages = dd * policy.arrearsMonths[σ * S + s] * policy.wage[σ * S + s] / 12
                    back[s] += backWages
                    charge(backWages, to: policy.backWagesPayer[s], y: y, σ: σ, r: r, s: s)
                }
            }
        }
    }

    /// 2. Job-retention refunds: a share of last year's unemployment-insurance premiums.
    private func accrueRefunds(_ y: Int, _ inputs: WorkforceYearInputs) {
        let rate = policy.refundRate.base + y * S
        for (σ, r) in reported {
            let accrued = out(y, r, q.refundAccrued)
            for s in 0..<S {
                let a = rate[s] * inputs.operatingWorkersLastYear[σ * S + s] * policy.wage[σ * S + s]
                refundBalance[σ * S + s] += a
                accrued[s] += a
            }
        }
    }

    /// 3. The year's central award funds, split between the fund's sectors (docs/MODEL.md §7.6);
    /// totals are summed in sector order.
    private func allocateAwardFunds(_ y: Int, _ inputs: WorkforceYearInputs) {
        let Σ = sectorCount
        let amount = policy.fundAmount.base + y * S
        for s in 0..<S { totalCut[s] = 0; totalDisplaced[s] = 0; totalWeight[s] = 0; totalExcess[s] = 0 }
        for σ in 0..<Σ {
            for s in 0..<S where policy.inFund[σ * S + s] {
                totalCut[s] += inputs.capacityCut10kt[σ * S + s]
                totalDisplaced[s] += inputs.displacedWorkers[σ * S + s]
            }
        }
        for σ in 0..<Σ {
            for s in 0..<S {
                let i = σ * S + s
                guard policy.inFund[i] else { fundWeight[i] = 0; fundExcess[i] = 0; continue }
                let cut = inputs.capacityCut10kt[i]
                let cutShare = totalCut[s] > 0 ? cut / totalCut[s] : 0
                let workerShare = totalDisplaced[s] > 0 ? inputs.displacedWorkers[i] / totalDisplaced[s] : 0
                let w = (policy.capacityWeight[s] * cutShare + policy.workersWeight[s] * workerShare) * policy.difficulty[i]
                fundWeight[i] = w
                totalWeight[s] += w
                let x = inputs.hasTarget[i] ? max(0, cut - inputs.targetCapacity10kt[i]) : 0
                fundExcess[i] = x
                totalExcess[s] += x
            }
        }
        for (σ, r) in reported {
            let allocated = out(y, r, q.awardAllocated)
            for s in 0..<S {
                let i = σ * S + s
                let base = policy.baseShare[s] * amount[s]
                let reward = amount[s] - base
                var yuan = totalWeight[s] > 0 ? base * fundWeight[i] / totalWeight[s] : 0
                yuan += totalExcess[s] > 0 ? reward * fundExcess[i] / totalExcess[s] : 0
                awardBalance[i] += yuan
                allocated[s] += yuan
            }
        }
    }

    /// 4. Channels, in order, take from each sector's waiting pool (docs/MODEL.md §7.2).
    private mutating func allocateToChannels(_ y: Int) {
        let Σ = sectorCount
        for i in 0..<(C * S) { capacityThisYear[i] = policy.capacityPerYear[i] }
        for σ in 0..<Σ { sectorWaiting[σ] = false }
        for (σ, _) in reported where active[σ * slots] {
            let pool = stocks.base + block(σ, 0)
            let start = poolAtStart.base + σ * S
            for s in 0..<S { start[s] = 0 }
            for j in 0..<J { let row = pool + j * S; for s in 0..<S { start[s] += row[s] } }
            var any = false
            for s in 0..<S where start[s] > 0 { any = true; break }
            sectorWaiting[σ] = any
            for c in 0..<C where policy.acceptsAny[c * Σ + σ] {
                let i = (c * Σ + σ) * S
                for s in 0..<S { placedNow[i + s] = 0; severanceNow[i + s] = 0 }
            }
        }
        for c in 0..<C {
            for (σ, r) in reported where policy.acceptsAny[c * Σ + σ] && sectorWaiting[σ] {
                let pool = stocks.base + block(σ, 0)
                let g = policy.eligibleShare.base + c * J * S
                for s in 0..<S { available[s] = 0 }
                for j in 0..<J {
                    let e = eligible.base + j * S, p = pool + j * S, gj = g + j * S
                    for s in 0..<S { e[s] = p[s] * gj[s]; available[s] += e[s] }
                }
                var anyTake = false
                let cs = c * S, cσ = (c * Σ + σ) * S
                for s in 0..<S {
                    var take = min(available[s], capacityLeft[cs + s], capacityThisYear[cs + s])
                    take = min(take, policy.share[cs + s] * poolAtStart[σ * S + s])
                    let taking = policy.accepts[cσ + s] && available[s] > 0 && take > 0
                    factor[s] = taking ? take / available[s] : 0
                    if taking {
                        capacityLeft[cs + s] -= take
                        capacityThisYear[cs + s] -= take
                        anyTake = true
                    }
                }
                guard anyTake else { continue }
                active[σ * slots + c + 1] = true
                let target = stocks.base + block(σ, c + 1)
                let persons = placedNow.base + cσ, severance = severanceNow.base + cσ
                let wage = policy.wage.base + σ * S
                let entry = policy.commonEntryState[c]
                for j in 0..<J {
                    let e = eligible.base + j * S, p = pool + j * S
                    let service = policy.serviceYears[j]
                    if let state = entry {
                        let t = target + (state * J + j) * S
                        for s in 0..<S {
                            let moved = e[s] * factor[s]
                            p[s] -= moved
                            t[s] += moved
                            persons[s] += moved
                        }
                    } else {
                        for s in 0..<S {
                            let moved = e[s] * factor[s]
                            p[s] -= moved
                            target[(policy.entryState[cs + s] * J + j) * S + s] += moved
                            persons[s] += moved
                        }
                    }
                    if anyTermination[c] {
                        for s in 0..<S { severance[s] += e[s] * factor[s] * service * wage[s] / 12 }
                    }
                }
                let placed = out(y, r, q.placed[c])
                let cumulative = placedCumulative.base + (σ * C + c) * S
                for s in 0..<S {
                    placed[s] += persons[s]
                    cumulative[s] += persons[s]
                }
            }
        }
    }

    /// Sum over cells of one state's rows of a block, per scenario, into `into`.
    @inline(__always)
    private func stateSum(_ b: UnsafeMutablePointer<Double>, state: Int, into: Buffer<Double>) {
        let v = into.base
        for s in 0..<S { v[s] = 0 }
        for j in 0..<J { let row = b + (state * J + j) * S; for s in 0..<S { v[s] += row[s] } }
    }

    /// 5. The year's costs, on the stocks after this year's placements (docs/MODEL.md §7.4).
    private func chargeCosts(_ y: Int) {
        let Σ = sectorCount
        let retired = WorkerState.internallyRetired.index, unemployed = WorkerState.unemployed.index
        let insurance = policy.insuranceTotal.base + y * S
        for (σ, r) in reported {
            let wage = policy.wage.base + σ * S
            for c in 0..<C where policy.acceptsAny[c * Σ + σ] && active[σ * slots + c + 1] {
                let b = stocks.base + block(σ, c + 1)
                let cs = c * S, cσ = (c * Σ + σ) * S
                if let state = policy.commonEntryState[c] {
                    stateSum(b, state: state, into: sum0)
                } else {
                    for s in 0..<S {
                        var v = 0.0
                        let state = policy.entryState[cs + s]
                        for j in 0..<J { v += b[(state * J + j) * S + s] }
                        sum0[s] = v
                    }
                }
                if slotHoldsState[c + 1][retired] { stateSum(b, state: retired, into: sum1) } else { for s in 0..<S { sum1[s] = 0 } }
                if slotHoldsState[c + 1][unemployed] { stateSum(b, state: unemployed, into: sum2) } else { for s in 0..<S { sum2[s] = 0 } }
                let cost = out(y, r, q.channelCost[c])
                for s in 0..<S {
                    let oneOff = policy.oneOffYuanPerPerson[cs + s] * placedNow[cσ + s]
                    let annual = policy.annualYuanPerPerson[cσ + s] * sum0[s]
                    var total = oneOff + annual
                    charge(oneOff + annual, to: policy.payer[cs + s], y: y, σ: σ, r: r, s: s)
                    if policy.isContractTermination[cs + s] {
                        let severance = severanceNow[cσ + s]
                        total += severance
                        charge(severance, to: Payer.enterprise.index, y: y, σ: σ, r: r, s: s)
                    }
                    let contributions = sum1[s] * wage[s] * insurance[s]
                    total += contributions
                    charge(contributions, to: Payer.enterprise.index, y: y, σ: σ, r: r, s: s)
                    let benefits = sum2[s] * policy.benefitYuanPerYear[s]
                    total += benefits
                    charge(benefits, to: Payer.unemploymentInsurance.index, y: y, σ: σ, r: r, s: s)
                    cost[s] += total
                }
            }
        }
    }

    /// 6. Everyone moves to the end of the year: each touched block `X ← T · X` (docs/MODEL.md §7.3).
    private mutating func moveToEndOfYear() {
        for σ in 0..<sectorCount {
            for slot in 0..<slots where active[σ * slots + slot] {
                let x = UnsafePointer(stocks.base + block(σ, slot)), t = scratch.base + block(σ, slot)
                switch kernel {
                case .loops: transition.applyLoops(x, t, plan: slotPlans[slot])
                case .blas: transition.applyBLAS(x, t)
                }
            }
        }
        swap(&stocks, &scratch)
    }

    /// 7. End-of-year stocks (per state: per slot the sum over cells, then over slots in order),
    /// cumulative counts and balances.
    private func recordEndOfYear(_ y: Int) {
        for (σ, r) in reported {
            for state in WorkerState.allCases.indices {
                let total = out(y, r, q.state[state])
                for s in 0..<S { total[s] = 0 }
                for slot in 0..<slots where active[σ * slots + slot] && slotHoldsState[slot][state] {
                    stateSum(stocks.base + block(σ, slot), state: state, into: sum0)
                    for s in 0..<S { total[s] += sum0[s] }
                }
            }
            for c in 0..<C {
                (out(y, r, q.placedCumulative[c])).update(from: placedCumulative.base + (σ * C + c) * S, count: S)
            }
            out(y, r, q.displacedCumulative).update(from: displacedCumulative.base + σ * S, count: S)
            out(y, r, q.awardBalance).update(from: awardBalance.base + σ * S, count: S)
            out(y, r, q.refundBalance).update(from: refundBalance.base + σ * S, count: S)
        }
    }
}
