/// Every scenario's capacity changes of existing units as flat arrays (docs/MODEL.md §2.0b, §2.5b).
///
/// Slots are the union of the scenarios' lists keyed by (position, id, unit), as for rules:
/// each scenario meets its own changes in its own list order. Per slot `c` and scenario `s`,
/// element `[c · S + s]`; a scenario without the slot has change 0 (never applies).
struct CompiledCapacityChanges {
    /// Change identifiers per slot.
    let ids: [String]
    /// Facility index per slot.
    let facility: [Int]
    /// Due year per `[c · S + s]`.
    let year: [Int]
    /// Capacity added (> 0) or removed (< 0), 10 kt/yr, per `[c · S + s]`; 0 where the scenario has none.
    let change: [Double]
    /// Workers added or removed, persons, per `[c · S + s]`.
    let workers: [Double]
    /// Investment, yuan, per `[c · S + s]`.
    let investment: [Double]

    var count: Int { ids.count }

    init(_ policies: [Policy], columns: FacilityColumns) {
        let S = policies.count
        struct Shape: Equatable { let id: String, facility: String }
        // A change naming no unit of the table never applies (the loader refuses it).
        let lists = policies.map { $0.capacityChanges.filter { columns.indexByID[$0.facility] != nil } }
        let slots = CompiledPolicy.slots(lists) { Shape(id: $0.id, facility: $0.facility) }
        ids = slots.map(\.item.id)
        facility = slots.map { columns.indexByID[$0.item.facility] ?? 0 }
        var year = [Int](repeating: 0, count: slots.count * S)
        var change = [Double](repeating: 0, count: slots.count * S), workers = change, investment = change
        for (c, slot) in slots.enumerated() {
            for (s, item) in slot.byScenario.enumerated() {
                guard let item else { continue }
                year[c * S + s] = item.year
                change[c * S + s] = item.capacityChange10ktPerYear
                workers[c * S + s] = Double(item.workersChange)
                investment[c * S + s] = item.investmentYuan
            }
        }
        self.year = year
        self.change = change
        self.workers = workers
        self.investment = investment
    }
}

/// Every scenario's output targets as flat arrays (docs/MODEL.md §2.6b), `[(σ · yearCount + y) · S + s]`:
/// where several targets name a sector in a year, the largest goal applies (the first on a tie).
struct CompiledOutputTargets {
    /// Output goal, 10 kt; NaN where the scenario has none for the sector and year.
    let goal: [Double]
    /// Utilisation ceiling of the target that applies.
    let ceiling: [Double]
    /// Index into `ids` of the target that applies.
    let target: [Int32]
    /// Target identifiers, in order of first appearance.
    let ids: [String]
    /// Whether any scenario has an output target.
    let any: Bool

    init(_ policies: [Policy], years: [Int]) {
        let S = policies.count, Y = years.count, baseYear = years[0]
        var goal = [Double](repeating: .nan, count: Sector.allCases.count * Y * S)
        var ceiling = [Double](repeating: 1, count: goal.count)
        var target = [Int32](repeating: 0, count: goal.count)
        var ids: [String] = []
        for (s, policy) in policies.enumerated() {
            for t in policy.outputTargets {
                let id: Int
                if let k = ids.firstIndex(of: t.id) { id = k } else {
                    ids.append(t.id)
                    id = ids.count - 1
                }
                for (year, g) in t.outputByYear where year >= baseYear && year - baseYear < Y {
                    let k = (t.sector.index * Y + year - baseYear) * S + s
                    if goal[k].isNaN || g > goal[k] {
                        goal[k] = g
                        ceiling[k] = t.utilisationCeiling
                        target[k] = Int32(id)
                    }
                }
            }
        }
        self.goal = goal
        self.ceiling = ceiling
        self.target = target
        self.ids = ids
        any = !ids.isEmpty
    }
}
