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
    /// Decimals `projections.csv` writes it with: 2 for enterprise amounts, 6 for the rest.
    public var digits: Int

    /// Creates a column.
    public init(metric: String, unit: String, sector: Sector, digits: Int = 6) {
        self.metric = metric
        self.unit = unit
        self.sector = sector
        self.digits = digits
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
                columns += FinanceMetric.allCases.map { SeriesColumn(metric: $0.name, unit: $0.unit, sector: sector, digits: 2) }
                columns.append(SeriesColumn(metric: "debt_to_assets", unit: "ratio", sector: sector))
            }
        }
        self.columns = columns
        self.years = result.years
        self.groupIndex = groupIndex
    }

    /// Scenario `s`'s values, `[column × years.count + yearIndex]`, in the columns' order.
    public func values(_ result: BatchResult, scenario s: Int) -> [Double] {
        values(result, scenarios: s..<(s + 1))[0]
    }

    /// The values of every scenario in `range`, each laid out as `values(_:scenario:)`.
    ///
    /// Worker and enterprise results keep the scenario index innermost, so one pass reads each
    /// cell's scenarios contiguously; reading one scenario at a time strided through memory and
    /// cost more than the sweep's year steps.
    public func values(_ result: BatchResult, scenarios range: Range<Int>) -> [[Double]] {
        let n = range.count, width = columns.count * years.count
        var out = [[Double]](repeating: [], count: n)
        for i in 0..<n { out[i].reserveCapacity(width) }
        func append(_ value: (Int) -> Double) {
            for i in 0..<n { out[i].append(value(range.lowerBound + i)) }
        }
        for sector in Sector.allCases where groupIndex[sector] != nil {
            let g = groupIndex[sector]!
            for metric in Metric.allCases {
                for y in years.indices { append { result.value(metric, groupIndex: g, yearIndex: y, scenario: $0) } }
            }
        }
        if let workers = result.resettlement {
            workers.values.withUnsafeBufferPointer { v in
                let stride = workers.scenarioCount
                for (σ, sector) in workers.sectors.enumerated() {
                    for (q, quantity) in workers.quantities.enumerated() where quantity.applies(to: sector) {
                        for y in years.indices {
                            let at = ((y * workers.sectors.count + σ) * workers.quantities.count + q) * stride
                            append { v[at + $0] }
                        }
                    }
                }
            }
        }
        if let finance = result.finance {
            // Enterprise values are laid out ((year × enterprises + enterprise) × metrics + metric)
            // × scenarios + scenario; sum them per main sector into [year][sector][metric][scenario].
            let m = FinanceMetric.allCases.count, e = finance.enterprises.count, stride = finance.scenarioCount
            let perYear = Sector.allCases.count * m * n
            var totals = [Double](repeating: 0, count: years.count * perYear)
            let into = finance.mainSector.map { $0.index * m * n }
            finance.values.withUnsafeBufferPointer { v in
                totals.withUnsafeMutableBufferPointer { t in
                    for y in years.indices {
                        for k in 0..<e {
                            for j in 0..<m {
                                let to = y * perYear + into[k] + j * n, from = ((y * e + k) * m + j) * stride + range.lowerBound
                                for i in 0..<n { t[to + i] += v[from + i] }
                            }
                        }
                    }
                }
            }
            let debt = FinanceMetric.debt.index, assets = FinanceMetric.assets.index
            for sector in Sector.allCases where finance.mainSector.contains(sector) {
                let at = sector.index * m * n
                for j in 0..<m {
                    for y in years.indices { append { totals[y * perYear + at + j * n + $0 - range.lowerBound] } }
                }
                for y in years.indices {
                    append { s in
                        let a = totals[y * perYear + at + assets * n + s - range.lowerBound]
                        return a > 0 ? totals[y * perYear + at + debt * n + s - range.lowerBound] / a : 0
                    }
                }
            }
        }
        precondition(out.allSatisfy { $0.count == width }, "SectorSeries: layout mismatch")
        return out
    }
}
