import ArgumentParser
import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimWorkbook
import Foundation

/// `capsim compare`: run a base scenario and its variants, and show what each variant changes.
public struct CompareCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run a base scenario and variants of it, and show what each variant changes.",
        discussion: """
            Every sector total of projections.csv (region and owner all: capacity, closures, \
            openings, output, workers and debt) is set against the base run's. comparison.csv has \
            one row per variant, metric, sector and year (metric,sector,year,unit,base,variant,\
            base_value,variant_value,difference,difference_pct), difference = variant - base, \
            difference_pct = difference / |base| x 100 (empty when the base is 0). \
            closure_changes.csv lists every unit that closes earlier, later, no longer or newly in \
            a variant, with the year and rule in each run. headline_comparison.csv has the headline \
            figures (capacity closed, workers displaced, placed, unemployed at the peak and the end, \
            costs by payer, debt written off, swapped, stripped, bank losses, enterprises) of the base \
            and each variant with the difference, in 万吨/年, persons and 亿元; comparison_ranked.csv \
            the differences in those units ranked by size within each unit, with totals over the \
            programme (flows summed, stocks at the last year) and over all sectors ('all'), values \
            new (0 in the base) or vanished (0 in the variant) listed apart. The terminal shows the \
            headline first, then the largest differences. --metric, --sector and --years filter the \
            ranked rows; --region ranks those regions' capacity metrics instead of the province \
            totals. Scenarios must share their base year; units are matched by facility id. \
            --xlsx FILE writes base and variants side by side as an Excel workbook (docs/WORKBOOK.md).

            Examples:
              capsim compare Scenarios/jilin-2016/scenario.yaml Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml --out runs/compare --metric "workers_*" --sector coal,all --years 2018-2020
                  How the 45万吨 threshold changes coal's and all sectors' workers in 2018-2020.
            """)

    @Argument(help: "The base scenario YAML file.")
    var base: String

    @Argument(help: "One or more variant scenario YAML files.")
    var variants: [String] = []

    @Option(name: .long, help: "Folder to write comparison.csv and closure_changes.csv into.")
    var out: String = "out"

    @Option(name: .long, help: "How many differences and closure changes to print per variant.")
    var top: Int = 20

    @Option(name: .long, help: ArgumentHelp("Rank only these metrics (comma-separated; a name ending in * matches every metric it starts, e.g. 'workers_*').", valueName: "names"))
    var metric: String?

    @Option(name: .long, help: ArgumentHelp("Rank only these sectors (comma-separated; 'all' = the all-sector totals).", valueName: "ids"))
    var sector: String?

    @Option(name: .long, help: ArgumentHelp("Rank these regions' capacity metrics (comma-separated region ids) instead of the province totals.", valueName: "ids"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("Rank only these years, and total over them: A-B or one year.", valueName: "A-B"))
    var years: String?

    @Option(name: .long, help: ArgumentHelp("Also write the comparison's Excel workbook to this file (docs/WORKBOOK.md).", valueName: "file"))
    var xlsx: String?

    @OptionGroup var csv: CSVOutputOptions

    public init() {}

    public func validate() throws {
        guard !variants.isEmpty else { throw ValidationError("give at least one variant scenario after the base") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, got \(top)") }
        _ = try filter()
    }

    /// The ranked rows' filter from --metric, --sector, --region and --years.
    func filter() throws -> ComparisonAnswer.Filter {
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let sectors = list(sector)
        let known = Sector.allCases.map(\.rawValue) + ["all"]
        for s in sectors where !known.contains(s) {
            throw ValidationError("--sector: unknown sector '\(s)'; the sectors are \(known.joined(separator: ", "))")
        }
        var range: ClosedRange<Int>?
        if let years {
            let parts = years.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (parts.count == 1 || parts.count == 2), let a = parts.first ?? nil, let b = parts.last ?? nil, a <= b else {
                throw ValidationError("--years: expected A-B with A <= B (e.g. 2016-2018) or one year, got '\(years)'")
            }
            range = a...b
        }
        return ComparisonAnswer.Filter(metrics: list(metric), sectors: sectors, years: range, regions: list(region))
    }

    public func run() throws {
        // Refused before anything runs or is written.
        if let xlsx {
            do { try WorkbookFile.checkDestination(xlsx) } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        let scenarios = try loadAllOrReport([base] + variants)
        let mismatches = ScenarioComparison.mismatches(scenarios)
        guard mismatches.isEmpty else { try exitReporting(mismatches, nothing: "was written") }
        let runs = try scenarios.map { ($0, try checkedRun($0)) }
        let comparison: ScenarioComparison
        do {
            comparison = try ScenarioComparison(base: runs[0], variants: Array(runs.dropFirst()))
        } catch {
            try exitReporting(error.issues, nothing: "was written")
        }
        let filter = try filter()
        let known = Set(runs.flatMap { $0.1.groups.compactMap(\.region) })
        for r in filter.regions where !known.contains(r) {
            printError("error: --region: no region '\(r)' in these scenarios; they have \(known.sorted().joined(separator: ", "))")
            throw ExitCode(1)
        }
        if let years = filter.years {
            let simulated = (scenarios[0].baseYear + 1)...scenarios.map(\.endYear).max()!
            guard simulated.overlaps(years) else {
                printError("error: --years: \(years.lowerBound)-\(years.upperBound) is outside the simulated years "
                           + "\(simulated.lowerBound)-\(simulated.upperBound)")
                throw ExitCode(1)
            }
        }
        let answer = ComparisonAnswer(comparison, filter: filter)
        if !answer.filter.metrics.isEmpty {
            let names = Set(comparison.differences.map(\.metric))
            for m in answer.filter.metrics where !names.contains(where: { m.hasSuffix("*") ? $0.hasPrefix(m.dropLast()) : $0 == m }) {
                let near = names.min { editDistance($0, m) < editDistance($1, m) }
                let hint = near.map { editDistance($0, m) <= max(2, m.count / 3) ? "; did you mean '\($0)'?" : "" } ?? ""
                printError("error: --metric: no metric '\(m)' in these runs\(hint) (the metric column of comparison.csv lists them)")
                throw ExitCode(1)
            }
        }
        let files = [("comparison.csv", comparison.comparisonCSV()),
                     ("closure_changes.csv", comparison.closureChangesCSV()),
                     ("headline_comparison.csv", answer.headlineCSV()),
                     ("comparison_ranked.csv", answer.rankedCSV())]
        do {
            try AtomicOutput.write(files, to: out, csvByteOrderMark: csv.bom)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print(comparison.render(top: top, answer: answer))
        print("wrote " + files.map { "\(out)/\($0.0)" }.joined(separator: ", "))
        if let xlsx {
            do {
                try WorkbookFile.write(CompareWorkbook.tables(answer), to: xlsx)
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            print("wrote \(xlsx)")
        }
    }
}

/// Loads every scenario, or prints every problem in every file to standard error and exits with
/// status 1, so one run of the command shows all that needs fixing.
func loadAllOrReport(_ paths: [String]) throws -> [Scenario] {
    var loaded: [Scenario] = []
    var issues: [ScenarioIssue] = []
    for path in paths {
        do {
            loaded.append(try Scenario.load(path: path))
        } catch {
            issues += error.issues
        }
    }
    guard issues.isEmpty else { try exitReporting(issues) }
    return loaded
}

/// Levenshtein distance between `a` and `b` (insertions, deletions, substitutions), for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
