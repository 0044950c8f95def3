import Foundation
import Testing
import CapSimTestSupport

/// Malformed scenarios through the real binary: a located message, a non-zero exit, nothing written.
@Suite(.serialized, .removesTemporaryFiles) struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var file: String
        var old: String
        var new: String
        /// Text the error line must contain (file:line and the field).
        var expected: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "unknown key", file: "scenario.yaml", old: "endYear: 2020", new: "endYear: 2020\nendyear: 2021",
             expected: ["scenario.yaml:", "endyear: unknown key"]),
        Case(label: "share above 1", file: "scenario.yaml", old: "utilisation: 0.65", new: "utilisation: 1.65",
             expected: ["scenario.yaml:", "sectors.coal.utilisation: must be a share in [0, 1], got 1.65"]),
        Case(label: "unknown sector", file: "scenario.yaml", old: "sector: clinker", new: "sector: glass",
             expected: ["scenario.yaml:", ".sector: unknown value 'glass'"]),
        Case(label: "missing column", file: "facilities/steel.csv", old: "id,", new: "ident,",
             expected: ["steel.csv:1:", "ident: unknown column", "id: missing column"]),
    ]

    func expectRejected(_ copy: URL, _ expected: [String]) throws {
        let out = copy.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CLIHarness.run(["run", copy.appendingPathComponent("scenario.yaml").path, "--out", out.path])
        #expect(result.status != 0)
        for text in expected { #expect(result.stderr.contains(text), "stderr lacks '\(text)':\n\(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing may be written on bad input")
    }

    @Test(arguments: cases.filter { !$0.expected.isEmpty })
    func malformedScenarioIsRejectedWithLocation(_ c: Case) throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent(c.file), replacing: c.old, with: c.new)
        try expectRejected(copy, c.expected)
    }

    /// Rewrites one cell of data row `row` (1-based, header excluded) of a facility table.
    func editCell(_ file: URL, row: Int, column: String, to value: String) throws -> Int {
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let col = try #require(header.firstIndex(of: column))
        var cells = lines[row].components(separatedBy: ",")
        cells[col] = value
        lines[row] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return row + 1  // physical line
    }

    @Test func negativeCapacityNamesFileLineRowAndColumn() throws {
        let copy = try CLIHarness.copyOfJilin()
        let line = try editCell(copy.appendingPathComponent("facilities/coal-mines.csv"), row: 3,
                                column: "capacity_10kt", to: "-5")
        try expectRejected(copy, ["coal-mines.csv:\(line): row 3, capacity_10kt: must be ≥ 0"])
    }

    @Test func duplicateIDIsRejected() throws {
        let copy = try CLIHarness.copyOfJilin()
        let file = copy.appendingPathComponent("facilities/coal-mines.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let firstID = lines[1].components(separatedBy: ",")[0]
        let line = try editCell(file, row: 2, column: "id", to: firstID)
        try expectRejected(copy, ["coal-mines.csv:\(line): id: duplicate id '\(firstID)'"])
    }

    @Test func unknownKindIsRejected() throws {
        let copy = try CLIHarness.copyOfJilin()
        let line = try editCell(copy.appendingPathComponent("facilities/cement.csv"), row: 1,
                                column: "kind", to: "glass_furnace")
        try expectRejected(copy, ["cement.csv:\(line): row 1, kind: unknown value 'glass_furnace'"])
    }

    @Test func missingFacilityTableIsRejected() throws {
        let copy = try CLIHarness.copyOfJilin()
        try FileManager.default.removeItem(at: copy.appendingPathComponent("facilities/steel.csv"))
        try expectRejected(copy, ["scenario.yaml:", "facilityTables[1]: facility table", "not found"])
    }

    @Test func everyErrorIsReportedNotJustTheFirst() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"), replacing: "endYear: 2020",
                            with: "endYear: 2020\ncolour: red")
        _ = try editCell(copy.appendingPathComponent("facilities/coal-mines.csv"), row: 1,
                         column: "safety_flag", to: "2")
        try expectRejected(copy, ["colour: unknown key", "safety_flag: must be in 0...1, got 2", "2 error(s)"])
    }

    @Test func missingScenarioFileIsRejected() throws {
        let result = try CLIHarness.run(["run", "/nonexistent/scenario.yaml", "--out", "/tmp/capsim-never"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/scenario.yaml: file not found"))
    }
}

/// One-character paths once trapped inside Foundation (`NSString.deletingLastPathComponent`).
@Suite(.removesTemporaryFiles) struct OneCharacterPathTests {
    @Test(arguments: [["validate", "z"], ["run", "z"], ["sweep", "y", "--store", "s.sqlite"]])
    func aMissingOneCharacterFileIsAnError(_ args: [String]) throws {
        let dir = try temporaryFolder()
        let run = try CLIHarness.run(args, in: dir)
        #expect(run.status == 1, "\(args): \(run.stderr)")
        #expect(run.stderr.contains(args[1] + ":"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"), "\(run.stderr)")
    }
}
