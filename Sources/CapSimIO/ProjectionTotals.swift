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
        let series = SectorSeries(result)
        let values = series.values(result, scenario: s)
        var out: [ProvinceTotal] = []
        for (y, year) in series.years.enumerated() {
            for (c, column) in series.columns.enumerated() {
                // Parsing the written text back gives the value exactly as projections.csv shows it.
                let value = values[c * series.years.count + y]
                out.append(ProvinceTotal(metric: column.metric, sector: column.sector, year: year, unit: column.unit,
                                         value: Double(decimalText(value, digits: column.digits)) ?? value,
                                         digits: column.digits))
            }
        }
        return out
    }
}
