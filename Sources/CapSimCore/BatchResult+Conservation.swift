extension BatchResult {
    /// Checks, for every scenario, group and year, that no capacity or count is negative, and for
    /// every year after the base year that capacity(y) = capacity(y−1) − closed(y) + opened(y), the
    /// same for unit counts, and that net reduction = closed − opened.
    ///
    /// Returns a description of each violation; empty when the run is consistent.
    public func conservationViolations(tolerance: Double = 1e-6) -> [String] {
        var found: [String] = []
        for s in scenarioNames.indices {
            for g in groups.indices {
                for y in years.indices {
                    func v(_ m: Metric, _ yi: Int) -> Double { value(m, groupIndex: g, yearIndex: yi, scenario: s) }
                    // Built only for a violation: formatting it for every cell cost more than the run.
                    var label: String { "\(scenarioNames[s]) \(groups[g]) \(years[y])" }
                    for m in Metric.allCases where m != .netCapacityReduction && !(v(m, y) >= -tolerance) {
                        found.append("\(label): \(m.rawValue) = \(v(m, y)) < 0")
                    }
                    guard y > 0 else { continue }
                    let cap = v(.capacity, y - 1) - v(.capacityClosed, y) + v(.capacityOpened, y)
                    if !(abs(cap - v(.capacity, y)) <= tolerance) {
                        found.append("\(label): capacity \(v(.capacity, y)) ≠ \(cap)")
                    }
                    let units = v(.unitsOperating, y - 1) - v(.unitsClosed, y) + v(.unitsOpened, y)
                    if !(abs(units - v(.unitsOperating, y)) <= tolerance) {
                        found.append("\(label): units \(v(.unitsOperating, y)) ≠ \(units)")
                    }
                    let net = v(.capacityClosed, y) - v(.capacityOpened, y)
                    if !(abs(net - v(.netCapacityReduction, y)) <= tolerance) {
                        found.append("\(label): net reduction \(v(.netCapacityReduction, y)) ≠ \(net)")
                    }
                }
            }
        }
        return found
    }
}
