import CapSimChart
import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation
import Testing
import CapSimTestSupport

/// Run-folder charts built from a real Jilin run: the plotted figures are the tables' figures.
@Suite(.removesTemporaryFiles) struct RunChartsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// projections.csv and closures.csv of the Jilin scenario, as `capsim run` writes them.
    static let jilin: Result<(projections: String, closures: String), any Error> = Result {
        let scenario = try Scenario.load(path: packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        let result = Engine.run(scenario.batch(), options: Engine.Options(checkInvariants: true))
        return (ProjectionTables.projections(result), ProjectionTables.closures(result, facilities: scenario.facilities))
    }

    /// The Jilin tables, or the test fails with the loader's message (not a crash).
    static func jilinTables() throws -> (projections: String, closures: String) { try jilin.get() }

    func charts(title: String? = nil) throws -> [Chart] {
        let jilin = try Self.jilinTables()
        return try RunCharts.charts(projections: jilin.projections, projectionsSource: "projections.csv",
                                    closures: jilin.closures, closuresSource: "closures.csv", title: title)
    }

    /// Province total of `metric` per year, summed over sectors, read straight from the CSV.
    func totals(_ metric: (String) -> Bool) throws -> [Int: Double] {
        var sums = [Int: Double]()
        for record in try CSVParser.parse(Self.jilinTables().projections).dropFirst()
        where record.fields[3] == "all" && record.fields[4] == "all" && metric(record.fields[5]) {
            let year = try #require(Int(record.fields[1])), value = try #require(Double(record.fields[7]))
            sums[year, default: 0] += value
        }
        return sums
    }

    /// Top edge of a stacked chart per year.
    func stackTop(_ chart: Chart) -> [Int: Double] {
        var top = [Int: Double]()
        for series in chart.panels.first?.series ?? [] {
            for p in series.points { top[Int(p.x)] = max(top[Int(p.x)] ?? 0, p.high) }
        }
        return top
    }

    @Test func jilinHasAllFourChartsTitledWithTheScenario() throws {
        let charts = try charts(title: "吉林省 2016-2020 去产能")
        #expect(charts.map(\.name) == ["capacity", "closures", "workers", "debt"])
        #expect(charts.allSatisfy { $0.title == "吉林省 2016-2020 去产能 (jilin-2016)" })
        #expect(try self.charts().first?.title == "jilin-2016")
    }

    @Test func capacityLinesAreTheProvinceTotalsPerSector() throws {
        let capacity = try #require(charts().first { $0.name == "capacity" })
        let series = try #require(capacity.panels.first, "no panel").series
        #expect(series.map(\.label) == ["coal", "iron", "steel", "clinker", "grinding"])
        let coal = try #require(series.first)
        // The README's summary: coal 4897 in 2015, 2164 in 2020.
        #expect(coal.points.first == Series.Point(x: 2015, y: 4897))
        #expect(coal.points.last == Series.Point(x: 2020, y: 2164))
        let total = try totals { $0 == "capacity" }
        for year in 2015...2020 {
            let sum = series.compactMap { $0.points.first { $0.x == Double(year) }?.high }.reduce(0, +)
            #expect(abs(sum - (total[year] ?? .nan)) < 1e-6, "capacity \(year)")
        }
    }

    @Test func closureBarsCountTheClosuresOfEachYearAndRule() throws {
        let chart = try #require(charts().first { $0.name == "closures" })
        var perYear = [Int: Double](), perRule = [String: Int]()
        for record in try CSVParser.parse(Self.jilinTables().closures).dropFirst() {
            perYear[try #require(Int(record.fields[1])), default: 0] += 1
            perRule[record.fields[10], default: 0] += 1
        }
        #expect(stackTop(chart) == perYear)
        for series in try #require(chart.panels.first, "no panel").series {
            let count = series.points.map { $0.high - $0.low }.reduce(0, +)
            #expect(Int(count) == perRule[series.label ?? ""], "rule \(series.label ?? "(none)")")
        }
        #expect(perYear[2016] == 99)
    }

    @Test func workerStackTopsAreEveryoneDisplacedSoFar() throws {
        let chart = try #require(charts().first { $0.name == "workers" })
        let displaced = try totals { $0 == "workers_displaced_cumulative" }
        let top = stackTop(chart)
        for (year, persons) in displaced { #expect(abs((top[year] ?? 0) - persons) < 1e-3, "year \(year)") }
        #expect(displaced[2020] == 73110)
        // Channels switched off in Jilin (public welfare, contract termination, ...) are left out.
        #expect(!(chart.panels.first?.series ?? []).contains { $0.label == "public-welfare" })
    }

    @Test func debtStackTopsAreTotalDebtInHundredMillionYuan() throws {
        let chart = try #require(charts().first { $0.name == "debt" })
        let debt = try totals { $0 == "debt" }
        for (year, yuan) in debt { #expect(abs((stackTop(chart)[year] ?? .nan) - yuan / 1e8) < 1e-6, "year \(year)") }
        let labels = Set(try #require(chart.panels.first, "no panel").series.compactMap(\.label))
        #expect(labels.isSuperset(of: ["bank_loans", "bonds"]))
    }

    @Test func runWithoutWorkersOrDebtHasOnlyCapacityAndClosures() throws {
        let projections = "scenario,year,sector,region,owner,metric,unit,value\n"
            + "s,2015,coal,all,all,capacity,10kt/yr,10\ns,2016,coal,all,all,capacity,10kt/yr,8\n"
        let closures = ProjectionTables.closureHeader.joined(separator: ",") + "\n"
            + "s,2016,c1,矿,coal,coal_mine,e,state,r,2,size-rule,why\n"
        let charts = try RunCharts.charts(projections: projections, projectionsSource: "p.csv",
                                          closures: closures, closuresSource: "c.csv")
        #expect(charts.map(\.name) == ["capacity", "closures"])
    }

    @Test func severalScenariosNeedAChoice() throws {
        let projections = "scenario,year,sector,region,owner,metric,unit,value\n"
            + "a,2015,coal,all,all,capacity,10kt/yr,10\nb,2015,coal,all,all,capacity,10kt/yr,8\n"
        let closures = ProjectionTables.closureHeader.joined(separator: ",") + "\n"
        #expect {
            try RunCharts.charts(projections: projections, projectionsSource: "p.csv", closures: closures,
                                 closuresSource: "c.csv")
        } throws: { "\($0)" == "p.csv: scenario: the file has 2 scenarios (a and b); choose one with --scenario" }
        let b = try RunCharts.charts(projections: projections, projectionsSource: "p.csv", closures: closures,
                                     closuresSource: "c.csv", scenario: "b")
        #expect(b[0].panels[0].series[0].points == [Series.Point(x: 2015, y: 8)])
        #expect {
            try RunCharts.charts(projections: projections, projectionsSource: "p.csv", closures: closures,
                                 closuresSource: "c.csv", scenario: "c")
        } throws: { "\($0)" == "p.csv: scenario: no scenario 'c'; the file has a and b" }
    }

    @Test func wrongClosureHeaderIsLocated() throws {
        let bad = try Self.jilinTables().closures.replacingOccurrences(of: "capacity_10kt,rule", with: "capacity_10kt,rules")
        #expect {
            try RunCharts.charts(projections: Self.jilinTables().projections, projectionsSource: "run/projections.csv",
                                 closures: bad, closuresSource: "run/closures.csv")
        } throws: { "\($0)".hasPrefix("run/closures.csv:1: header: column 11 is 'rules', expected 'rule'") }
    }

    @Test func badValueIsLocatedByLineAndColumn() throws {
        var lines = try Self.jilinTables().projections.components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.contains(",coal,all,all,capacity,") })
        lines[row] = lines[row].replacingOccurrences(of: ",10kt/yr,", with: ",10kt/yr,lots")
        #expect {
            try RunCharts.charts(projections: lines.joined(separator: "\n"), projectionsSource: "p.csv",
                                 closures: try Self.jilinTables().closures, closuresSource: "c.csv")
        } throws: {
            "\($0)".hasPrefix("p.csv:\(row + 1): row \(row), value: '") && "\($0)".hasSuffix("' is not a decimal number")
        }
    }

    /// A damaged table is an error even in rows no chart reads (another metric, region or
    /// scenario), and numbers are decimal only (hexadecimal, inf and nan are damage too).
    @Test(arguments: ["0x10", "inf", "nan", "1e999", "", "12 kt"])
    func damageAnywhereInTheTableIsAnError(_ cell: String) throws {
        var lines = try Self.jilinTables().projections.components(separatedBy: "\n")
        // An `output` row of a region: the charts draw only capacity, workers and debt totals.
        let row = try #require(lines.firstIndex { $0.contains(",output,") && !$0.contains(",all,all,") })
        var cells = lines[row].components(separatedBy: ",")
        cells[cells.count - 1] = cell
        lines[row] = cells.joined(separator: ",")
        #expect {
            try RunCharts.charts(projections: lines.joined(separator: "\n"), projectionsSource: "p.csv",
                                 closures: try Self.jilinTables().closures, closuresSource: "c.csv")
        } throws: { "\($0)" == "p.csv:\(row + 1): row \(row), value: '\(cell)' is not a decimal number" }
    }

    @Test func damagedClosuresAreLocated() throws {
        var lines = try Self.jilinTables().closures.components(separatedBy: "\n")
        lines[3] += ",extra"
        #expect {
            try RunCharts.charts(projections: try Self.jilinTables().projections, projectionsSource: "p.csv",
                                 closures: lines.joined(separator: "\n"), closuresSource: "c.csv")
        } throws: { "\($0)" == "c.csv:4: row 3: 13 fields, the header has 12" }
        lines = try Self.jilinTables().closures.components(separatedBy: "\n")
        // The year is the second field; the reason (last) is quoted and holds commas.
        var cells = lines[5].split(separator: ",", maxSplits: 2).map(String.init)
        cells[1] = "0x7E0"
        lines[5] = cells.joined(separator: ",")
        #expect {
            try RunCharts.charts(projections: try Self.jilinTables().projections, projectionsSource: "p.csv",
                                 closures: lines.joined(separator: "\n"), closuresSource: "c.csv")
        } throws: { "\($0)" == "c.csv:6: row 5, year: '0x7E0' is not an integer" }
    }

    @Test func missingFolderAndFilesAreNamed() throws {
        #expect { try RunCharts.load(folder: "/nonexistent/run") } throws: {
            "\($0)".hasPrefix("/nonexistent/run: no such folder")
        }
        let empty = temporaryPath("chart")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect { try RunCharts.load(folder: empty.path) } throws: {
            "\($0)".hasPrefix(empty.path + "/projections.csv: missing")
        }
    }
}
