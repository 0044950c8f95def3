import CapSimCore

/// One value of a run for a whole sector (`region=all`, `owner=all`): the rows of
/// `projections.csv` a planner compares between scenarios.
public struct ProvinceTotal: Sendable, Equatable {
    /// Metric name as in `projections.csv` (`capacity`, `workers_waiting`, `debt.bank_loans`, ...).
    public var metric: String
    /// The sector.
    public var sector: Sector
    /// The year.
    public var year: Int
    /// Unit as in `projections.csv` (`10kt/yr`, `persons`, `yuan`, ...).
    public var unit: String
    /// The value, rounded as `projections.csv` writes it, so that a comparison reproduces the
    /// figures a planner sees there exactly and float noise below that precision is no difference.
    public var value: Double
    /// Decimals `projections.csv` writes this metric with (6, or 2 for yuan amounts of debt).
    public var digits: Int
}

/// The sector totals of a run, in the order `projections.csv` lists them within a year.
public enum ProjectionTotals {
    /// Every `region=all,owner=all` value of scenario `scenario`: the capacity metrics, the worker
    /// quantities (when modelled) and the debt accounts with the debt-to-assets ratio (when
    /// modelled). The names, units and rounding are those of `ProjectionTables.projections`.
    public static func rows(_ result: BatchResult, scenario s: Int = 0) -> [ProvinceTotal] {
        var out: [ProvinceTotal] = []
        func add(_ metric: String, _ sector: Sector, _ year: Int, _ unit: String, _ value: Double, digits: Int) {
            // Parsing the written text back gives the value exactly as projections.csv shows it.
            let rounded = Double(decimalText(value, digits: digits)) ?? value
            out.append(ProvinceTotal(metric: metric, sector: sector, year: year, unit: unit, value: rounded, digits: digits))
        }
        for (y, year) in result.years.enumerated() {
            for (g, group) in result.groups.enumerated() where group.region == nil && group.owner == nil {
                for metric in Metric.allCases {
                    add(metric.rawValue, group.sector, year, metric.unit,
                        result.value(metric, groupIndex: g, yearIndex: y, scenario: s), digits: 6)
                }
            }
            if let workers = result.resettlement {
                for (σ, sector) in workers.sectors.enumerated() {
                    for (q, quantity) in workers.quantities.enumerated() where quantity.applies(to: sector) {
                        add(quantity.name, sector, year, quantity.unit,
                            workers.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s), digits: 6)
                    }
                }
            }
            if let finance = result.finance {
                let totals = finance.groupTotals(yearIndex: y, scenario: s)
                for sector in Sector.allCases {
                    guard let sums = totals[sector]?[OwnerType?.none] else { continue }
                    for metric in FinanceMetric.allCases {
                        add(metric.name, sector, year, metric.unit, sums[metric.index], digits: 2)
                    }
                    let assets = sums[FinanceMetric.assets.index]
                    add("debt_to_assets", sector, year, "ratio",
                        assets > 0 ? sums[FinanceMetric.debt.index] / assets : 0, digits: 6)
                }
            }
        }
        return out
    }
}
