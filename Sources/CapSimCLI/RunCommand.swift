import ArgumentParser
import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimWorkbook
import Foundation

/// `capsim run`: load a scenario, run it, write the projection tables and print a summary.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its projection tables.",
        discussion: """
            Writes projections.csv (long format: scenario,year,sector,region,owner,metric,unit,value),
            closures.csv (one row per closure, with the rule and the numbers that made it fire),
            openings.csv (new units opened or blocked by capacity replacement), prefectures.csv (per \
            year, sector and prefecture: capacity and units closed, workers displaced, with the \
            region's Chinese name) and, when the scenario
            models debt, enterprises.csv (every enterprise's accounts), and summary.json (the
            printed summary for other programs, schema in docs/SUMMARY-JSON.md). Files are written atomically:
            on any error (a full disk included) nothing is written, not even the folder. A run killed
            while writing leaves hidden .capsim-tmp-* files, which the next write into the folder removes.
            It prints the headline figures first (万吨/年, persons, 亿元: capacity closed, workers \
            displaced and placed, unemployed at the peak and the end, costs by payer, debt written \
            off), then per sector tables, then the sanity warnings (a rule, channel or fund that never \
            acts, a prefecture used by one unit, a capacity far from its sector's; docs/WARNINGS.md), \
            which --strict turns into errors (nothing written, exit status 1). --xlsx FILE also \
            writes the Excel workbook (docs/WORKBOOK.md).

            Examples:
              capsim run Scenarios/jilin-2016/scenario.yaml --out runs/jilin-xlsx --xlsx runs/jilin.xlsx
                  Run Jilin and write its workbook beside the run folder.
            """)

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(name: .long, help: "Folder to write the tables into.")
    var out: String = "out"

    @Option(name: .long, help: ArgumentHelp("Also write the run's Excel workbook to this file (docs/WORKBOOK.md).", valueName: "file"))
    var xlsx: String?

    @Flag(name: .long, help: "Treat the sanity warnings (docs/WARNINGS.md) as errors: print them and write nothing, exit status 1.")
    var strict = false

    @OptionGroup var csv: CSVOutputOptions

    public init() {}

    public func run() throws {
        // Refused before anything runs or is written (a workbook inside --out is checked once that exists).
        if let xlsx, URL(fileURLWithPath: xlsx).deletingLastPathComponent().standardized != URL(fileURLWithPath: out).standardized {
            do { try WorkbookFile.checkDestination(xlsx) } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        let loaded = try loadOrReport(scenario)
        let result = try checkedRun(loaded)
        // Each table is streamed to its file as it is formatted: memory stays flat in the run's size.
        var files = [
            AtomicOutput.Stream(name: "projections.csv") { try ProjectionTables.writeProjections(result, to: $0) },
            AtomicOutput.Stream(name: "closures.csv") {
                try ProjectionTables.writeClosures(result, facilities: loaded.facilities, to: $0)
            },
            AtomicOutput.Stream(name: "openings.csv") {
                try ProjectionTables.writeOpenings(result, facilities: loaded.facilities, to: $0)
            },
        ]
        files.append(AtomicOutput.Stream(name: "prefectures.csv") { try PrefectureTable.write(loaded, result, to: $0) })
        if result.finance != nil {
            files.append(AtomicOutput.Stream(name: "enterprises.csv") { try ProjectionTables.writeEnterpriseAccounts(result, to: $0) })
        }
        // Only for scenarios that list capacity changes or output targets (docs/SCENARIO-FORMAT.md).
        if !loaded.policy.capacityChanges.isEmpty {
            files.append(AtomicOutput.Stream(name: "capacity-changes.csv") {
                try ProjectionTables.writeCapacityChanges(result, facilities: loaded.facilities, to: $0)
            })
        }
        if !loaded.policy.outputTargets.isEmpty {
            files.append(AtomicOutput.Stream(name: "output-shortfalls.csv") { try ProjectionTables.writeOutputShortfalls(result, to: $0) })
        }
        var runSummary = RunSummary(scenario: loaded, result: result)
        if let base = try variantBase(of: loaded),
           let same = ScenarioWarnings.variantWithoutEffect(loaded, result: result, baseResult: base) {
            runSummary.warnings?.append(same)
        }
        let warnings = runSummary.warnings ?? []
        if strict, !warnings.isEmpty { try exitOnStrict(warnings, then: "nothing was written") }
        let summary = runSummary.json()
        files.append(AtomicOutput.Stream(name: "summary.json") { $0.raw(Array(summary.utf8)) })
        do {
            try AtomicOutput.write(files, to: out, csvByteOrderMark: csv.bom)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print("\(loaded.name): \(loaded.title), \(loaded.baseYear)-\(loaded.endYear)")
        print(HeadlineFigures(result: result).render())
        print(SummaryTable.render(result))
        if let workers = SummaryTable.renderWorkers(result) { print(workers) }
        if let debt = SummaryTable.renderDebt(result) { print(debt) }
        for s in result.shortfalls {
            print("warning: target \(s.target) in \(s.year) not met: \(decimalText(s.closedCapacity)) of "
                  + "\(decimalText(s.targetCapacity)) 10kt/yr closed (no candidates left)")
        }
        for b in result.blockedOpenings {
            let f = loaded.facilities[b.facility]
            print("warning: new unit \(f.id) (\(f.name)) did not open: replacement needs "
                  + "\(decimalText(b.creditNeeded10kt)) 10kt/yr retired, \(f.enterprise) has \(decimalText(b.creditAvailable10kt))")
        }
        for b in result.blockedCapacityChanges {
            let f = loaded.facilities[b.facility]
            print("warning: capacity change \(b.change) of \(f.id) (\(f.name)) due \(b.year) did not apply: \(b.reason.rawValue)"
                  + (b.reason == .insufficientCredit ? ", replacement needs \(decimalText(b.creditNeeded10kt)) 10kt/yr retired, "
                     + "\(f.enterprise) has \(decimalText(b.creditAvailable10kt))" : ""))
        }
        for s in result.outputShortfalls {
            print("warning: output target \(s.target) in \(s.year) not met: \(decimalText(s.output10kt)) of "
                  + "\(decimalText(s.goal10kt)) 10kt at utilisation \(decimalText(s.ceiling)) (the ceiling)")
        }
        printWarnings(warnings)
        print("wrote " + files.map { "\(out)/\($0.name)" }.joined(separator: ", ")
              + " (\(result.closures.count) closures, \(result.openings.count) openings)")
        if let xlsx {
            // Built from the files just written, so the workbook is exactly what `capsim xlsx` gives.
            do {
                try WorkbookFile.write(try RunWorkbook.tables(runFolder: out), to: xlsx)
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            print("wrote \(xlsx)")
        }
    }
}

/// The run of the scenario `variant` extends (the file before it in its chain), for the check that
/// a variant's changes have an effect; nil for a scenario that extends none.
func variantBase(of variant: Scenario) throws -> BatchResult? {
    guard variant.chain.count > 1 else { return nil }
    let base = try loadOrReport(variant.chain[variant.chain.count - 2])
    return Engine.run(base.batch(), options: Engine.Options(checkInvariants: false))
}

/// Prints the sanity warnings, one a line (`warning: subject: reason`).
func printWarnings(_ warnings: [ScenarioWarning]) {
    for w in warnings { print("warning: \(w.text) [\(w.kind.rawValue)]") }
}

/// Under `--strict`: prints the warnings as errors to standard error and exits with status 1.
func exitOnStrict(_ warnings: [ScenarioWarning], then: String) throws -> Never {
    for w in warnings { printError("error: \(w.text) [\(w.kind.rawValue)]") }
    printError("error: \(warnings.count) warning\(warnings.count == 1 ? "" : "s") under --strict; \(then)")
    throw ExitCode(1)
}

/// Loads a scenario, or prints every problem to standard error and exits with status 1.
func loadOrReport(_ path: String) throws -> Scenario {
    try loadAllOrReport([path])[0]
}
