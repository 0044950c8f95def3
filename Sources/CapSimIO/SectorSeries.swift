import CapSimCore

/// One yearly series of a run: a metric of `projections.csv` for one sector over every region and
/// owner type (`region=all, owner=all`).
public struct SeriesColumn: Sendable, Hashable {
    /// The metric's name as in `projections.csv`.
    public var metric: String
    /// Its unit.
    public var unit: String
    /// The sector.
    public var sector: Sector

    /// Creates a column.
    public init(metric: String, unit: String, sector: Sector) {
        self.metric = metric
        self.unit = unit
        self.sector = sector
    }
}

/// The per-sector totals of `projections.csv` as numbers, for sweeps: every capacity metric,
/// worker quantity and enterprise-account metric per sector and year, in the order
/// `projections.csv` writes them.
public struct SectorSeries: Sendable {
    /// The series, in output order.
    public let columns: [SeriesColumn]
    /// The years, base year first.
    public let years: [Int]
    private let groupIndex: [Sector: Int]

    /// The series a result of this shape has (every scenario of a batch has the same).
    public init(_ result: BatchResult) {
        var columns: [SeriesColumn] = []
        var groupIndex: [Sector: Int] = [:]
        for (g, group) in result.groups.enumerated() where group.region == nil && group.owner == nil {
            groupIndex[group.sector] = g
        }
        for sector in Sector.allCases where groupIndex[sector] != nil {
            columns += Metric.allCases.map { SeriesColumn(metric: $0.rawValue, unit: $0.unit, sector: sector) }
        }
        if let workers = result.resettlement {
            for sector in workers.sectors {
                columns += workers.quantities.filter { $0.applies(to: sector) }
                    .map { SeriesColumn(metric: $0.name, unit: $0.unit, sector: sector) }
            }
        }
        if let finance = result.finance {
            // As projections.csv: the sectors some enterprise has as its main sector.
            for sector in Sector.allCases where finance.mainSector.contains(sector) {
                columns += FinanceMetric.allCases.map { SeriesColumn(metric: $0.name, unit: $0.unit, sector: sector) }
                columns.append(SeriesColumn(metric: "debt_to_assets", unit: "ratio", sector: sector))
            }
        }
        self.columns = columns
        self.years = result.years
        self.groupIndex = groupIndex
    }

    /// Scenario `s`'s values, `[column × years.count + yearIndex]`, in the columns' order.
    public func values(_ result: BatchResult, scenario s: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(columns.count * years.count)
        let sectors = Sector.allCases.filter { groupIndex[$0] != nil }
        for sector in sectors {
            let g = groupIndex[sector]!
            for metric in Metric.allCases {
                for y in years.indices { out.append(result.value(metric, groupIndex: g, yearIndex: y, scenario: s)) }
            }
        }
        if let workers = result.resettlement {
            for (σ, sector) in workers.sectors.enumerated() {
                for (q, quantity) in workers.quantities.enumerated() where quantity.applies(to: sector) {
                    for y in years.indices {
                        out.append(workers.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s))
                    }
                }
            }
        }
        if let finance = result.finance {
            // The sector totals of FinanceResult.groupTotals (all owners), summed straight into
            // arrays: the dictionaries there cost more than the year step in a sweep.
            // Indexed straight into FinanceResult.values, laid out
            // ((year × enterprises + enterprise) × metrics + metric) × scenarios + scenario, and summed
            // into one flat buffer [year][sector][metric]: nested arrays cost more than the sums.
            let m = FinanceMetric.allCases.count, e = finance.enterprises.count, stride = finance.scenarioCount
            let perYear = Sector.allCases.count * m
            var totals = [Double](repeating: 0, count: years.count * perYear)
            let into = finance.mainSector.map { $0.index * m }
            finance.values.withUnsafeBufferPointer { v in
                totals.withUnsafeMutableBufferPointer { t in
                    for y in years.indices {
                        for k in 0..<e {
                            let to = y * perYear + into[k], from = (y * e + k) * m * stride + s
                            for j in 0..<m { t[to + j] += v[from + j * stride] }
                        }
                    }
                }
            }
            let debt = FinanceMetric.debt.index, assets = FinanceMetric.assets.index
            for sector in Sector.allCases where finance.mainSector.contains(sector) {
                let at = sector.index * m
                for j in 0..<m {
                    for y in years.indices { out.append(totals[y * perYear + at + j]) }
                }
                for y in years.indices {
                    let a = totals[y * perYear + at + assets]
                    out.append(a > 0 ? totals[y * perYear + at + debt] / a : 0)
                }
            }
        }
        precondition(out.count == columns.count * years.count, "SectorSeries: layout mismatch")
        return out
    }
}
