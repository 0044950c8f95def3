import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// The documented enterprise header, written out rather than taken from the reader so a change there shows.
let enterpriseHeader = "id,owner,assets_yuan,bank_loans_yuan,bonds_yuan,private_financing_yuan,wage_arrears_yuan,"
    + "tax_arrears_yuan,social_insurance_arrears_yuan,bank_rate,bond_rate,private_rate,fixed_cost_yuan_per_year,"
    + "loss_years_to_base,source"

/// One enterprise CSV data row with plausible defaults.
func enterpriseRow(_ id: String, owner: String = "state", assets: String = "1000", bank: String = "500",
                   bonds: String = "100", privateFinancing: String = "50", wages: String = "10", tax: String = "5",
                   social: String = "20", bankRate: String = "0.05", bondRate: String = "0.06",
                   privateRate: String = "0.12", fixed: String = "30", lossYears: String = "2",
                   source: String = "test row") -> String {
    [id, owner, assets, bank, bonds, privateFinancing, wages, tax, social, bankRate, bondRate, privateRate, fixed,
     lossYears, source].joined(separator: ",")
}

/// Facilities of three enterprises: jm (state, coal), pm (private, coal) and tg (state, iron).
let financeMines = table([
    row("m1", enterprise: "jm"), row("m2", enterprise: "pm", owner: "private", region: "south", size: "5", reserve: "3"),
    row("m3", enterprise: "jm", capacity: "30"),
    row("bf1", kind: "blast_furnace", enterprise: "tg", size: "400"),
])

/// Balance sheets for the three enterprises of `financeMines`.
let standardEnterprises = table([
    enterpriseRow("jm"), enterpriseRow("pm", owner: "private"), enterpriseRow("tg", assets: "2000"),
], header: enterpriseHeader)

/// The minimal finance section, with the enterprise table `enterprises.csv`.
let minimalFinanceYAML = """
    enterpriseTables:
      - enterprises.csv
    finance:
      assetWriteDownShare: 0.8
      repaymentShare: 0.5

    """

/// Loads a folder with `scenario.yaml` = `yaml`, `mines.csv` = `mines` and `enterprises.csv` =
/// `enterprises`; returns the paths and the issues.
func loadFinance(yaml: String, mines: String = financeMines, enterprises: String = standardEnterprises,
                 folder: TempFolder, sourceLocation: SourceLocation = #_sourceLocation)
    -> (yaml: String, csv: String, enterprises: String, issues: [ScenarioIssue])
{
    let table = folder.write("enterprises.csv", enterprises)
    let loaded = load(yaml: yaml, mines: mines, folder: folder, sourceLocation: sourceLocation)
    return (loaded.yaml, loaded.csv, table, loaded.issues)
}

/// Enterprise tables: header and cell checks located by file, line, row and column, and the
/// checks against the facility tables.
@Suite struct EnterpriseTableReaderTests {
    @Test func documentedColumnsAreTheReadersColumns() {
        #expect(EnterpriseTableReader.columns.joined(separator: ",") == enterpriseHeader)
    }

    @Test func validTableResolvesToBalanceSheets() throws {
        let folder = TempFolder()
        folder.write("mines.csv", financeMines)
        folder.write("enterprises.csv", table([
            enterpriseRow("jm", assets: "3.5e9", bank: "1.2e9", bonds: "0", privateFinancing: "2e8", wages: "1e7",
                          tax: "0", social: "3e7", bankRate: "0.0435", bondRate: "0", privateRate: "0.15",
                          fixed: "1e8", lossYears: "3"),
            " pm , private ,1,2,3,4,5,6,7,0.1,0.2,0.3,8,0,\"seed line, assumption\"",
            enterpriseRow("tg"),
        ], header: enterpriseHeader))
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText(minimalFinanceYAML)))
        #expect(s.enterprises == [
            Enterprise(id: "jm", owner: .state, assetsYuan: 3.5e9,
                       debtYuan: [.bankLoans: 1.2e9, .privateFinancing: 2e8, .wageArrears: 1e7,
                                  .socialInsuranceArrears: 3e7],
                       interestRate: [.bankLoans: 0.0435, .privateFinancing: 0.15], fixedCostYuanPerYear: 1e8,
                       lossYearsToBase: 3),
            Enterprise(id: "pm", owner: .private, assetsYuan: 1,
                       debtYuan: [.bankLoans: 2, .bonds: 3, .privateFinancing: 4, .wageArrears: 5, .taxArrears: 6,
                                  .socialInsuranceArrears: 7],
                       interestRate: [.bankLoans: 0.1, .bonds: 0.2, .privateFinancing: 0.3], fixedCostYuanPerYear: 8,
                       lossYearsToBase: 0),
            Enterprise(id: "tg", owner: .state, assetsYuan: 1000,
                       debtYuan: [.bankLoans: 500, .bonds: 100, .privateFinancing: 50, .wageArrears: 10, .taxArrears: 5,
                                  .socialInsuranceArrears: 20],
                       interestRate: [.bankLoans: 0.05, .bonds: 0.06, .privateFinancing: 0.12], fixedCostYuanPerYear: 30,
                       lossYearsToBase: 2),
        ])
        #expect(s.enterpriseTables == [folder.path("enterprises.csv")])
        #expect(s.batch().enterprises == s.enterprises)
        #expect(s.enterpriseMainSectors == [.coal, .coal, .iron])
    }

    @Test func mainSectorIsTheSectorOfMostBaseCapacity() throws {
        let folder = TempFolder()
        // jm: 10 coal + 30 iron at the base year, and 100 planned coal that does not count.
        let mines = table([
            row("m1", enterprise: "jm"), row("bf1", kind: "blast_furnace", enterprise: "jm", capacity: "30"),
            row("m9", enterprise: "jm", capacity: "100", start: "2017"),
            row("m2", enterprise: "pm", owner: "private"),
            row("c1", kind: "clinker_line", enterprise: "new", start: "2018"),
        ])
        let enterprises = table([enterpriseRow("jm"), enterpriseRow("pm", owner: "private"), enterpriseRow("new")],
                                header: enterpriseHeader)
        folder.write("mines.csv", mines)
        folder.write("enterprises.csv", enterprises)
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText(minimalFinanceYAML)))
        #expect(s.enterpriseMainSectors == [.iron, .coal, .clinker])
    }

    // MARK: header and cells

    @Test func missingColumn() {
        let folder = TempFolder()
        let h = enterpriseHeader.replacingOccurrences(of: ",bond_rate", with: "")
        let r = enterpriseRow("jm").split(separator: ",").enumerated().filter { $0.offset != 10 }.map(\.element)
            .joined(separator: ",")
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: table([r], header: h), folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 1, field: "bond_rate", message: "missing column")
    }

    @Test func unknownColumnIsAnErrorAndNoFacilityIsBlamed() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm") + ",x"], header: enterpriseHeader + ",equity_yuan")
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        // The table is unreadable, so "not listed" is not reported at the facilities.
        expectSingle(loaded.issues, file: loaded.enterprises, line: 1, field: "equity_yuan", message: "unknown column")
    }

    @Test func negativeAmountIsLocatedByRowAndLine() {
        let folder = TempFolder()
        let enterprises = "\n" + table([enterpriseRow("jm"), enterpriseRow("pm", owner: "private", bank: "-5"),
                                        enterpriseRow("tg")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        // The rejected row's id still counts as listed: no second error at pm's facility.
        expectSingle(loaded.issues, file: loaded.enterprises, line: 4, row: 2, field: "bank_loans_yuan",
                     message: "must be an amount ≥ 0 in yuan, got -5")
    }

    @Test func rateAboveOne() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm", privateRate: "12"), enterpriseRow("pm", owner: "private"),
                                 enterpriseRow("tg")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 2, row: 1, field: "private_rate",
                     message: "must be a rate per year in [0, 1], got 12")
    }

    @Test func badCellsAreEachReported() {
        let folder = TempFolder()
        let enterprises = table([
            enterpriseRow("jm", owner: "public", assets: "lots", lossYears: "1.5"),
            enterpriseRow("", owner: "private", source: ""),
            enterpriseRow("tg", fixed: "", lossYears: "-1"),
            enterpriseRow("pm", owner: "private"),
        ], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        let f = loaded.enterprises
        #expect(loaded.issues.count == 7, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: f, line: 2, row: 1, field: "owner", message: "unknown value 'public'")
        expectIssue(loaded.issues, file: f, line: 2, row: 1, field: "assets_yuan", message: "expected a decimal number, got 'lots'")
        expectIssue(loaded.issues, file: f, line: 2, row: 1, field: "loss_years_to_base", message: "whole number")
        expectIssue(loaded.issues, file: f, line: 3, row: 2, field: "id", message: "must not be empty")
        expectIssue(loaded.issues, file: f, line: 3, row: 2, field: "source", message: "must not be empty")
        expectIssue(loaded.issues, file: f, line: 4, row: 3, field: "fixed_cost_yuan_per_year", message: "must not be empty")
        expectIssue(loaded.issues, file: f, line: 4, row: 3, field: "loss_years_to_base", message: "must be in 0...1000, got -1")
    }

    @Test func wrongFieldCount() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm"), enterpriseRow("pm", owner: "private") + ",extra",
                                 enterpriseRow("tg")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 3, row: 2, field: nil,
                     message: "has 16 fields, the header has 15")
    }

    @Test func headerOnlyTable() {
        let folder = TempFolder()
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterpriseHeader + "\n",
                                 folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 1, field: nil,
                     message: "the table has a header but no enterprises")
    }

    @Test func missingTableFile() {
        let folder = TempFolder()
        let yaml = scenarioText(minimalFinanceYAML.replacingOccurrences(of: "enterprises.csv", with: "debts.csv"))
        let loaded = loadFinance(yaml: yaml, folder: folder)
        expectSingle(loaded.issues, file: loaded.yaml, line: lineOf("debts.csv", in: yaml),
                     field: "enterpriseTables[0]", message: "enterprise table '\(folder.path("debts.csv"))' not found")
    }

    // MARK: against the facilities

    @Test func duplicateEnterpriseIDAcrossTables() {
        let folder = TempFolder()
        folder.write("more.csv", table([enterpriseRow("x", owner: "private"), enterpriseRow("pm", owner: "private")],
                                       header: enterpriseHeader))
        let yaml = scenarioText(minimalFinanceYAML.replacingOccurrences(of: "  - enterprises.csv",
                                                                         with: "  - enterprises.csv\n  - more.csv"))
        let loaded = loadFinance(yaml: yaml, folder: folder)
        let more = folder.path("more.csv")
        #expect(loaded.issues.count == 2, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: more, line: 3, row: 2, field: "id",
                    message: "duplicate enterprise id 'pm' (first at \(loaded.enterprises):3)")
        // x is a listed enterprise with no facility.
        expectIssue(loaded.issues, file: more, line: 2, row: 1, field: "id", message: "enterprise 'x' owns no facility")
    }

    @Test func duplicateEnterpriseIDInOneTable() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm"), enterpriseRow("pm", owner: "private"), enterpriseRow("tg"),
                                 enterpriseRow("jm")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 5, row: 4, field: "id",
                     message: "duplicate enterprise id 'jm' (first at \(loaded.enterprises):2)")
    }

    @Test func facilityWhoseEnterpriseIsNotListed() {
        let folder = TempFolder()
        let mines = table([
            row("m1", enterprise: "jm"), row("m2", enterprise: "pm", owner: "private"),
            row("m3", enterprise: "ghost"), row("m4", enterprise: "ghost"),
            row("bf1", kind: "blast_furnace", enterprise: "tg", size: "400"),
        ])
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), mines: mines, folder: folder)
        // Once per enterprise, at its first facility's row.
        expectSingle(loaded.issues, file: loaded.csv, line: 4, row: 3, field: "enterprise",
                     message: "enterprise 'ghost' is not listed in the enterprise tables (\(loaded.enterprises))")
        #expect(loaded.issues.first?.message.contains("1 other facilities") == true)
    }

    @Test func enterpriseWithoutFacilities() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm"), enterpriseRow("pm", owner: "private"), enterpriseRow("tg"),
                                 enterpriseRow("idle")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 5, row: 4, field: "id",
                     message: "enterprise 'idle' owns no facility")
    }

    @Test func rejectedFacilityRowDoesNotLeaveItsEnterpriseWithoutFacilities() {
        let folder = TempFolder()
        // tg's only unit has a bad cell; "tg owns no facility" would only repeat that error.
        let mines = table([
            row("m1", enterprise: "jm"), row("m2", enterprise: "pm", owner: "private"),
            row("bf1", kind: "blast_furnace", enterprise: "tg", size: "-400"),
        ])
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), mines: mines, folder: folder)
        expectSingle(loaded.issues, file: loaded.csv, line: 4, row: 3, field: "size", message: "-400")
    }

    @Test func ownerMismatchNamesEnterpriseAndFacility() {
        let folder = TempFolder()
        let enterprises = table([enterpriseRow("jm", owner: "private"), enterpriseRow("pm", owner: "private"),
                                 enterpriseRow("tg")], header: enterpriseHeader)
        let loaded = loadFinance(yaml: scenarioText(minimalFinanceYAML), enterprises: enterprises, folder: folder)
        expectSingle(loaded.issues, file: loaded.enterprises, line: 2, row: 1, field: "owner",
                     message: "enterprise 'jm' is private, but its facilities 'm1' (\(loaded.csv):2), "
                        + "'m3' (\(loaded.csv):4) are state")
    }
}
