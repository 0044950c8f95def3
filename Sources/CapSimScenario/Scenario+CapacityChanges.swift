import CapSimCore
import Yams

/// Reading the optional `capacityChanges:` and `outputTargets:` sections (docs/SCENARIO-FORMAT.md,
/// "Capacity changes of existing units" and "Output targets") into `Policy.capacityChanges` and
/// `Policy.outputTargets`.
extension Scenario {
    static let capacityChangeKeys = ["id", "facility", "year", "capacityChange", "workersChange", "investmentYuan"]
    static let outputTargetKeys = ["id", "sector", "outputByYear", "utilisationCeiling"]

    /// The capacity changes listed under `capacityChanges`, in list order; every problem located
    /// in `reader.issues`. A reduction must leave the unit some capacity, counting its table
    /// capacity and the changes listed before it (as if they all applied).
    mutating func resolveCapacityChanges(_ node: Node?, reader: inout YAMLReader) -> [CapacityChange] {
        guard let node, let list = reader.sequence(node, "capacityChanges") else { return [] }
        var byID: [String: Facility] = [:]
        for f in facilities where byID[f.id] == nil { byID[f.id] = f }
        var used = Set<String>(), capacityAfter: [String: Double] = [:]
        var changes: [CapacityChange] = []
        for (i, item) in list.enumerated() {
            let path = "capacityChanges[\(i)]"
            guard let map = reader.mapping(item, path, allowed: Self.capacityChangeKeys,
                                           required: ["id", "facility", "year", "capacityChange"]) else { continue }
            let before = reader.issues.count
            var id: String?
            if let n = map["id"], let s = reader.string(n, path + ".id") {
                if used.contains(s) {
                    reader.report(n, path + ".id", "id '\(s)' is already used; capacity change ids must be unique")
                } else {
                    used.insert(s)
                    id = s
                }
            }
            var unit: Facility?
            if let n = map["facility"], let s = reader.string(n, path + ".facility") {
                if let f = byID[s] { unit = f } else {
                    reader.report(n, path + ".facility",
                                  "no facility has id '\(s)'" + Suggestion.phrase(for: s, in: facilities.map(\.id)))
                }
            }
            let year = map["year"].flatMap { reader.integer($0, path + ".year", range: programmeYears) }
            let change = map["capacityChange"].flatMap {
                reader.number($0, path + ".capacityChange", expectation: "a capacity change ≠ 0 in 10kt/yr (+ expansion, − reduction)",
                              limit: ScenarioLimits.capacity) { $0 != 0 && abs($0) <= ScenarioLimits.capacity.max }
            }
            var workers = 0
            if let n = map["workersChange"] {
                let w = ScenarioLimits.workersPerUnit
                workers = reader.integer(n, path + ".workersChange", range: -w...w) ?? 0
            } else {
                defaulted.insert(path + ".workersChange")
            }
            var investment = 0.0
            if let n = map["investmentYuan"] {
                investment = reader.number(n, path + ".investmentYuan", expectation: "an amount ≥ 0 in yuan",
                                           limit: ScenarioLimits.yuan) { $0 >= 0 } ?? 0
            } else {
                defaulted.insert(path + ".investmentYuan")
            }
            if let unit, let change {
                let now = capacityAfter[unit.id] ?? unit.capacity10ktPerYear
                if now + change <= 0 {
                    reader.report(map["capacityChange"], path + ".capacityChange",
                                  "a reduction of \(ScenarioDocument.numberText(-change)) would leave '\(unit.id)' no capacity "
                                  + "(\(ScenarioDocument.numberText(now)) 10kt/yr with the changes listed before); close a unit with a rule")
                } else {
                    capacityAfter[unit.id] = now + change
                }
                if workers < 0 && -workers > unit.workers {
                    reader.report(map["workersChange"], path + ".workersChange",
                                  "removes \(-workers) workers but '\(unit.id)' has \(unit.workers)")
                }
            }
            guard reader.issues.count == before, let id, let unit, let year, let change else { continue }
            changes.append(CapacityChange(id: id, facility: unit.id, year: year, capacityChange10ktPerYear: change,
                                          workersChange: workers, investmentYuan: investment))
        }
        return changes
    }

    /// The output targets listed under `outputTargets`, in list order; every problem located in
    /// `reader.issues`. Their years run from the base year (which an output target may set) to the end year.
    mutating func resolveOutputTargets(_ node: Node?, reader: inout YAMLReader) -> [OutputTarget] {
        guard let node, let list = reader.sequence(node, "outputTargets") else { return [] }
        var used = Set<String>(), targets: [OutputTarget] = []
        let sectorsWithUnits = Set(facilities.map(\.sector))
        for (i, item) in list.enumerated() {
            let path = "outputTargets[\(i)]"
            guard let map = reader.mapping(item, path, allowed: Self.outputTargetKeys,
                                           required: ["id", "sector", "outputByYear"]) else { continue }
            let before = reader.issues.count
            var id: String?
            if let n = map["id"], let s = reader.string(n, path + ".id") {
                if used.contains(s) {
                    reader.report(n, path + ".id", "id '\(s)' is already used; output target ids must be unique")
                } else {
                    used.insert(s)
                    id = s
                }
            }
            let sector = map["sector"].flatMap { reader.enumeration($0, path + ".sector", Sector.self) }
            if let sector, let n = map["sector"], !facilities.isEmpty, !sectorsWithUnits.contains(sector) {
                reader.report(n, path + ".sector", "no facility is in sector '\(sector.rawValue)', so its output is 0")
            }
            let goals = map["outputByYear"].flatMap {
                reader.yearMap($0, path + ".outputByYear", years: baseYear...endYear,
                               expectation: "an output ≥ 0 in 10kt", limit: ScenarioLimits.targetCapacity) { $0 >= 0 }
            }
            var ceiling = 1.0
            if let n = map["utilisationCeiling"] {
                ceiling = reader.number(n, path + ".utilisationCeiling", expectation: "a share in (0, 1]",
                                        limit: .bounded) { $0 > 0 && $0 <= 1 } ?? 1
            } else {
                defaulted.insert(path + ".utilisationCeiling")
            }
            guard reader.issues.count == before, let id, let sector, let goals else { continue }
            targets.append(OutputTarget(id: id, sector: sector, outputByYear: goals, utilisationCeiling: ceiling))
        }
        return targets
    }

    /// The books and the markets take each unit's table capacity and the sector's utilisation, so
    /// they cannot yet follow capacity changes or output targets: these are refused with either.
    func checkNotCombinedWithFinance(_ root: Node, hasFinance: Bool, reader: inout YAMLReader) {
        for key in ["capacityChanges", "outputTargets"] where hasFinance
            && !(key == "capacityChanges" ? policy.capacityChanges.isEmpty : policy.outputTargets.isEmpty) {
            reader.report(reader.keyNode(root, key), key,
                          "cannot yet be combined with 'finance': the books take each unit's table capacity and the "
                          + "sector's utilisation (docs/MODEL.md §2.0b)")
        }
        // A market sets its sector's utilisation from demand and clears on table capacities, so it
        // cannot yet follow capacity changes or meet an output target as well.
        guard policy.sectors.values.contains(where: { $0.market != nil }) else { return }
        for key in ["capacityChanges", "outputTargets"] where !(key == "capacityChanges" ? policy.capacityChanges.isEmpty
                                                              : policy.outputTargets.isEmpty) {
            reader.report(reader.keyNode(root, key), key,
                          "cannot yet be combined with a sector market (sectors.*.market): the market sets utilisation "
                          + "from demand and clears on each unit's table capacity (docs/MODEL.md §2.7)")
        }
    }
}

/// Reading the optional `replacementCreditTables:` (docs/SCENARIO-FORMAT.md, "Replacement credit
/// tables") into `Policy.replacementCredit`: credit each (enterprise, sector) holds at the start,
/// such as `capsim end-state` writes for a run's end.
extension Scenario {
    /// The columns of a replacement credit table, in the documented order.
    public static let replacementCreditColumns = ["enterprise", "sector", "credit_10kt", "source"]

    /// The credits of every table listed under `replacementCreditTables`, in table and row order;
    /// a negative row hands credit on (a transfer is two rows), and each pool's rows must add up to ≥ 0.
    /// Each row must name an enterprise that has a unit of the sector in the facility tables
    /// (credit in another pool could never be used).
    mutating func resolveReplacementCredit(_ node: Node?, reader: inout YAMLReader) -> [ReplacementCredit] {
        guard let node else { return [] }
        let tables = readTables(node, "replacementCreditTables", noun: "replacement credit", reader: &reader)
        var pools = Set<String>()
        for f in facilities { pools.insert(f.enterprise + "\u{1F}" + f.sector.rawValue) }
        var credits: [ReplacementCredit] = []
        for (path, text) in tables.texts {
            var issues: [ScenarioIssue] = []
            for var row in CSVTable.rows(text: text, file: path, columns: Self.replacementCreditColumns,
                                         rowNoun: "credits", issues: &issues) {
                let enterprise = row.required("enterprise")
                let sector = row.enumeration("sector", Sector.self)
                // Negative: credit handed to another enterprise (a transfer is two rows).
                let credit = row.number("credit_10kt", expectation: "a capacity in 10kt/yr (negative: credit handed on)",
                                        limit: ScenarioLimits.capacity) { abs($0) <= ScenarioLimits.capacity.max }
                _ = row.required("source")
                if let sector, !enterprise.isEmpty, !pools.contains(enterprise + "\u{1F}" + sector.rawValue) {
                    row.report("enterprise", "no unit of enterprise '\(enterprise)' is in sector '\(sector.rawValue)' "
                               + "in the facility tables, so the credit could never be used")
                }
                issues += row.issues
                if row.issues.isEmpty, let sector, let credit {
                    credits.append(ReplacementCredit(enterprise: enterprise, sector: sector, credit10kt: credit))
                }
            }
            reader.issues += issues
        }
        var totals: [String: Double] = [:], order: [String] = []
        for c in credits {
            let key = c.enterprise + "/" + c.sector.rawValue
            if totals[key] == nil { order.append(key) }
            totals[key, default: 0] += c.credit10kt
        }
        for key in order where totals[key, default: 0] < -1e-9 {
            reader.report(node, "replacementCreditTables", "the rows of pool \(key) add up to "
                          + "\(ScenarioDocument.numberText(totals[key, default: 0])) 10kt/yr; an enterprise cannot hand on more credit than it holds")
        }
        return credits
    }
}

extension Scenario {
    /// The facility table each facility was read from, in `facilities` order (for writing a run's
    /// end state back into tables of the same names).
    public var facilityTableOfEachFacility: [String] { facilityRows.map(\.file) }
}
