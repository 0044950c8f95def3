import CapSimCore

/// What a number at one scenario path must satisfy: the loader's check of that field, for a sweep
/// that writes sampled numbers straight into a resolved policy (`SweepSetter`) instead of
/// re-resolving the YAML tree.
///
/// Only the paths a sweep writes as numbers are listed (docs/SWEEP.md, "How an experiment is
/// built"); the texts and bounds are those of `Scenario.load`, so a value gives the same message
/// either way (a test compares the two on values inside, at and beyond each bound).
public struct ScenarioFieldRange: @unchecked Sendable {
    // `valid` is a pure function of its argument (the loader's closures capture nothing).

    /// "a share in [0, 1]", as in "must be a share in [0, 1], got 1.2".
    public var expectation: String
    /// The largest value allowed, beyond the field's own rule.
    public var limit: ScenarioLimit
    /// The field's own rule (≥ 0, in [0, 1], > 0).
    public var valid: (Double) -> Bool

    /// The range of the number at `path` (a canonical path: `rules[0].threshold`,
    /// `sectors.coal.priceIndexByYear.2017`), or nil when the path is not one a sweep writes as a
    /// number. A rule's threshold depends on its criterion, which the caller passes.
    public static func field(forPath path: String, criterion: ClosureCriterion? = nil) -> ScenarioFieldRange? {
        guard case let .success(parsed) = ScenarioPath.parse(path) else { return nil }
        // The path's shape: list positions and ids as [], sector names and years as *.
        var shape: [String] = []
        for (k, segment) in parsed.segments.enumerated() {
            switch segment {
            case let .key(key):
                let isSector = k == 1 && shape.first == "sectors"
                shape.append(isSector || Int(key) != nil ? "*" : key)
            case .index, .id:
                if let last = shape.popLast() { shape.append(last + "[]") }
            }
        }
        let generic = shape.joined(separator: ".")
        if generic == "rules[].threshold" || generic == "rules[].thresholdByYear.*" {
            guard let criterion, let check = Scenario.thresholdCheck(criterion) else { return nil }
            return ScenarioFieldRange(expectation: check.expectation, limit: check.limit, valid: check.valid)
        }
        return table[generic]
    }

    /// The loader's message for `value` at `path` ("must be a share in [0, 1], got 1.2"), or nil
    /// when the value is allowed. A path without a known range is reported as such.
    public static func check(path: String, value: Double, criterion: ClosureCriterion? = nil) -> String? {
        guard let range = field(forPath: path, criterion: criterion) else { return "no number range is known for '\(path)'" }
        return range.problem(value)
    }

    /// The loader's message for `x`, or nil when it is allowed; in the loader's order: a decimal
    /// number, the field's rule, the bound.
    public func problem(_ x: Double) -> String? {
        // The text only for a message: an experiment checks every number it writes.
        guard x.isFinite else { return "expected a decimal number, got '\(ScenarioDocument.numberText(x))'" }
        guard valid(x) else { return "must be \(expectation), got \(ScenarioDocument.numberText(x))" }
        guard x <= limit.max else { return "\(limit.message), got \(ScenarioDocument.numberText(x))" }
        return nil
    }

    private static let share = "a share in [0, 1]"
    private static let rate = "a rate per year in [0, 1]"
    private static let years = "a mean length > 0 in years"
    private static func isShare(_ x: Double) -> Bool { (0...1).contains(x) }

    /// The loader's checks (`Scenario.resolveSector`, `resolveTarget`, `resolveTransitions`).
    private static let table: [String: ScenarioFieldRange] = {
        let multiplier = ScenarioFieldRange(expectation: "a multiplier > 0", limit: ScenarioLimits.priceIndex) { $0 > 0 }
        let utilisation = ScenarioFieldRange(expectation: share, limit: .bounded, valid: isShare)
        let length = ScenarioFieldRange(expectation: years, limit: ScenarioLimits.durationYears) { $0 > 0 }
        let perYear = ScenarioFieldRange(expectation: rate, limit: .bounded, valid: isShare)
        return [
            "sectors.*.utilisation": utilisation,
            "sectors.*.utilisationByYear.*": utilisation,
            "sectors.*.priceIndex": multiplier,
            "sectors.*.priceIndexByYear.*": multiplier,
            "sectors.*.replacementRatio": ScenarioFieldRange(
                expectation: "a ratio ≥ 0 (retired per unit of new capacity)", limit: ScenarioLimits.replacementRatio) { $0 >= 0 },
            "targets[].capacityClosedByYear.*": ScenarioFieldRange(
                expectation: "a capacity ≥ 0 in 10kt/yr", limit: ScenarioLimits.targetCapacity) { $0 >= 0 },
            "resettlement.transitions.trainingYears": length,
            "resettlement.transitions.publicWelfareYears": length,
            "resettlement.transitions.trainingSuccessShare": ScenarioFieldRange(expectation: share, limit: .bounded, valid: isShare),
            "resettlement.transitions.reemploymentRate": perYear,
            "resettlement.transitions.labourForceExitRate": perYear,
            "resettlement.transitions.jobLossRate": perYear,
        ]
    }()
}
