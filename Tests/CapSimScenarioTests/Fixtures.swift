import CapSimScenario
import CapSimTestSupport
import Foundation
import Testing

/// A fresh folder under the system's temporary directory (CapSimTestSupport's `temporaryPath`, so
/// also removed at process exit), removed when the value goes away.
final class TempFolder {
    let url: URL

    init() {
        url = temporaryPath("scenario")
        // Creating an empty folder in the temporary directory fails only on a broken machine.
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder (the file need not exist).
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path(name)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}

/// The documented header, written out rather than taken from the reader so a change there shows.
let header = "id,name,kind,enterprise,owner,region,capacity_10kt,size,start_year,reserve_years,"
    + "unit_cost_yuan_per_t,price_yuan_per_t,logistics_km,safety_flag,workers,source"

/// One CSV data row with plausible defaults; coal mines get 20 reserve years unless told.
func row(_ id: String, kind: String = "coal_mine", enterprise: String = "ent", owner: String = "state",
         region: String = "north", capacity: String = "10", size: String = "10", start: String = "2000",
         reserve: String? = nil, cost: String = "300", price: String = "320", logistics: String = "150",
         safety: String = "0", workers: String = "200", source: String = "test row") -> String {
    let reserveCell = reserve ?? (kind == "coal_mine" ? "20" : "")
    return [id, "矿 \(id)", kind, enterprise, owner, region, capacity, size, start, reserveCell, cost, price,
            logistics, safety, workers, source].joined(separator: ",")
}

/// A table: the header, then the rows, LF line endings.
func table(_ rows: [String], header h: String = header) -> String {
    ([h] + rows).joined(separator: "\n") + "\n"
}

/// A scenario file over `tables`, with `extra` appended (indentation as written).
func scenarioText(_ extra: String = "", tables: [String] = ["mines.csv"], baseYear: Int = 2015,
                  endYear: Int = 2020) -> String {
    var lines = ["name: test", "baseYear: \(baseYear)", "endYear: \(endYear)", "facilityTables:"]
    lines += tables.map { "  - \($0)" }
    return lines.joined(separator: "\n") + "\n" + extra
}

/// The standard mine table: two coal mines in two regions and a blast furnace.
let standardMines = table([
    row("m1"), row("m2", owner: "private", region: "south", size: "5", reserve: "3"),
    row("bf1", kind: "blast_furnace", size: "400"),
])

/// 1-based number of the first line of `text` containing `marker`.
func lineOf(_ marker: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let i = lines.firstIndex(where: { $0.contains(marker) }) else {
        Issue.record("marker '\(marker)' not in the text", sourceLocation: sourceLocation)
        return nil
    }
    return i + 1
}

/// 1-based numbers of every line of `text` containing `marker`.
func linesOf(_ marker: String, in text: String) -> [Int] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        .filter { $0.element.contains(marker) }.map { $0.offset + 1 }
}

/// The issues loading `path` reports; records a test issue if loading succeeds.
func issues(loading path: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ScenarioIssue] {
    do {
        _ = try Scenario.load(path: path)
        Issue.record("expected the scenario to fail to load", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.issues
    }
}

/// Loads a folder with `scenario.yaml` = `yaml` and `mines.csv` = `mines`; returns the YAML path,
/// the table path and the issues.
func load(yaml: String, mines: String = standardMines, folder: TempFolder,
          sourceLocation: SourceLocation = #_sourceLocation) -> (yaml: String, csv: String, issues: [ScenarioIssue]) {
    let csv = folder.write("mines.csv", mines)
    let path = folder.write("scenario.yaml", yaml)
    return (path, csv, issues(loading: path, sourceLocation: sourceLocation))
}

/// Expects exactly one issue in `found`, at `file`, `line`, `row` and `field`, whose message
/// contains `message`.
func expectSingle(_ found: [ScenarioIssue], file: String, line: Int?, row: Int? = nil, field: String?,
                  message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(found.count == 1, "issues: \(found)", sourceLocation: sourceLocation)
    expectIssue(found, file: file, line: line, row: row, field: field, message: message,
                sourceLocation: sourceLocation)
}

/// Expects an issue in `found` at `file`, `line`, `row` and `field` whose message contains `message`.
func expectIssue(_ found: [ScenarioIssue], file: String, line: Int?, row: Int? = nil, field: String?,
                 message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let match = found.contains {
        $0.file == file && $0.line == line && $0.row == row && $0.field == field && $0.message.contains(message)
    }
    #expect(match, "no issue \(file):\(line.map(String.init) ?? "-") row \(row.map(String.init) ?? "-") \(field ?? "-") '\(message)' in \(found)",
            sourceLocation: sourceLocation)
}
