import CapSimIO
import Foundation

/// Charts of one `capsim run` output folder: capacity by sector, closures per year by rule, and,
/// when the run modelled them, workers by resettlement channel and debt by creditor type.
public enum RunCharts {
    /// Reads `folder/projections.csv` and `folder/closures.csv` and builds the charts.
    /// - Parameters:
    ///   - scenario: which scenario to chart when the files hold several; nil when they hold one.
    ///   - title: a heading to show before the scenario name (e.g. the scenario's Chinese title).
    public static func load(folder: String, scenario: String? = nil, title: String? = nil) throws -> [Chart] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ChartInputError(file: folder, message: "no such folder; expected the --out folder of `capsim run`")
        }
        func read(_ name: String) throws -> (text: String, source: String) {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ChartInputError(file: path, message: "missing; `capsim run` writes it into its --out folder")
            }
            do {
                return (try String(contentsOfFile: path, encoding: .utf8), path)
            } catch {
                throw ChartInputError(file: path, message: "cannot be read as UTF-8 text: \(error.localizedDescription)")
            }
        }
        let projections = try read("projections.csv")
        let closures = try read("closures.csv")
        return try charts(projections: projections.text, projectionsSource: projections.source,
                          closures: closures.text, closuresSource: closures.source, scenario: scenario, title: title)
    }

    /// Builds the charts from the two tables' text; `…Source` names the files in error messages.
    public static func charts(projections: String, projectionsSource: String, closures: String,
                              closuresSource: String, scenario: String? = nil, title: String? = nil) throws -> [Chart] {
        let table = try CSVTable(text: projections, source: projectionsSource,
                                 expected: ProjectionTables.projectionHeader, numbers: ["value"], integers: ["year"])
        let name = try chosenScenario(table, requested: scenario)
        let heading = title.map { "\($0) (\(name))" } ?? name

        // Province totals only: the rows with region=all, owner=all (sector totals for every metric).
        var capacity = [String: [Series.Point]]()
        var sectors: [String] = []
        var capacityUnit = "10kt/yr"
        var channels = Stack(), debt = Stack()
        var waiting = [Int: Double]()
        for record in table.records where table.text(record, "scenario") == name
            && table.text(record, "region") == "all" && table.text(record, "owner") == "all" {
            let metric = table.text(record, "metric")
            let sector = table.text(record, "sector")
            if metric == "capacity" {
                if capacity[sector] == nil { sectors.append(sector) }
                capacity[sector, default: []].append(
                    Series.Point(x: Double(try table.integer(record, "year")), y: try table.number(record, "value")))
                capacityUnit = table.text(record, "unit")
            } else if metric.hasPrefix("workers_placed_cumulative.") {
                channels.add(try table.number(record, "value"),
                             category: String(metric.dropFirst("workers_placed_cumulative.".count)),
                             year: try table.integer(record, "year"))
            } else if metric == "workers_waiting" {
                waiting[try table.integer(record, "year"), default: 0] += try table.number(record, "value")
            } else if metric.hasPrefix("debt.") {
                debt.add(try table.number(record, "value"), category: String(metric.dropFirst("debt.".count)),
                         year: try table.integer(record, "year"))
            }
        }
        guard !sectors.isEmpty else {
            throw ChartInputError(file: projectionsSource, field: "metric",
                                  message: "no 'capacity' rows with region=all, owner=all for scenario \(name)")
        }

        var charts = [Chart(name: "capacity", title: heading, panels: [
            Panel(title: "capacity by sector, end of year", yLabel: "capacity, " + unitLabel(capacityUnit),
                  series: sectors.enumerated().map { i, sector in
                      Series(label: sector, color: Palette.color(i), style: .line(width: 2, dashed: false),
                             points: capacity[sector]!)
                  }),
        ])]
        if let closureChart = try closuresChart(closures, source: closuresSource, scenario: name, heading: heading) {
            charts.append(closureChart)
        }
        if !channels.categories.isEmpty {
            channels.dropZeroCategories()
            var series = channels.series(style: .band(opacity: 0.85))
            // The unresettled sit on top of the placed: the band's top edge is everyone displaced so far.
            let top = Dictionary(uniqueKeysWithValues: channels.years.map { year in
                (year, series.compactMap { $0.points.first { $0.x == Double(year) }?.high }.max() ?? 0)
            })
            if waiting.values.contains(where: { $0 > 0 }) {
                series.append(Series(label: "waiting (unresettled)", color: "#BBBBBB", style: .band(opacity: 0.85),
                                     points: waiting.keys.sorted().map { year in
                                         Series.Point(x: Double(year), low: top[year] ?? 0,
                                                      high: (top[year] ?? 0) + waiting[year]!)
                                     }))
            }
            charts.append(Chart(name: "workers", title: heading, panels: [
                Panel(title: "displaced workers by resettlement channel (cumulative, all sectors)",
                      yLabel: "persons", series: series, legendInverted: true),
            ]))
        }
        if !debt.categories.isEmpty {
            debt.dropZeroCategories()
            charts.append(Chart(name: "debt", title: heading, panels: [
                Panel(title: "enterprise debt by creditor type, end of year (all sectors)",
                      yLabel: "100 million yuan (亿元)", series: debt.series(style: .band(opacity: 0.85), scale: 1e8),
                      legendInverted: true),
            ]))
        }
        return charts
    }

    /// The only scenario in the table, or the requested one; otherwise a message listing them.
    private static func chosenScenario(_ table: CSVTable, requested: String?) throws -> String {
        let names = distinctInOrder(table.records.map { table.text($0, "scenario") })
        if let requested {
            guard names.contains(requested) else {
                throw ChartInputError(file: table.source, field: "scenario",
                                      message: "no scenario '\(requested)'; the file has \(listText(names))")
            }
            return requested
        }
        guard names.count == 1 else {
            throw ChartInputError(file: table.source, field: "scenario",
                                  message: names.isEmpty ? "the table has a header but no rows"
                                      : "the file has \(names.count) scenarios (\(listText(names))); choose one with --scenario")
        }
        return names[0]
    }

    /// Units closed per year, stacked by the rule that closed them; nil when nothing closed.
    private static func closuresChart(_ text: String, source: String, scenario: String, heading: String) throws
        -> Chart? {
        let table = try CSVTable(text: text, source: source, expected: ProjectionTables.closureHeader,
                                 numbers: ["capacity_10kt"], integers: ["year"])
        var stack = Stack()
        for record in table.records where table.text(record, "scenario") == scenario {
            stack.add(1, category: table.text(record, "rule"), year: try table.integer(record, "year"))
        }
        guard !stack.categories.isEmpty else { return nil }
        return Chart(name: "closures", title: heading, panels: [
            Panel(title: "units closed per year, by the rule that closed them", yLabel: "units closed",
                  series: stack.series(style: .bar(width: 0.7)), legendInverted: true),
        ])
    }
}

/// A unit with its Chinese reading where planners use it.
func unitLabel(_ unit: String) -> String {
    switch unit {
    case "10kt/yr": return "10kt/yr (万吨/年)"
    case "10kt": return "10kt (万吨)"
    case "yuan": return "yuan (元)"
    default: return unit
    }
}
