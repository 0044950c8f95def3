/// Every scenario's policy of a batch as flat typed arrays, built once before the first year
/// (docs/MODEL.md §2.6).
///
/// Layout rule: the scenario index is innermost. `y` is a year index (0 = base year, as in
/// `ScenarioBatch.years`), `σ` a `Sector.index`, `S` the batch's scenario count:
/// - per (sector, year, scenario): element `[(σ · yearCount + y) · S + s]`;
/// - per (sector, scenario): `[σ · S + s]`;
/// - per (rule or target, year, scenario): `[y · S + s]` inside the rule's or target's own array.
///
/// Scenarios of one batch may differ in every number and in their lists of rules and targets:
/// the compiled lists are the union of the scenarios' lists, a slot per (position in the list,
/// structure) where structure is everything but the numbers (id, sector, criterion or priority,
/// filters, named units). Slots are ordered by position, so each scenario meets its own rules in
/// its own order; a scenario without a slot has it inactive (NaN threshold or goal).
struct CompiledPolicy {
    let scenarioCount: Int
    let yearCount: Int
    /// Share of operating capacity producing output: `[(σ · yearCount + y) · S + s]`. Where the
    /// sector has a market (§2.7), `MarketModel.clear` overwrites row y with the year's utilisation.
    var utilisation: [Double]
    /// Price multiplier: `[(σ · yearCount + y) · S + s]`. Where the sector has a market (§2.7),
    /// `MarketModel.open` overwrites row y with the decision price (last year's clearing price).
    var priceIndex: [Double]
    /// Capacity retired per unit of new capacity (the model's ratio has no year): `[σ · S + s]`.
    let replacementRatio: [Double]
    /// The sector's largest target in the year, 10 kt/yr, 0 where none: `[(σ · yearCount + y) · S + s]`.
    let targetCapacity: [Double]
    /// Whether the sector has a target in the year: same layout as `targetCapacity`.
    let hasTarget: [Bool]
    /// Rule slots, in the order they are applied.
    let rules: [CompiledRule]
    /// Target slots, in the order they are pursued.
    let targets: [CompiledTarget]
    /// Per year index, the coal units whose reserve must be checked for exhaustion, in table
    /// order: units operating in the base year in the first year their remaining reserve is ≤ 0
    /// (before that it is positive, after it they are closed), planned units in every such year.
    let exhaustionCandidates: [[Int]]
    /// Units planned in the base year, in table order: the only ones that can open.
    let plannedUnits: [Int]
    /// Capacity changes of existing units (docs/MODEL.md §2.0b, §2.5b).
    let changes: CompiledCapacityChanges
    /// Output targets (docs/MODEL.md §2.6b).
    let output: CompiledOutputTargets
    /// Per scenario, the starting replacement credit by pool (entries naming no pool of the table are dropped).
    let startingCredit: [[(pool: Int, credit: Double)]]

    init(_ policies: [Policy], columns: FacilityColumns, years: [Int]) {
        let S = policies.count, Y = years.count, sectors = Sector.allCases
        let baseYear = years[0]
        scenarioCount = S
        yearCount = Y
        var utilisation = [Double](repeating: 0, count: sectors.count * Y * S)
        var priceIndex = utilisation, targetCapacity = utilisation
        var hasTarget = [Bool](repeating: false, count: utilisation.count)
        var ratio = [Double](repeating: 0, count: sectors.count * S)
        for (s, policy) in policies.enumerated() {
            for sector in sectors {
                let sp = policy.sector(sector)
                ratio[sector.index * S + s] = sp.replacementRatio
                // The sector's numbers, then its per-year overrides (walking the overrides rather
                // than looking every year up).
                let row = sector.index * Y
                for y in 0..<Y {
                    utilisation[(row + y) * S + s] = sp.utilisation
                    priceIndex[(row + y) * S + s] = sp.priceIndex
                }
                for (year, u) in sp.utilisationByYear where year >= baseYear && year - baseYear < Y {
                    utilisation[(row + year - baseYear) * S + s] = u
                }
                for (year, p) in sp.priceIndexByYear where year >= baseYear && year - baseYear < Y {
                    priceIndex[(row + year - baseYear) * S + s] = p
                }
            }
            // Policy.targetCapacity: the largest goal of the sector's targets in the year.
            for target in policy.targets {
                for (year, goal) in target.capacityClosedByYear where year >= baseYear && year - baseYear < Y {
                    let k = (target.sector.index * Y + year - baseYear) * S + s
                    if !hasTarget[k] || goal > targetCapacity[k] { targetCapacity[k] = goal }
                    hasTarget[k] = true
                }
            }
        }
        self.utilisation = utilisation
        self.priceIndex = priceIndex
        self.targetCapacity = targetCapacity
        self.hasTarget = hasTarget
        replacementRatio = ratio

        let ruleSlots = Self.slots(policies.map(\.rules)) { RuleShape($0) }
        rules = ruleSlots.map { slot in
            CompiledRule(slot: slot, policies: policies, columns: columns, years: years)
        }
        let targetSlots = Self.slots(policies.map(\.targets)) { TargetShape($0) }
        targets = targetSlots.map { slot in
            CompiledTarget(slot: slot, policies: policies, columns: columns, years: years, priceIndex: priceIndex)
        }

        exhaustionCandidates = years.indices.map { y in
            guard y > 0 else { return [] }
            return columns.bySector[Sector.coal.index].filter { f in
                let now = columns.remainingReserve(f, year: years[y], baseYear: baseYear)
                guard now <= 0 else { return false }
                if columns.startYear[f] > baseYear { return true }
                return y == 1 || columns.remainingReserve(f, year: years[y - 1], baseYear: baseYear) > 0
            }
        }
        plannedUnits = (0..<columns.count).filter { columns.startYear[$0] > baseYear }
        changes = CompiledCapacityChanges(policies, columns: columns)
        output = CompiledOutputTargets(policies, years: years)
        startingCredit = policies.map { p in
            p.replacementCredit.compactMap { c in
                columns.poolIndex[FacilityColumns.poolKey(c.enterprise, c.sector)].map { (pool: $0, credit: c.credit10kt) }
            }
        }
    }

    /// One slot of the union of the scenarios' lists: its position, a representative item, and
    /// per scenario the item filling the slot (nil when the scenario has none there).
    struct Slot<Item> {
        let position: Int
        let item: Item
        var byScenario: [Item?]
    }

    /// The union of `lists` (one per scenario) keyed by (position, shape), ordered by position
    /// and then by first appearance.
    static func slots<Item, Shape: Equatable>(_ lists: [[Item]], shape: (Item) -> Shape) -> [Slot<Item>] {
        var slots: [Slot<Item>] = [], shapes: [Shape] = []
        for (s, list) in lists.enumerated() {
            for (p, item) in list.enumerated() {
                let sh = shape(item)
                if let k = slots.indices.first(where: { slots[$0].position == p && shapes[$0] == sh }) {
                    slots[k].byScenario[s] = item
                } else {
                    var byScenario = [Item?](repeating: nil, count: lists.count)
                    byScenario[s] = item
                    slots.append(Slot(position: p, item: item, byScenario: byScenario))
                    shapes.append(sh)
                }
            }
        }
        let order = slots.indices.sorted { (slots[$0].position, $0) < (slots[$1].position, $1) }
        return order.map { slots[$0] }
    }
}

/// What makes two scenarios' rules the same slot: everything but the thresholds and years.
private struct RuleShape: Equatable {
    let id: String, sector: Sector?, criterion: ClosureCriterion, owner: OwnerType?, region: String?
    let named: [String]
    init(_ r: ClosureRule) {
        (id, sector, criterion, owner, region, named) = (r.id, r.sector, r.criterion, r.owner, r.region, r.namedFacilities)
    }
}

/// What makes two scenarios' targets the same slot: everything but the yearly goals.
private struct TargetShape: Equatable {
    let id: String, sector: Sector, priority: [PriorityKey], owner: OwnerType?, region: String?
    init(_ t: ClosureTarget) { (id, sector, priority, owner, region) = (t.id, t.sector, t.priority, t.owner, t.region) }
}

/// A closure rule slot compiled for the year step (docs/MODEL.md §2.2).
struct CompiledRule {
    let id: String
    let criterion: ClosureCriterion
    /// Sector index of the rule (its units' prices scale with it); -1 for a named rule without one.
    let sectorIndex: Int
    /// The units the rule can close, in the order it visits them: the sector's units in table
    /// order that pass the owner, region, named-list and safety filters; for a named rule without
    /// a sector, the named list's order.
    let candidates: [Int]
    /// Per year index: whether the rule is active in any scenario.
    let activeInYear: [Bool]
    /// `[y · S + s]`: the threshold where the scenario has the rule active, NaN where not (every
    /// comparison with NaN is false, so an inactive scenario never fires); 0 for criteria without
    /// a threshold.
    let threshold: [Double]

    init(slot: CompiledPolicy.Slot<ClosureRule>, policies: [Policy], columns: FacilityColumns, years: [Int]) {
        let rule = slot.item, S = policies.count
        id = rule.id
        criterion = rule.criterion
        sectorIndex = rule.sector?.index ?? -1
        let named = rule.criterion == .named ? rule.namedFacilities.compactMap { columns.indexByID[$0] } : []
        func passes(_ f: Int) -> Bool {
            (rule.owner == nil || columns.owner[f] == rule.owner) && (rule.region == nil || columns.region[f] == rule.region)
                && (rule.criterion != .safetyFlag || columns.safety[f])
        }
        if let sector = rule.sector {
            let namedSet = Set(named)
            candidates = columns.bySector[sector.index].filter { passes($0) && (rule.criterion != .named || namedSet.contains($0)) }
        } else {
            candidates = named.filter(passes)
        }
        var threshold = [Double](repeating: .nan, count: years.count * S)
        var active = [Bool](repeating: false, count: years.count)
        for (s, r) in slot.byScenario.enumerated() {
            guard let r else { continue }
            // `ClosureRule.isActive(in:)`: a threshold criterion is active in the years of its map,
            // the others over `years` (threshold 0).
            func set(_ year: Int, _ t: Double) {
                let y = year - years[0]
                guard y > 0 && y < years.count else { return }
                threshold[y * S + s] = t
                active[y] = true
            }
            if r.criterion.needsThreshold {
                for (year, t) in r.thresholdByYear { set(year, t) }
            } else {
                let first = max(r.years.lowerBound, years[0] + 1), last = min(r.years.upperBound, years[years.count - 1])
                if first <= last { for year in first...last { set(year, 0) } }
            }
        }
        self.threshold = threshold
        activeInYear = active
    }
}

/// A closure target slot compiled for the year step (docs/MODEL.md §2.3).
struct CompiledTarget {
    let id: String
    let sectorIndex: Int
    let priority: [PriorityKey]
    /// The sector's units passing the owner and region filters, in table order.
    let candidates: [Int]
    /// Whether a key depends on the scenario (`highestCost`, through the price index): then the
    /// order is sorted per scenario when the target has to close something.
    let keysDependOnScenario: Bool
    /// Per year index: whether any scenario has a goal.
    let activeInYear: [Bool]
    /// `[y · S + s]`: the goal, 10 kt/yr, NaN where the scenario has none.
    let goal: [Double]
    /// Per year index, `candidates` in closing order (facility indices), when no key depends on
    /// the scenario and some scenario has a goal; empty otherwise.
    let orderByYear: [[Int]]

    init(slot: CompiledPolicy.Slot<ClosureTarget>, policies: [Policy], columns: FacilityColumns, years: [Int],
         priceIndex: [Double]) {
        let target = slot.item, S = policies.count
        id = target.id
        sectorIndex = target.sector.index
        priority = target.priority
        candidates = columns.bySector[target.sector.index].filter {
            (target.owner == nil || columns.owner[$0] == target.owner)
                && (target.region == nil || columns.region[$0] == target.region)
        }
        keysDependOnScenario = target.priority.contains(.highestCost)
        var goal = [Double](repeating: .nan, count: years.count * S)
        var active = [Bool](repeating: false, count: years.count)
        for (s, t) in slot.byScenario.enumerated() {
            guard let t else { continue }
            for (year, g) in t.capacityClosedByYear {
                let y = year - years[0]
                guard y > 0 && y < years.count else { continue }
                goal[y * S + s] = g
                active[y] = true
            }
        }
        self.goal = goal
        activeInYear = active
        var orders = [[Int]](repeating: [], count: years.count)
        if !keysDependOnScenario {
            let units = candidates, keyCount = target.priority.count
            var keys = [Double](repeating: 0, count: max(1, units.count * keyCount))  // never empty: one address
            var order = [Int32](repeating: 0, count: units.count)
            for y in years.indices where active[y] {
                keys.withUnsafeMutableBufferPointer { k in
                    guard let kp = k.baseAddress else { return }
                    Self.fillKeys(kp, priority: target.priority, candidates: units, columns: columns,
                                  year: years[y], baseYear: years[0], priceIndex: 1)
                    order.withUnsafeMutableBufferPointer { o in
                        PriorityOrder.sort(o, keys: kp, keyCount: keyCount)
                    }
                }
                orders[y] = order.map { units[Int($0)] }
            }
        }
        orderByYear = orders
    }

    /// Sort keys of every candidate, `[position · keyCount + k]`; smaller closes first.
    ///
    /// `unitCost`, when markets move costs (§2.7), points at the scenario's cost of facility 0,
    /// the cost of facility `f` being at `unitCost[f · scenarioCount]`; nil uses the tabled costs.
    static func fillKeys(_ keys: UnsafeMutablePointer<Double>, priority: [PriorityKey], candidates: [Int],
                         columns: FacilityColumns, year: Int, baseYear: Int, priceIndex: Double,
                         unitCost: UnsafeMutablePointer<Double>? = nil, scenarioCount: Int = 0) {
        let K = priority.count
        for (i, f) in candidates.enumerated() {
            for (k, key) in priority.enumerated() {
                let v: Double
                switch key {
                case .smallest: v = columns.size[f]
                case .largest: v = -columns.size[f]
                case .shortestReserve: v = columns.remainingReserve(f, year: year, baseYear: baseYear)
                case .highestCost:
                    let cost = unitCost.map { $0[f * scenarioCount] } ?? columns.cost[f]
                    v = -(cost - columns.price[f] * priceIndex)
                case .highestLogistics: v = -columns.logistics[f]
                case .oldest: v = Double(columns.startYear[f])
                }
                keys[i * K + k] = v
            }
        }
    }
}

/// The closing order of a target's candidates: lexicographic on the keys (smaller first), ties
/// by table order. A heap sort over positions, so it needs no memory beyond the order itself.
enum PriorityOrder {
    /// Fills `order` with 0..<order.count sorted by `keys[position · keyCount + k]`.
    static func sort(_ order: UnsafeMutableBufferPointer<Int32>, keys: UnsafePointer<Double>, keyCount: Int) {
        let n = order.count
        for i in 0..<n { order[i] = Int32(i) }
        @inline(__always) func less(_ a: Int32, _ b: Int32) -> Bool {
            let ia = Int(a) * keyCount, ib = Int(b) * keyCount
            for k in 0..<keyCount {
                let x = keys[ia + k], y = keys[ib + k]
                if x != y { return x < y }
            }
            return a < b
        }
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while true {
                var child = 2 * root + 1
                if child >= end { return }
                if child + 1 < end && less(order[child], order[child + 1]) { child += 1 }
                if !less(order[root], order[child]) { return }
                order.swapAt(root, child)
                root = child
            }
        }
        if n < 2 { return }
        for start in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(start, n) }
        for end in stride(from: n - 1, to: 0, by: -1) {
            order.swapAt(0, end)
            siftDown(0, end)
        }
    }
}
