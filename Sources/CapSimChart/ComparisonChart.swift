import CapSimCore
import CapSimIO

/// The base-vs-variant chart of a `comparison.csv` (written by `capsim compare`): for one metric,
/// a panel per sector with the base and each variant as lines over the years.
public enum ComparisonChart {
    /// The header `capsim compare` writes; one row per variant per metric, sector and year.
    public static let header = ScenarioComparison.comparisonHeader

    /// Reads `path` and builds the chart of `metric` (in every sector, or only `sector`).
    public static func load(file path: String, metric: String = "capacity", sector: String? = nil) throws -> [Chart] {
        try charts(csv: readInputFile(path, writtenBy: "a comparison.csv written by `capsim compare`"),
                   source: path, metric: metric, sector: sector)
    }

    /// Builds the chart of `metric` (in every sector, or only `sector`) from the file's text;
    /// `source` names the file in error messages.
    public static func charts(csv text: String, source: String, metric: String = "capacity",
                              sector: String? = nil) throws -> [Chart] {
        let table = try CSVTable(text: text, source: source, expected: header, numbers: ["base_value", "variant_value"],
                                 integers: ["year"])
        let metrics = distinctInOrder(table.records.map { table.text($0, "metric") })
        guard metrics.contains(metric) else {
            throw ChartInputError(file: source, field: "metric",
                                  message: "unknown metric '\(metric)'; the file has \(listText(metrics))")
        }
        let rows = table.records.filter { table.text($0, "metric") == metric }
        let sectors = distinctInOrder(rows.map { table.text($0, "sector") })
        if let sector, !sectors.contains(sector) {
            throw ChartInputError(file: source, field: "sector",
                                  message: "no sector '\(sector)' for metric \(metric); the file has \(listText(sectors))")
        }
        let chosen = sector.map { [$0] } ?? sectors
        let bases = distinctInOrder(rows.map { table.text($0, "base") })
        let variants = distinctInOrder(rows.map { table.text($0, "variant") })
        let unit = rows.first.map { table.text($0, "unit") } ?? ""

        var panels: [Panel] = []
        for s in chosen {
            // A base's values repeat on every variant's rows: keep one per year.
            var base = [String: [Int: Double]]()
            var variant = [String: [Int: Double]]()
            for record in rows where table.text(record, "sector") == s {
                let year = try table.integer(record, "year")
                base[table.text(record, "base"), default: [:]][year] = try table.number(record, "base_value")
                variant[table.text(record, "variant"), default: [:]][year] = try table.number(record, "variant_value")
            }
            var series: [Series] = []
            for (i, name) in bases.enumerated() where base[name] != nil {
                series.append(Series(label: "\(name) (base)", color: i == 0 ? "#000000" : Palette.color(7 + i),
                                     style: .line(width: 2.5, dashed: false), points: points(base[name]!)))
            }
            for (i, name) in variants.enumerated() where variant[name] != nil {
                series.append(Series(label: name, color: Palette.color(i), style: .line(width: 2, dashed: true),
                                     points: points(variant[name]!)))
            }
            panels.append(Panel(title: "\(s)" + lastYearDifference(base: base, variant: variant, unit: unit),
                                yLabel: "\(DisplayNames.metric(metric).both), \(unitLabel(unit))", series: series, legend: .below,
                                zeroBased: false))
        }
        let title = "\(metric): \(listText(bases)) (base) vs \(listText(variants))"
        return [Chart(name: "compare-" + fileStem(metric) + (sector.map { "-" + fileStem($0) } ?? ""),
                      title: title, panels: panels, columns: 2)]
    }

    private static func points(_ byYear: [Int: Double]) -> [Series.Point] {
        byYear.map { Series.Point(x: Double($0.key), y: $0.value) }
    }

    /// ": variant − base in YEAR = D UNIT (P %)" for one base and one variant, so the gap is read
    /// as a number, not only off the lines; empty otherwise.
    private static func lastYearDifference(base: [String: [Int: Double]], variant: [String: [Int: Double]],
                                           unit: String) -> String {
        guard base.count == 1, variant.count == 1, let b = base.first?.value, let v = variant.first?.value,
              let year = Set(b.keys).intersection(v.keys).max() else { return "" }
        let difference = v[year]! - b[year]!
        let percent = b[year]! != 0 ? " (\(signed(100 * difference / b[year]!, digits: 1)) %)" : ""
        return ": variant − base in \(year) = \(signed(difference, digits: 2)) \(unit)\(percent)"
    }

    private static func signed(_ x: Double, digits: Int) -> String {
        (x > 0 ? "+" : "") + decimalText(x, digits: digits)
    }
}

/// `name` made safe as part of a file name: path separators and spaces become '-'.
func fileStem(_ name: String) -> String {
    String(name.map { "/\\ :*?\"<>|".contains($0) ? "-" : $0 })
}
