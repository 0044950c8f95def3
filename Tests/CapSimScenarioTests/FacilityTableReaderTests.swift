import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Facility tables: header checks, cell checks located by row and physical line, and the
/// accepted CSV forms.
@Suite struct FacilityTableReaderTests {
    @Test func documentedColumnsAreTheReadersColumns() {
        #expect(FacilityTableReader.columns.joined(separator: ",") == header)
    }

    // MARK: header

    @Test func unknownColumn() {
        let folder = TempFolder()
        let mines = table([row("m1") + ",blue"], header: header + ",colour")
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 1, field: "colour", message: "unknown column")
    }

    @Test func missingColumn() {
        let folder = TempFolder()
        let h = header.replacingOccurrences(of: ",logistics_km", with: "")
        let r = row("m1").split(separator: ",").enumerated().filter { $0.offset != 12 }.map(\.element)
            .joined(separator: ",")
        let (_, csv, found) = load(yaml: scenarioText(), mines: table([r], header: h), folder: folder)
        expectSingle(found, file: csv, line: 1, field: "logistics_km", message: "missing column")
    }

    @Test func repeatedColumn() {
        let folder = TempFolder()
        let (_, csv, found) = load(yaml: scenarioText(), mines: table([row("m1") + ",x"], header: header + ",source"),
                                   folder: folder)
        expectSingle(found, file: csv, line: 1, field: "source", message: "twice")
    }

    @Test func headerAfterBlankLinesIsLocatedOnItsLine() {
        let folder = TempFolder()
        let (_, csv, found) = load(yaml: scenarioText(), mines: "\n\n" + table([row("m1")], header: header + ",extra"),
                                   folder: folder)
        expectSingle(found, file: csv, line: 3, field: "extra", message: "unknown column")
    }

    // MARK: cells

    @Test func negativeCapacityIsLocatedByRowAndLine() {
        let folder = TempFolder()
        // Row 1's name spans two physical lines, so row 2 starts on line 4.
        let first = row("m1").replacingOccurrences(of: "矿 m1", with: "\"矿\nm1, 一井\"")
        let mines = table([first, row("m2", capacity: "-5")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 4, row: 2, field: "capacity_10kt", message: "-5")
    }

    @Test func blankLinesDoNotCountAsRows() {
        let folder = TempFolder()
        let mines = header + "\n" + row("m1") + "\n\n" + row("m2", size: "big") + "\n"
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 4, row: 2, field: "size", message: "big")
    }

    @Test func unknownKind() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("m2"), row("x", kind: "coalmine", reserve: "")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 4, row: 3, field: "kind", message: "coalmine")
    }

    @Test func reserveYearsMissingForACoalMine() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("m2", reserve: "")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 3, row: 2, field: "reserve_years", message: "coal mine")
    }

    @Test func reserveYearsGivenForAFurnace() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("bf", kind: "blast_furnace", reserve: "12")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 3, row: 2, field: "reserve_years", message: "blast_furnace")
    }

    @Test func badCellsOfOneRowAreAllReported() {
        let folder = TempFolder()
        let mines = table([row("", owner: "public", start: "1850", safety: "2", workers: "many")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        #expect(found.count == 5, "\(found)")
        for (field, message) in [("id", "empty"), ("owner", "public"), ("start_year", "1850"),
                                 ("safety_flag", "got 2"), ("workers", "many")] {
            expectIssue(found, file: csv, line: 2, row: 1, field: field, message: message)
        }
    }

    @Test func rowWithTheWrongNumberOfFields() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("m2") + ",extra"])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 3, row: 2, field: nil, message: "17 fields")
    }

    @Test func emptyTable() {
        let folder = TempFolder()
        let (_, csv, found) = load(yaml: scenarioText(), mines: "", folder: folder)
        expectSingle(found, file: csv, line: 1, field: nil, message: "empty")
    }

    @Test func headerOnlyTable() {
        let folder = TempFolder()
        let (_, csv, found) = load(yaml: scenarioText(), mines: header + "\n", folder: folder)
        expectSingle(found, file: csv, line: 1, field: nil, message: "no facilities")
    }

    @Test func unterminatedQuoteIsLocatedOnTheRecordsFirstLine() {
        let folder = TempFolder()
        let mines = header + "\n" + row("m1") + "\n" + row("m2").replacingOccurrences(of: "矿 m2", with: "\"矿 m2") + "\n"
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 3, field: nil, message: "never closed")
    }

    // MARK: accepted forms

    @Test func columnsInAnyOrderWithSpacesCRLFAndBOMAreRead() throws {
        let folder = TempFolder()
        let cells = row("m1", owner: "private", region: "south", capacity: "12.5", size: "1e1", reserve: "4.5",
                        safety: "1").split(separator: ",").map(String.init)
        let names = header.split(separator: ",").map(String.init)
        let order = Array(names.indices.reversed())
        let h = order.map { " \(names[$0])\t" }.joined(separator: ",")
        var r = order.map { " \(cells[$0]) " }
        r[order.firstIndex(of: 1)!] = "\"矿, \"\"一\"\" 井\""
        let text = "\u{FEFF}" + h + "\r\n" + r.joined(separator: ",") + "\r\n"
        folder.write("mines.csv", text)
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText()))
        #expect(s.facilities == [Facility(
            id: "m1", name: "矿, \"一\" 井", kind: .coalMine, enterprise: "ent", owner: .private, region: "south",
            capacity10ktPerYear: 12.5, size: 10, startYear: 2000, reserveYears: 4.5, unitCostYuanPerTonne: 300,
            priceYuanPerTonne: 320, logisticsKm: 150, safetyFlag: true, workers: 200)])
    }

    @Test func tablesKeepFileOrderAcrossTables() throws {
        let folder = TempFolder()
        folder.write("b.csv", table([row("b2"), row("b1")]))
        folder.write("a.csv", table([row("a1", kind: "clinker_line", reserve: ""), row("a0")]))
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText(tables: ["b.csv", "a.csv"])))
        #expect(s.facilities.map(\.id) == ["b2", "b1", "a1", "a0"])
    }
}
