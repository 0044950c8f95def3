import CapSimCore

/// Reads enterprise tables (CSV) into base-year balance sheets, collecting every problem with its
/// line, row and column. The table checks (header, field counts) are `CSVTable`'s, shared with
/// facility tables.
///
/// The columns and their units are listed in docs/SCENARIO-FORMAT.md, "Enterprise tables (CSV)".
public enum EnterpriseTableReader {
    /// The columns every table must have, in the documented order.
    public static let columns = [
        "id", "owner", "assets_yuan", "bank_loans_yuan", "bonds_yuan", "private_financing_yuan",
        "wage_arrears_yuan", "tax_arrears_yuan", "social_insurance_arrears_yuan", "bank_rate", "bond_rate",
        "private_rate", "fixed_cost_yuan_per_year", "loss_years_to_base", "source",
    ]

    /// The debt column of each creditor class.
    static let debtColumns: [CreditorClass: String] = [
        .bankLoans: "bank_loans_yuan", .bonds: "bonds_yuan", .privateFinancing: "private_financing_yuan",
        .wageArrears: "wage_arrears_yuan", .taxArrears: "tax_arrears_yuan",
        .socialInsuranceArrears: "social_insurance_arrears_yuan",
    ]

    /// The rate column of each interest-bearing class.
    static let rateColumns: [CreditorClass: String] = [
        .bankLoans: "bank_rate", .bonds: "bond_rate", .privateFinancing: "private_rate",
    ]

    /// One data row: its id (as written, possibly empty) and the enterprise, which is nil when the
    /// row has an error. Rejected rows are kept so that their ids still count as listed and do not
    /// cause a second error at every facility that names them.
    struct Row {
        var id: String
        var enterprise: Enterprise?
        var line: Int
        var row: Int
    }

    /// Parses one table's text. `file` is used in messages only. `complete` is false when the
    /// table could not be read as a whole (bad CSV or header, a row with the wrong field count), so
    /// that some enterprise may be missing from `rows`.
    static func read(text: String, file: String, issues: inout [ScenarioIssue]) -> (rows: [Row], complete: Bool) {
        var result: [Row] = []
        let before = issues.count
        let rows = CSVTable.rows(text: text, file: file, columns: columns, rowNoun: "enterprises", issues: &issues)
        let complete = issues.count == before
        for var row in rows {
            let id = row.required("id")
            let owner = row.enumeration("owner", OwnerType.self)
            let yuan = "an amount ≥ 0 in yuan"
            let assets = row.number("assets_yuan", expectation: yuan, limit: ScenarioLimits.yuan) { $0 >= 0 }
            var debt: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases {
                debt[c] = row.number(debtColumns[c]!, expectation: yuan, limit: ScenarioLimits.yuan) { $0 >= 0 }
            }
            var rates: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where c.bearsInterest {
                rates[c] = row.number(rateColumns[c]!, expectation: "a rate per year in [0, 1]", limit: .bounded) { (0...1).contains($0) }
            }
            let fixed = row.number("fixed_cost_yuan_per_year", expectation: "an amount ≥ 0 in yuan per year", limit: ScenarioLimits.yuan) { $0 >= 0 }
            let lossYears = row.integer("loss_years_to_base", range: 0...ScenarioLimits.lossYears)
            _ = row.required("source")
            issues += row.issues
            var enterprise: Enterprise?
            if row.issues.isEmpty, let owner, let assets, let fixed, let lossYears {
                enterprise = Enterprise(id: id, owner: owner, assetsYuan: assets, debtYuan: debt, interestRate: rates,
                                        fixedCostYuanPerYear: fixed, lossYearsToBase: lossYears)
            }
            result.append(Row(id: id, enterprise: enterprise, line: row.line, row: row.row))
        }
        return (result, complete)
    }
}
