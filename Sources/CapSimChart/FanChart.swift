import CapSimIO

/// One row of a sweep's quantile table: the distribution of one metric in one sector and year
/// over a policy's draws.
public struct QuantileRow: Sendable, Equatable {
    /// The policy (scenario variant) the draws ran under.
    public var policy: String
    /// A projections metric, e.g. `capacity`.
    public var metric: String
    /// A sector id or name as the sweep wrote it (English or Chinese).
    public var sector: String
    /// The year.
    public var year: Int
    /// The metric's unit, e.g. `10kt/yr`.
    public var unit: String
    /// Number of draws.
    public var n: Int
    /// Mean over the draws.
    public var mean: Double
    /// 5th percentile.
    public var p05: Double
    /// 25th percentile.
    public var p25: Double
    /// Median.
    public var p50: Double
    /// 75th percentile.
    public var p75: Double
    /// 95th percentile.
    public var p95: Double

    /// A row; the quantiles must not decrease from `p05` to `p95` (`FanChart.parse` checks this).
    public init(policy: String, metric: String, sector: String, year: Int, unit: String, n: Int, mean: Double,
                p05: Double, p25: Double, p50: Double, p75: Double, p95: Double) {
        self.policy = policy
        self.metric = metric
        self.sector = sector
        self.year = year
        self.unit = unit
        self.n = n
        self.mean = mean
        self.p05 = p05
        self.p25 = p25
        self.p50 = p50
        self.p75 = p75
        self.p95 = p95
    }
}

/// Fan charts of a sweep: per policy, the median over the years with its 50 % (p25-p75) and
/// 90 % (p05-p95) bands, for one metric and sector. The sweep runner calls `charts(csv:…)` or
/// `charts(rows:…)` and renders with `Gnuplot`; `capsim chart --fan` does the same from a file.
public enum FanChart {
    /// The header of a sweep's quantile table.
    public static let header = ["policy", "metric", "sector", "year", "unit", "n", "mean",
                                "p05", "p25", "p50", "p75", "p95"]

    /// Reads a quantile table; `source` names it in errors, which give the line and column.
    public static func parse(csv text: String, source: String) throws -> [QuantileRow] {
        let table = try CSVTable(text: text, source: source, expected: header,
                                 numbers: ["mean", "p05", "p25", "p50", "p75", "p95"], integers: ["year", "n"])
        return try table.records.map { record in
            let row = QuantileRow(
                policy: table.text(record, "policy"), metric: table.text(record, "metric"),
                sector: table.text(record, "sector"), year: try table.integer(record, "year"),
                unit: table.text(record, "unit"), n: try table.integer(record, "n"),
                mean: try table.number(record, "mean"), p05: try table.number(record, "p05"),
                p25: try table.number(record, "p25"), p50: try table.number(record, "p50"),
                p75: try table.number(record, "p75"), p95: try table.number(record, "p95"))
            guard row.n >= 0 else {
                throw ChartInputError(file: source, line: record.line, field: "n", message: "\(row.n) draws")
            }
            let quantiles = [("p05", row.p05), ("p25", row.p25), ("p50", row.p50), ("p75", row.p75), ("p95", row.p95)]
            for (a, b) in zip(quantiles, quantiles.dropFirst()) where b.1 < a.1 {
                throw ChartInputError(file: source, line: record.line, field: b.0,
                                      message: "\(b.1) is below \(a.0) = \(a.1); quantiles must not decrease")
            }
            return row
        }
    }

    /// Reads the quantile table at `path` and builds fan charts of `metric`, for `sector` or every sector.
    public static func load(file path: String, metric: String, sector: String? = nil) throws -> [Chart] {
        try charts(csv: readInputFile(path, writtenBy: "a quantile table written by a sweep"),
                   source: path, metric: metric, sector: sector)
    }

    /// Fan charts of `metric` from the table's text: for `sector`, or one chart per sector when nil.
    public static func charts(csv text: String, source: String, metric: String, sector: String? = nil) throws -> [Chart] {
        try charts(rows: parse(csv: text, source: source), source: source, metric: metric, sector: sector)
    }

    /// Fan charts of `metric` from parsed rows: a panel per policy (same vertical scale, so policies
    /// compare), for `sector` or one chart per sector when nil. `source` names the table in errors.
    public static func charts(rows: [QuantileRow], source: String, metric: String, sector: String? = nil) throws
        -> [Chart] {
        let metrics = distinctInOrder(rows.map(\.metric))
        guard metrics.contains(metric) else {
            throw ChartInputError(file: source, field: "metric",
                                  message: "unknown metric '\(metric)'; the file has \(listText(metrics))")
        }
        let ofMetric = rows.filter { $0.metric == metric }
        let sectors = distinctInOrder(ofMetric.map(\.sector))
        if let sector, !sectors.contains(sector) {
            throw ChartInputError(file: source, field: "sector",
                                  message: "no sector '\(sector)' for metric \(metric); the file has \(listText(sectors))")
        }
        return (sector.map { [$0] } ?? sectors).map { s in
            chart(ofMetric.filter { $0.sector == s }, metric: metric, sector: s)
        }
    }

    /// One vertical scale for every policy, from the lowest p05 to the highest p95 with a margin,
    /// starting at zero for quantities that cannot go below it.
    ///
    /// A flat or nearly flat metric (zero in every draw and year, as `bank_losses` of a sector
    /// without banks) gets a range around its value: gnuplot refuses a range narrower than its
    /// `zero` threshold (1e-8) as "empty y range".
    static func yRange(low: Double, high: Double) -> ClosedRange<Double> {
        let scale = max(abs(low), abs(high)), span = high - low
        if span < max(scale * 1e-6, 1e-6) {
            let pad = scale >= 1e-6 ? scale * 0.1 : 1
            return (low >= 0 ? 0 : low - pad)...(high + pad)
        }
        let margin = max(span * 0.05, abs(high) * 0.01)
        return (low >= 0 ? 0 : low - margin)...(high + margin)
    }

    private static func chart(_ rows: [QuantileRow], metric: String, sector: String) -> Chart {
        let policies = distinctInOrder(rows.map(\.policy))
        let range = yRange(low: rows.map(\.p05).min() ?? 0, high: rows.map(\.p95).max() ?? 1)
        let unit = rows.first?.unit ?? ""
        let panels = policies.enumerated().map { i, policy in
            let own = rows.filter { $0.policy == policy }
            let color = Palette.color(i)
            let draws = Set(own.map(\.n)).sorted().map(String.init).joined(separator: "/")
            return Panel(
                title: "\(policy) (n = \(draws))", yLabel: "\(DisplayNames.metric(metric).both), \(unitLabel(unit))",
                series: [
                    Series(label: "90 % (p05-p95)", color: color, style: .band(opacity: 0.18),
                           points: own.map { Series.Point(x: Double($0.year), low: $0.p05, high: $0.p95) }),
                    Series(label: "50 % (p25-p75)", color: color, style: .band(opacity: 0.38),
                           points: own.map { Series.Point(x: Double($0.year), low: $0.p25, high: $0.p75) }),
                    Series(label: "median", color: color, style: .line(width: 2, dashed: false),
                           points: own.map { Series.Point(x: Double($0.year), y: $0.p50) }),
                ],
                legend: .below, yRange: range)
        }
        return Chart(name: "fan-\(fileStem(metric))-\(fileStem(sector))",
                     title: "\(metric) in \(sector): median with 50 % and 90 % bands over the draws",
                     panels: panels, columns: policies.count <= 4 ? 2 : 3)
    }
}
