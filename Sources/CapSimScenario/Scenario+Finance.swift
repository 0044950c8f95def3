import CapSimCore
import Yams

/// Reading the optional `enterpriseTables:` and `finance:` sections (docs/SCENARIO-FORMAT.md,
/// "Enterprises and debt") into `Scenario.enterprises` and `Policy.finance`.
extension Scenario {
    static let financeKeys = ["assetWriteDownShare", "repaymentShare", "instruments", "zombies", "windUp"]
    static let instrumentKeys = ["id", "kind", "from", "to", "sectors", "owner", "enterprises", "zombiesOnly",
                                 "creditors", "share", "debtFollowsShare", "into", "recoveryShare"]
    static let zombieKeys = ["haltedMonths", "debtToAssets", "lossYears", "match", "actions"]
    static let zombieActionKeys = ["sectors", "owner", "enterprises", "action", "recovery", "into"]

    /// How the zombie criteria combine (`finance.zombies.match`).
    enum ZombieMatch: String, CaseIterable {
        /// Any one criterion makes a zombie (the seed lists them as alternatives).
        case any
        /// All three must hold.
        case all
    }

    /// The creditor classes a lever acts on when `creditors` is not given.
    public static func defaultCreditors(_ kind: DebtInstrumentKind) -> [CreditorClass] {
        switch kind {
        case .interestWaiver, .interestSuspension, .writeOff, .assetSale: return [.bankLoans]
        case .debtEquitySwap: return [.bankLoans, .privateFinancing]
        case .assetStripping: return CreditorClass.allCases
        }
    }

    private static let share = "a share in [0, 1]"
    private static func isShare(_ x: Double) -> Bool { (0...1).contains(x) }

    /// Each enterprise's main sector, in `enterprises` order, as the finance model groups
    /// enterprises: the sector of most of its base-year capacity (the first in sector order on a
    /// tie); for an enterprise with planned units only, the sector of its first unit. Nil for an
    /// enterprise that owns no facility (a loaded scenario has none).
    public var enterpriseMainSectors: [Sector?] {
        Enterprise.mainSectors(of: enterprises, facilities: facilities, baseYear: baseYear)
    }

    /// Resolves both sections, which go together: reads the enterprise tables into `enterprises`
    /// and `enterpriseTables`, checks them against the facilities, and returns the finance policy.
    /// Returns nil when neither is given, or when either has a problem (then every problem is in
    /// `reader.issues`).
    ///
    /// - Parameters:
    ///   - tables: the value of the top-level `enterpriseTables` key, if present.
    ///   - finance: the value of the top-level `finance` key, if present.
    ///   - root: the top-level mapping, to locate the keys themselves in messages.
    ///   - facilityRows: where each facility's row is, in `facilities` order.
    ///   - facilitiesComplete: whether the facility tables loaded without a problem; when not, a
    ///     rejected facility row could be an enterprise's only one, so "owns no facility" is not checked.
    ///   - base: a scenario whose enterprise tables are taken instead of reading them again.
    mutating func resolveFinance(tables: Node?, finance: Node?, entities: Node? = nil, in root: Node, facilityRows: [RowLocation],
                                 facilitiesComplete: Bool, reusing base: Scenario? = nil,
                                 reader: inout YAMLReader) -> FinancePolicy? {
        let before = reader.issues.count
        guard tables != nil || finance != nil else {
            if entities != nil {
                reader.report(reader.keyNode(root, "entities"), "entities", "entities keep books only with a finance section")
            }
            return nil
        }
        if tables == nil {
            reader.report(reader.keyNode(root, "finance"), "enterpriseTables",
                          "required when finance is given: give both sections or neither")
        }
        if finance == nil {
            reader.report(reader.keyNode(root, "enterpriseTables"), "finance",
                          "required when enterpriseTables is given: give both sections or neither")
        }
        if let base, tables != nil {
            // The base's entities are resolved again from this scenario's own `entities:`.
            enterpriseTables = base.enterpriseTables
            enterprises = base.enterprises.filter { $0.holding == nil }
            let entityIDs = Set(base.enterprises.filter { $0.holding != nil }.map(\.id))
            enterpriseIDs = base.enterpriseIDs.map { $0.subtracting(entityIDs) }
        } else {
            enterpriseIDs = tables.flatMap {
                loadEnterpriseTables($0, facilityRows: facilityRows, facilitiesComplete: facilitiesComplete,
                                     reader: &reader)
            }
        }
        if let entities, finance != nil { resolveEntities(entities, reader: &reader) }
        let known = enterpriseIDs
        let policy = finance.flatMap { resolveFinanceSection($0, known: known, reader: &reader) }
        guard reader.issues.count == before else { return nil }
        return policy
    }

    // MARK: - enterprise tables

    /// Reads the enterprise tables and checks them against the facilities. Returns every id the
    /// tables list (rows with errors included), for the finance section's references; nil when
    /// some table could not be read as a whole, so an id may be missing and references are not checked.
    private mutating func loadEnterpriseTables(_ node: Node, facilityRows: [RowLocation], facilitiesComplete: Bool,
                                               reader: inout YAMLReader) -> Set<String>? {
        let beforeRead = reader.issues.count
        let tables = readTables(node, "enterpriseTables", noun: "enterprise", reader: &reader)
        enterpriseTables = tables.paths
        var complete = reader.issues.count == beforeRead
        var listed: [String: RowLocation] = [:]
        var loaded: [String: (enterprise: Enterprise, at: RowLocation)] = [:]
        for (path, text) in tables.texts {
            var tableIssues: [ScenarioIssue] = []
            let table = EnterpriseTableReader.read(text: text, file: path, issues: &tableIssues)
            reader.issues += tableIssues
            complete = complete && table.complete
            // Ids must be unique across all tables, so duplicates are found here.
            for row in table.rows where !row.id.isEmpty {
                let at = RowLocation(file: path, line: row.line, row: row.row)
                if let first = listed[row.id] {
                    reader.issues.append(ScenarioIssue(
                        file: path, line: row.line, row: row.row, field: "id",
                        message: "duplicate enterprise id '\(row.id)' (first at \(first.file):\(first.line)); "
                            + "enterprise ids must be unique across all enterprise tables"))
                    continue
                }
                listed[row.id] = at
                if let e = row.enterprise {
                    enterprises.append(e)
                    loaded[e.id] = (e, at)
                }
            }
        }

        // Every facility's enterprise has a balance sheet: reported once per enterprise, at its
        // first facility's row. Skipped when a table was unreadable, as the id may be in it.
        if complete {
            var missing: [String: (first: Int, count: Int)] = [:]
            var order: [String] = []
            for (f, facility) in facilities.enumerated() where listed[facility.enterprise] == nil {
                if let m = missing[facility.enterprise] {
                    missing[facility.enterprise] = (m.first, m.count + 1)
                } else {
                    missing[facility.enterprise] = (f, 1)
                    order.append(facility.enterprise)
                }
            }
            for id in order {
                let m = missing[id]!, at = facilityRows[m.first]
                let others = m.count > 1 ? " (nor for its \(m.count - 1) other facilities)" : ""
                reader.issues.append(ScenarioIssue(
                    file: at.file, line: at.line, row: at.row, field: "enterprise",
                    message: "enterprise '\(id)' is not listed in the enterprise tables ("
                        + enterpriseTables.joined(separator: ", ") + "); every facility's enterprise needs a row there"
                        + others))
            }
        }

        // Every enterprise owns a facility, with the same owner type as each of them.
        let owned = Dictionary(grouping: facilities.indices, by: { facilities[$0].enterprise })
        for e in enterprises {
            let at = loaded[e.id]!.at
            guard let units = owned[e.id] else {
                if facilitiesComplete {
                    reader.issues.append(ScenarioIssue(
                        file: at.file, line: at.line, row: at.row, field: "id",
                        message: "enterprise '\(e.id)' owns no facility; every enterprise must be the 'enterprise' "
                            + "of at least one facility (exact text match)"))
                }
                continue
            }
            let mismatched = units.filter { facilities[$0].owner != e.owner }
            guard let other = mismatched.first.map({ facilities[$0].owner }) else { continue }
            let names = mismatched.map { "'\(facilities[$0].id)' (\(facilityRows[$0].file):\(facilityRows[$0].line))" }
            reader.issues.append(ScenarioIssue(
                file: at.file, line: at.line, row: at.row, field: "owner",
                message: "enterprise '\(e.id)' is \(e.owner.rawValue), but its "
                    + (names.count == 1 ? "facility " : "facilities ") + names.joined(separator: ", ")
                    + (names.count == 1 ? " is " : " are ") + "\(other.rawValue); "
                    + "an enterprise and its facilities must have the same owner"))
        }
        return complete ? Set(listed.keys) : nil
    }

    // MARK: - finance

    private mutating func resolveFinanceSection(_ node: Node, known: Set<String>?,
                                                reader: inout YAMLReader) -> FinancePolicy? {
        let path = "finance"
        guard let map = reader.mapping(node, path, allowed: Self.financeKeys,
                                       required: ["assetWriteDownShare", "repaymentShare"]) else { return nil }
        let before = reader.issues.count
        let writeDown = map["assetWriteDownShare"].flatMap {
            reader.number($0, path + ".assetWriteDownShare", expectation: "a share of book value in [0, 1]", limit: .bounded,
                          valid: Self.isShare)
        }
        let repayment = map["repaymentShare"].flatMap {
            reader.number($0, path + ".repaymentShare", expectation: "a share of cash flow in [0, 1]", limit: .bounded,
                          valid: Self.isShare)
        }
        var instruments: [DebtInstrument] = []
        if let n = map["instruments"], let list = reader.sequence(n, path + ".instruments") {
            var usedIDs: [String: (index: Int, line: Int?)] = [:]
            for (i, item) in list.enumerated() {
                if let inst = resolveInstrument(item, i, known: known, usedIDs: &usedIDs, reader: &reader) {
                    instruments.append(inst)
                }
            }
        }
        var zombies: ZombiePolicy? = .seedDefaults
        if let n = map["zombies"] {
            zombies = resolveZombies(n, known: known, reader: &reader)
        } else {
            for key in ["haltedMonths", "debtToAssets", "lossYears", "match"] { defaulted.insert("\(path).zombies.\(key)") }
        }
        let windUp = map["windUp"].flatMap { resolveWindUp($0, known: known, reader: &reader) }
        guard reader.issues.count == before, let writeDown, let repayment, let zombies else { return nil }
        return FinancePolicy(assetWriteDownShare: writeDown, repaymentShare: repayment, instruments: instruments,
                             zombies: zombies, windUp: windUp)
    }

    /// The filter keys shared by instruments and zombie actions; absent keys are recorded as
    /// defaulted. `zombiesOnly` is read only when `map` may have it (instruments).
    private mutating func resolveFilter(_ map: [String: Node], _ path: String, known: Set<String>?,
                                        reader: inout YAMLReader) -> EnterpriseFilter {
        var filter = EnterpriseFilter()
        if let n = map["sectors"] {
            filter.sectors = reader.enumerationList(n, path + ".sectors", Sector.self) ?? []
        } else {
            defaulted.insert(path + ".sectors")
        }
        if let n = map["owner"] {
            filter.owner = reader.enumeration(n, path + ".owner", OwnerType.self)
        } else {
            defaulted.insert(path + ".owner")
        }
        if let n = map["enterprises"] {
            filter.enterprises = resolveEnterpriseList(n, path + ".enterprises", known: known, reader: &reader) ?? []
        } else {
            defaulted.insert(path + ".enterprises")
        }
        return filter
    }

    /// A non-empty list of enterprise ids, none repeated, each listed in the enterprise tables
    /// (checked only when `known` is given).
    private func resolveEnterpriseList(_ node: Node, _ path: String, known: Set<String>?,
                                       reader: inout YAMLReader) -> [String]? {
        guard let list = reader.sequence(node, path) else { return nil }
        if list.isEmpty { return reader.fail(node, path, "list at least one enterprise id") }
        var result: [String] = []
        var ok = true
        for (i, item) in list.enumerated() {
            guard let id = checkEnterprise(item, "\(path)[\(i)]", known: known, reader: &reader) else {
                ok = false
                continue
            }
            if result.contains(id) {
                reader.report(item, "\(path)[\(i)]", "'\(id)' appears twice")
                ok = false
            }
            result.append(id)
        }
        return ok ? result : nil
    }

    /// An enterprise id that the enterprise tables list (checked only when `known` is given).
    private func checkEnterprise(_ node: Node, _ path: String, known: Set<String>?,
                                 reader: inout YAMLReader) -> String? {
        guard let id = reader.string(node, path) else { return nil }
        if let known, !known.contains(id) {
            return reader.fail(node, path, "no enterprise has id '\(id)' in the enterprise tables ("
                               + enterpriseTables.joined(separator: ", ") + ")")
        }
        return id
    }

    private mutating func resolveInstrument(_ node: Node, _ index: Int, known: Set<String>?,
                                            usedIDs: inout [String: (index: Int, line: Int?)],
                                            reader: inout YAMLReader) -> DebtInstrument? {
        let path = "finance.instruments[\(index)]"
        guard let map = reader.mapping(node, path, allowed: Self.instrumentKeys, required: ["id", "kind"]) else {
            return nil
        }
        let before = reader.issues.count
        var id: String?
        if let n = map["id"], let text = reader.string(n, path + ".id") {
            if let first = usedIDs[text] {
                reader.report(n, path + ".id", "id '\(text)' is already used by instruments[\(first.index)]"
                              + (first.line.map { " (line \($0))" } ?? "") + "; instrument ids must be unique")
            } else {
                usedIDs[text] = (index, n.mark?.line)
                id = text
            }
        }
        let kind = map["kind"].flatMap { reader.enumeration($0, path + ".kind", DebtInstrumentKind.self) }

        let years = activeYears(map, path, reader: &reader)

        var filter = resolveFilter(map, path, known: known, reader: &reader)
        if let n = map["zombiesOnly"] {
            filter.zombiesOnly = reader.boolean(n, path + ".zombiesOnly") ?? false
        } else {
            defaulted.insert(path + ".zombiesOnly")
        }

        var creditors: [CreditorClass] = kind.map(Self.defaultCreditors) ?? []
        if let n = map["creditors"] {
            creditors = reader.enumerationList(n, path + ".creditors", CreditorClass.self) ?? []
            // Interest levers on arrears would silently do nothing: arrears bear no interest.
            if let kind, kind == .interestWaiver || kind == .interestSuspension {
                for (i, c) in creditors.enumerated() where !c.bearsInterest {
                    reader.report(n.sequence.map { Array($0)[i] } ?? n, "\(path).creditors[\(i)]",
                                  "\(c.rawValue) bears no interest, so \(kind.rawValue) cannot act on it; "
                                  + "use bank_loans, bonds or private_financing")
                }
            }
        } else {
            defaulted.insert(path + ".creditors")
        }

        var share = 1.0
        if let n = map["share"] {
            share = reader.number(n, path + ".share", expectation: Self.share, limit: .bounded, valid: Self.isShare) ?? share
        } else if kind != .interestSuspension {
            defaulted.insert(path + ".share")
        }
        var debtFollows: Double?
        if let n = map["debtFollowsShare"] {
            if let kind, kind != .assetStripping {
                reader.report(reader.keyNode(node, "debtFollowsShare"), path + ".debtFollowsShare",
                              "only asset_stripping takes debtFollowsShare, not \(kind.rawValue)")
            } else {
                debtFollows = reader.number(n, path + ".debtFollowsShare", expectation: Self.share, limit: .bounded,
                                            valid: Self.isShare)
            }
        } else if kind == .assetStripping {
            defaulted.insert(path + ".debtFollowsShare")
        }
        let held = resolveInstrumentEntityKeys(map, node, path, kind: kind, reader: &reader)
        guard reader.issues.count == before, let id, let kind, let years else { return nil }
        return DebtInstrument(id: id, kind: kind, years: years, filter: filter, creditors: creditors,
                              share: share, debtFollowsShare: debtFollows, recipient: held.recipient,
                              recoveryShare: held.recoveryShare)
    }

    private mutating func resolveZombies(_ node: Node, known: Set<String>?, reader: inout YAMLReader) -> ZombiePolicy? {
        let path = "finance.zombies"
        guard let map = reader.mapping(node, path, allowed: Self.zombieKeys) else { return nil }
        let before = reader.issues.count
        let seed = ZombiePolicy.seedDefaults
        var halted = seed.haltedMonths
        if let n = map["haltedMonths"] {
            halted = reader.number(n, path + ".haltedMonths", expectation: "a number of months in [0, 12]", limit: .bounded,
                                   valid: { (0...12).contains($0) }) ?? halted
        } else {
            defaulted.insert(path + ".haltedMonths")
        }
        var leverage = seed.debtToAssets
        if let n = map["debtToAssets"] {
            leverage = reader.number(n, path + ".debtToAssets", expectation: "a ratio ≥ 0", limit: ScenarioLimits.debtToAssets,
                                     valid: { $0 >= 0 }) ?? leverage
        } else {
            defaulted.insert(path + ".debtToAssets")
        }
        var lossYears = seed.lossYears
        if let n = map["lossYears"] {
            lossYears = reader.integer(n, path + ".lossYears", range: 1...ScenarioLimits.lossYears) ?? lossYears
        } else {
            defaulted.insert(path + ".lossYears")
        }
        var match = ZombieMatch.any
        if let n = map["match"] {
            match = reader.enumeration(n, path + ".match", ZombieMatch.self) ?? match
        } else {
            defaulted.insert(path + ".match")
        }
        var actions: [ZombieAction] = []
        if let n = map["actions"], let list = reader.sequence(n, path + ".actions") {
            for (i, item) in list.enumerated() {
                if let action = resolveZombieAction(item, "\(path).actions[\(i)]", known: known, reader: &reader) {
                    actions.append(action)
                }
            }
        }
        guard reader.issues.count == before else { return nil }
        return ZombiePolicy(haltedMonths: halted, debtToAssets: leverage, lossYears: lossYears,
                            requireAll: match == .all, actions: actions)
    }

    private mutating func resolveZombieAction(_ node: Node, _ path: String, known: Set<String>?,
                                              reader: inout YAMLReader) -> ZombieAction? {
        guard let map = reader.mapping(node, path, allowed: Self.zombieActionKeys, required: ["action"]) else {
            return nil
        }
        let before = reader.issues.count
        let filter = resolveFilter(map, path, known: known, reader: &reader)
        let kind = map["action"].flatMap { reader.enumeration($0, path + ".action", ZombieActionKind.self) }

        var recovery: [CreditorClass: Double] = [:]
        if let n = map["recovery"] {
            if let kind, kind != .bankruptcy {
                reader.report(reader.keyNode(node, "recovery"), path + ".recovery",
                              "only bankruptcy takes recovery, not \(kind.rawValue)")
            } else {
                recovery = reader.enumerationMap(n, path + ".recovery", CreditorClass.self,
                                                 expectation: "a recovered share in [0, 1]", limit: .bounded, valid: Self.isShare) ?? [:]
            }
        } else if kind == .bankruptcy {
            defaulted.insert(path + ".recovery")
        }

        var acquirer: String?
        if let n = map["into"] {
            if let kind, kind != .merger {
                reader.report(reader.keyNode(node, "into"), path + ".into", "only merger takes 'into', not \(kind.rawValue)")
            } else if let id = checkEnterprise(n, path + ".into", known: known, reader: &reader) {
                if filter.enterprises == [id] {
                    reader.report(n, path + ".into", "'\(id)' is the only enterprise this action applies to; "
                                  + "an enterprise cannot merge into itself")
                }
                acquirer = id
            }
        } else if kind == .merger {
            reader.report(node, path + ".into", "required for a merger: the acquiring enterprise's id")
        }
        guard reader.issues.count == before, let kind else { return nil }
        return ZombieAction(filter: filter, kind: kind, recovery: recovery, acquirer: acquirer)
    }
}
