import CapSimCore
import Foundation

/// What `capsim compare` answers first: the headline figures of the base and each variant with the
/// difference, then the differences of the sector totals ranked by their size in planner units
/// (万吨/年, persons, 亿元), with totals over the programme and over all sectors, filtered by
/// metric, sector and years. docs/COMPARE.md describes the tables.
public struct ComparisonAnswer: Sendable {
    /// Which rows to consider; empty sets mean all.
    public struct Filter: Sendable, Equatable {
        /// Metric names as in `projections.csv`; a name ending in `*` matches every name it starts.
        public var metrics: [String] = []
        /// Sector ids (`all` for the all-sector totals).
        public var sectors: [String] = []
        /// Years to keep (and to total over); nil = every simulated year.
        public var years: ClosedRange<Int>? = nil
        /// Region ids: when given, the rows are those regions' capacity metrics (the only
        /// quantities the engine reports per region) instead of the province totals.
        public var regions: [String] = []

        /// Creates a filter.
        public init(metrics: [String] = [], sectors: [String] = [], years: ClosedRange<Int>? = nil, regions: [String] = []) {
            self.metrics = metrics
            self.sectors = sectors
            self.years = years
            self.regions = regions
        }

        func keeps(metric: String) -> Bool {
            metrics.isEmpty || metrics.contains { $0.hasSuffix("*") ? metric.hasPrefix($0.dropLast()) : metric == $0 }
        }

        func keeps(sector: String) -> Bool { sectors.isEmpty || sectors.contains(sector) }
    }

    /// One headline figure of the base and one variant.
    public struct HeadlineDifference: Sendable, Equatable {
        /// Position of the variant.
        public var variant: Int
        /// The figure in the base run (its value 0 when the base lacks it).
        public var base: HeadlineFigures.Figure
        /// The figure in the variant run (its value 0 when the variant lacks it).
        public var variantFigure: HeadlineFigures.Figure
        /// Variant − base, in the figure's unit.
        public var difference: Decimal { variantFigure.value - base.value }
    }

    /// How a ranked row changed.
    public enum Change: String, Sendable, CaseIterable {
        /// Non-zero in both runs.
        case changed
        /// 0 (or absent) in the base, non-zero in the variant.
        case new
        /// Non-zero in the base, 0 (or absent) in the variant.
        case vanished
    }

    /// One difference of a sector total (or all-sector total) in planner units, in one year or over
    /// the programme.
    public struct Row: Sendable, Equatable {
        /// Position of the variant.
        public var variant: Int
        /// Metric name as in `projections.csv`.
        public var metric: String
        /// Sector id, or `all`.
        public var sector: String
        /// Region id, or `all` (the province total).
        public var region: String
        /// The year as text, or `A-B` for the total over the programme (flows summed, stocks at B).
        public var period: String
        /// The planner unit (`万吨/年`, `万吨`, `人`, `亿元`, `个`, `家`, or the table's unit).
        public var unit: String
        /// Base value in `unit`.
        public var baseValue: Double
        /// Variant value in `unit`.
        public var variantValue: Double
        /// Decimals shown in `unit`.
        public var digits: Int
        /// How it changed.
        public var change: Change
        /// Variant − base in `unit`.
        public var difference: Double { variantValue - baseValue }
    }

    /// The comparison this answers.
    public let comparison: ScenarioComparison
    /// The filter applied to the ranked rows (not to the headline).
    public let filter: Filter
    /// Per variant, each headline figure of the base or the variant.
    public let headline: [HeadlineDifference]
    /// Per variant, the differing rows: yearly, programme totals and all-sector totals, filtered
    /// (per region when the filter names regions).
    public let rows: [Row]

    /// Answers `comparison` with `filter`.
    public init(_ comparison: ScenarioComparison, filter: Filter = Filter()) {
        self.comparison = comparison
        self.filter = filter
        let baseFigures = HeadlineFigures(result: comparison.base.result)
        var headline: [HeadlineDifference] = []
        var rows: [Row] = []
        for (v, variant) in comparison.variants.enumerated() {
            let figures = HeadlineFigures(result: variant.result)
            headline += Self.pair(baseFigures, figures, variant: v)
            let values = filter.regions.isEmpty
                ? comparison.differences.filter { $0.variant == v }.map {
                    Value(metric: $0.metric, sector: $0.sector, region: "all", year: $0.year, unit: $0.unit,
                          base: $0.baseValue, variant: $0.variantValue)
                }
                : Self.regionalValues(comparison.base.result, variant.result, regions: filter.regions)
            rows += Self.rows(values, variant: v, filter: filter,
                              lastYear: min(comparison.base.endYear, variant.endYear), firstYear: comparison.base.baseYear + 1)
        }
        self.headline = headline
        self.rows = rows
    }

    /// Matches figures by key, sector and detail; one only one run has is set against 0.
    static func pair(_ base: HeadlineFigures, _ variant: HeadlineFigures, variant v: Int) -> [HeadlineDifference] {
        struct Key: Hashable { var key: String; var sector: String; var detail: String? }
        var order: [Key] = []
        var sides: [Key: (HeadlineFigures.Figure?, HeadlineFigures.Figure?)] = [:]
        for (isBase, figures) in [(true, base.figures), (false, variant.figures)] {
            for f in figures {
                let k = Key(key: f.key, sector: f.sector, detail: f.detail)
                if sides[k] == nil { order.append(k) }
                var s = sides[k] ?? (nil, nil)
                if isBase { s.0 = f } else { s.1 = f }
                sides[k] = s
            }
        }
        // In headline key order, so a figure only the variant has sits with its kind.
        let rank = Dictionary(uniqueKeysWithValues: HeadlineFigures.Key.allCases.enumerated().map { ($1.rawValue, $0) })
        let sorted = order.enumerated().sorted { a, b in
            let (ra, rb) = (rank[a.element.key] ?? 0, rank[b.element.key] ?? 0)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return sorted.map { k in
            let (b, w) = sides[k]!
            var zero = (b ?? w)!
            zero.value = 0
            zero.year = nil
            return HeadlineDifference(variant: v, base: b ?? zero, variantFigure: w ?? zero)
        }
    }

    /// A unit of `projections.csv` in planner units: the factor to divide by, the unit and its decimals.
    static func plannerUnit(_ unit: String) -> (divisor: Double, unit: String, digits: Int)? {
        switch unit {
        case "10kt/yr": return (1, "万吨/年", 2)
        case "10kt": return (1, "万吨", 2)
        case "persons": return (1, "人", 0)
        case "yuan": return (1e8, "亿元", 4)
        case "units": return (1, "个", 0)
        case "enterprises": return (1, "家", 0)
        default: return nil
        }
    }

    /// Whether a metric is a flow in the year (summed over the programme) rather than a stock at
    /// the end of the year (taken at the last year).
    public static func isFlow(_ metric: String) -> Bool {
        if let m = Metric(rawValue: metric) { return m != .capacity && m != .unitsOperating }
        if let f = FinanceMetric.allCases.first(where: { $0.name == metric }) { return !f.isStock }
        if metric == "workers_displaced" || metric == "central_award_allocated" || metric == "job_retention_refund_accrued" {
            return true
        }
        return metric.hasPrefix("workers_placed.") || metric.hasPrefix("cost.") || metric.hasPrefix("paid.")
    }

    /// Whether the sectors' values of a metric add up to a meaningful all-sector total: persons,
    /// yuan and counts do; tonnes of different products and ratios do not.
    static func addsAcrossSectors(_ unit: String) -> Bool { ["persons", "yuan", "units", "enterprises"].contains(unit) }

    /// One value of both runs, before conversion to planner units.
    struct Value {
        var metric: String
        var sector: Sector
        var region: String
        var year: Int
        var unit: String
        var base: Double?
        var variant: Double?
    }

    /// The capacity metrics of `regions` (owner all) in both runs, rounded as `projections.csv`
    /// writes them; a region only one run has keeps an empty side.
    static func regionalValues(_ base: BatchResult, _ variant: BatchResult, regions: [String]) -> [Value] {
        var out: [Value] = []
        let groups = (base.groups + variant.groups.filter { !base.groups.contains($0) })
            .filter { g in g.owner == nil && g.region.map(regions.contains) == true }
        for group in groups {
            for metric in Metric.allCases {
                for year in Array(Set(base.years + variant.years)).sorted() {
                    func side(_ r: BatchResult) -> Double? {
                        guard r.groups.contains(group), r.years.contains(year) else { return nil }
                        let x = r.value(metric, group: group, year: year)
                        return Double(decimalText(x, digits: 6)) ?? x
                    }
                    out.append(Value(metric: metric.rawValue, sector: group.sector, region: group.region ?? "all", year: year,
                                     unit: metric.unit, base: side(base), variant: side(variant)))
                }
            }
        }
        return out
    }

    static func rows(_ differences: [Value], variant v: Int, filter: Filter,
                     lastYear: Int, firstYear: Int) -> [Row] {
        let years = filter.years ?? firstYear...lastYear
        struct Series: Hashable { var metric: String; var sector: String; var region: String }
        var order: [Series] = []
        var values: [Series: [Int: (Double, Double)]] = [:]
        var units: [String: String] = [:]
        func put(_ s: Series, _ year: Int, _ b: Double, _ w: Double) {
            if values[s] == nil { order.append(s) }
            var byYear = values[s] ?? [:]
            let old = byYear[year] ?? (0, 0)
            byYear[year] = (old.0 + b, old.1 + w)
            values[s] = byYear
        }
        for d in differences where years.contains(d.year) && filter.keeps(metric: d.metric) {
            guard d.base != nil || d.variant != nil else { continue }
            let (b, w) = (d.base ?? 0, d.variant ?? 0)
            units[d.metric] = d.unit
            if filter.keeps(sector: d.sector.rawValue) {
                put(Series(metric: d.metric, sector: d.sector.rawValue, region: d.region), d.year, b, w)
            }
            if addsAcrossSectors(d.unit) && filter.keeps(sector: "all") {
                put(Series(metric: d.metric, sector: "all", region: d.region), d.year, b, w)
            }
        }
        var out: [Row] = []
        for s in order {
            let unit = units[s.metric] ?? ""
            let planner = plannerUnit(unit) ?? (1, unit, 6)
            let byYear = values[s] ?? [:]
            func row(_ period: String, _ b: Double, _ w: Double) {
                let (pb, pw) = (b / planner.divisor, w / planner.divisor)
                // Differences below the shown precision are noise of the unit conversion, not changes.
                let scale = pow(10, Double(planner.digits))
                guard (pb * scale).rounded() != (pw * scale).rounded() else { return }
                let change: Change = (pb * scale).rounded() == 0 ? .new : (pw * scale).rounded() == 0 ? .vanished : .changed
                out.append(Row(variant: v, metric: s.metric, sector: s.sector, region: s.region, period: period, unit: planner.unit,
                               baseValue: pb, variantValue: pw, digits: planner.digits, change: change))
            }
            for year in byYear.keys.sorted() { row(String(year), byYear[year]!.0, byYear[year]!.1) }
            let present = byYear.keys.sorted()
            guard let first = present.first, let last = present.last, present.count > 1 else { continue }
            if isFlow(s.metric) {
                row("\(first)-\(last)", byYear.values.reduce(0) { $0 + $1.0 }, byYear.values.reduce(0) { $0 + $1.1 })
            } else {
                row("\(first)-\(last)", byYear[last]!.0, byYear[last]!.1)
            }
        }
        return out
    }

    /// The changed rows of variant `v`, largest |difference| first within each planner unit (units
    /// do not compete), programme totals and all-sector rows included; ties in table order.
    public func ranked(variant v: Int) -> [String: [Row]] {
        var out: [String: [Row]] = [:]
        for r in rows where r.variant == v && r.change == .changed { out[r.unit, default: []].append(r) }
        for (unit, list) in out {
            out[unit] = list.enumerated().sorted { a, b in
                let (da, db) = (abs(a.element.difference), abs(b.element.difference))
                return da != db ? da > db : a.offset < b.offset
            }.map(\.element)
        }
        return out
    }

    /// The units in the order the report lists them: capacity, persons, money, counts, others.
    static func unitOrder(_ units: some Collection<String>) -> [String] {
        let known = ["万吨/年", "万吨", "人", "亿元", "个", "家"]
        return known.filter(units.contains) + units.filter { !known.contains($0) }.sorted()
    }
}

extension ComparisonAnswer {
    /// Header of `headline_comparison.csv`.
    public static let headlineHeader = ["base", "variant", "key", "name_zh", "name_en", "sector", "detail", "unit",
                                        "base_value", "base_year", "variant_value", "variant_year", "difference"]
    /// Header of `comparison_ranked.csv`.
    public static let rankedHeader = ["base", "variant", "change", "rank", "metric", "name_zh", "name_en", "sector",
                                      "region", "period", "unit", "base_value", "variant_value", "difference", "difference_pct"]

    /// `headline_comparison.csv`: every headline figure of the base and each variant.
    public func headlineCSV() -> String {
        var csv = CSVText(header: Self.headlineHeader)
        for h in headline {
            let name = HeadlineFigures.Key(rawValue: h.base.key)?.name ?? DisplayName(zh: h.base.key, en: h.base.key)
            csv.append([comparison.base.label, comparison.variants[h.variant].label, h.base.key, name.zh, name.en,
                        h.base.sector, h.base.detail ?? "", h.base.unit.rawValue, "\(h.base.value)",
                        h.base.year.map(String.init) ?? "", "\(h.variantFigure.value)",
                        h.variantFigure.year.map(String.init) ?? "", "\(h.difference)"])
        }
        return csv.text
    }

    /// `comparison_ranked.csv`: per variant the changed rows ranked within their unit (`rank` 1 =
    /// largest), then the new and the vanished rows (no rank), in planner units.
    public func rankedCSV() -> String {
        var csv = CSVText(header: Self.rankedHeader)
        for v in comparison.variants.indices {
            let ranked = self.ranked(variant: v)
            var list: [(Row, String)] = []
            for unit in Self.unitOrder(ranked.keys) { list += ranked[unit]!.enumerated().map { ($1, String($0 + 1)) } }
            for change in [Change.new, .vanished] { list += rows.filter { $0.variant == v && $0.change == change }.map { ($0, "") } }
            for (r, rank) in list {
                let name = DisplayNames.metric(r.metric)
                csv.append([comparison.base.label, comparison.variants[v].label, r.change.rawValue, rank, r.metric, name.zh,
                            name.en, r.sector, r.region, r.period, r.unit, decimalText(r.baseValue, digits: r.digits),
                            decimalText(r.variantValue, digits: r.digits), decimalText(r.difference, digits: r.digits),
                            r.baseValue != 0 ? decimalText(100 * r.difference / abs(r.baseValue), digits: 2) : ""])
            }
        }
        return csv.text
    }

    /// The terminal report of variant `v`: the headline figures that differ (and the unemployed and
    /// debt written off always, since they are what is asked first), then per unit the `top` largest
    /// differences, then the new and vanished rows (at most `top` of each).
    public func render(variant v: Int, top: Int) -> String {
        let variant = comparison.variants[v]
        var lines = ["\(variant.label) (\(variant.file)) vs \(comparison.base.label): headline "
                     + "\(comparison.base.baseYear + 1)-\(variant.endYear) 要点"]
        // What is asked first is shown even when it did not move, so "no change" is an answer too.
        let always: Set<String> = ["workers_unemployed_peak", "workers_unemployed_end", "workers_without_job_end",
                                   "debt_written_off", "bank_losses"]
        var table = [["figure", "sector", comparison.base.label, variant.label, "difference"]]
        var unchanged = 0
        for h in headline where h.variant == v {
            let moved = h.difference != 0 || h.base.year != h.variantFigure.year
            guard moved || (always.contains(h.base.key) && h.base.sector == "all") else {
                unchanged += 1
                continue
            }
            var bare = h.base
            bare.year = nil
            let label = bare.label
            func cell(_ f: HeadlineFigures.Figure) -> String {
                HeadlineFigures.format(f.value, f.unit) + (f.year.map { " (\($0))" } ?? "")
            }
            table.append([label.en + " " + (HeadlineFigures.Key(rawValue: h.base.key)?.name.zh ?? ""),
                          DisplayNames.sector(id: h.base.sector).en, cell(h.base), cell(h.variantFigure),
                          HeadlineFigures.format(h.difference, h.base.unit, signed: true)])
        }
        lines += SummaryTable.fixedWidth(table, leftColumns: 2)
        if unchanged > 0 { lines.append("(\(unchanged) other headline figures are the same in both runs)") }

        let all = comparison.differences.filter { $0.variant == v }
        let differing = all.filter { ($0.difference ?? 0) != 0 || ($0.baseValue == nil) != ($0.variantValue == nil) }.count
        lines.append("")
        lines.append("\(differing) of \(all.count) values differ (the yearly sector totals of comparison.csv)")
        let ranked = self.ranked(variant: v)
        let yearsText = filter.years.map { " in \($0.lowerBound)-\($0.upperBound)" } ?? ""
        for unit in Self.unitOrder(ranked.keys) {
            let list = ranked[unit]!
            lines.append("")
            lines.append("largest differences in \(unit)\(yearsText) (\(list.count) changed; programme totals: flows summed, "
                         + "stocks at the last year; 'all' = sum over sectors)")
            guard top > 0 else { continue }
            var rows = [["metric", "sector", "region", "period", comparison.base.label, variant.label, "difference", "%"]]
            for r in list.prefix(top) {
                rows.append([r.metric + " " + DisplayNames.metric(r.metric).zh, r.sector, r.region, r.period,
                             HeadlineFigures.grouped(r.baseValue, digits: r.digits),
                             HeadlineFigures.grouped(r.variantValue, digits: r.digits),
                             signedText(r.difference, digits: r.digits),
                             r.baseValue != 0 ? signedText(100 * r.difference / abs(r.baseValue), digits: 1) : ""])
            }
            lines += SummaryTable.fixedWidth(rows, leftColumns: 4)
        }
        for change in [Change.new, .vanished] {
            let list = rows.filter { $0.variant == v && $0.change == change }
            guard !list.isEmpty else { continue }
            lines.append("")
            lines.append(change == .new ? "\(list.count) value(s) 0 in the base, not 0 in the variant (new), not ranked:"
                                        : "\(list.count) value(s) not 0 in the base and 0 in the variant (vanished), not ranked:")
            guard top > 0 else { continue }
            var table = [["metric", "sector", "region", "period", "unit", comparison.base.label, variant.label]]
            for r in list.prefix(top) {
                table.append([r.metric, r.sector, r.region, r.period, r.unit, HeadlineFigures.grouped(r.baseValue, digits: r.digits),
                              HeadlineFigures.grouped(r.variantValue, digits: r.digits)])
            }
            lines += SummaryTable.fixedWidth(table, leftColumns: 5)
            if list.count > top { lines.append("... \(list.count - top) more in comparison_ranked.csv") }
        }
        return lines.joined(separator: "\n")
    }

    private func signedText(_ x: Double, digits: Int) -> String {
        let text = HeadlineFigures.grouped(x, digits: digits)
        return x > 0 && text.contains(where: { $0 != "0" && $0 != "." && $0 != "," }) ? "+" + text : text
    }
}
