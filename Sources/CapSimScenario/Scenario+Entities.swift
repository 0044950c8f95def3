import CapSimCore
import Yams

/// Reading the optional `entities:` section (docs/SCENARIO-FORMAT.md, "Holding and disposal
/// entities") and the instrument keys that name an entity (`into`, `recoveryShare`).
///
/// Entities are appended to `Scenario.enterprises` after the enterprise tables, with empty books
/// (no assets, no debt), so the finance model keeps their accounts like an enterprise's (§8.7).
extension Scenario {
    static let entityKeys = ["id", "kind", "sector", "owner", "assetIncomeRate", "fixedCost", "interestRate"]

    /// Reads the `entities:` list into `enterprises` and `enterpriseIDs`. Each id must be new (not an
    /// enterprise of the tables, not another entity's).
    mutating func resolveEntities(_ node: Node, reader: inout YAMLReader) {
        guard let list = reader.sequence(node, "entities") else { return }
        var seen: [String: Int] = [:]
        for (i, item) in list.enumerated() {
            let path = "entities[\(i)]"
            guard let map = reader.mapping(item, path, allowed: Self.entityKeys, required: ["id", "kind", "sector"]) else {
                continue
            }
            var id: String?
            if let n = map["id"], let text = reader.string(n, path + ".id") {
                if let first = seen[text] {
                    reader.report(n, path + ".id", "id '\(text)' is already used by entities[\(first)]; entity ids must be unique")
                } else if enterprises.contains(where: { $0.id == text }) {
                    reader.report(n, path + ".id", "id '\(text)' is an enterprise of the enterprise tables; "
                                  + "an entity needs an id of its own")
                } else {
                    seen[text] = i
                    id = text
                }
            }
            let kind = map["kind"].flatMap { reader.enumeration($0, path + ".kind", HoldingKind.self) }
            let sector = map["sector"].flatMap { reader.enumeration($0, path + ".sector", Sector.self) }
            var owner = OwnerType.state
            if let n = map["owner"] {
                owner = reader.enumeration(n, path + ".owner", OwnerType.self) ?? owner
            } else {
                defaulted.insert(path + ".owner")
            }
            var income = 0.0
            if let n = map["assetIncomeRate"] {
                income = reader.number(n, path + ".assetIncomeRate", expectation: "a yearly income per yuan of assets in [0, 1]",
                                       limit: .bounded, valid: { (0...1).contains($0) }) ?? income
            } else {
                defaulted.insert(path + ".assetIncomeRate")
            }
            var fixed = 0.0
            if let n = map["fixedCost"] {
                fixed = reader.number(n, path + ".fixedCost", expectation: "yuan per year, at least 0", limit: ScenarioLimits.yuan,
                                      valid: { $0 >= 0 }) ?? fixed
            } else {
                defaulted.insert(path + ".fixedCost")
            }
            var rates: [CreditorClass: Double] = [:]
            if let n = map["interestRate"] {
                rates = reader.enumerationMap(n, path + ".interestRate", CreditorClass.self,
                                              expectation: "a yearly rate in [0, 1]", limit: .bounded,
                                              valid: { (0...1).contains($0) }) ?? [:]
                if let entries = n.mapping {
                    for (key, _) in entries {
                        if let c = key.scalar.flatMap({ CreditorClass(rawValue: $0.string) }), !c.bearsInterest {
                            reader.report(key, path + ".interestRate.\(c.rawValue)",
                                          "\(c.rawValue) bears no interest; give rates for bank_loans, bonds or private_financing")
                        }
                    }
                }
            } else {
                defaulted.insert(path + ".interestRate")
            }
            // An entity with a usable id is kept even when another of its values is wrong: the
            // load fails on that issue anyway, and references to the entity do not add issues.
            guard let id else { continue }
            enterprises.append(Enterprise(id: id, owner: owner, assetsYuan: 0, debtYuan: [:], interestRate: rates,
                                          fixedCostYuanPerYear: fixed,
                                          holding: Holding(kind: kind ?? .assetManagement, sector: sector ?? .coal,
                                                           assetIncomeRate: income)))
            enterpriseIDs?.insert(id)
        }
    }

    /// The instrument keys about entities: `into` (stripping and swap: the receiving entity) and
    /// `recoveryShare` (asset sale). Issues are reported into `reader`.
    mutating func resolveInstrumentEntityKeys(_ map: [String: Node], _ node: Node, _ path: String,
                                              kind: DebtInstrumentKind?, reader: inout YAMLReader)
        -> (recipient: String?, recoveryShare: Double)
    {
        var recipient: String?
        if let n = map["into"] {
            if let kind, kind != .assetStripping && kind != .debtEquitySwap {
                reader.report(reader.keyNode(node, "into"), path + ".into",
                              "only asset_stripping and debt_equity_swap take 'into', not \(kind.rawValue)")
            } else if let id = reader.string(n, path + ".into") {
                let holdings = enterprises.filter { $0.holding != nil }.map(\.id)
                if holdings.contains(id) {
                    recipient = id
                } else {
                    reader.report(n, path + ".into", "no entity has id '\(id)'; 'into' names one of the entities: section ("
                                  + (holdings.isEmpty ? "none is given" : holdings.joined(separator: ", ")) + ")"
                                  + Suggestion.phrase(for: id, in: holdings))
                }
            }
        }
        var recovery = 1.0
        if let n = map["recoveryShare"] {
            if let kind, kind != .assetSale {
                reader.report(reader.keyNode(node, "recoveryShare"), path + ".recoveryShare",
                              "only asset_sale takes recoveryShare, not \(kind.rawValue)")
            } else {
                recovery = reader.number(n, path + ".recoveryShare", expectation: "proceeds per yuan of book value in [0, 1]",
                                         limit: .bounded, valid: { (0...1).contains($0) }) ?? recovery
            }
        } else if kind == .assetSale {
            defaulted.insert(path + ".recoveryShare")
        }
        return (recipient, recovery)
    }
}

extension Scenario {
    static let windUpKeys = ["action", "recovery", "into"]

    /// Reads `finance.windUp` (§8.8): what happens to an enterprise whose last unit has closed.
    mutating func resolveWindUp(_ node: Node, known: Set<String>?, reader: inout YAMLReader) -> WindUpPolicy? {
        let path = "finance.windUp"
        guard let map = reader.mapping(node, path, allowed: Self.windUpKeys, required: ["action"]) else { return nil }
        let before = reader.issues.count
        let kind = map["action"].flatMap { reader.enumeration($0, path + ".action", WindUpKind.self) }
        var recovery: [CreditorClass: Double] = [:]
        if let n = map["recovery"] {
            if let kind, kind != .liquidation {
                reader.report(reader.keyNode(node, "recovery"), path + ".recovery",
                              "only liquidation takes recovery, not \(kind.rawValue)")
            } else {
                recovery = reader.enumerationMap(n, path + ".recovery", CreditorClass.self,
                                                 expectation: "a recovered share in [0, 1]", limit: .bounded,
                                                 valid: { (0...1).contains($0) }) ?? [:]
            }
        } else if kind == .liquidation {
            defaulted.insert(path + ".recovery")
        }
        var acquirer: String?
        if let n = map["into"] {
            if let kind, kind != .absorption {
                reader.report(reader.keyNode(node, "into"), path + ".into", "only absorption takes 'into', not \(kind.rawValue)")
            } else if let id = reader.string(n, path + ".into") {
                if let known, !known.contains(id) {
                    reader.report(n, path + ".into", "no enterprise has id '\(id)' in the enterprise tables ("
                                  + enterpriseTables.joined(separator: ", ") + ")" + Suggestion.phrase(for: id, in: known.sorted()))
                } else {
                    acquirer = id
                }
            }
        } else if kind == .absorption {
            reader.report(node, path + ".into", "required for an absorption: the absorbing enterprise's id")
        }
        guard reader.issues.count == before, let kind else { return nil }
        return WindUpPolicy(kind: kind, recovery: recovery, acquirer: acquirer)
    }
}
