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
        if result.finance != nil {
            for sector in Sector.allCases where groupIndex[sector] != nil {
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
            // ((year × enterprises + enterprise) × metrics + metric) × scenarios + scenario.
            let metrics = FinanceMetric.allCases
            let m = metrics.count, e = finance.enterprises.count, stride = finance.scenarioCount
            var totals = [[Double]](repeating: [Double](repeating: 0, count: Sector.allCases.count * m),
                                    count: years.count)
            finance.values.withUnsafeBufferPointer { v in
                for y in years.indices {
                    for k in 0..<e {
                        let into = finance.mainSector[k].index * m
                        let from = (y * e + k) * m * stride + s
                        for j in 0..<m { totals[y][into + j] += v[from + j * stride] }
                    }
                }
            }
            for sector in sectors {
                let sums = years.indices.map { Array(totals[$0][(sector.index * metrics.count)..<((sector.index + 1) * metrics.count)]) }
                for metric in FinanceMetric.allCases {
                    for y in years.indices { out.append(sums[y][metric.index]) }
                }
                for y in years.indices {
                    let assets = sums[y][FinanceMetric.assets.index]
                    out.append(assets > 0 ? sums[y][FinanceMetric.debt.index] / assets : 0)
                }
            }
        }
        precondition(out.count == columns.count * years.count, "SectorSeries: layout mismatch")
        return out
    }
}
