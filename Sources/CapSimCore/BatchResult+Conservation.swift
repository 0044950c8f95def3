extension BatchResult {
    /// Checks, for every scenario, group and year, that no capacity or count is negative, and for
    /// every year after the base year that capacity(y) = capacity(y−1) − closed(y) + opened(y), the
    /// same for unit counts, and that net reduction = closed − opened.
    ///
    /// Returns a description of each violation; empty when the run is consistent.
    public func conservationViolations(tolerance: Double = 1e-6) -> [String] {
        var found: [String] = []
        checkConservation(tolerance: tolerance) { found.append($0); return true }
        return found
    }

    /// The first violation of `conservationViolations`, or nil; builds no text while the identities hold.
    public func firstConservationViolation(tolerance: Double = 1e-6) -> String? {
        var first: String?
        checkConservation(tolerance: tolerance) { if first == nil { first = $0 }; return false }
        return first
    }

    /// Walks every cell computing the residuals as numbers; text is built only for a violation,
    /// handed to `report`, which returns whether to go on checking that scenario-year.
    private func checkConservation(tolerance: Double, report: (String) -> Bool) {
        let M = Metric.allCases.count, G = groups.count
        func label(_ s: Int, _ g: Int, _ y: Int) -> String { "\(scenarioNames[s]) \(groups[g]) \(years[y])" }
        for s in scenarioNames.indices {
            for y in years.indices {
                valuesByYear[y].elements.withUnsafeBufferPointer { now in
                    let previous = y > 0 ? valuesByYear[y - 1].elements : []
                    previous.withUnsafeBufferPointer { before in
                        for g in 0..<G {
                            @inline(__always) func v(_ m: Metric) -> Double { now[g + (m.index + s * M) * G] }
                            for m in Metric.allCases where m != .netCapacityReduction && !(v(m) >= -tolerance) {
                                if !report("\(label(s, g, y)): \(m.rawValue) = \(v(m)) < 0") { return }
                            }
                            guard y > 0 else { continue }
                            @inline(__always) func b(_ m: Metric) -> Double { before[g + (m.index + s * M) * G] }
                            let cap = b(.capacity) - v(.capacityClosed) + v(.capacityOpened)
                            if !(abs(cap - v(.capacity)) <= tolerance) {
                                if !report("\(label(s, g, y)): capacity \(v(.capacity)) ≠ \(cap)") { return }
                            }
                            let units = b(.unitsOperating) - v(.unitsClosed) + v(.unitsOpened)
                            if !(abs(units - v(.unitsOperating)) <= tolerance) {
                                if !report("\(label(s, g, y)): units \(v(.unitsOperating)) ≠ \(units)") { return }
                            }
                            let net = v(.capacityClosed) - v(.capacityOpened)
                            if !(abs(net - v(.netCapacityReduction)) <= tolerance) {
                                if !report("\(label(s, g, y)): net reduction \(v(.netCapacityReduction)) ≠ \(net)") { return }
                            }
                        }
                    }
                }
            }
        }
    }
}
