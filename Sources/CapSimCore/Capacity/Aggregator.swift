import LinearAlgebra

/// Group sums of the capacity metrics (docs/MODEL.md §3.3), updated on closure and opening
/// events rather than re-added from every unit each year.
///
/// Each facility belongs to exactly four groups (its sector's total, its region, its owner type,
/// its region and owner type). The sums are kept in the layout of the result they become
/// (`BatchResult.valuesByYear`: groups × (metrics × scenarios), column-major, element
/// `[g + (m + M·s)·G]`), so a year's row is one copy plus three derived metrics:
/// - operating units and operating capacity (m = 0, 1), set from the base year's units in table
///   order and then changed by every event; capacity is a compensated sum, its low part kept in
///   `capacityLow[s·G + g]`, so that long runs of additions and subtractions do not drift;
/// - units and capacity closed and opened this year (m = 2…5), added to in event order and zeroed
///   again, after the year's row, where the year's events touched them.
/// The row then adds: capacity = high + low, net reduction (m = 6) = closed − opened capacity,
/// and output (m = 7) = operating capacity × utilisation(sector, year, scenario).
struct Aggregator {
    let groupCount: Int
    let scenarioCount: Int
    /// The four group indices of each facility, flat: `groupsOf[4f ..< 4f+4]`.
    let groupsOf: [Int]
    /// Sector index of each group.
    let groupSector: [Int]
    /// The sums, `[g + (m + M·s)·G]`.
    let sums: Buffer<Double>
    /// Low part of the compensated operating capacity, `[s·G + g]`.
    let capacityLow: Buffer<Double>
    /// Index of each sector's total group, -1 for a sector without units: `[σ]`.
    let sectorTotal: [Int]

    private static let M = Metric.allCases.count
    private static let units = Metric.unitsOperating.index, capacity = Metric.capacity.index
    private static let unitsClosed = Metric.unitsClosed.index, capacityClosed = Metric.capacityClosed.index
    private static let unitsOpened = Metric.unitsOpened.index, capacityOpened = Metric.capacityOpened.index

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
        sectorTotal = Sector.allCases.map { σ in index[AggregationGroup(sector: σ)] ?? -1 }
        let G = groups.count
        sums = Buffer(repeating: 0, count: G * Self.M * S)
        capacityLow = Buffer(repeating: 0, count: G * S)
        // The base year is the same in every scenario: sum it once (table order) and copy.
        var units = [Double](repeating: 0, count: G), high = units, low = units
        for f in 0..<columns.count where columns.startYear[f] <= baseYear {
            for k in 0..<4 {
                let g = flat[4 * f + k], x = columns.capacity[f], a = high[g], t = a + x
                units[g] += 1
                low[g] += abs(a) >= abs(x) ? (a - t) + x : (x - t) + a
                high[g] = t
            }
        }
        for s in 0..<S {
            for g in 0..<G {
                sums[g + (Self.units + Self.M * s) * G] = units[g]
                sums[g + (Self.capacity + Self.M * s) * G] = high[g]
                capacityLow[s * G + g] = low[g]
            }
        }
    }

    @inline(__always)
    private func at(_ g: Int, _ m: Int, _ s: Int) -> Int { g + (m + Self.M * s) * groupCount }

    @inline(__always)
    private func operatingChanged(_ f: Int, _ s: Int, units: Double, capacity x: Double) {
        for k in 0..<4 {
            let g = groupsOf[4 * f + k], iu = at(g, Self.units, s), ic = at(g, Self.capacity, s)
            let il = s * groupCount + g
            sums[iu] += units
            if sums[iu] == 0 {
                // No unit left: the sum is exactly zero, whatever rounding the events left.
                sums[ic] = 0
                capacityLow[il] = 0
            } else {
                // Neumaier's compensated addition.
                let a = sums[ic], t = a + x
                capacityLow[il] += abs(a) >= abs(x) ? (a - t) + x : (x - t) + a
                sums[ic] = t
            }
        }
    }

    /// Unit `f` closed in scenario `s`.
    @inline(__always)
    func closed(_ f: Int, _ s: Int, capacity: Double) {
        operatingChanged(f, s, units: -1, capacity: -capacity)
        for k in 0..<4 {
            let g = groupsOf[4 * f + k]
            sums[at(g, Self.unitsClosed, s)] += 1
            sums[at(g, Self.capacityClosed, s)] += capacity
        }
    }

    /// Unit `f` opened in scenario `s`.
    @inline(__always)
    func opened(_ f: Int, _ s: Int, capacity: Double) {
        operatingChanged(f, s, units: 1, capacity: capacity)
        for k in 0..<4 {
            let g = groupsOf[4 * f + k]
            sums[at(g, Self.unitsOpened, s)] += 1
            sums[at(g, Self.capacityOpened, s)] += capacity
        }
    }

    /// Unit `f`'s capacity changed by `delta` in scenario `s` (docs/MODEL.md §2.0b, §2.5b): the
    /// operating capacity moves by `delta`, a reduction counts as capacity closed and an expansion
    /// as capacity opened; the unit counts do not move.
    @inline(__always)
    func changed(_ f: Int, _ s: Int, by delta: Double) {
        operatingChanged(f, s, units: 0, capacity: delta)
        let m = delta < 0 ? Self.capacityClosed : Self.capacityOpened
        for k in 0..<4 { sums[at(groupsOf[4 * f + k], m, s)] += abs(delta) }
    }

    /// The operating capacity of sector `σ` in scenario `s`, 10 kt/yr (0 for a sector without units).
    @inline(__always)
    func sectorCapacity(_ σ: Int, _ s: Int) -> Double {
        let g = sectorTotal[σ]
        guard g >= 0 else { return 0 }
        return sums[at(g, Self.capacity, s)] + capacityLow[s * groupCount + g]
    }

    /// Zeroes the closed and opened sums the year's events touched (after the year's row is
    /// written), so the next year starts from zero without clearing every group and scenario.
    func clearChanges(closures: RecordLog<ClosureRecord>, from firstClosure: Int,
                      openings: RecordLog<OpeningRecord>, from firstOpening: Int,
                      changes: RecordLog<ChangeRecord>, from firstChange: Int, changedFacility: [Int]) {
        for k in firstChange..<changes.count {
            let r = changes[k], f = changedFacility[Int(r.change)], s = Int(r.scenario)
            for j in 0..<4 {
                let g = groupsOf[4 * f + j]
                sums[at(g, Self.capacityClosed, s)] = 0
                sums[at(g, Self.capacityOpened, s)] = 0
            }
        }
        for k in firstClosure..<closures.count {
            let r = closures[k], f = Int(r.facility), s = Int(r.scenario)
            for j in 0..<4 {
                let g = groupsOf[4 * f + j]
                sums[at(g, Self.unitsClosed, s)] = 0
                sums[at(g, Self.capacityClosed, s)] = 0
            }
        }
        for k in firstOpening..<openings.count {
            let r = openings[k], f = Int(r.facility), s = Int(r.scenario)
            for j in 0..<4 {
                let g = groupsOf[4 * f + j]
                sums[at(g, Self.unitsOpened, s)] = 0
                sums[at(g, Self.capacityOpened, s)] = 0
            }
        }
    }

    /// The year's metrics per group: a matrix groups × (metrics × scenarios), column
    /// `metric.index + s × Metric.allCases.count` (the public layout of `BatchResult`).
    @inline(never)  // kept out of line so profiles show the row on its own
    func row(yearIndex y: Int, policy: CompiledPolicy, utilisation: Buffer<Double>) -> Matrix {
        let G = groupCount, S = scenarioCount, M = Self.M, Y = policy.yearCount
        let net = Metric.netCapacityReduction.index, output = Metric.output.index
        var out = Array(UnsafeBufferPointer(start: sums.base, count: sums.count))
        out.withUnsafeMutableBufferPointer { o in
            do {
                let u = utilisation.base
                for s in 0..<S {
                    let column = M * s * G, low = capacityLow.base + s * G
                    for g in 0..<G {
                        let capacity = o[g + column + Self.capacity * G] + low[g]
                        o[g + column + Self.capacity * G] = capacity
                        o[g + column + net * G] = o[g + column + Self.capacityClosed * G] - o[g + column + Self.capacityOpened * G]
                        o[g + column + output * G] = capacity * u[(groupSector[g] * Y + y) * S + s]
                    }
                }
            }
        }
        return Matrix(rowCount: G, columnCount: M * S, columnMajor: out)
    }
}
