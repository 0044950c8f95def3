import CapSimCore
import CapSimScenario

/// A base scenario and its variants, run and set side by side: every sector total of
/// `projections.csv` (region and owner `all`) with the variant's difference, and every unit whose
/// closure moved. Built by `capsim compare`; written as `comparison.csv` and `closure_changes.csv`.
public struct ScenarioComparison: Sendable {
    /// One compared scenario and its run.
    public struct Run: Sendable {
        /// The scenario file, as named on the command line.
        public var file: String
        /// The scenario's `name`.
        public var name: String
        /// What the `base` and `variant` columns say: the name, or, when two compared scenarios
        /// share a name (a copied folder with one threshold changed), `name@file`.
        public var label: String
        /// The year before the programme.
        public var baseYear: Int
        /// The last simulated year.
        public var endYear: Int
        /// The facilities, in table order.
        public var facilities: [Facility]
        /// The run.
        public var result: BatchResult
    }

    /// One sector total in one year, in the base run and in one variant.
    public struct Difference: Sendable, Equatable {
        /// Position of the variant in `variants`.
        public var variant: Int
        /// Metric name as in `projections.csv`.
        public var metric: String
        /// The sector.
        public var sector: Sector
        /// The year.
        public var year: Int
        /// Unit of the values and the difference.
        public var unit: String
        /// The base run's value; nil when the base run does not report the metric in that year.
        public var baseValue: Double?
        /// The variant's value; nil when the variant does not report the metric in that year.
        public var variantValue: Double?
        /// Decimals the values are written with (those of `projections.csv`).
        public var digits: Int

        /// Variant − base, in `unit`; nil when either side is missing.
        public var difference: Double? {
            guard let b = baseValue, let v = variantValue else { return nil }
            // Both values carry at most `digits` decimals, so rounding to them removes only the
            // binary representation error of the subtraction.
            return Double(decimalText(v - b, digits: digits)) ?? v - b
        }

        /// The difference as a percentage of |base|, so a rise is positive whatever the base's
        /// sign (profit can be negative); nil when the base is 0 or either side is missing.
        public var differencePercent: Double? {
            guard let d = difference, let b = baseValue, b != 0 else { return nil }
            return 100 * d / abs(b)
        }
    }

    /// How a unit's closure differs between the base run and a variant.
    public enum ClosureChangeKind: String, Sendable, CaseIterable {
        /// Closes in both, earlier in the variant.
        case earlier
        /// Closes in both, later in the variant.
        case later
        /// Closes in the base run, stays open to the end in the variant.
        case noLongerCloses = "no_longer_closes"
        /// Stays open in the base run, closes in the variant.
        case newlyCloses = "newly_closes"
        /// Closes in the same year, but another rule closed it.
        case ruleChanged = "rule_changed"
        /// The facility id is only in the base scenario's tables.
        case onlyInBase = "only_in_base"
        /// The facility id is only in the variant's tables.
        case onlyInVariant = "only_in_variant"
    }

    /// When and why a unit closed in one run.
    public struct ClosureSide: Sendable, Equatable {
        /// Year of closure.
        public var year: Int
        /// The rule that fired (rule, target id, `reserve_exhausted` or `enterprise_exit`).
        public var rule: String
        /// The reason with the numbers that made the rule fire, as in `closures.csv`.
        public var reason: String
    }

    /// One unit whose closure differs between the base run and one variant.
    public struct ClosureChange: Sendable, Equatable {
        /// Position of the variant in `variants`.
        public var variant: Int
        /// Facility id, the key units are matched by.
        public var facilityID: String
        /// Facility name (from the base scenario's table when the id is in both).
        public var name: String
        /// The sector.
        public var sector: Sector
        /// Nominal capacity, 10kt/yr.
        public var capacity10ktPerYear: Double
        /// What changed.
        public var kind: ClosureChangeKind
        /// The closure in the base run; nil when the unit does not close there (or is not in it).
        public var inBase: ClosureSide?
        /// The closure in the variant; nil when the unit does not close there (or is not in it).
        public var inVariant: ClosureSide?
    }

    /// Header of `comparison.csv`.
    public static let comparisonHeader = ["metric", "sector", "year", "unit", "base", "variant", "base_value",
                                          "variant_value", "difference", "difference_pct"]
    /// Header of `closure_changes.csv`.
    public static let closureChangeHeader = ["base", "variant", "facility_id", "name", "sector", "capacity_10kt",
                                             "change", "base_year", "base_rule", "base_reason", "variant_year",
                                             "variant_rule", "variant_reason"]

    /// The base run.
    public var base: Run
    /// The variant runs, in command-line order.
    public var variants: [Run]
    /// Per variant, every sector total and year: series (metric, sector) in `projections.csv`
    /// order, years ascending within a series.
    public var differences: [Difference]
    /// Per variant, the units whose closure differs, in the base scenario's table order, then
    /// the variant-only units in the variant's table order.
    public var closureChanges: [ClosureChange]
    /// What the planner should know about how the runs were matched (different facility sets or
    /// horizons); empty when they match.
    public var notes: [String]

    /// Compares `variants` with `base`, each a scenario and its run.
    ///
    /// - Throws: `ScenarioError` with one issue per variant whose base year differs from the base
    ///   scenario's: their starting states are different years, so no figure compares.
    public init(base: (scenario: Scenario, result: BatchResult),
                variants: [(scenario: Scenario, result: BatchResult)]) throws(ScenarioError) {
        let all = [base] + variants
        let labels = Self.labels(all.map { ($0.scenario.name, $0.scenario.file) })
        let runs = all.indices.map { i in
            Run(file: all[i].scenario.file, name: all[i].scenario.name, label: labels[i],
                baseYear: all[i].scenario.baseYear, endYear: all[i].scenario.endYear,
                facilities: all[i].scenario.facilities, result: all[i].result)
        }
        let issues = Self.mismatches(all.map(\.scenario))
        if !issues.isEmpty { throw ScenarioError(issues: issues) }

        self.base = runs[0]
        self.variants = Array(runs.dropFirst())
        differences = []
        closureChanges = []
        notes = []
        let baseTotals = ProjectionTotals.rows(self.base.result)
        for (v, variant) in self.variants.enumerated() {
            differences += Self.differences(baseTotals, ProjectionTotals.rows(variant.result), variant: v)
            closureChanges += Self.closureChanges(self.base, variant, variant: v)
            notes += Self.notes(self.base, variant)
        }
    }

    /// Why `scenarios` (the base first) cannot be compared: one issue per variant whose base year
    /// differs from the base scenario's. Callers check this before running anything.
    public static func mismatches(_ scenarios: [Scenario]) -> [ScenarioIssue] {
        guard let base = scenarios.first else { return [] }
        return scenarios.dropFirst().filter { $0.baseYear != base.baseYear }.map {
            ScenarioIssue(file: $0.file, field: "baseYear",
                          message: "\($0.baseYear) differs from the base scenario's \(base.baseYear) (\(base.file)); "
                              + "compared scenarios must start from the same base year")
        }
    }

    /// Labels for the runs: the scenario name when no other compared run has it, else
    /// `name@path`, with the fewest trailing path components that tell those files apart
    /// (`jilin-2016@j45/scenario.yaml`); `#k` (position on the command line) is added when the
    /// same file is given twice.
    static func labels(_ runs: [(name: String, file: String)]) -> [String] {
        var labels = runs.map(\.name)
        for name in Set(labels) {
            let group = runs.indices.filter { runs[$0].name == name }
            guard group.count > 1 else { continue }
            let parts = group.map { runs[$0].file.split(separator: "/").map(String.init) }
            let longest = parts.map(\.count).max() ?? 1
            let k = (1...max(1, longest)).first { k in
                Set(parts.map { $0.suffix(k).joined(separator: "/") }).count == group.count
            } ?? longest
            for (i, r) in group.enumerated() { labels[r] = name + "@" + parts[i].suffix(k).joined(separator: "/") }
        }
        var seen: [String: Int] = [:]
        for (i, label) in labels.enumerated() {
            seen[label, default: 0] += 1
            if seen[label]! > 1 { labels[i] = "\(label)#\(i)" }
        }
        return labels
    }

    /// Matches totals by (metric, sector, year). A total only one run has keeps an empty side.
    static func differences(_ base: [ProvinceTotal], _ variant: [ProvinceTotal], variant v: Int) -> [Difference] {
        struct Series: Hashable { var metric: String; var sector: Sector }
        struct Key: Hashable { var series: Series; var year: Int }
        var order: [Series: Int] = [:]
        var rows: [Key: Difference] = [:]
        for (isBase, totals) in [(true, base), (false, variant)] {
            for t in totals {
                let series = Series(metric: t.metric, sector: t.sector)
                if order[series] == nil { order[series] = order.count }
                let key = Key(series: series, year: t.year)
                var row = rows[key] ?? Difference(variant: v, metric: t.metric, sector: t.sector, year: t.year,
                                                  unit: t.unit, baseValue: nil, variantValue: nil, digits: t.digits)
                if isBase { row.baseValue = t.value } else { row.variantValue = t.value }
                rows[key] = row
            }
        }
        return rows.sorted { a, b in
            let (sa, sb) = (order[a.key.series]!, order[b.key.series]!)
            return sa != sb ? sa < sb : a.key.year < b.key.year
        }.map(\.value)
    }

    static func closureChanges(_ base: Run, _ variant: Run, variant v: Int) -> [ClosureChange] {
        func closures(_ run: Run) -> [String: ClosureSide] {
            var out: [String: ClosureSide] = [:]
            for e in run.result.closures where e.scenario == 0 {
                let f = run.facilities[e.facility]
                out[f.id] = ClosureSide(year: e.year, rule: e.cause.ruleID, reason: e.cause.reason(facility: f))
            }
            return out
        }
        let (inBase, inVariant) = (closures(base), closures(variant))
        let variantIDs = Set(variant.facilities.map(\.id))
        let baseIDs = Set(base.facilities.map(\.id))
        var changes: [ClosureChange] = []
        func change(_ f: Facility, _ kind: ClosureChangeKind) -> ClosureChange {
            ClosureChange(variant: v, facilityID: f.id, name: f.name, sector: f.sector,
                          capacity10ktPerYear: f.capacity10ktPerYear, kind: kind,
                          inBase: inBase[f.id], inVariant: inVariant[f.id])
        }
        for f in base.facilities {
            guard variantIDs.contains(f.id) else {
                changes.append(change(f, .onlyInBase))
                continue
            }
            let kind: ClosureChangeKind?
            switch (inBase[f.id], inVariant[f.id]) {
            case (nil, nil): kind = nil
            case (_?, nil): kind = .noLongerCloses
            case (nil, _?): kind = .newlyCloses
            case let (b?, w?):
                kind = w.year < b.year ? .earlier : w.year > b.year ? .later : w.rule != b.rule ? .ruleChanged : nil
            }
            if let kind { changes.append(change(f, kind)) }
        }
        for f in variant.facilities where !baseIDs.contains(f.id) { changes.append(change(f, .onlyInVariant)) }
        return changes
    }

    static func notes(_ base: Run, _ variant: Run) -> [String] {
        var notes: [String] = []
        let baseIDs = Set(base.facilities.map(\.id)), variantIDs = Set(variant.facilities.map(\.id))
        if baseIDs != variantIDs {
            notes.append("\(base.file) and \(variant.file) have different facilities: "
                         + "\(baseIDs.subtracting(variantIDs).count) only in the base, "
                         + "\(variantIDs.subtracting(baseIDs).count) only in the variant; units are matched by id, "
                         + "the others are listed as only_in_base / only_in_variant")
        }
        if base.endYear != variant.endYear {
            notes.append("\(base.file) runs to \(base.endYear), \(variant.file) to \(variant.endYear); "
                         + "years only one of them reaches have an empty value for the other")
        }
        return notes
    }
}

extension ScenarioComparison {
    /// `comparison.csv`: one row per variant, metric, sector and year.
    public func comparisonCSV() -> String {
        var csv = CSVText(header: Self.comparisonHeader)
        for d in differences {
            csv.append([d.metric, d.sector.rawValue, String(d.year), d.unit, base.label, variants[d.variant].label,
                        d.baseValue.map { decimalText($0, digits: d.digits) } ?? "",
                        d.variantValue.map { decimalText($0, digits: d.digits) } ?? "",
                        d.difference.map { decimalText($0, digits: d.digits) } ?? "",
                        d.differencePercent.map { decimalText($0, digits: 6) } ?? ""])
        }
        return csv.text
    }

    /// `closure_changes.csv`: one row per variant and unit whose closure differs.
    public func closureChangesCSV() -> String {
        var csv = CSVText(header: Self.closureChangeHeader)
        for c in closureChanges {
            csv.append([base.label, variants[c.variant].label, c.facilityID, c.name, c.sector.rawValue,
                        decimalText(c.capacity10ktPerYear, digits: 6), c.kind.rawValue,
                        c.inBase.map { String($0.year) } ?? "", c.inBase?.rule ?? "", c.inBase?.reason ?? "",
                        c.inVariant.map { String($0.year) } ?? "", c.inVariant?.rule ?? "", c.inVariant?.reason ?? ""])
        }
        return csv.text
    }

    /// The terminal report: the base, the notes, then per variant the answer (headline figures and
    /// the largest differences in planner units, `ComparisonAnswer`) and the closure changes (at
    /// most `top` units listed; all are in `closure_changes.csv`).
    public func render(top: Int, filter: ComparisonAnswer.Filter = .init()) -> String {
        render(top: top, answer: ComparisonAnswer(self, filter: filter))
    }

    /// As `render(top:filter:)`, with the answer already computed.
    public func render(top: Int, answer: ComparisonAnswer) -> String {
        var lines = ["base: \(base.label) (\(base.file)), \(base.baseYear)-\(base.endYear)"]
        for note in notes { lines.append("note: " + note) }
        for v in variants.indices {
            lines.append("")
            lines.append(answer.render(variant: v, top: top))
            lines.append("")
            lines.append(renderClosureChanges(variant: v, top: top))
        }
        return lines.joined(separator: "\n")
    }

    /// The units whose closure differs in variant `v`: counts by kind and the first `top`.
    public func renderClosureChanges(variant v: Int, top: Int) -> String {
        var lines: [String] = []
        let changes = closureChanges.filter { $0.variant == v }
        let counts = ClosureChangeKind.allCases.compactMap { kind -> String? in
            let n = changes.filter { $0.kind == kind }.count
            return n > 0 ? "\(n) \(kind.rawValue)" : nil
        }
        lines.append("closures: \(changes.count) unit(s) differ" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")"))
        if !changes.isEmpty && top > 0 {
            var rows = [["facility", "name", "sector", "10kt/yr", "base", "variant", "change"]]
            for c in changes.prefix(top) {
                rows.append([c.facilityID, c.name, c.sector.rawValue, decimalText(c.capacity10ktPerYear),
                             side(c.inBase, absent: c.kind == .onlyInVariant),
                             side(c.inVariant, absent: c.kind == .onlyInBase), c.kind.rawValue])
            }
            lines += SummaryTable.fixedWidth(rows, leftColumns: 3)
            if changes.count > top { lines.append("... \(changes.count - top) more in closure_changes.csv") }
        }
        return lines.joined(separator: "\n")
    }

    /// "2018 coal-under-30", "open" (never closes) or "absent" (not in that scenario's tables).
    private func side(_ closure: ClosureSide?, absent: Bool) -> String {
        if absent { return "absent" }
        return closure.map { "\($0.year) \($0.rule)" } ?? "open"
    }

}
