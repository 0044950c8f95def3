import ArgumentParser
import CapSimIO
import CapSimScenario

/// `capsim end-state`: run a scenario and write the facility tables and replacement credit as the
/// run leaves them at its end year, for a later programme's scenario to start from.
public struct EndStateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "end-state",
        abstract: "Run a scenario and write its end state: facility tables and unused replacement credit.",
        discussion: """
            Writes, into --out, one facility table per input table (same file names, units closed by the end \
            year left out, operating units with their capacity and workers after capacity changes and the \
            reserve left at the start of the next year) and replacement-credit.csv (each enterprise's unused \
            credit per sector). A later scenario lists them under facilityTables and replacementCreditTables \
            with baseYear = this scenario's endYear (docs/SCENARIO-FORMAT.md, "End state of a run").
            Example: capsim end-state Scenarios/jilin-2016/scenario.yaml --out Scenarios/jilin-2020/facilities
            """)

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(name: .long, help: "Folder to write the tables into.")
    var out: String

    public init() {}

    public func run() throws {
        let loaded = try loadOrReport(scenario)
        let result = try checkedRun(loaded)
        let state = EndState(scenario: loaded, result: result)
        let files = state.facilityTables.map { (name: $0.name, contents: $0.text) }
            + [(name: "replacement-credit.csv", contents: state.replacementCredit)]
        do {
            try AtomicOutput.write(files, to: out)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        for id in state.leftOut {
            print("note: planned unit \(id) had not opened by \(loaded.endYear) and is left out")
        }
        print("wrote " + files.map { "\(out)/\($0.name)" }.joined(separator: ", "))
    }
}
