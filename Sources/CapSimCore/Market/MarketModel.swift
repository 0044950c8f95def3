import RealModule

/// Every scenario's sector markets advanced together (docs/MODEL.md §2.7), for `Engine`.
///
/// Layout (docs/MODEL.md §1a): per (sector, scenario) `[σ · S + s]`, per (sector, year, scenario)
/// `[(σ · Y + y) · S + s]`, per unit `[f · S + s]`, the scenario index innermost. Everything is
/// compiled and allocated once per batch; `open` and `clear` allocate nothing, look nothing up by
/// name and unwrap no optional per item. Built only when some scenario gives some sector a market.
///
/// Each programme year `y`, around the capacity step:
/// 1. `open`: the decision price of year y is last year's clearing price `P[y−1]`; it is written into
///    the capacity step's price index (`CompiledPolicy.priceIndex`, row y) so `cost_above_price`
///    rules and `highest_cost` keys compare against it. Then every unit operating at the start of
///    the year updates its cost factor (depletion, then cost-reduction investment if its cost
///    exceeds its price at `P[y−1]`); `unitCost` holds the year's unit costs.
/// 2. The capacity step closes and opens units.
/// 3. `clear`: the market clears on the capacity operating at the end of the year: price `P[y]`
///    and utilisation `u[y]`, written into `CompiledPolicy.utilisation` (row y, for output) and into
///    `inputs` for the finance step, which books revenue at `P[y]`.
struct MarketModel {
    let scenarioCount: Int
    let yearCount: Int
    let years: [Int]
    /// Sector indices with a market in at least one scenario, ascending.
    let marketSectors: [Int]
    /// `[σ · S + s]`: the sector's market is on in the scenario.
    let isOn: [Bool]
    /// `[σ · S + s]`: parameters (zero where off).
    let referencePrice: [Double]
    let referenceUtilisation: [Double]
    /// 1 / elasticity.
    let inverseElasticity: [Double]
    let ceiling: [Double]
    let floor: [Double]
    let cap: [Double]
    let depletion: [Double]
    let reduction: [Double]
    /// 1 − costReductionLimit: the lowest cost factor.
    let lowestFactor: [Double]
    let payback: [Double]
    /// `[(σ · Y + y) · S + s]`: demand, 10 kt.
    let demand: [Double]
    /// Units of market sectors, in table order.
    let units: [Int]

    /// `[f · S + s]`: cost factor on the tabled unit cost (1 at the start; only market units change).
    let costFactor: Buffer<Double>
    /// `[f · S + s]`: the year's unit cost, yuan/t (tabled cost where no market).
    let unitCost: Buffer<Double>
    /// `[f · S + s]`: cost-reduction investment this year, yuan.
    let investment: Buffer<Double>
    /// `[σ · S + s]`: clearing price index of the last cleared year.
    let price: Buffer<Double>
    /// `[σ · S + s]`: operating capacity, 10 kt/yr (scratch of `clear`).
    let capacity: Buffer<Double>
    /// What the finance step books the year at.
    var inputs: MarketYearInputs
    var result: MarketResult

    /// Nil when no scenario gives any sector a market.
    init?(_ batch: ScenarioBatch, columns: FacilityColumns) {
        let S = batch.policies.count, years = batch.years, Y = years.count, Q = Sector.allCases.count
        var on = [Bool](repeating: false, count: Q * S)
        for (s, p) in batch.policies.enumerated() {
            for sector in Sector.allCases where p.sector(sector).market != nil { on[sector.index * S + s] = true }
        }
        guard on.contains(true) else { return nil }
        scenarioCount = S
        yearCount = Y
        self.years = years
        isOn = on
        marketSectors = (0..<Q).filter { σ in (0..<S).contains { on[σ * S + $0] } }
        var rp = [Double](repeating: 0, count: Q * S), ru = rp, ie = rp, ce = rp, fl = rp, ca = rp
        var de = rp, re = rp, lo = rp, pb = rp
        var dm = [Double](repeating: 0, count: Q * Y * S)
        for (s, p) in batch.policies.enumerated() {
            for sector in Sector.allCases {
                guard let m = p.sector(sector).market else { continue }
                let i = sector.index * S + s
                (rp[i], ru[i], ie[i], ce[i]) = (m.referencePriceIndex, m.referenceUtilisation, 1 / m.elasticity, m.utilisationCeiling)
                (fl[i], ca[i], de[i], re[i]) = (m.priceIndexFloor, m.priceIndexCap, m.depletionRate, m.costReductionRate)
                (lo[i], pb[i]) = (1 - m.costReductionLimit, m.investmentPaybackYears)
                for (y, year) in years.enumerated() { dm[(sector.index * Y + y) * S + s] = m.demand(in: year) }
            }
        }
        (referencePrice, referenceUtilisation, inverseElasticity, ceiling) = (rp, ru, ie, ce)
        (floor, cap, depletion, reduction, lowestFactor, payback) = (fl, ca, de, re, lo, pb)
        demand = dm
        let marketSet = Set(marketSectors)
        units = (0..<columns.count).filter { marketSet.contains(columns.sectorIndex[$0]) }
        let F = columns.count
        costFactor = Buffer(repeating: 1, count: F * S)
        unitCost = Buffer(repeating: 0, count: F * S)
        for f in 0..<F { (unitCost.base + f * S).update(repeating: columns.cost[f], count: S) }
        investment = Buffer(repeating: 0, count: F * S)
        price = Buffer(repeating: 0, count: Q * S)
        capacity = Buffer(repeating: 0, count: Q * S)
        inputs = MarketYearInputs(sectorCells: Q * S, unitCost: unitCost, investment: investment)
        result = MarketResult(scenarioCount: S, years: years)
        result.isOn = on
    }

    /// The base year: the market clears on the base-year capacity; row 0 of the capacity step's
    /// utilisation gets `u[0]`.
    mutating func start(policy: inout CompiledPolicy, state: BatchState, columns: FacilityColumns) {
        clear(yearIndex: 0, policy: &policy, state: state, columns: columns)
    }

    /// Step 1 of the year: decision prices and unit costs (see the type's documentation).
    mutating func open(yearIndex y: Int, policy: inout CompiledPolicy, state: BatchState, columns: FacilityColumns) {
        let S = scenarioCount, Y = yearCount
        policy.priceIndex.withUnsafeMutableBufferPointer { pi in
            for σ in marketSectors {
                for s in 0..<S where isOn[σ * S + s] { pi[(σ * Y + y) * S + s] = price[σ * S + s] }
            }
        }
        investment.fill(0)
        let status = state.status.base, operating = UnitStatus.operating.rawValue
        for f in units {
            let σ = columns.sectorIndex[f], tabled = columns.cost[f], unitPrice = columns.price[f]
            let row = f * S
            for s in 0..<S where isOn[σ * S + s] && status[row + s] == operating {
                let k = σ * S + s
                let grown = costFactor[row + s] * (1 + depletion[k])
                var factor = grown
                if reduction[k] > 0 && tabled * grown > unitPrice * price[k] {
                    factor = min(grown, max(lowestFactor[k], grown * (1 - reduction[k])))
                    investment[row + s] = payback[k] * (tabled * grown - tabled * factor) * columns.capacity[f] * 10_000
                }
                costFactor[row + s] = factor
                unitCost[row + s] = tabled * factor
            }
        }
    }

    /// Step 3 of the year: the market clears on the capacity operating at the end of year `y`.
    mutating func clear(yearIndex y: Int, policy: inout CompiledPolicy, state: BatchState, columns: FacilityColumns) {
        let S = scenarioCount, Y = yearCount, Q = Sector.allCases.count
        capacity.fill(0)
        let status = state.status.base, operating = UnitStatus.operating.rawValue
        for f in units {
            let σ = columns.sectorIndex[f], c = columns.capacity[f], row = status + f * S
            for s in 0..<S where row[s] == operating { capacity[σ * S + s] += c }
        }
        for σ in 0..<Q {
            for s in 0..<S {
                let k = σ * S + s, path = (σ * Y + y) * S + s, r = (y * Q + σ) * S + s
                guard isOn[k] else {
                    inputs.priceIndex[k] = policy.priceIndex[path]
                    inputs.utilisation[k] = state.utilisation[path]
                    continue
                }
                let d = demand[path], K = capacity[k]
                let p: Double, u: Double
                if K > 0 {
                    let balance = d / (referenceUtilisation[k] * K)
                    p = min(cap[k], max(floor[k], referencePrice[k] * Double.pow(balance, inverseElasticity[k])))
                    u = min(ceiling[k], d / K)
                } else {
                    (p, u) = (cap[k], 0)
                }
                price[k] = p
                policy.utilisation[path] = u
                // The capacity step's output and the aggregation read the year's utilisation here.
                state.utilisation[path] = u
                inputs.priceIndex[k] = p
                inputs.utilisation[k] = u
                result.priceIndex[r] = p
                result.utilisation[r] = u
                result.demand10kt[r] = d
                result.capacity10kt[r] = K
            }
        }
        for f in units {
            let σ = columns.sectorIndex[f], row = f * S
            for s in 0..<S where isOn[σ * S + s] { result.investmentYuan[(y * Q + σ) * S + s] += investment[row + s] }
        }
    }
}
