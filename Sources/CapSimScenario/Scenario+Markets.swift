import CapSimCore
import Yams

/// The `sectors.<sector>.market` mapping: a sector market whose price and utilisation answer to
/// capacity (docs/SCENARIO-FORMAT.md, "Markets"; docs/MODEL.md §2.7). Absent = off.
extension Scenario {
    /// Keys of a `market` mapping.
    static let marketKeys = ["demand", "demandByYear", "elasticity", "referencePriceIndex", "referenceUtilisation",
                             "utilisationCeiling", "priceIndexFloor", "priceIndexCap", "depletionRate",
                             "costReductionRate", "costReductionLimit", "investmentPaybackYears"]

    /// The largest price elasticity of demand a market may have.
    static let elasticityLimit = ScenarioLimit(100, "", "measured demand elasticities of coal, steel and cement are 0.1-1")
    /// The longest payback of cost-reduction investment.
    static let paybackLimit = ScenarioLimit(100, "years", "mine mechanisation pays back in 3-10 years")

    /// Reads `node` as the market of `sector`; nil (with located issues) when a value is bad.
    mutating func resolveMarket(_ sector: Sector, _ node: Node, _ reader: inout YAMLReader) -> SectorMarket? {
        let path = "sectors.\(sector.rawValue).market"
        guard let map = reader.mapping(node, path, allowed: Self.marketKeys, required: ["demand", "elasticity"])
        else { return nil }
        let before = reader.issues.count
        var m = SectorMarket(demand10kt: 1, elasticity: 1)
        func number(_ key: String, _ expectation: String, _ limit: ScenarioLimit, default value: Double,
                    _ valid: (Double) -> Bool) -> Double {
            guard let n = map[key] else {
                defaulted.insert(path + "." + key)
                return value
            }
            return reader.number(n, path + "." + key, expectation: expectation, limit: limit, valid: valid) ?? value
        }
        let positiveDemand = "output needed > 0, 10kt (a market with no demand has no price)"
        m.demand10kt = number("demand", positiveDemand, ScenarioLimits.targetCapacity, default: 1) { $0 > 0 }
        if let n = map["demandByYear"] {
            m.demandByYear = reader.yearMap(n, path + ".demandByYear", years: baseYear...endYear, expectation: positiveDemand,
                                            limit: ScenarioLimits.targetCapacity) { $0 > 0 } ?? [:]
        }
        m.elasticity = number("elasticity", "a price elasticity of demand > 0 (its magnitude, e.g. 0.5)",
                              Self.elasticityLimit, default: 1) { $0 > 0 }
        m.referencePriceIndex = number("referencePriceIndex", "a multiplier > 0", ScenarioLimits.priceIndex, default: 1) { $0 > 0 }
        let share = "a share in (0, 1]"
        m.referenceUtilisation = number("referenceUtilisation", share, .bounded, default: 1) { $0 > 0 && $0 <= 1 }
        m.utilisationCeiling = number("utilisationCeiling", share, .bounded, default: 1) { $0 > 0 && $0 <= 1 }
        m.priceIndexFloor = number("priceIndexFloor", "a multiplier ≥ 0", ScenarioLimits.priceIndex, default: 0) { $0 >= 0 }
        m.priceIndexCap = number("priceIndexCap", "a multiplier > 0", ScenarioLimits.priceIndex, default: 5) { $0 > 0 }
        if let n = map["priceIndexCap"] ?? map["priceIndexFloor"], m.priceIndexCap <= m.priceIndexFloor {
            reader.report(n, path + (map["priceIndexCap"] != nil ? ".priceIndexCap" : ".priceIndexFloor"),
                          "the cap (\(m.priceIndexCap)) must be above the floor (\(m.priceIndexFloor))")
        }
        m.depletionRate = number("depletionRate", "a yearly growth rate in [0, 1]", .bounded, default: 0) { (0...1).contains($0) }
        m.costReductionRate = number("costReductionRate", "a yearly share in [0, 1)", .bounded, default: 0) { $0 >= 0 && $0 < 1 }
        m.costReductionLimit = number("costReductionLimit", "a share in [0, 1]", .bounded, default: 0) { (0...1).contains($0) }
        m.investmentPaybackYears = number("investmentPaybackYears", "years ≥ 0", Self.paybackLimit, default: 0) { $0 >= 0 }
        return reader.issues.count == before ? m : nil
    }
}
