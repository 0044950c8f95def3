import ArgumentParser
import CapSimCore
import CapSimIO
import CapSimScenario

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
            a variant, with the year and rule in each run. The terminal shows the largest \
            differences relative to the base first (values that appear from 0 at the top). \
            Scenarios must share their base year; units are matched by facility id.
            """)

    @Argument(help: "The base scenario YAML file.")
    var base: String

    @Argument(help: "One or more variant scenario YAML files.")
    var variants: [String] = []

    @Option(name: .long, help: "Folder to write comparison.csv and closure_changes.csv into.")
    var out: String = "out"

    @Option(name: .long, help: "How many differences and closure changes to print per variant.")
    var top: Int = 20

    @OptionGroup var csv: CSVOutputOptions

    public init() {}

    public func validate() throws {
        guard !variants.isEmpty else { throw ValidationError("give at least one variant scenario after the base") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, got \(top)") }
    }

    public func run() throws {
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
        let files = [("comparison.csv", comparison.comparisonCSV()),
                     ("closure_changes.csv", comparison.closureChangesCSV())]
        do {
            try AtomicOutput.write(files, to: out, csvByteOrderMark: csv.bom)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print(comparison.render(top: top))
        print("wrote " + files.map { "\(out)/\($0.0)" }.joined(separator: ", "))
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
