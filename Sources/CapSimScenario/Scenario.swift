import CapSimPaths
import CapSimCore
import Foundation
import Yams

/// A scenario as a planner wrote it, resolved and validated: every default applied, every
/// reference checked. `load(path:)` is the only way to make one from files.
public struct Scenario: Sendable {
    /// The YAML file it was read from.
    public var file: String
    /// Identifier used in output rows.
    public var name: String
    /// Free-text title.
    public var title: String
    /// The year before the programme.
    public var baseYear: Int
    /// The last simulated year.
    public var endYear: Int
    /// Facility table paths, as resolved against the scenario file's folder.
    public var facilityTables: [String]
    /// The facilities of all tables, in table order.
    public var facilities: [Facility]
    /// Enterprise table paths, as resolved against the scenario file's folder; empty when
    /// enterprises are not modelled.
    public var enterpriseTables: [String] = []
    /// The enterprises of all enterprise tables with their base-year balance sheets, in table
    /// order; empty when enterprises are not modelled (no `enterpriseTables`/`finance`).
    public var enterprises: [Enterprise] = []
    /// Rules, targets, sector parameters, and the resettlement and finance policies.
    public var policy: Policy
    /// YAML paths of the values that came from defaults (`sectors.coal.priceIndex`, `rules[0].to`).
    public var defaulted: Set<String>
    /// The `regions` table (docs/SCENARIO-FORMAT.md, "Regions"); empty when the scenario has none.
    public var regions: [Region] = []
    /// The files read, from the base (no `extends`) to `file`; one file for a scenario that extends none.
    public var chain: [String] = []
    /// The values a variant replaced, with the file and line that set each (empty without `extends`).
    public var overrides: [ScenarioOverride] = []
    /// Where each facility's row is, in `facilities` order.
    var facilityRows: [RowLocation] = []
    /// The variants' changes of facility rows by id, applied when the tables are read.
    var facilityChanges: [FacilityChange] = []
    /// Every enterprise id the enterprise tables list, for the finance section's references; nil
    /// when a table could not be read whole.
    var enterpriseIDs: Set<String>?

    /// The scenario as a batch of one.
    public func batch() -> ScenarioBatch {
        ScenarioBatch(facilities: facilities, baseYear: baseYear, endYear: endYear,
                      scenarioNames: [name], policies: [policy], enterprises: enterprises)
    }
}

extension Scenario {
    static let topKeys = ["name", "title", "baseYear", "endYear", "facilityTables", "sectors", "rules", "targets",
                          "workforce", "resettlement", "enterpriseTables", "finance", "entities", "regions",
                          "capacityChanges", "outputTargets", "replacementCreditTables"]
    static let sectorKeys = ["utilisation", "utilisationByYear", "priceIndex", "priceIndexByYear", "replacementRatio",
                             "market"]
    static let ruleKeys = ["id", "sector", "criterion", "threshold", "thresholdByYear", "from", "to",
                           "owner", "region", "facilities", "year"]
    static let targetKeys = ["id", "sector", "capacityClosedByYear", "priority", "owner", "region"]

    /// Reads a scenario YAML file (following `extends:`) and its facility tables, and resolves it.
    ///
    /// - Throws: `ScenarioError` listing every problem found, each with file, line or row, and field.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        try load(ScenarioDocument.load(path: path))
    }

    /// Resolves a document read with `ScenarioDocument.load` (or edited by path), reading its tables.
    ///
    /// - Parameter base: a scenario resolved from the same files, whose facility and enterprise
    ///   tables are taken as they are instead of being read again; for sweeps, whose experiments
    ///   change policy values only (the tables' keys must not be among the changes).
    /// - Throws: `ScenarioError` listing every problem found, each with file, line or row, and field.
    /// - Parameter changedSections: with `base`, the top-level keys whose values differ from the
    ///   document `base` was resolved from; the policy parts of the other sections are taken from
    ///   `base` as they are (a sweep changes a few values in one or two sections per experiment).
    ///   Their `defaulted` paths are then not recorded.
    public static func load(_ document: ScenarioDocument, reusingTablesOf base: Scenario? = nil,
                            changedSections: Set<String>? = nil)
        throws(ScenarioError) -> Scenario
    {
        var reader = YAMLReader(file: document.chain[0], origin: document.origin(of:))
        var scenario = Scenario(file: document.file, name: "", title: "", baseYear: 0, endYear: 0,
                                facilityTables: [], facilities: [], policy: Policy(), defaulted: [])
        scenario.chain = document.chain
        scenario.overrides = document.overrides
        scenario.facilityChanges = document.facilityChanges
        scenario.resolve(document.root, reusing: base, changedSections: changedSections, reader: &reader)
        if !reader.issues.isEmpty { throw ScenarioError(issues: reader.issues) }
        return scenario
    }

    /// Fills every field from the YAML tree, recording issues and the defaults applied.
    private mutating func resolve(_ root: Node, reusing base: Scenario?, changedSections: Set<String>?,
                                  reader: inout YAMLReader) {
        /// The base's policy part for `keys` when none of them changed.
        func reused<T>(_ keys: [String], _ part: (Policy) -> T) -> T? {
            guard let base, let changedSections, keys.allSatisfy({ !changedSections.contains($0) }) else { return nil }
            return part(base.policy)
        }
        guard let top = reader.mapping(root, "", allowed: Self.topKeys,
                                       required: ["name", "baseYear", "endYear", "facilityTables"])
        else { return }
        if let n = top["name"], let s = reader.string(n, "name") {
            if Self.isValidName(s) {
                name = s
            } else {
                reader.report(n, "name", "use letters, digits, '-', '_' or '.' only (it is written into every output row)")
            }
        }
        if let n = top["title"] { title = reader.string(n, "title") ?? "" } else {
            title = name
            defaulted.insert("title")
        }
        baseYear = top["baseYear"].flatMap { reader.integer($0, "baseYear", range: 1900...2200) } ?? 0
        endYear = top["endYear"].flatMap { reader.integer($0, "endYear", range: 1900...2200) } ?? 0
        if let n = top["endYear"], baseYear > 0, endYear > 0, endYear <= baseYear {
            reader.report(n, "endYear", "must be after baseYear (\(baseYear))")
            return
        }
        if let n = top["endYear"], baseYear > 0, endYear - baseYear > ScenarioLimits.horizonYears {
            reader.report(n, "endYear", "must be at most \(ScenarioLimits.horizonYears) years after baseYear (\(baseYear)), "
                          + "got \(endYear - baseYear): a longer horizon compounds debt and prices beyond what the model keeps exact")
            return
        }
        guard baseYear > 0, endYear > 0 else { return }

        let beforeTables = reader.issues.count
        let facilityRows: [RowLocation]
        if let base {
            facilityTables = base.facilityTables
            facilities = base.facilities
            facilityRows = base.facilityRows
        } else {
            facilityRows = loadTables(top["facilityTables"], reader: &reader)
        }
        self.facilityRows = facilityRows
        resolveRegions(top["regions"], facilityRows: facilityRows, reusing: base, reader: &reader)
        let facilitiesComplete = top["facilityTables"] != nil && reader.issues.count == beforeTables
        // Only rules and targets look units up; a sweep experiment that reuses them skips this.
        lazy var regions = Dictionary(grouping: facilities, by: \.sector).mapValues { Set($0.map(\.region)) }
        lazy var ids = Dictionary(facilities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        var sectors: [Sector: SectorPolicy] = reused(["sectors"], \.sectors) ?? [:]
        if sectors.isEmpty, let n = top["sectors"],
           let map = reader.mapping(n, "sectors", allowed: Sector.allCases.map(\.rawValue)) {
            for sector in Sector.allCases {
                if let node = map[sector.rawValue] { sectors[sector] = resolveSector(sector, node, &reader) }
            }
        }
        for sector in Set(facilities.map(\.sector)) where sectors[sector] == nil {
            sectors[sector] = .defaults
            defaulted.insert("sectors.\(sector.rawValue)")
        }

        var usedIDs = Set<String>()
        let reusedRules = reused(["rules", "targets"]) { ($0.rules, $0.targets) }
        var rules: [ClosureRule] = reusedRules?.0 ?? []
        if reusedRules == nil, let n = top["rules"], let list = reader.sequence(n, "rules") {
            for (i, node) in list.enumerated() {
                if let rule = resolveRule(node, "rules[\(i)]", regions: regions, ids: ids, usedIDs: &usedIDs,
                                          reader: &reader) { rules.append(rule) }
            }
        }
        var targets: [ClosureTarget] = reusedRules?.1 ?? []
        if reusedRules == nil, let n = top["targets"], let list = reader.sequence(n, "targets") {
            for (i, node) in list.enumerated() {
                if let target = resolveTarget(node, "targets[\(i)]", regions: regions, usedIDs: &usedIDs,
                                              reader: &reader) { targets.append(target) }
            }
        }
        let resettlement = reused(["workforce", "resettlement"], \.resettlement)
            ?? resolveResettlement(workforce: top["workforce"], resettlement: top["resettlement"], in: root,
                                   keepingWorkforceOf: reused(["workforce"], \.resettlement) ?? nil, reader: &reader)
        let finance: FinancePolicy?
        if let kept = reused(["enterpriseTables", "finance", "entities"], \.finance), let base {
            finance = kept
            enterpriseTables = base.enterpriseTables
            enterprises = base.enterprises
            enterpriseIDs = base.enterpriseIDs
        } else {
            finance = resolveFinance(tables: top["enterpriseTables"], finance: top["finance"], entities: top["entities"], in: root,
                                     facilityRows: facilityRows, facilitiesComplete: facilitiesComplete,
                                     reusing: base, reader: &reader)
        }
        policy = Policy(rules: rules, targets: targets, sectors: sectors, resettlement: resettlement,
                        finance: finance)
        // Scenario+CapacityChanges.swift
        policy.capacityChanges = resolveCapacityChanges(top["capacityChanges"], reader: &reader)
        policy.outputTargets = resolveOutputTargets(top["outputTargets"], reader: &reader)
        policy.replacementCredit = resolveReplacementCredit(top["replacementCreditTables"], reader: &reader)
        checkNotCombinedWithFinance(root, hasFinance: top["finance"] != nil, reader: &reader)
    }

    var programmeYears: ClosedRange<Int> { (baseYear + 1)...endYear }

    /// Whether `name` can name a scenario: letters, digits, '-', '_' or '.', since it is written
    /// into every output row.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    /// The years between the optional `from` and `to` keys (defaults: the programme's first and
    /// last year, recorded in `defaulted`); nil, with an issue, when `to` is before `from`.
    mutating func activeYears(_ map: [String: Node], _ path: String, reader: inout YAMLReader) -> ClosedRange<Int>? {
        let from = map["from"].flatMap { reader.integer($0, path + ".from", range: programmeYears) }
        let to = map["to"].flatMap { reader.integer($0, path + ".to", range: programmeYears) }
        if map["from"] == nil { defaulted.insert(path + ".from") }
        if map["to"] == nil { defaulted.insert(path + ".to") }
        let lower = from ?? programmeYears.lowerBound, upper = to ?? programmeYears.upperBound
        guard lower <= upper else {
            reader.report(map["to"] ?? map["from"], path + ".to", "must not be before 'from' (\(lower))")
            return nil
        }
        return lower...upper
    }

    /// Where a CSV data row is: its table, physical line and 1-based row number.
    struct RowLocation {
        var file: String
        var line: Int
        var row: Int
    }

    /// The tables listed under the top-level `key`: every path, resolved against the scenario
    /// file's folder, and the text of each one that exists and is UTF-8 (the others are issues).
    /// No text is returned when the tables have more than `ScenarioLimits.maxRows` rows together.
    ///
    /// - Parameter noun: the kind of table, for messages ("facility" table, "enterprise" table).
    func readTables(_ node: Node, _ key: String, noun: String, reader: inout YAMLReader)
        -> (paths: [String], texts: [(path: String, text: String)])
    {
        guard let list = reader.sequence(node, key) else { return ([], []) }
        if list.isEmpty { reader.report(node, key, "list at least one \(noun) table") }
        var paths: [String] = []
        var texts: [(path: String, text: String)] = []
        var rowCount = 0
        for (i, entry) in list.enumerated() {
            let field = "\(key)[\(i)]"
            guard let relative = reader.string(entry, field) else { continue }
            // Relative to the file that listed the table, which may be a base this one extends
            // (or a variant that added the table).
            let folder = PathText.folder(of: reader.origin(field))
            guard ScenarioDocument.isText(entry) else {
                reader.report(entry, field, "expected the path of a \(noun) table, as text; got '\(relative)'"
                              + " (quote it if a file is really named so)")
                continue
            }
            let path = ScenarioDocument.join(folder, relative)
            paths.append(path)
            // Counted on the file's bytes before any text is built or row parsed, so an oversized
            // table is refused in a moment and without its memory.
            let rows = max(0, (TextFile.csvRecordCount(path) ?? 0) - 1)
            rowCount += rows
            if rowCount > ScenarioLimits.maxRows {
                reader.report(entry, field, "\(noun) table '\(path)' has \(rows) rows"
                              + (rowCount > rows ? " (\(rowCount) with the tables before it)" : "")
                              + "; a scenario has at most \(ScenarioLimits.maxRows) \(noun) rows: "
                              + ScenarioLimits.maxRowsReason)
                return (paths, [])
            }
            do {
                let text = try ScenarioDocument.readText(
                    path, namedAt: .init(file: reader.origin(field), line: entry.mark?.line, field: field),
                    noun: "\(noun) table")
                texts.append((path, text))
            } catch {
                reader.issues += error.issues
            }
        }
        return (paths, texts)
    }

    /// Reads the facility tables into `facilityTables` and `facilities`; returns where each
    /// facility's row is, in `facilities` order.
    private mutating func loadTables(_ node: Node?, reader: inout YAMLReader) -> [RowLocation] {
        guard let node else { return [] }
        let tables = readTables(node, "facilityTables", noun: "facility", reader: &reader)
        facilityTables = tables.paths
        var seen: [String: (file: String, line: Int)] = [:]
        var locations: [RowLocation] = []
        let changes = Dictionary(grouping: facilityChanges, by: \.id)
        var changed = Set<String>()
        for (path, text) in tables.texts {
            var tableIssues: [ScenarioIssue] = []
            let table = FacilityTableReader.read(text: text, file: path, changes: changes, found: &changed,
                                                 issues: &tableIssues)
            reader.issues += tableIssues
            // Ids must be unique across all tables, so duplicates are found here.
            for row in table {
                if let first = seen[row.facility.id] {
                    reader.issues.append(ScenarioIssue(
                        file: path, line: row.line, field: "id",
                        message: "duplicate id '\(row.facility.id)' (first at \(first.file):\(first.line))"))
                } else {
                    seen[row.facility.id] = (path, row.line)
                    facilities.append(row.facility)
                    locations.append(RowLocation(file: path, line: row.line, row: row.row))
                }
            }
        }
        // A change of a row no table has would silently do nothing; only known when every table was read.
        if tables.texts.count == tables.paths.count {
            for change in facilityChanges where !changed.contains(change.id) {
                let known = seen.keys.sorted()
                reader.issues.append(ScenarioIssue(
                    file: change.file, line: change.line, field: change.field,
                    message: "no facility table has a row with id '\(change.id)'" + Suggestion.phrase(for: change.id, in: known)))
            }
        }
        return locations
    }

    private mutating func resolveSector(_ sector: Sector, _ node: Node, _ reader: inout YAMLReader) -> SectorPolicy {
        let path = "sectors.\(sector.rawValue)"
        var policy = SectorPolicy.defaults
        guard let map = reader.mapping(node, path, allowed: Self.sectorKeys) else { return policy }
        let share = "a share in [0, 1]"
        if let n = map["utilisation"] {
            policy.utilisation = reader.number(n, path + ".utilisation", expectation: share, limit: .bounded) { (0...1).contains($0) } ?? 1
        } else { defaulted.insert(path + ".utilisation") }
        if let n = map["utilisationByYear"] {
            policy.utilisationByYear = reader.yearMap(n, path + ".utilisationByYear", years: baseYear...endYear,
                                                      expectation: share, limit: .bounded) { (0...1).contains($0) } ?? [:]
        }
        if let n = map["priceIndex"] {
            policy.priceIndex = reader.number(n, path + ".priceIndex", expectation: "a multiplier > 0", limit: ScenarioLimits.priceIndex) { $0 > 0 } ?? 1
        } else { defaulted.insert(path + ".priceIndex") }
        if let n = map["priceIndexByYear"] {
            policy.priceIndexByYear = reader.yearMap(n, path + ".priceIndexByYear", years: baseYear...endYear,
                                                     expectation: "a multiplier > 0", limit: ScenarioLimits.priceIndex) { $0 > 0 } ?? [:]
        }
        if let n = map["replacementRatio"] {
            policy.replacementRatio = reader.number(n, path + ".replacementRatio",
                                                    expectation: "a ratio ≥ 0 (retired per unit of new capacity)", limit: ScenarioLimits.replacementRatio) { $0 >= 0 } ?? 1
        } else { defaulted.insert(path + ".replacementRatio") }
        if let n = map["market"] { policy.market = resolveMarket(sector, n, &reader) }  // Scenario+Markets.swift
        return policy
    }

    private mutating func resolveID(_ node: Node?, _ path: String, usedIDs: inout Set<String>,
                                    reader: inout YAMLReader) -> String? {
        guard let node, let id = reader.string(node, path + ".id") else { return nil }
        if id == "reserve_exhausted" {
            return reader.fail(node, path + ".id", "'reserve_exhausted' is reserved for closures by exhausted reserves")
        }
        if usedIDs.contains(id) {
            return reader.fail(node, path + ".id", "id '\(id)' is already used; rule and target ids must be unique")
        }
        usedIDs.insert(id)
        return id
    }

    /// A region filter must name a region where the sector has units, or it would match nothing.
    private func checkRegion(_ node: Node?, _ path: String, sector: Sector?, regions: [Sector: Set<String>],
                             reader: inout YAMLReader) -> String? {
        guard let node, let region = reader.string(node, path), let sector else { return nil }
        let known = regions[sector] ?? []
        guard known.contains(region) else {
            return reader.fail(node, path, "no \(sector.rawValue) facility is in region '\(region)'; its regions: "
                               + known.sorted().joined(separator: ", "))
        }
        return region
    }

    private mutating func resolveRule(_ node: Node, _ path: String, regions: [Sector: Set<String>], ids: [String: Facility],
                                      usedIDs: inout Set<String>, reader: inout YAMLReader) -> ClosureRule? {
        guard let map = reader.mapping(node, path, allowed: Self.ruleKeys, required: ["id", "criterion"]) else { return nil }
        let before = reader.issues.count
        let id = resolveID(map["id"], path, usedIDs: &usedIDs, reader: &reader)
        let sector = map["sector"].flatMap { reader.enumeration($0, path + ".sector", Sector.self) }
        guard let criterion = map["criterion"].flatMap({ reader.enumeration($0, path + ".criterion", ClosureCriterion.self) })
        else {
            // Still check the keys that do not depend on the criterion, so every problem is reported.
            _ = map["owner"].flatMap { reader.enumeration($0, path + ".owner", OwnerType.self) }
            return nil
        }
        if sector == nil && map["sector"] == nil && criterion != .named {
            reader.report(node, path + ".sector", "required key is missing")
        }
        let owner = map["owner"].flatMap { reader.enumeration($0, path + ".owner", OwnerType.self) }
        let region = checkRegion(map["region"], path + ".region", sector: sector, regions: regions, reader: &reader)
        if criterion == .reserveBelow, let sector, sector != .coal {
            reader.report(map["sector"], path + ".sector", "reserve_below applies to coal mines only")
        }

        var thresholds: [Int: Double] = [:]
        var years = programmeYears
        var named: [String] = []
        let thresholdCheck = Self.thresholdCheck(criterion)
        if criterion == .named {
            for key in ["threshold", "thresholdByYear", "from", "to"] where map[key] != nil {
                reader.report(map[key], "\(path).\(key)", "not used by a named rule; give 'year' instead")
            }
            for key in ["owner", "region"] where map[key] != nil {
                reader.report(map[key], "\(path).\(key)", "a named rule closes exactly the units it lists; filters would skip some silently")
            }
            if let yearNode = map["year"] {
                if let y = reader.integer(yearNode, path + ".year", range: programmeYears) { years = y...y }
            } else {
                reader.report(node, path + ".year", "required for a named rule")
            }
            if let listNode = map["facilities"], let list = reader.sequence(listNode, path + ".facilities") {
                if list.isEmpty { reader.report(listNode, path + ".facilities", "list at least one facility id") }
                for (i, item) in list.enumerated() {
                    guard let fid = reader.string(item, "\(path).facilities[\(i)]") else { continue }
                    guard let facility = ids[fid] else {
                        reader.report(item, "\(path).facilities[\(i)]", "no facility has id '\(fid)'")
                        continue
                    }
                    if let sector, facility.sector != sector {
                        reader.report(item, "\(path).facilities[\(i)]",
                                    "'\(fid)' is in sector \(facility.sector.rawValue), not \(sector.rawValue)")
                    }
                    named.append(fid)
                }
            } else if map["facilities"] == nil {
                reader.report(node, path + ".facilities", "required for a named rule")
            }
        } else {
            for key in ["facilities", "year"] where map[key] != nil {
                reader.report(map[key], "\(path).\(key)", "only named rules take '\(key)'")
            }
            if let active = activeYears(map, path, reader: &reader) { years = active }
            if let check = thresholdCheck {
                switch (map["threshold"], map["thresholdByYear"]) {
                case let (t?, nil):
                    if let x = reader.number(t, path + ".threshold", expectation: check.expectation, limit: check.limit, valid: check.valid) {
                        for y in years { thresholds[y] = x }
                    }
                case let (nil, t?):
                    for key in ["from", "to"] where map[key] != nil {
                        reader.report(map[key], "\(path).\(key)", "not allowed with thresholdByYear: its years say when the rule is active")
                    }
                    defaulted.remove(path + ".from")
                    defaulted.remove(path + ".to")
                    thresholds = reader.yearMap(t, path + ".thresholdByYear", years: programmeYears,
                                                expectation: check.expectation, limit: check.limit, valid: check.valid) ?? [:]
                case (_?, _?):
                    reader.report(node, path, "give either threshold or thresholdByYear, not both")
                case (nil, nil):
                    reader.report(node, path + ".threshold", "required for criterion \(criterion.rawValue)")
                }
            } else {
                for key in ["threshold", "thresholdByYear"] where map[key] != nil {
                    reader.report(map[key], "\(path).\(key)", "criterion \(criterion.rawValue) takes no threshold")
                }
            }
        }
        guard reader.issues.count == before, let id else { return nil }
        return ClosureRule(id: id, sector: sector, criterion: criterion, thresholdByYear: thresholds,
                           years: years, owner: owner, region: region, namedFacilities: named)
    }

    /// What a criterion's threshold must satisfy, or nil when it takes none.
    static func thresholdCheck(_ c: ClosureCriterion)
        -> (expectation: String, limit: ScenarioLimit, valid: (Double) -> Bool)?
    {
        switch c {
        case .sizeBelow, .sizeAtOrBelow: return ("a size ≥ 0 in the kind's unit", ScenarioLimits.size, { $0 >= 0 })
        case .reserveBelow: return ("a number of years ≥ 0", ScenarioLimits.reserveYears, { $0 >= 0 })
        case .logisticsAbove: return ("a distance ≥ 0 km", ScenarioLimits.distance, { $0 >= 0 })
        case .costAbovePrice: return ("a margin > -1 (0 = cost above price)", ScenarioLimits.margin, { $0 > -1 })
        case .safetyFlag, .named: return nil
        }
    }

    private mutating func resolveTarget(_ node: Node, _ path: String, regions: [Sector: Set<String>],
                                        usedIDs: inout Set<String>, reader: inout YAMLReader) -> ClosureTarget? {
        guard let map = reader.mapping(node, path, allowed: Self.targetKeys,
                                       required: ["id", "sector", "capacityClosedByYear", "priority"]) else { return nil }
        let before = reader.issues.count
        let id = resolveID(map["id"], path, usedIDs: &usedIDs, reader: &reader)
        let sector = map["sector"].flatMap { reader.enumeration($0, path + ".sector", Sector.self) }
        let goals = map["capacityClosedByYear"].flatMap {
            reader.yearMap($0, path + ".capacityClosedByYear", years: programmeYears,
                           expectation: "a capacity ≥ 0 in 10kt/yr", limit: ScenarioLimits.targetCapacity) { $0 >= 0 }
        }
        var priority: [PriorityKey] = []
        if let n = map["priority"], let list = reader.sequence(n, path + ".priority") {
            if list.isEmpty { reader.report(n, path + ".priority", "list at least one priority key") }
            for (i, item) in list.enumerated() {
                if let key = reader.enumeration(item, "\(path).priority[\(i)]", PriorityKey.self) { priority.append(key) }
            }
        }
        let owner = map["owner"].flatMap { reader.enumeration($0, path + ".owner", OwnerType.self) }
        let region = checkRegion(map["region"], path + ".region", sector: sector, regions: regions, reader: &reader)
        guard reader.issues.count == before, let id, let sector, let goals else { return nil }
        return ClosureTarget(id: id, sector: sector, capacityClosedByYear: goals, priority: priority,
                             owner: owner, region: region)
    }
}
