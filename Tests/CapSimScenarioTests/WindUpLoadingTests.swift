import CapSimCore
import CapSimScenario
import Testing

/// Loading `finance.windUp` (docs/MODEL.md §8.8) and its located errors.
extension FinanceLoadingTests {
    func windUpYAML(_ body: String) -> String {
        edit(Self.validYAML, "  zombies:\n", "  windUp:\n" + body + "  zombies:\n")
    }

    @Test func windUpResolves() throws {
        let s = try loadValid(windUpYAML("    action: liquidation\n    recovery: {wage_arrears: 1, bank_loans: 0.2}\n"))
        let w = try #require(s.policy.finance?.windUp)
        #expect(w.kind == .liquidation && w.recovery[CreditorClass.bankLoans.index] == 0.2
                && w.recovery[CreditorClass.wageArrears.index] == 1 && w.acquirer == nil)
        let a = try loadValid(windUpYAML("    action: absorption\n    into: tg\n"))
        #expect(a.policy.finance?.windUp == WindUpPolicy(kind: .absorption, acquirer: "tg"))
        #expect(try loadValid().policy.finance?.windUp == nil)
    }

    @Test func windUpRecoveryAboveOneIsLocated() {
        let yaml = windUpYAML("    action: liquidation\n    recovery: {bank_loans: 1.5}\n")
        expectOnly(yaml, at: "recovery: {bank_loans: 1.5}", field: "finance.windUp.recovery.bank_loans",
                   message: "must be a recovered share in [0, 1], got 1.5")
    }

    @Test func windUpIntoAnUnknownEnterpriseIsLocated() {
        let yaml = windUpYAML("    action: absorption\n    into: tgg\n")
        expectOnly(yaml, at: "into: tgg", field: "finance.windUp.into",
                   message: "no enterprise has id 'tgg' in the enterprise tables")
    }

    @Test func absorptionNeedsInto() {
        let yaml = windUpYAML("    action: absorption\n")
        expectOnly(yaml, at: "    action: absorption", field: "finance.windUp.into", message: "required for an absorption")
    }
}
