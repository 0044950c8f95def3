import CapSimCore
import CapSimScenario

/// The last check before a run's tables are written: every number finite, and the model's
/// identities (capacity, workers, debt) holding.
///
/// The loader bounds every input (docs/SCENARIO-FORMAT.md, "Ranges of numbers"), so a failure here
/// means a combination of inputs the bounds did not foresee; the message names the quantity,
/// where and when it went wrong, and the inputs that feed it, and nothing is written (no NaN or
/// infinity ever reaches summary.json or a CSV table).
public enum ResultCheck {
    /// Problems of `result`, a run of `scenarios` (one per scenario of the batch, in batch order),
    /// each located at the scenario file; empty when the result can be written.
    public static func issues(_ result: BatchResult, scenarios: [Scenario]) -> [ScenarioIssue] {
        var found: [ScenarioIssue] = []
        func file(_ s: Int) -> String { s < scenarios.count ? scenarios[s].file : (scenarios.first?.file ?? "") }
        func report(_ s: Int, _ field: String, _ value: Double, _ at: String, inputs: String) {
            found.append(ScenarioIssue(
                file: file(s), field: field,
                message: "the run gives \(value) for \(at); the inputs that feed it are too large together: \(inputs). "
                    + "Nothing was written"))
        }
        let capacityInputs = "the facility tables' capacity_10kt, the targets' capacityClosedByYear, "
            + "sectors.*.replacementRatio and sectors.*.utilisation"
        for s in result.scenarioNames.indices {
            groups: for (g, group) in result.groups.enumerated() {
                for y in result.years.indices {
                    for m in Metric.allCases {
                        let v = result.value(m, groupIndex: g, yearIndex: y, scenario: s)
                        if !v.isFinite {
                            report(s, m.rawValue, v, "\(m.rawValue) of \(describe(group)) in \(result.years[y])",
                                   inputs: capacityInputs)
                            break groups
                        }
                    }
                }
            }
        }
        if let e = result.closures.first(where: { !$0.capacity10ktPerYear.isFinite }) {
            report(e.scenario, "capacity_10kt", e.capacity10ktPerYear, "a closure in \(e.year)", inputs: capacityInputs)
        }
        if let e = result.openings.first(where: { ![$0.capacity10ktPerYear, $0.creditUsed10kt, $0.creditAvailable10kt, $0.ratio].allSatisfy(\.isFinite) }) {
            report(e.scenario, "credit", .nan, "an opening in \(e.year)", inputs: capacityInputs)
        }
        if let e = result.blockedOpenings.first(where: { ![$0.creditNeeded10kt, $0.creditAvailable10kt, $0.ratio].allSatisfy(\.isFinite) }) {
            report(e.scenario, "credit", .nan, "a blocked opening", inputs: capacityInputs)
        }
        if let e = result.shortfalls.first(where: { !($0.targetCapacity.isFinite && $0.closedCapacity.isFinite) }) {
            report(e.scenario, "targets", e.targetCapacity, "target \(e.target) in \(e.year)", inputs: capacityInputs)
        }
        if let r = result.resettlement {
            quantities: for s in 0..<r.scenarioCount {
                for y in r.years.indices {
                    for (σ, sector) in r.sectors.enumerated() {
                        for (q, quantity) in r.quantities.enumerated() {
                            let v = r.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s)
                            if !v.isFinite {
                                report(s, quantity.name, v, "\(quantity.name) of \(sector.rawValue) in \(r.years[y])",
                                       inputs: "the facility tables' workers, workforce.sectors.\(sector.rawValue).*, "
                                           + "resettlement.channels and resettlement.awardFund")
                                break quantities
                            }
                        }
                    }
                }
            }
        }
        if let f = result.finance {
            accounts: for s in 0..<f.scenarioCount {
                for y in f.years.indices {
                    for (e, enterprise) in f.enterprises.enumerated() {
                        for m in FinanceMetric.allCases {
                            let v = f.value(m, yearIndex: y, enterprise: e, scenario: s)
                            if !v.isFinite {
                                report(s, m.name, v, "\(m.name) of enterprise '\(enterprise.id)' in \(f.years[y])",
                                       inputs: "its row in " + scenarios.flatMap(\.enterpriseTables).joined(separator: ", ")
                                           + " (amounts and rates), its units' prices, costs and capacities, "
                                           + "and sectors.*.priceIndex")
                                break accounts
                            }
                        }
                    }
                }
            }
        }
        guard found.isEmpty else { return found }
        // Identities, checked only on finite numbers: a violation there is a rounding problem of
        // very large amounts, not a NaN.
        let violations = result.conservationViolations() + (result.resettlement?.conservationViolations() ?? [])
            + (result.finance?.identityViolations() ?? [])
        if let first = violations.first {
            found.append(ScenarioIssue(
                file: file(0),
                message: "the run's accounts do not balance (\(first)\(violations.count > 1 ? ", and \(violations.count - 1) more" : "")); "
                    + "amounts this large lose precision: reduce the largest capacities, yuan amounts or rates. "
                    + "Nothing was written"))
        }
        return found
    }

    private static func describe(_ group: AggregationGroup) -> String {
        "\(group.sector.rawValue) (region \(group.region ?? "all"), owner \(group.owner?.rawValue ?? "all"))"
    }
}
