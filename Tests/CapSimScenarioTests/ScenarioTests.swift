import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Loading scenario YAML files: resolved values and defaults, and every kind of bad input located
/// by file, line and field.
@Suite struct ScenarioTests {
    // MARK: valid input

    static let minimalYAML = """
        name: mini
        baseYear: 2015
        endYear: 2018
        facilityTables:
          - mines.csv
          - steel.csv
        sectors:
          coal:
            utilisation: 0.6
            utilisationByYear: {2015: 0.5, 2016: 0.55}
        rules:
          - id: small
            sector: coal
            criterion: size_below
            threshold: 30
            from: 2017
          - id: steps
            sector: coal
            criterion: size_at_or_below
            owner: private
            thresholdByYear: {2016: 9, 2018: 15}
          - id: shut-bf
            criterion: named
            facilities: [bf1]
            year: 2017
          - id: safe
            sector: coal
            criterion: safety_flag
            region: south
        targets:
          - id: prog
            sector: coal
            capacityClosedByYear: {2016: 20, 2017: 5}
            priority: [shortest_reserve, smallest]
            owner: state

        """

    static let minimalSteel = table([
        row("bf1", kind: "blast_furnace", enterprise: "steelco", capacity: "120", size: "450"),
        row("cv1", kind: "converter", enterprise: "steelco", region: "east", capacity: "80", size: "30", start: "2017"),
    ])

    func loadMinimal(_ folder: TempFolder) throws -> Scenario {
        folder.write("mines.csv", table([row("m1"), row("m2", owner: "private", region: "south", size: "5", reserve: "3")]))
        folder.write("steel.csv", Self.minimalSteel)
        return try Scenario.load(path: folder.write("scenario.yaml", Self.minimalYAML))
    }

    @Test func minimalScenarioResolvesTablesAndYears() throws {
        let folder = TempFolder()
        let s = try loadMinimal(folder)
        #expect(s.name == "mini")
        #expect(s.title == "mini")
        #expect(s.baseYear == 2015 && s.endYear == 2018)
        #expect(s.file == folder.path("scenario.yaml"))
        #expect(s.facilityTables == [folder.path("mines.csv"), folder.path("steel.csv")])
        #expect(s.facilities.map(\.id) == ["m1", "m2", "bf1", "cv1"])
        let m2 = s.facilities[1]
        #expect(m2 == Facility(id: "m2", name: "矿 m2", kind: .coalMine, enterprise: "ent", owner: .private,
                               region: "south", capacity10ktPerYear: 10, size: 5, startYear: 2000, reserveYears: 3,
                               unitCostYuanPerTonne: 300, priceYuanPerTonne: 320, logisticsKm: 150,
                               safetyFlag: false, workers: 200))
        #expect(s.facilities[2].kind == .blastFurnace && s.facilities[2].reserveYears == nil)
        #expect(s.facilities[3].sector == .steel && s.facilities[3].startYear == 2017)
    }

    @Test func minimalScenarioRecordsDefaults() throws {
        let s = try loadMinimal(TempFolder())
        let expectedDefaults: Set<String> = [
            "title", "sectors.coal.priceIndex", "sectors.coal.replacementRatio", "sectors.iron", "sectors.steel",
            "rules[0].to", "rules[3].from", "rules[3].to",
        ]
        #expect(s.defaulted == expectedDefaults)
        #expect(s.policy.sectors == [
            .coal: SectorPolicy(utilisation: 0.6, utilisationByYear: [2015: 0.5, 2016: 0.55], priceIndex: 1,
                                replacementRatio: 1),
            .iron: .defaults, .steel: .defaults,
        ])
    }

    @Test func minimalScenarioResolvesRulesAndTargets() throws {
        let s = try loadMinimal(TempFolder())
        let rules = s.policy.rules
        #expect(rules.map(\.id) == ["small", "steps", "shut-bf", "safe"])
        #expect(rules[0] == ClosureRule(id: "small", sector: .coal, criterion: .sizeBelow, threshold: 30,
                                        years: 2017...2018))
        #expect(rules[1].criterion == .sizeAtOrBelow && rules[1].sector == .coal && rules[1].owner == .private)
        #expect(rules[1].thresholdByYear == [2016: 9, 2018: 15])
        #expect((2016...2018).map(rules[1].isActive) == [true, false, true])
        #expect(rules[2] == ClosureRule(id: "shut-bf", sector: nil, criterion: .named, years: 2017...2017,
                                        namedFacilities: ["bf1"]))
        #expect(rules[3] == ClosureRule(id: "safe", sector: .coal, criterion: .safetyFlag, years: 2016...2018,
                                        region: "south"))
        #expect(s.policy.targets == [ClosureTarget(id: "prog", sector: .coal, capacityClosedByYear: [2016: 20, 2017: 5],
                                                   priority: [.shortestReserve, .smallest], owner: .state)])
        let batch = s.batch()
        #expect(batch.scenarioNames == ["mini"] && batch.policies == [s.policy])
        #expect(batch.baseYear == 2015 && batch.endYear == 2018 && batch.facilities == s.facilities)
    }

    @Test func titleAndSectorParametersGivenAreNotDefaulted() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let yaml = scenarioText("""
            title: 吉林 测试
            sectors:
              coal: {utilisation: 0.7, priceIndex: 0.8, replacementRatio: 1.25}
              iron: {utilisation: 0.5}
            """)
        let s = try Scenario.load(path: folder.write("scenario.yaml", yaml))
        #expect(s.title == "吉林 测试")
        #expect(s.policy.sectors[.coal] == SectorPolicy(utilisation: 0.7, priceIndex: 0.8, replacementRatio: 1.25))
        #expect(s.defaulted == ["sectors.iron.priceIndex", "sectors.iron.replacementRatio"])
    }

    @Test func tablePathsResolveAgainstTheScenarioFolder() throws {
        let folder = TempFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("sub/facilities"),
                                                withIntermediateDirectories: true)
        folder.write("sub/facilities/mines.csv", standardMines)
        let s = try Scenario.load(path: folder.write("sub/scenario.yaml", scenarioText(tables: ["facilities/mines.csv"])))
        #expect(s.facilityTables == [folder.path("sub/facilities/mines.csv")])
        #expect(s.facilities.count == 3)
    }

    // MARK: YAML errors

    @Test func unknownTopLevelKeyIsReportedAtItsLine() {
        let folder = TempFolder()
        let yaml = scenarioText("rulez:\n  - id: x\n")
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("rulez", in: yaml), field: "rulez", message: "unknown key")
    }

    @Test func unknownKeyInsideARuleIsReportedWithItsPath() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: small
                sector: coal
                criterion: size_below
                threshold: 30
                treshold: 31
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("treshold", in: yaml), field: "rules[0].treshold",
                     message: "unknown key")
    }

    @Test func missingRequiredTopLevelKey() {
        let folder = TempFolder()
        let yaml = "baseYear: 2015\nendYear: 2020\nfacilityTables: [mines.csv]\n"
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: 1, field: "name", message: "missing")
    }

    @Test func unknownSectorInARule() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: small
                sector: cole
                criterion: size_below
                threshold: 30
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("cole", in: yaml), field: "rules[0].sector", message: "cole")
    }

    @Test func utilisationAboveOne() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            sectors:
              coal:
                utilisation: 1.2
                utilisationByYear:
                  2016: 0.5
                  2017: 1.01
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2)
        expectIssue(found, file: path, line: lineOf("1.2", in: yaml), field: "sectors.coal.utilisation",
                    message: "[0, 1]")
        expectIssue(found, file: path, line: lineOf("1.01", in: yaml), field: "sectors.coal.utilisationByYear.2017",
                    message: "[0, 1]")
    }

    @Test func ruleWithBothThresholdAndThresholdByYear() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: both
                sector: coal
                criterion: size_below
                threshold: 30
                thresholdByYear: {2016: 9}
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("id: both", in: yaml), field: "rules[0]", message: "not both")
    }

    @Test func thresholdRuleWithoutThreshold() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: none
                sector: coal
                criterion: logistics_above
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("id: none", in: yaml), field: "rules[0].threshold",
                     message: "required")
    }

    @Test func thresholdOutsideItsRange() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: neg
                sector: coal
                criterion: size_below
                threshold: -5
              - id: margin
                sector: coal
                criterion: cost_above_price
                threshold: -1
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2)
        expectIssue(found, file: path, line: lineOf("-5", in: yaml), field: "rules[0].threshold", message: "-5")
        expectIssue(found, file: path, line: lineOf("threshold: -1", in: yaml), field: "rules[1].threshold",
                    message: "-1")
    }

    @Test func yearsOutsideTheProgrammeAreReportedWhereTheyAre() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: early
                sector: coal
                criterion: size_below
                threshold: 30
                from: 2015
              - id: late
                sector: coal
                criterion: size_below
                thresholdByYear:
                  2016: 9
                  2021: 15
              - id: named-late
                criterion: named
                facilities: [m1]
                year: 2021
            targets:
              - id: prog
                sector: coal
                capacityClosedByYear:
                  2015: 10
                priority: [smallest]
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 4, "\(found)")
        expectIssue(found, file: path, line: lineOf("from: 2015", in: yaml), field: "rules[0].from",
                    message: "2016...2020")
        expectIssue(found, file: path, line: lineOf("2021: 15", in: yaml), field: "rules[1].thresholdByYear.2021",
                    message: "2016...2020")
        expectIssue(found, file: path, line: lineOf("year: 2021", in: yaml), field: "rules[2].year",
                    message: "2016...2020")
        expectIssue(found, file: path, line: lineOf("2015: 10", in: yaml),
                    field: "targets[0].capacityClosedByYear.2015", message: "2016...2020")
    }

    @Test func toBeforeFromIsReportedAtTo() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: backwards
                sector: coal
                criterion: safety_flag
                from: 2019
                to: 2017
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("to: 2017", in: yaml), field: "rules[0].to", message: "2019")
    }

    @Test func fromNotAllowedWithThresholdByYear() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: steps
                sector: coal
                criterion: size_below
                from: 2017
                thresholdByYear: {2016: 9}
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("from: 2017", in: yaml), field: "rules[0].from",
                     message: "thresholdByYear")
    }

    @Test func namedRuleNamingAMissingFacility() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: shut
                criterion: named
                facilities:
                  - m1
                  - m9
                year: 2016
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("- m9", in: yaml), field: "rules[0].facilities[1]",
                     message: "m9")
    }

    @Test func namedRuleListingAUnitOfAnotherSector() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: shut
                sector: coal
                criterion: named
                facilities: [m1, bf1]
                year: 2016
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("[m1, bf1]", in: yaml), field: "rules[0].facilities[1]",
                     message: "iron")
    }

    @Test func regionFilterNamingNoRegion() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: small
                sector: coal
                criterion: size_below
                threshold: 30
                region: atlantis
            targets:
              - id: prog
                sector: coal
                capacityClosedByYear: {2016: 10}
                priority: [smallest]
                region: mordor
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2)
        expectIssue(found, file: path, line: lineOf("atlantis", in: yaml), field: "rules[0].region",
                    message: "atlantis")
        expectIssue(found, file: path, line: lineOf("mordor", in: yaml), field: "targets[0].region", message: "mordor")
    }

    @Test func knownRegionIsAccepted() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let yaml = scenarioText("""
            rules:
              - id: small
                sector: coal
                criterion: size_below
                threshold: 30
                region: south
            """)
        let s = try Scenario.load(path: folder.write("scenario.yaml", yaml))
        #expect(s.policy.rules.first?.region == "south")
    }

    @Test func repeatedYAMLKeyIsReportedWithItsLine() {
        // Repeated keys are errors (docs); the issue must still say where.
        let folder = TempFolder()
        let yaml = scenarioText("baseYear: 2016\n")
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.file == path)
        let lines = linesOf("baseYear", in: yaml)
        #expect(found.first?.line.map(lines.contains) == true, "line \(String(describing: found.first?.line)), expected one of \(lines)")
        #expect(found.first?.message.contains("baseYear") == true)
    }

    @Test func missingBaseYearStopsBeforeTheTables() {
        // The table is garbage, but without baseYear the tables are not read (docs: "stops early").
        let folder = TempFolder()
        let yaml = "name: t\nendYear: 2020\nfacilityTables: [mines.csv]\ncolour: x\n"
        let (path, _, found) = load(yaml: yaml, mines: "garbage\n", folder: folder)
        #expect(found.count == 2, "\(found)")
        expectIssue(found, file: path, line: 4, field: "colour", message: "unknown key")
        expectIssue(found, file: path, line: 1, field: "baseYear", message: "missing")
    }

    @Test func topLevelValuesOfTheWrongShape() {
        let folder = TempFolder()
        let yaml = "name: my scenario\nbaseYear: 2015\nendYear: 2020\nfacilityTables: []\nrules: {}\n"
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 3, "\(found)")
        expectIssue(found, file: path, line: 1, field: "name", message: "letters")
        expectIssue(found, file: path, line: 4, field: "facilityTables", message: "at least one")
        expectIssue(found, file: path, line: 5, field: "rules", message: "list")
    }

    @Test func namedRuleWithoutYearStillChecksItsFacilities() {
        // Docs: loading reports every problem it can find; only a missing or invalid file, baseYear
        // or endYear stops it early.
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: shut
                criterion: named
                facilities: [m9]
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2, "\(found)")
        expectIssue(found, file: path, line: lineOf("id: shut", in: yaml), field: "rules[0].year", message: "required")
        expectIssue(found, file: path, line: lineOf("[m9]", in: yaml), field: "rules[0].facilities[0]", message: "m9")
    }

    @Test func ruleWithUnknownCriterionStillChecksItsOtherKeys() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: odd
                sector: cole
                criterion: shiny
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2, "\(found)")
        expectIssue(found, file: path, line: lineOf("shiny", in: yaml), field: "rules[0].criterion", message: "shiny")
        expectIssue(found, file: path, line: lineOf("cole", in: yaml), field: "rules[0].sector", message: "cole")
    }

    @Test func malformedYAMLReportsItsLine() {
        let folder = TempFolder()
        let yaml = "name: test\nbaseYear: 2015\nendYear: 2020\ntitle: @oops\nfacilityTables: [mines.csv]\n"
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 1)
        #expect(found.first?.file == path)
        #expect(found.first?.line == 4)
        #expect(found.first?.message.contains("YAML") == true)
    }

    @Test func unclosedFlowSequenceReportsALine() {
        let folder = TempFolder()
        let yaml = "name: test\nbaseYear: 2015\nendYear: 2020\nfacilityTables: [mines.csv\n"
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 1)
        #expect(found.first?.file == path)
        #expect((found.first?.line ?? 0) >= 4)
    }

    @Test func missingScenarioFile() {
        let folder = TempFolder()
        let found = issues(loading: folder.path("nowhere.yaml"))
        #expect(found == [ScenarioIssue(file: folder.path("nowhere.yaml"), message: "file not found")])
    }

    @Test func emptyScenarioFile() {
        let folder = TempFolder()
        let (path, _, found) = load(yaml: "", folder: folder)
        #expect(found.count == 1)
        #expect(found.first?.file == path && found.first?.line == nil)
        #expect(found.first?.message.contains("empty") == true)
    }

    @Test func missingFacilityTableFile() {
        let folder = TempFolder()
        let yaml = scenarioText(tables: ["mines.csv", "nowhere.csv"])
        let (path, _, found) = load(yaml: yaml, folder: folder)
        expectSingle(found, file: path, line: lineOf("nowhere.csv", in: yaml), field: "facilityTables[1]",
                     message: "not found")
    }

    @Test func endYearNotAfterBaseYear() {
        let folder = TempFolder()
        for endYear in [2015, 2010] {
            let yaml = scenarioText(endYear: endYear)
            let (path, _, found) = load(yaml: yaml, folder: folder)
            expectSingle(found, file: path, line: 3, field: "endYear", message: "after baseYear")
        }
    }

    @Test func duplicateRuleAndTargetIDs() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: small
                sector: coal
                criterion: size_below
                threshold: 30
              - id: small
                sector: coal
                criterion: safety_flag
              - id: reserve_exhausted
                sector: coal
                criterion: safety_flag
            targets:
              - id: small
                sector: coal
                capacityClosedByYear: {2016: 10}
                priority: [smallest]
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        let idLines = linesOf("id: small", in: yaml)
        #expect(found.count == 3, "\(found)")
        expectIssue(found, file: path, line: idLines[1], field: "rules[1].id", message: "small")
        expectIssue(found, file: path, line: lineOf("reserve_exhausted", in: yaml), field: "rules[2].id",
                    message: "reserve_exhausted")
        expectIssue(found, file: path, line: idLines[2], field: "targets[0].id", message: "small")
    }

    @Test func duplicateFacilityIDAcrossTwoTables() {
        let folder = TempFolder()
        folder.write("a.csv", table([row("m1"), row("m2")]))
        let b = folder.write("b.csv", table([row("m3"), row("m2", region: "south")]))
        let path = folder.write("scenario.yaml", scenarioText(tables: ["a.csv", "b.csv"]))
        let found = issues(loading: path)
        expectSingle(found, file: b, line: 3, field: "id", message: "m2")
        #expect(found.first?.message.contains(folder.path("a.csv") + ":3") == true)
    }

    @Test func duplicateFacilityIDWithinOneTableNamesTheSecondRow() {
        let folder = TempFolder()
        let mines = table([row("m1"), row("m2"), row("m3"), row("m2")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        expectSingle(found, file: csv, line: 5, field: "id", message: "m2")
    }

    @Test func badValuesInTargets() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            targets:
              - id: prog
                sector: coal
                capacityClosedByYear: {2016: -10}
                priority: [smallest, cheapest]
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        #expect(found.count == 2, "\(found)")
        expectIssue(found, file: path, line: lineOf("-10", in: yaml), field: "targets[0].capacityClosedByYear.2016",
                    message: "-10")
        expectIssue(found, file: path, line: lineOf("cheapest", in: yaml), field: "targets[0].priority[1]",
                    message: "cheapest")
    }

    // MARK: many errors at once

    @Test func severalErrorsInOneFileAreAllReported() {
        let folder = TempFolder()
        let yaml = scenarioText("""
            colour: blue
            sectors:
              coal:
                priceIndex: 0
              oil:
                utilisation: 0.5
            rules:
              - id: a
                sector: coal
                criterion: size_below
                threshold: 30
                thresholdByYear: {2016: 5}
              - id: b
                sector: coal
                criterion: shiny
              - id: a
                sector: coal
                criterion: safety_flag
                region: nowhere
            """)
        let mines = table([row("m1"), row("m2", capacity: "-1"), row("m3", kind: "oil_well")])
        let (path, csv, found) = load(yaml: yaml, mines: mines, folder: folder)
        #expect(found.count == 9, "\(found)")
        expectIssue(found, file: path, line: lineOf("colour", in: yaml), field: "colour", message: "unknown key")
        expectIssue(found, file: path, line: lineOf("priceIndex", in: yaml), field: "sectors.coal.priceIndex",
                    message: "> 0")
        expectIssue(found, file: path, line: lineOf("oil:", in: yaml), field: "sectors.oil", message: "unknown key")
        expectIssue(found, file: path, line: lineOf("id: a", in: yaml), field: "rules[0]", message: "not both")
        expectIssue(found, file: path, line: lineOf("shiny", in: yaml), field: "rules[1].criterion", message: "shiny")
        expectIssue(found, file: path, line: linesOf("id: a", in: yaml).last, field: "rules[2].id",
                    message: "already used")
        expectIssue(found, file: path, line: lineOf("nowhere", in: yaml), field: "rules[2].region", message: "nowhere")
        expectIssue(found, file: csv, line: 3, row: 2, field: "capacity_10kt", message: "-1")
        expectIssue(found, file: csv, line: 4, row: 3, field: "kind", message: "oil_well")
    }

    // MARK: the shipped scenario

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func jilinScenarioLoadsWithoutErrors() throws {
        let path = Self.packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path
        let s: Scenario
        do {
            s = try Scenario.load(path: path)
        } catch {
            Issue.record("Jilin scenario failed to load:\n\(error)")
            return
        }
        #expect(s.name == "jilin-2016")
        #expect(s.baseYear == 2015 && s.endYear == 2020)
        #expect(s.facilities.filter { $0.kind == .coalMine }.count == 157)
        #expect(Set(s.facilities.map(\.id)).count == s.facilities.count)
        #expect(s.facilities.filter { $0.kind == .coalMine }.allSatisfy { $0.reserveYears != nil })
        #expect(s.facilities.filter { $0.kind != .coalMine }.allSatisfy { $0.reserveYears == nil })
    }
}
