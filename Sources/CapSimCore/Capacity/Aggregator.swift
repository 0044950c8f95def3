import LinearAlgebra

/// Group sums of the capacity metrics (docs/MODEL.md §3.3), updated on closure and opening
/// events rather than re-added from every unit each year.
///
/// Each facility belongs to exactly four groups (its sector's total, its region, its owner type,
/// its region and owner type). Per group and scenario, element `[g · S + s]`:
/// - operating units and operating capacity, set from the base year's units in table order and
///   then changed by every event (capacity as a compensated sum `capacityHigh + capacityLow`, so
///   that long runs of additions and subtractions do not drift);
/// - units and capacity closed and opened this year, added to in event order and zeroed again,
///   after the year's row, where the year's events touched them.
/// The year's row is then written: net reduction = closed − opened capacity, and
/// output = operating capacity × utilisation(sector, year, scenario).
struct Aggregator {
    let groupCount: Int
    let scenarioCount: Int
    /// The four group indices of each facility, flat: `groupsOf[4f ..< 4f+4]`.
    let groupsOf: [Int]
    /// Sector index of each group.
    let groupSector: [Int]
    let unitsOperating: Buffer<Double>
    let capacityHigh: Buffer<Double>
    let capacityLow: Buffer<Double>
    let unitsClosed: Buffer<Double>
    let capacityClosed: Buffer<Double>
    let unitsOpened: Buffer<Double>
    let capacityOpened: Buffer<Double>

    init(groups: [AggregationGroup], facilities: [Facility], columns: FacilityColumns, baseYear: Int,
         scenarioCount S: Int) {
        groupCount = groups.count
        scenarioCount = S
        var index: [AggregationGroup: Int] = [:]
        for (g, group) in groups.enumerated() { index[group] = g }
        var flat: [Int] = []
        flat.reserveCapacity(4 * facilities.count)
        for f in facilities {
            for group in [AggregationGroup(sector: f.sector), AggregationGroup(sector: f.sector, region: f.region),
                          AggregationGroup(sector: f.sector, owner: f.owner),
                          AggregationGroup(sector: f.sector, region: f.region, owner: f.owner)] {
                guard let g = index[group] else { preconditionFailure("facility \(f.id) has no group \(group)") }
                flat.append(g)
            }
        }
        groupsOf = flat
        groupSector = groups.map(\.sector.index)
        let cells = groups.count * S
        unitsOperating = Buffer(repeating: 0, count: cells)
        capacityHigh = Buffer(repeating: 0, count: cells)
        capacityLow = Buffer(repeating: 0, count: cells)
        unitsClosed = Buffer(repeating: 0, count: cells)
        capacityClosed = Buffer(repeating: 0, count: cells)
        unitsOpened = Buffer(repeating: 0, count: cells)
        capacityOpened = Buffer(repeating: 0, count: cells)
        // The base year is the same in every scenario: sum it once (table order) and copy.
        var units = [Double](repeating: 0, count: groups.count), high = units, low = units
        for f in 0..<columns.count where columns.startYear[f] <= baseYear {
            for k in 0..<4 {
                let g = flat[4 * f + k], x = columns.capacity[f], a = high[g], t = a + x
                units[g] += 1
                low[g] += abs(a) >= abs(x) ? (a - t) + x : (x - t) + a
                high[g] = t
            }
        }
        for g in 0..<groups.count {
            (unitsOperating.base + g * S).update(repeating: units[g], count: S)
            (capacityHigh.base + g * S).update(repeating: high[g], count: S)
            (capacityLow.base + g * S).update(repeating: low[g], count: S)
        }
    }

    /// Adds `x` to the compensated sum at `i` (Neumaier's variant of Kahan summation).
    @inline(__always)
    private func addCapacity(_ x: Double, at i: Int) {
        let a = capacityHigh[i], t = a + x
        capacityLow[i] += abs(a) >= abs(x) ? (a - t) + x : (x - t) + a
        capacityHigh[i] = t
    }

    @inline(__always)
    private func operatingChanged(_ f: Int, _ s: Int, units: Double, capacity: Double) {
        for k in 0..<4 {
            let i = groupsOf[4 * f + k] * scenarioCount + s
            unitsOperating[i] += units
            if unitsOperating[i] == 0 {
                // No unit left: the sum is exactly zero, whatever rounding the events left.
                capacityHigh[i] = 0
                capacityLow[i] = 0
            } else {
                addCapacity(capacity, at: i)
            }
        }
    }

    /// Unit `f` closed in scenario `s`.
    @inline(__always)
    func closed(_ f: Int, _ s: Int, capacity: Double) {
        operatingChanged(f, s, units: -1, capacity: -capacity)
        for k in 0..<4 {
            let i = groupsOf[4 * f + k] * scenarioCount + s
            unitsClosed[i] += 1
            capacityClosed[i] += capacity
        }
    }

    /// Unit `f` opened in scenario `s`.
    @inline(__always)
    func opened(_ f: Int, _ s: Int, capacity: Double) {
        operatingChanged(f, s, units: 1, capacity: capacity)
        for k in 0..<4 {
            let i = groupsOf[4 * f + k] * scenarioCount + s
            unitsOpened[i] += 1
            capacityOpened[i] += capacity
        }
    }

    /// Zeroes the closed and opened sums the year's events touched (after the year's row is
    /// written), so the next year starts from zero without clearing every group and scenario.
    func clearChanges(closures: RecordLog<ClosureRecord>, from firstClosure: Int,
                      openings: RecordLog<OpeningRecord>, from firstOpening: Int) {
        for k in firstClosure..<closures.count {
            let r = closures[k], f = Int(r.facility), s = Int(r.scenario)
            for j in 0..<4 {
                let i = groupsOf[4 * f + j] * scenarioCount + s
                unitsClosed[i] = 0
                capacityClosed[i] = 0
            }
        }
        for k in firstOpening..<openings.count {
            let r = openings[k], f = Int(r.facility), s = Int(r.scenario)
            for j in 0..<4 {
                let i = groupsOf[4 * f + j] * scenarioCount + s
                unitsOpened[i] = 0
                capacityOpened[i] = 0
            }
        }
    }

    /// The year's metrics per group: a matrix groups × (metrics × scenarios), column
    /// `metric.index + s × Metric.allCases.count` (the public layout of `BatchResult`).
    @inline(never)  // kept out of line so profiles show the row on its own
    func row(yearIndex y: Int, policy: CompiledPolicy) -> Matrix {
        let G = groupCount, S = scenarioCount, M = Metric.allCases.count, Y = policy.yearCount
        var out = Matrix(rowCount: G, columnCount: M * S)
        out.withUnsafeMutableBufferPointer { o in
            policy.utilisation.withUnsafeBufferPointer { u in
                for g in 0..<G {
                    let uBase = (groupSector[g] * Y + y) * S
                    for s in 0..<S {
                        let i = g * S + s
                        let capacity = capacityHigh[i] + capacityLow[i]
                        let column = s * M
                        o[g + (column + Metric.unitsOperating.index) * G] = unitsOperating[i]
                        o[g + (column + Metric.capacity.index) * G] = capacity
                        o[g + (column + Metric.unitsClosed.index) * G] = unitsClosed[i]
                        o[g + (column + Metric.capacityClosed.index) * G] = capacityClosed[i]
                        o[g + (column + Metric.unitsOpened.index) * G] = unitsOpened[i]
                        o[g + (column + Metric.capacityOpened.index) * G] = capacityOpened[i]
                        o[g + (column + Metric.netCapacityReduction.index) * G] = capacityClosed[i] - capacityOpened[i]
                        o[g + (column + Metric.output.index) * G] = capacity * u[uBase + s]
                    }
                }
            }
        }
        return out
    }
}
