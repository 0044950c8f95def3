import CapSimScenario
import Foundation
import Testing

/// The `regions` table: ids with Chinese names and parents; with it, facility tables may name only
/// its ids (a typo is an error at its row, with the id meant); its own mistakes are located.
@Suite struct RegionsTests {
    static let regions = """
        regions:
          - {id: province, name: 吉林省}
          - {id: north, name: 北市, parent: province, latitude: 43.8, longitude: 125.3}
          - {id: south, name: 南市, parent: province}

        """

    @Test func aTableGivesNamesAndParents() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let scenario = try Scenario.load(path: folder.write("scenario.yaml", scenarioText(Self.regions)))
        #expect(scenario.regions.map(\.id) == ["province", "north", "south"])
        #expect(scenario.regionName("north") == "北市")
        #expect(scenario.regions[1].parent == "province" && scenario.regions[1].latitude == 43.8)
        #expect(scenario.regions[2].longitude == nil)
        #expect(scenario.regionName("east") == nil)
    }

    @Test func withoutATableAnyRegionIsAccepted() throws {
        let folder = TempFolder()
        folder.write("mines.csv", table([row("m1", region: "anywhere")]))
        let scenario = try Scenario.load(path: folder.write("scenario.yaml", scenarioText()))
        #expect(scenario.regions.isEmpty && scenario.facilities[0].region == "anywhere")
    }

    @Test func anUnknownRegionIsAnErrorAtItsRowWithTheIdMeant() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("m2", region: "soth")])
        let r = load(yaml: scenarioText(Self.regions), mines: mines, folder: folder)
        expectSingle(r.issues, file: r.csv, line: 3, row: 2, field: "region",
                     message: "unknown region 'soth'; the scenario's regions table lists province, north, south; did you mean 'south'?")
    }

    @Test func theTablesOwnMistakesAreLocated() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            regions:
              - {id: north, name: 北市, parent: provnce}
              - {id: north, name: 又北市}
              - {id: all, name: 全部}
              - {id: south, latitude: 95}
              - {id: a, name: 甲, parent: b}
              - {id: b, name: 乙, parent: a}

            """)
        let r = load(yaml: yaml, mines: table([row("m1")]), folder: folder)
        expectIssue(r.issues, file: r.yaml, line: 7, field: "regions[0].parent", message: "unknown region 'provnce'")
        expectIssue(r.issues, file: r.yaml, line: 8, field: "regions[1].id", message: "region 'north' is listed twice")
        expectIssue(r.issues, file: r.yaml, line: 9, field: "regions[2].id", message: "'all' is reserved")
        expectIssue(r.issues, file: r.yaml, line: 10, field: "regions[3].name", message: "required key is missing")
        expectIssue(r.issues, file: r.yaml, line: 11, field: "regions[4].parent", message: "parents form a cycle through 'a'")
        expectIssue(r.issues, file: r.yaml, line: 12, field: "regions[5].parent", message: "parents form a cycle through 'b'")
    }

    @Test func aCoordinateOutOfRangeIsAnError() {
        let folder = TempFolder()
        let yaml = scenarioText("regions:\n  - {id: north, name: 北市, latitude: 95}\n")
        let r = load(yaml: yaml, mines: table([row("m1")]), folder: folder)
        expectSingle(r.issues, file: r.yaml, line: 7, field: "regions[0].latitude", message: "must be in -90...90, got 95")
    }
}

/// An unknown key in the scenario file names the key meant.
@Suite struct UnknownKeySuggestionTests {
    @Test func aMisspelledKeyGetsTheKeyMeant() {
        let folder = TempFolder()
        let yaml = scenarioText("rules:\n  - id: r\n    sector: coal\n    criterion: size_below\n    treshold: 10\n")
        let r = load(yaml: yaml, mines: table([row("m1")]), folder: folder)
        expectIssue(r.issues, file: r.yaml, line: 10, field: "rules[0].treshold", message: "unknown key; expected one of: id, sector")
        expectIssue(r.issues, file: r.yaml, line: 10, field: "rules[0].treshold", message: "; did you mean 'threshold'?")
    }
}
