import ArgumentParser
import CapSimChart
import CapSimRunner
import CapSimStore
import Foundation

/// `capsim chart`: PNG/SVG charts of a run folder, a comparison or a sweep's quantiles.
public struct ChartCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Draw charts (PNG, SVG) of a run, a comparison or a sweep with gnuplot.",
        discussion: """
            One input per call: a run folder (capacity by sector, closures per year by rule, \
            workers by resettlement channel and debt by creditor type when the run has them), \
            --compare FILE (a comparison.csv: base and variant lines per sector), or --fan FILE \
            (a sweep's quantile table: median with 50 % and 90 % bands per policy). Needs gnuplot \
            and a CJK font (scripts/setup installs gnuplot-nox and fonts-wqy-microhei). Images \
            are written atomically: on any error nothing is written.

            Examples:
              capsim chart out --out charts
                  capacity.png, closures.png, workers.png, debt.png of the run in out/.
              capsim chart out --title "吉林省 2016-2020 去产能" --format both
                  The same with a Chinese heading, as PNG and SVG, into charts/.
              capsim chart --compare out/comparison.csv --metric capacity
                  compare-capacity.png: base and variants, a panel per sector (comparison.csv
                  written by `capsim compare`).
              capsim chart --fan runs/quantiles.csv --metric capacity --sector coal
                  fan-capacity-coal.png: median and bands, a panel per policy (quantiles.csv
                  written by `capsim analyze quantiles ... --out runs/quantiles.csv`).
              capsim chart --fan runs/sweep.sqlite --metric workers_unemployed --sector coal
                  The same straight from a sweep's store.
            """)

    @Argument(help: "A `capsim run` output folder (holding projections.csv and closures.csv).")
    var runFolder: String?

    @Option(name: .long, help: ArgumentHelp("A comparison.csv to chart base against variant.", valueName: "file"))
    var compare: String?

    @Option(name: .long, help: ArgumentHelp("A sweep store (.sqlite), or its quantile CSV, to draw fan charts from.", valueName: "file"))
    var fan: String?

    @Option(name: .long, help: "Metric to chart with --compare (default capacity) or --fan (required).")
    var metric: String?

    @Option(name: .long, help: "Only this sector (--compare, --fan); default every sector.")
    var sector: String?

    @Option(name: .long, help: "Scenario to chart when the run folder holds several.")
    var scenario: String?

    @Option(name: .long, help: "Heading shown before the scenario name (run folder charts).")
    var title: String?

    @Option(name: .long, help: "png, svg or both.")
    var format: FormatChoice = .png

    @Option(name: .long, help: "Font family for all text; must have CJK glyphs for Chinese names.")
    var font: String = Gnuplot.defaultFont

    @Option(name: .long, help: "Folder to write the images into.")
    var out: String = "charts"

    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case png, svg, both
        var formats: [ImageFormat] { self == .both ? [.png, .svg] : [ImageFormat(rawValue: rawValue)!] }
    }

    public init() {}

    public func validate() throws {
        let inputs = [runFolder, compare, fan].compactMap { $0 }
        guard inputs.count == 1 else {
            throw ValidationError("give exactly one input: a run folder, --compare FILE or --fan FILE")
        }
        if fan != nil && metric == nil { throw ValidationError("--fan needs --metric (e.g. --metric capacity)") }
        if runFolder != nil && (metric != nil || sector != nil) {
            throw ValidationError("--metric and --sector apply to --compare and --fan, not to a run folder")
        }
        if runFolder == nil && (scenario != nil || title != nil) {
            throw ValidationError("--scenario and --title apply to a run folder")
        }
    }

    public func run() throws {
        do {
            let charts: [Chart]
            if let runFolder {
                charts = try RunCharts.load(folder: runFolder, scenario: scenario, title: title)
                if !charts.contains(where: { $0.name == "closures" }) {
                    printError("note: \(runFolder)/closures.csv has no closures: no closures chart")
                }
            } else if let compare {
                charts = try ComparisonChart.load(file: compare, metric: metric ?? "capacity", sector: sector)
            } else {
                charts = try fanCharts(fan!)
            }
            let written = try ChartWriter.write(charts, formats: format.formats, to: out,
                                                gnuplot: Gnuplot.locate(font: font))
            for warning in written.warnings { printError("warning: gnuplot: \(warning)") }
            print("wrote " + written.paths.joined(separator: ", "))
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            printError("nothing was written")
            throw ExitCode(1)
        }
    }

    /// Fan charts from a sweep store (recognised by the SQLite header) or a quantile CSV.
    private func fanCharts(_ path: String) throws -> [Chart] {
        // Only the 16-byte header is read to tell a store (which may be gigabytes) from a CSV.
        let handle = FileHandle(forReadingAtPath: path)
        let head = try handle?.read(upToCount: 16)
        try handle?.close()
        guard head == Data("SQLite format 3\u{0}".utf8) else {
            return try FanChart.load(file: path, metric: metric!, sector: sector)
        }
        let csv = try SweepAnalysis.quantilesCSV(SweepStore.read(path: path), metric: metric, sector: sector)
        return try FanChart.charts(csv: csv, source: path, metric: metric!, sector: sector)
    }
}
