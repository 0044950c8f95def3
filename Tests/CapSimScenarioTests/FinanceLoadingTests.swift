import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Loading the `enterpriseTables:` and `finance:` sections: resolved core values with their
/// defaults, and each kind of bad input located by file, line and field.
@Suite struct FinanceLoadingTests {
    static let financeYAML = """
        enterpriseTables:
          - enterprises.csv
        finance:
          assetWriteDownShare: 0.8
          repaymentShare: 0.5
          instruments:
            - id: coal-interest-waiver
              kind: interest_waiver
              from: 2016
              to: 2016
              sectors: [coal]
              owner: state
            - id: suspend
              kind: interest_suspension
              enterprises: [pm, tg]
              zombiesOnly: true
              creditors: [bank_loans, bonds]
            - id: strip
              kind: asset_stripping
              from: 2017
              share: 0.4
            - id: strip-light
              kind: asset_stripping
              to: 2018
              share: 0.5
              debtFollowsShare: 0.67
              creditors: [bank_loans, wage_arrears]
            - id: swap
              kind: debt_equity_swap
              share: 0.3
          zombies:
            haltedMonths: 4.5
            lossYears: 2
            match: all
            actions:
              - sectors: [coal]
                owner: private
                action: bankruptcy
                recovery: {wage_arrears: 1, social_insurance_arrears: 1, tax_arrears: 0.5, bank_loans: 0.2}
              - owner: state
                action: merger
                into: tg
              - action: bankruptcy
              - action: none

        """

    static let validYAML = scenarioText(financeYAML)

    /// `text` with `old` replaced by `new`; records a test issue when `old` is not in `text`.
    func edit(_ text: String, _ old: String, _ new: String,
              sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(text.contains(old), "'\(old)' is not in the scenario text", sourceLocation: sourceLocation)
        return text.replacingOccurrences(of: old, with: new)
    }

    func loadValid(_ yaml: String = validYAML) throws -> Scenario {
        let folder = TempFolder()
        folder.write("mines.csv", financeMines)
        folder.write("enterprises.csv", standardEnterprises)
        return try Scenario.load(path: folder.write("scenario.yaml", yaml))
    }

    // MARK: valid input

    @Test func validSectionResolvesIntoCoreValues() throws {
        let s = try loadValid()
        let f = try #require(s.policy.finance)
        #expect(f.assetWriteDownShare == 0.8)
        #expect(f.repaymentShare == 0.5)
        #expect(f.instruments == [
            DebtInstrument(id: "coal-interest-waiver", kind: .interestWaiver, years: 2016...2016,
                           filter: EnterpriseFilter(sectors: [.coal], owner: .state), creditors: [.bankLoans]),
            DebtInstrument(id: "suspend", kind: .interestSuspension, years: 2016...2020,
                           filter: EnterpriseFilter(enterprises: ["pm", "tg"], zombiesOnly: true),
                           creditors: [.bankLoans, .bonds]),
            DebtInstrument(id: "strip", kind: .assetStripping, years: 2017...2020, creditors: CreditorClass.allCases,
                           share: 0.4, debtFollowsShare: 0.4),
            DebtInstrument(id: "strip-light", kind: .assetStripping, years: 2016...2018,
                           creditors: [.bankLoans, .wageArrears], share: 0.5, debtFollowsShare: 0.67),
            DebtInstrument(id: "swap", kind: .debtEquitySwap, years: 2016...2020,
                           creditors: [.bankLoans, .privateFinancing], share: 0.3),
        ])
        #expect(f.zombies == ZombiePolicy(
            haltedMonths: 4.5, debtToAssets: 0.85, lossYears: 2, requireAll: true,
            actions: [
                ZombieAction(filter: EnterpriseFilter(sectors: [.coal], owner: .private), kind: .bankruptcy,
                             recovery: [.wageArrears: 1, .socialInsuranceArrears: 1, .taxArrears: 0.5, .bankLoans: 0.2]),
                ZombieAction(filter: EnterpriseFilter(owner: .state), kind: .merger, acquirer: "tg"),
                ZombieAction(kind: .bankruptcy),
                ZombieAction(kind: .none),
            ]))
        #expect(s.enterprises.map(\.id) == ["jm", "pm", "tg"])
        #expect(s.batch().enterprises == s.enterprises)
        #expect(s.batch().policies.first?.finance == f)

        let i = "finance.instruments"
        let z = "finance.zombies"
        for path in ["\(i)[0].enterprises", "\(i)[0].zombiesOnly", "\(i)[0].creditors", "\(i)[0].share",
                     "\(i)[1].from", "\(i)[1].to", "\(i)[1].sectors", "\(i)[1].owner",
                     "\(i)[2].to", "\(i)[2].creditors", "\(i)[2].debtFollowsShare", "\(i)[3].from",
                     "\(i)[4].from", "\(i)[4].to", "\(i)[4].creditors",
                     "\(z).debtToAssets", "\(z).actions[0].enterprises", "\(z).actions[1].sectors",
                     "\(z).actions[2].recovery", "\(z).actions[2].owner"] {
            #expect(s.defaulted.contains(path), "\(path) should be recorded as defaulted")
        }
        for path in ["\(i)[0].from", "\(i)[0].to", "\(i)[0].sectors", "\(i)[0].owner", "\(i)[1].zombiesOnly",
                     "\(i)[1].creditors", "\(i)[1].share", "\(i)[1].debtFollowsShare", "\(i)[2].from",
                     "\(i)[2].share", "\(i)[3].debtFollowsShare", "\(i)[4].share", "\(i)[4].debtFollowsShare",
                     "\(z).haltedMonths", "\(z).lossYears", "\(z).match", "\(z).actions[0].recovery",
                     "\(z).actions[1].recovery"] {
            #expect(!s.defaulted.contains(path), "\(path) was given or does not apply, not defaulted")
        }
    }

    @Test func minimalSectionUsesTheSeedZombieDefaults() throws {
        let s = try loadValid(scenarioText(minimalFinanceYAML))
        let f = try #require(s.policy.finance)
        #expect(f == FinancePolicy(assetWriteDownShare: 0.8, repaymentShare: 0.5, instruments: [],
                                   zombies: ZombiePolicy(haltedMonths: 6, debtToAssets: 0.85, lossYears: 3,
                                                         requireAll: false, actions: [])))
        for key in ["haltedMonths", "debtToAssets", "lossYears", "match"] {
            #expect(s.defaulted.contains("finance.zombies.\(key)"))
        }
        let text = s.resolvedDescription
        for line in ["  instruments: none", "    haltedMonths: 6 (default)", "    debtToAssets: 0.85 (default)",
                     "    lossYears: 3 (default)", "    match: any (default) (any one criterion makes a zombie)",
                     "    actions: none (zombies are only flagged)"] {
            #expect(text.contains(line), "missing line '\(line)' in:\n\(text)")
        }
    }

    @Test func descriptionListsEnterprisesAndFinanceWithDefaults() throws {
        let text = try loadValid().resolvedDescription
        for line in [
            "enterprises: 3 (by main sector and owner; yuan at the end of 2015)",
            "  coal, state: 1 enterprise, assets 1000, debt 685 (bank_loans 500, bonds 100, private_financing 50, "
                + "wage_arrears 10, tax_arrears 5, social_insurance_arrears 20)",
            "  coal, private: 1 enterprise, assets 1000, debt 685",
            "  iron, state: 1 enterprise, assets 2000, debt 685",
            "  assetWriteDownShare: 0.8",
            "  repaymentShare: 0.5",
            "  instruments: (applied in this order every year after the accounts)",
            "    - coal-interest-waiver: interest_waiver",
            "        years: 2016-2016",
            "        sectors: coal (enterprises' main sector)",
            "          sectors: any (default)",
            "        owner: state",
            "        enterprises: any (default)",
            "        zombiesOnly: false (default)",
            "        creditors: bank_loans (default)",
            "        share: 1 (default)",
            "    - suspend: interest_suspension",
            "        years: 2016 (default)-2020 (default)",
            "        enterprises: pm, tg",
            "        zombiesOnly: true",
            "        share: not used",
            "        creditors: bank_loans, bonds, private_financing, wage_arrears, tax_arrears, social_insurance_arrears (default)",
            "        debtFollowsShare: 0.4 (default)",
            "        debtFollowsShare: 0.67",
            "    haltedMonths: 4.5",
            "    debtToAssets: 0.85 (default)",
            "    match: all (a zombie meets all three criteria)",
            "    actions: (first matching applies; a zombie matching none is only flagged)",
            "          recovery: bank_loans 0.2, bonds 0, private_financing 0, wage_arrears 1, tax_arrears 0.5, "
                + "social_insurance_arrears 1",
            "          into: tg",
            "          recovery: bank_loans 0, bonds 0, private_financing 0, wage_arrears 0, tax_arrears 0, "
                + "social_insurance_arrears 0 (default)",
            "      - none",
        ] {
            #expect(text.contains(line), "missing line '\(line)' in:\n\(text)")
        }
        let order = ["coal, state", "coal, private", "iron, state"].compactMap { text.range(of: "  \($0):")?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), "groups by sector, then owner")
    }

    @Test func scenarioWithoutSectionsHasNoEnterprises() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText()))
        #expect(s.policy.finance == nil)
        #expect(s.enterprises.isEmpty && s.enterpriseTables.isEmpty)
        #expect(s.batch().enterprises.isEmpty)
        #expect(s.resolvedDescription.contains("enterprises and finance: not modelled"))
    }

    // MARK: located errors

    /// Loads `yaml` over the finance tables and expects exactly one issue in the YAML file at the
    /// line containing `marker`.
    func expectOnly(_ yaml: String, at marker: String, field: String, message: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder, sourceLocation: sourceLocation)
        expectSingle(loaded.issues, file: loaded.yaml, line: lineOf(marker, in: yaml, sourceLocation: sourceLocation),
                     field: field, message: message, sourceLocation: sourceLocation)
    }

    @Test func enterpriseTablesWithoutFinance() {
        let yaml = scenarioText("enterpriseTables:\n  - enterprises.csv\n")
        expectOnly(yaml, at: "enterpriseTables:", field: "finance",
                   message: "required when enterpriseTables is given: give both sections or neither")
    }

    @Test func financeWithoutEnterpriseTables() {
        let yaml = edit(Self.validYAML, "enterpriseTables:\n  - enterprises.csv\n", "")
        expectOnly(yaml, at: "finance:", field: "enterpriseTables",
                   message: "required when finance is given: give both sections or neither")
    }

    @Test func missingRequiredShares() {
        let yaml = edit(Self.validYAML, "  repaymentShare: 0.5\n", "")
        expectOnly(yaml, at: "  assetWriteDownShare", field: "finance.repaymentShare", message: "required key is missing")
    }

    @Test func unknownKeyInAnInstrument() {
        let yaml = edit(Self.validYAML, "      share: 0.3\n", "      share: 0.3\n      rate: 0.1\n")
        expectOnly(yaml, at: "rate: 0.1", field: "finance.instruments[4].rate", message: "unknown key")
    }

    @Test func unknownCreditorClass() {
        let yaml = edit(Self.validYAML, "creditors: [bank_loans, bonds]", "creditors: [bank_loans, shadow_banks]")
        expectOnly(yaml, at: "shadow_banks", field: "finance.instruments[1].creditors[1]",
                   message: "unknown value 'shadow_banks'; expected one of: bank_loans, bonds")
    }

    @Test func unknownCreditorClassInRecovery() {
        let yaml = edit(Self.validYAML, "tax_arrears: 0.5,", "taxes: 0.5,")
        expectOnly(yaml, at: "taxes: 0.5", field: "finance.zombies.actions[0].recovery.taxes", message: "unknown key")
    }

    @Test func interestLeverOnArrears() {
        let yaml = edit(Self.validYAML, "creditors: [bank_loans, bonds]", "creditors: [bank_loans, wage_arrears]")
        expectOnly(yaml, at: "wage_arrears]", field: "finance.instruments[1].creditors[1]",
                   message: "wage_arrears bears no interest, so interest_suspension cannot act on it")
    }

    @Test func shareAboveOne() {
        let yaml = edit(Self.validYAML, "share: 0.4", "share: 1.4")
        expectOnly(yaml, at: "share: 1.4", field: "finance.instruments[2].share", message: "must be a share in [0, 1], got 1.4")
    }

    @Test func recoveryShareAboveOne() {
        let yaml = edit(Self.validYAML, "bank_loans: 0.2}", "bank_loans: 2}")
        expectOnly(yaml, at: "bank_loans: 2}", field: "finance.zombies.actions[0].recovery.bank_loans",
                   message: "must be a recovered share in [0, 1], got 2")
    }

    @Test func assetWriteDownShareAboveOne() {
        let yaml = edit(Self.validYAML, "assetWriteDownShare: 0.8", "assetWriteDownShare: 80")
        expectOnly(yaml, at: "assetWriteDownShare", field: "finance.assetWriteDownShare", message: "got 80")
    }

    @Test func yearsOutOfRange() {
        let yaml = edit(Self.validYAML, "      from: 2016\n      to: 2016\n", "      from: 2015\n      to: 2021\n")
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        #expect(loaded.issues.count == 2, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("from: 2015", in: yaml),
                    field: "finance.instruments[0].from", message: "must be in 2016...2020, got 2015")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("to: 2021", in: yaml),
                    field: "finance.instruments[0].to", message: "must be in 2016...2020, got 2021")
    }

    @Test func toBeforeFrom() {
        let yaml = edit(Self.validYAML, "      from: 2016\n      to: 2016\n", "      from: 2018\n      to: 2017\n")
        expectOnly(yaml, at: "to: 2017", field: "finance.instruments[0].to", message: "must not be before 'from' (2018)")
    }

    @Test func defaultedToBeforeGivenFrom() {
        // `to` defaults to endYear, so only an explicit `to` can be before `from`; `from` after the
        // default `from` is fine. An explicit `to` before the default `from` is out of range instead.
        let yaml = edit(Self.validYAML, "      to: 2018\n", "      to: 2015\n")
        expectOnly(yaml, at: "to: 2015", field: "finance.instruments[3].to", message: "must be in 2016...2020")
    }

    @Test func duplicateInstrumentID() {
        let yaml = edit(Self.validYAML, "- id: swap", "- id: strip")
        let lines = linesOf("- id: strip", in: yaml)  // strip, strip-light, the repeated strip
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        expectSingle(loaded.issues, file: loaded.yaml, line: lines.last, field: "finance.instruments[4].id",
                     message: "id 'strip' is already used by instruments[2] (line \(lines[0])); instrument ids must be unique")
    }

    @Test func unknownInstrumentKind() {
        let yaml = edit(Self.validYAML, "kind: debt_equity_swap", "kind: haircut")
        expectOnly(yaml, at: "kind: haircut", field: "finance.instruments[4].kind", message: "unknown value 'haircut'")
    }

    @Test func unknownFilterValues() {
        var yaml = edit(Self.validYAML, "sectors: [coal]\n      owner: state", "sectors: [copper]\n      owner: state")
        expectOnly(yaml, at: "[copper]", field: "finance.instruments[0].sectors[0]", message: "unknown value 'copper'")
        yaml = edit(Self.validYAML, "owner: state\n    - id: suspend", "owner: public\n    - id: suspend")
        expectOnly(yaml, at: "owner: public", field: "finance.instruments[0].owner", message: "unknown value 'public'")
    }

    @Test func filterNamesUnknownEnterprise() {
        let yaml = edit(Self.validYAML, "enterprises: [pm, tg]", "enterprises: [pm, 通钢]")
        expectOnly(yaml, at: "通钢", field: "finance.instruments[1].enterprises[1]",
                   message: "no enterprise has id '通钢' in the enterprise tables")
    }

    @Test func zombiesOnlyMustBeBoolean() {
        let yaml = edit(Self.validYAML, "zombiesOnly: true", "zombiesOnly: yes")
        expectOnly(yaml, at: "zombiesOnly", field: "finance.instruments[1].zombiesOnly",
                   message: "expected true or false, got 'yes'")
    }

    @Test func debtFollowsShareOnlyForStripping() {
        let yaml = edit(Self.validYAML, "      share: 0.3\n", "      share: 0.3\n      debtFollowsShare: 0.5\n")
        expectOnly(yaml, at: "debtFollowsShare: 0.5", field: "finance.instruments[4].debtFollowsShare",
                   message: "only asset_stripping takes debtFollowsShare")
    }

    @Test func zombieThresholdsOutOfRange() {
        let yaml = edit(Self.validYAML, "haltedMonths: 4.5\n    lossYears: 2\n    match: all",
                        "haltedMonths: 13\n    debtToAssets: -0.1\n    lossYears: 0\n    match: most")
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        #expect(loaded.issues.count == 4, "issues: \(loaded.issues)")
        let f = loaded.yaml
        expectIssue(loaded.issues, file: f, line: lineOf("haltedMonths", in: yaml), field: "finance.zombies.haltedMonths",
                    message: "must be a number of months in [0, 12], got 13")
        expectIssue(loaded.issues, file: f, line: lineOf("debtToAssets", in: yaml), field: "finance.zombies.debtToAssets",
                    message: "must be a ratio ≥ 0, got -0.1")
        expectIssue(loaded.issues, file: f, line: lineOf("lossYears", in: yaml), field: "finance.zombies.lossYears",
                    message: "must be in 1...1000, got 0")
        expectIssue(loaded.issues, file: f, line: lineOf("match: most", in: yaml), field: "finance.zombies.match",
                    message: "unknown value 'most'; expected one of: any, all")
    }

    @Test func lossYearsMustBeWhole() {
        let yaml = edit(Self.validYAML, "lossYears: 2", "lossYears: 2.5")
        expectOnly(yaml, at: "lossYears", field: "finance.zombies.lossYears", message: "expected a whole number")
    }

    @Test func unknownActionKind() {
        let yaml = edit(Self.validYAML, "- action: none", "- action: liquidate")
        expectOnly(yaml, at: "liquidate", field: "finance.zombies.actions[3].action",
                   message: "unknown value 'liquidate'; expected one of: none, bankruptcy, merger")
    }

    @Test func zombiesOnlyIsNotAnActionKey() {
        let yaml = edit(Self.validYAML, "- action: none", "- action: none\n        zombiesOnly: true")
        expectOnly(yaml, at: "        zombiesOnly: true", field: "finance.zombies.actions[3].zombiesOnly",
                   message: "unknown key")
    }

    @Test func mergerWithoutInto() {
        let yaml = edit(Self.validYAML, "        action: merger\n        into: tg\n", "        action: merger\n")
        expectOnly(yaml, at: "- owner: state", field: "finance.zombies.actions[1].into",
                   message: "required for a merger")
    }

    @Test func intoNamingUnknownEnterprise() {
        let yaml = edit(Self.validYAML, "into: tg", "into: 吉煤集团")
        expectOnly(yaml, at: "into: 吉煤集团", field: "finance.zombies.actions[1].into",
                   message: "no enterprise has id '吉煤集团' in the enterprise tables")
    }

    @Test func intoOnlyForMerger() {
        let yaml = edit(Self.validYAML, "- action: none", "- action: none\n        into: tg")
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        expectSingle(loaded.issues, file: loaded.yaml, line: linesOf("into: tg", in: yaml).last,
                     field: "finance.zombies.actions[3].into", message: "only merger takes 'into', not none")
    }

    @Test func mergerIntoItself() {
        let yaml = edit(Self.validYAML, "        action: merger\n", "        enterprises: [tg]\n        action: merger\n")
        expectOnly(yaml, at: "into: tg", field: "finance.zombies.actions[1].into",
                   message: "an enterprise cannot merge into itself")
    }

    @Test func recoveryOnlyForBankruptcy() {
        let yaml = edit(Self.validYAML, "- action: none", "- action: none\n        recovery: {bonds: 1}")
        expectOnly(yaml, at: "recovery: {bonds: 1}", field: "finance.zombies.actions[3].recovery",
                   message: "only bankruptcy takes recovery, not none")
    }

    @Test func errorsInBothSectionsAreAllReported() {
        let yaml = edit(edit(Self.validYAML, "share: 0.4", "share: -1"), "into: tg", "into: nobody")
        let enterprises = table([enterpriseRow("jm", bonds: "-3"), enterpriseRow("pm", owner: "private"),
                                 enterpriseRow("tg")], header: enterpriseHeader)
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, enterprises: enterprises, folder: folder)
        #expect(loaded.issues.count == 3, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: loaded.enterprises, line: 2, row: 1, field: "bonds_yuan", message: "got -3")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("share: -1", in: yaml),
                    field: "finance.instruments[2].share", message: "got -1")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("into: nobody", in: yaml),
                    field: "finance.zombies.actions[1].into", message: "no enterprise has id 'nobody'")
    }
}
