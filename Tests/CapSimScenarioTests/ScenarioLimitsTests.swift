import CapSimCore
import Foundation
import Testing

@testable import CapSimScenario

/// Every bounded number of a scenario, at its documented bound and beyond it, on the Qinghai
/// scenario (which has every section): at the bound the scenario loads and the engine's results are
/// finite with its identities holding; beyond it the loader reports the value where it was written.
@Suite struct ScenarioLimitsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/qinghai-2016").path

    /// One field made concrete: either `set:` lines of a variant (the last one takes the value) or
    /// a cell of the first data row of a table.
    struct Case: CustomTestStringConvertible, Sendable {
        /// The field as `ScenarioLimits.fields` names it.
        var field: String
        /// `set:` entries put before the value's own (`rules[2].criterion: reserve_below`).
        var setup: [String] = []
        /// The path that takes the value, or nil for a table cell.
        var path: String?
        /// For a table cell: the table (relative to the scenario folder) and the column.
        var table: (file: String, column: String)?
        /// Whether to run the engine at the bound (false where a bound alone breaks another rule,
        /// e.g. an age band edge that must equal a retirement age).
        var runAtMax = true
        var testDescription: String { field }

        init(_ field: String, setup: [String] = [], path: String, runAtMax: Bool = true) {
            self.field = field
            self.setup = setup
            self.path = path
            self.runAtMax = runAtMax
        }

        init(_ field: String, table: String, column: String) {
            self.field = field
            self.table = (table, column)
        }
    }

    static let cases: [Case] = [
        Case("sectors.*.priceIndex", path: "sectors.coal.priceIndex"),
        Case("sectors.*.priceIndexByYear.*", path: "sectors.coal.priceIndexByYear.2017"),
        Case("sectors.*.replacementRatio", path: "sectors.coal.replacementRatio"),
        Case("rules[*].threshold (size_below, size_at_or_below)", path: "rules[2].threshold"),
        Case("rules[*].threshold (reserve_below)", setup: ["rules[2].criterion: reserve_below"], path: "rules[2].threshold"),
        Case("rules[*].threshold (logistics_above)", setup: ["rules[2].criterion: logistics_above"], path: "rules[2].threshold"),
        Case("rules[*].threshold (cost_above_price)", setup: ["rules[2].criterion: cost_above_price"], path: "rules[2].threshold"),
        Case("targets[*].capacityClosedByYear.*", path: "targets[0].capacityClosedByYear.2016"),
        Case("workforce.ageBands[*]", path: "workforce.ageBands[6]", runAtMax: false),
        Case("workforce.retirementAge.*", path: "workforce.retirementAge.male", runAtMax: false),
        Case("workforce.careerStartAge", path: "workforce.careerStartAge"),
        Case("workforce.sectors.*.wageYuanPerYear", path: "workforce.sectors.coal.wageYuanPerYear"),
        Case("workforce.sectors.*.wageArrearsMonths", path: "workforce.sectors.coal.wageArrearsMonths"),
        Case("resettlement.channels[*].capacityTotal", path: "resettlement.channels[0].capacityTotal"),
        Case("resettlement.channels[*].capacityPerYear", path: "resettlement.channels[0].capacityPerYear"),
        Case("resettlement.channels[*].withinYearsOfRetirement", path: "resettlement.channels[3].withinYearsOfRetirement"),
        Case("resettlement.channels[*].oneOffYuanPerPerson", path: "resettlement.channels[0].oneOffYuanPerPerson"),
        Case("resettlement.channels[*].annualYuanPerPerson", path: "resettlement.channels[4].annualYuanPerPerson"),
        Case("resettlement.transitions.trainingYears", path: "resettlement.transitions.trainingYears"),
        Case("resettlement.transitions.publicWelfareYears", path: "resettlement.transitions.publicWelfareYears"),
        Case("resettlement.unemploymentBenefitYuanPerYear", path: "resettlement.unemploymentBenefitYuanPerYear"),
        Case("resettlement.awardFund.amountYuanByYear.*", path: "resettlement.awardFund.amountYuanByYear.2016"),
        Case("resettlement.awardFund.capacityWeight", path: "resettlement.awardFund.capacityWeight"),
        Case("resettlement.awardFund.workersWeight", path: "resettlement.awardFund.workersWeight"),
        Case("resettlement.awardFund.difficulty.*", setup: ["resettlement.awardFund.difficulty: {coal: 1}"],
             path: "resettlement.awardFund.difficulty.coal"),
        Case("finance.zombies.debtToAssets", path: "finance.zombies.debtToAssets"),
        Case("facilities.capacity_10kt", table: "facilities/coal-mines.csv", column: "capacity_10kt"),
        Case("facilities.size", table: "facilities/coal-mines.csv", column: "size"),
        Case("facilities.reserve_years", table: "facilities/coal-mines.csv", column: "reserve_years"),
        Case("facilities.unit_cost_yuan_per_t", table: "facilities/coal-mines.csv", column: "unit_cost_yuan_per_t"),
        Case("facilities.price_yuan_per_t", table: "facilities/coal-mines.csv", column: "price_yuan_per_t"),
        Case("facilities.logistics_km", table: "facilities/coal-mines.csv", column: "logistics_km"),
    ] + EnterpriseTableReader.columns.filter { $0.hasSuffix("_yuan") || $0 == "fixed_cost_yuan_per_year" }.map {
        Case("enterprises.\($0)", table: "enterprises.csv", column: $0)
    }

    /// Every field of `ScenarioLimits.fields` with a bound of its own has a case here, so a field
    /// added to the table without one fails.
    @Test func everyBoundedFieldHasACase() {
        let covered = Set(Self.cases.map(\.field))
        for (field, limit) in ScenarioLimits.fields where limit != .bounded {
            #expect(covered.contains(field), "no extreme-value case for \(field)")
        }
        #expect(covered.count == Self.cases.count)
    }

    static func limit(_ field: String) -> ScenarioLimit? {
        ScenarioLimits.fields.first { $0.field == field }?.limit
    }

    /// Writes the variant (and, for a table cell, the edited table) for `value`; returns its path
    /// and the line or file where the value is.
    static func write(_ c: Case, value: Double, in folder: TempFolder) throws -> (variant: String, at: String, line: Int) {
        let text = ScenarioDocument.numberText(value)
        var lines = ["extends: \(root)/scenario.yaml"]
        if let path = c.path {
            lines += ["set:"] + c.setup.map { "  \($0)" } + ["  \(path): \(text)"]
            let variant = folder.write("variant.yaml", lines.joined(separator: "\n") + "\n")
            return (variant, variant, lines.count)
        }
        let table = try #require(c.table)
        let original = try String(contentsOfFile: "\(root)/\(table.file)", encoding: .utf8)
        var rows = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = rows[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: table.column))
        var cells = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[column] = text
        rows[1] = cells.joined(separator: ",")
        let edited = folder.write(URL(fileURLWithPath: table.file).lastPathComponent, rows.joined(separator: "\n"))
        if table.file.hasPrefix("facilities/") {
            let tables = ["coal-mines", "steel", "cement"].map {
                $0 == "coal-mines" ? edited : "\(root)/facilities/\($0).csv"
            }
            lines.append("facilityTables: [\(tables.joined(separator: ", "))]")
        } else {
            lines.append("enterpriseTables: [\(edited)]")
        }
        return (folder.write("variant.yaml", lines.joined(separator: "\n") + "\n"), edited, 2)
    }

    @Test(arguments: cases) func beyondTheBoundIsALocatedError(_ c: Case) throws {
        let limit = try #require(Self.limit(c.field), "\(c.field) is not in ScenarioLimits.fields")
        let folder = TempFolder()
        let written = try Self.write(c, value: limit.max * 10, in: folder)
        let found = issues(loading: written.variant)
        let field = c.path ?? c.table?.column
        #expect(found.contains {
            $0.file == written.at && $0.line == written.line && $0.message.contains("must be at most")
                && $0.field.map { field?.hasSuffix($0.split(separator: ".").last.map(String.init) ?? "") ?? false } == true
        }, "issues: \(found)")
    }

    @Test(arguments: cases.filter(\.runAtMax)) func atTheBoundTheRunIsFinite(_ c: Case) throws {
        let limit = try #require(Self.limit(c.field))
        let folder = TempFolder()
        let written = try Self.write(c, value: limit.max, in: folder)
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: written.variant)
        } catch {
            Issue.record("\(c.field) at its bound \(limit.max) is rejected: \(error)")
            return
        }
        expectFiniteAndConsistent(Engine.run(scenario.batch()), c.field)
    }

    /// Every bound at once (the YAML values and every cell of the first row of each table, one
    /// rule criterion): the worst case the bounds allow together stays finite and consistent.
    @Test func everyBoundAtOnce() throws {
        let folder = TempFolder()
        let yamlCases = Self.cases.filter { $0.path != nil && $0.runAtMax && $0.setup.isEmpty }
        var lines = ["extends: \(Self.root)/scenario.yaml", "set:", "  resettlement.awardFund.difficulty: {coal: 1000}"]
        for c in yamlCases {
            lines.append("  \(c.path!): \(ScenarioDocument.numberText(try #require(Self.limit(c.field)).max))")
        }
        var tables: [String: String] = [:]
        for file in ["facilities/coal-mines.csv", "enterprises.csv"] {
            let original = try String(contentsOfFile: "\(Self.root)/\(file)", encoding: .utf8)
            var rows = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = rows[0].split(separator: ",").map(String.init)
            var cells = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for c in Self.cases where c.table?.file == file {
                cells[try #require(header.firstIndex(of: c.table!.column))] =
                    ScenarioDocument.numberText(try #require(Self.limit(c.field)).max)
            }
            rows[1] = cells.joined(separator: ",")
            tables[file] = folder.write(URL(fileURLWithPath: file).lastPathComponent, rows.joined(separator: "\n"))
        }
        lines.append("facilityTables: [\(tables["facilities/coal-mines.csv"]!), \(Self.root)/facilities/steel.csv, "
                     + "\(Self.root)/facilities/cement.csv]")
        lines.append("enterpriseTables: [\(tables["enterprises.csv"]!)]")
        let variant = folder.write("variant.yaml", lines.joined(separator: "\n") + "\n")
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: variant)
        } catch {
            Issue.record("every bound at once is rejected: \(error)")
            return
        }
        expectFiniteAndConsistent(Engine.run(scenario.batch()), "every bound at once")
    }

    /// A table over the row limit is refused from a count of its lines, before any row is parsed
    /// (its rows here are not even valid: a parse would report each one).
    @Test func tablesOverTheRowLimitAreRefusedBeforeParsing() throws {
        let folder = TempFolder()
        let rows = String(repeating: "x\n", count: ScenarioLimits.maxRows + 1)
        let big = folder.write("big.csv", header + "\n" + rows)
        let s = folder.write("s.yaml", scenarioText(tables: ["big.csv"]))
        expectSingle(issues(loading: s), file: s, line: 5, field: "facilityTables[0]",
                     message: "facility table '\(big)' has \(ScenarioLimits.maxRows + 1) rows; a scenario has at most 200000")
        // Two tables under the limit each, over it together: refused at the second.
        let half = String(repeating: "x\n", count: ScenarioLimits.maxRows / 2 + 1)
        folder.write("a.csv", header + "\n" + half)
        folder.write("b.csv", header + "\r\n\n" + half)
        let two = folder.write("two.yaml", scenarioText(tables: ["a.csv", "b.csv"]))
        expectSingle(issues(loading: two), file: two, line: 6, field: "facilityTables[1]",
                     message: "has \(ScenarioLimits.maxRows / 2 + 1) rows (\(ScenarioLimits.maxRows + 2) with the tables before it)")
    }

    @Test func recordCountSkipsBlankLinesAndQuotedLineBreaks() {
        #expect(CSVParser.recordCount("a,b\n\n\"x\ny\",1\r\n2,3") == 3)
        #expect(CSVParser.recordCount("") == 0)
        #expect(CSVParser.recordCount("a\nb\n") == (try? CSVParser.parse("a\nb\n").count))
    }

    /// The integer bounds: workers of a unit, loss years, the horizon.
    @Test func integerBounds() throws {
        let folder = TempFolder()
        let mines = folder.write("mines.csv", table([row("m1", workers: "\(ScenarioLimits.workersPerUnit + 1)")]))
        var found = issues(loading: folder.write("s.yaml", scenarioText()))
        expectSingle(found, file: mines, line: 2, row: 1, field: "workers", message: "must be in 0...1000000")
        _ = folder.write("mines.csv", standardMines)
        found = issues(loading: folder.write("s.yaml", scenarioText(endYear: 2015 + ScenarioLimits.horizonYears + 1)))
        expectSingle(found, file: folder.path("s.yaml"), line: 3, field: "endYear", message: "at most 100 years after baseYear")
        let longest = folder.write("s.yaml", scenarioText(endYear: 2015 + ScenarioLimits.horizonYears))
        #expect(throws: Never.self) { _ = try Scenario.load(path: longest) }
    }

    /// Values a Double parses that are not decimal numbers are rejected in YAML and CSV alike.
    @Test(arguments: ["0x10", "inf", "-infinity", "nan", "0x1p4", "1e400", "1_000", "", "1e", "--1"])
    func nonDecimalNumbersAreRejected(_ text: String) {
        let folder = TempFolder()
        let mines = folder.write("mines.csv", table([row("m1", capacity: text.isEmpty ? "\"\"" : text)]))
        let found = issues(loading: folder.write("s.yaml", scenarioText("sectors: {coal: {priceIndex: 1}}\n")))
        #expect(found.contains { $0.file == mines && $0.row == 1 && $0.field == "capacity_10kt" }, "issues: \(found)")
        guard !text.isEmpty else { return }
        _ = folder.write("mines.csv", standardMines)
        let yaml = folder.write("s.yaml", scenarioText("sectors: {coal: {priceIndex: '\(text)'}}\n"))
        let yamlIssues = issues(loading: yaml)
        expectSingle(yamlIssues, file: yaml, line: 6, field: "sectors.coal.priceIndex", message: "expected a decimal number")
    }

    /// The documented ranges table lists every field of `ScenarioLimits.fields` with its bound.
    @Test func theDocsListEveryBound() throws {
        let doc = try String(contentsOfFile: Self.root + "/../../docs/SCENARIO-FORMAT.md", encoding: .utf8)
        let section = try #require(doc.range(of: "## Ranges of numbers").map { doc[$0.upperBound...] })
        for (field, limit) in ScenarioLimits.fields {
            let bound = limit == .bounded ? "own rule" : ScenarioLimits.text(limit.max)
            let line = section.split(separator: "\n").first { $0.hasPrefix("| `\(field)`") }
            #expect(line?.contains("| \(bound) |") == true, "docs: no row `\(field)` with \(bound): \(line ?? "none")")
        }
    }
}

/// Expects every number of `result` finite and the engine's identities to hold.
func expectFiniteAndConsistent(_ result: BatchResult, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let numbers = result.valuesByYear.flatMap(\.elements) + (result.resettlement?.values ?? []) + (result.finance?.values ?? [])
        + result.closures.map(\.capacity10ktPerYear) + result.shortfalls.flatMap { [$0.targetCapacity, $0.closedCapacity] }
    let allFinite = numbers.allSatisfy { $0.isFinite }
    #expect(allFinite, "\(label): a result is not finite", sourceLocation: sourceLocation)
    let violations = result.conservationViolations() + (result.resettlement?.conservationViolations() ?? [])
        + (result.finance?.identityViolations() ?? [])
    #expect(violations.isEmpty, "\(label): \(violations.prefix(3))", sourceLocation: sourceLocation)
}
