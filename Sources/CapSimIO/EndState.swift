import CapSimCore
import CapSimScenario

/// A run's end state as facility tables and a replacement credit table (`capsim end-state`,
/// docs/SCENARIO-FORMAT.md "End state of a run"), so that a later programme starts from what an
/// earlier one left instead of retyped tables.
///
/// For scenario `s` of the run at its end year `E` (base year `B`):
/// - units closed by `E` are left out; units operating at the end of `E` are written with their
///   current capacity and workers (table figures plus the capacity changes applied) and, for
///   mines, the reserve left at the start of `E + 1`: `reserve − (E − B)`;
/// - planned units with a start year after `E` are written unchanged (still planned); planned
///   units due by `E` that never opened (blocked for credit) are left out and listed in `leftOut`;
/// - each (enterprise, sector) pool's unused credit at the end of `E` is one row of the credit
///   table (pools with no credit left are omitted), computed by replaying the run's events year by
///   year in the engine's order: starting credit, then closures and reductions add, openings and
///   then expansions take their credit, floored at 0 (docs/MODEL.md §2.4, §2.5b).
public struct EndState {
    /// Text of each facility table, by the input table's file name (same names, same row order).
    public var facilityTables: [(name: String, text: String)]
    /// Text of `replacement-credit.csv`.
    public var replacementCredit: String
    /// Ids of planned units due by the end year that never opened (not written).
    public var leftOut: [String]

    /// The end state of scenario `s` of `result`, a run of `scenario`.
    public init(scenario: Scenario, result: BatchResult, scenarioIndex s: Int = 0) {
        let facilities = scenario.facilities, E = scenario.endYear, B = scenario.baseYear
        var capacity = facilities.map(\.capacity10ktPerYear), workers = facilities.map { Double($0.workers) }
        var closed = Set<Int>(), opened = Set<Int>()
        for e in result.closures where e.scenario == s { closed.insert(e.facility) }
        for e in result.openings where e.scenario == s { opened.insert(e.facility) }
        for e in result.capacityChanges where e.scenario == s {
            capacity[e.facility] += e.capacityChange10kt
            workers[e.facility] += e.workersChange
        }
        // Credit replayed in the engine's order within each year.
        func pool(_ f: Int) -> String { facilities[f].enterprise + "\u{1F}" + facilities[f].sector.rawValue }
        var poolOrder: [String] = [], credit: [String: Double] = [:]
        func touch(_ key: String) { if credit[key] == nil { credit[key] = 0; poolOrder.append(key) } }
        for f in facilities.indices { touch(pool(f)) }
        for c in scenario.policy.replacementCredit { credit[c.enterprise + "\u{1F}" + c.sector.rawValue, default: 0] += c.credit10kt }
        for year in (B + 1)...max(B + 1, E) {
            for e in result.closures where e.scenario == s && e.year == year { credit[pool(e.facility), default: 0] += e.capacity10ktPerYear }
            for e in result.capacityChanges where e.scenario == s && e.year == year && e.capacityChange10kt < 0 {
                credit[pool(e.facility), default: 0] -= e.creditUsed10kt
            }
            for e in result.openings where e.scenario == s && e.year == year {
                credit[pool(e.facility)] = max(0, (credit[pool(e.facility)] ?? 0) - e.creditUsed10kt)
            }
            for e in result.capacityChanges where e.scenario == s && e.year == year && e.capacityChange10kt > 0 {
                credit[pool(e.facility)] = max(0, (credit[pool(e.facility)] ?? 0) - e.creditUsed10kt)
            }
        }
        let tableOf = scenario.facilityTableOfEachFacility
        var tables: [(name: String, text: String)] = []
        var leftOut: [String] = []
        for path in scenario.facilityTables {
            let name = String(path.split(separator: "/").last ?? Substring(path))
            let csv = CSVWriter()
            try? csv.row(FacilityTableReader.columns)  // in memory: cannot throw
            for (i, f) in facilities.enumerated() where tableOf[i] == path && !closed.contains(i) {
                let operating = f.startYear <= B || opened.contains(i)
                if !operating && f.startYear <= E { leftOut.append(f.id); continue }
                let reserve = f.reserveYears.map { operating ? $0 - Double(E - B) : $0 }
                let source = operating ? "end state of \(scenario.name) at the end of \(E) (capsim end-state); row of \(name)"
                    : "planned unit of \(scenario.name), start after \(E) (capsim end-state)"
                try? csv.row([f.id, f.name, f.kind.rawValue, f.enterprise, f.owner.rawValue, f.region,
                              decimalText(capacity[i], digits: 6), decimalText(f.size, digits: 6), String(f.startYear),
                              reserve.map { decimalText($0, digits: 6) } ?? "", decimalText(f.unitCostYuanPerTonne, digits: 6),
                              decimalText(f.priceYuanPerTonne, digits: 6), decimalText(f.logisticsKm, digits: 6),
                              f.safetyFlag ? "1" : "0", String(Int(workers[i].rounded())), source])
            }
            tables.append((name, csv.text))
        }
        let creditCSV = CSVWriter()
        try? creditCSV.row(Scenario.replacementCreditColumns)
        for key in poolOrder where (credit[key] ?? 0) > 1e-9 {
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            try? creditCSV.row([String(parts[0]), String(parts[1]), decimalText(credit[key] ?? 0, digits: 6),
                                "unused replacement credit of \(scenario.name) at the end of \(E) (capsim end-state)"])
        }
        facilityTables = tables
        replacementCredit = creditCSV.text
        self.leftOut = leftOut
    }
}
