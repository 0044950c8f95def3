import CapSimCore
import Testing

// Shared helpers: small facility tables built in code, one-scenario runs, event look-ups, a
// seeded generator for random tables and policies, and a plain-loop reference aggregation.

/// The year before the programme in every fixture.
let base = 2015
/// The last simulated year in every fixture.
let end = 2020

/// A facility with harmless defaults: it trips no rule unless a test sets the figure it checks.
/// Coal mines get `reserve` (default 50 years, far from exhaustion); other kinds get none.
func unit(_ id: String, _ kind: FacilityKind = .coalMine, enterprise: String = "ent",
          owner: OwnerType = .state, region: String = "north", capacity: Double = 10,
          size: Double = 100, startYear: Int = 2000, reserve: Double = 50, cost: Double = 100,
          price: Double = 100, logistics: Double = 100, safety: Bool = false) -> Facility {
    Facility(id: id, name: "unit \(id)", kind: kind, enterprise: enterprise, owner: owner,
             region: region, capacity10ktPerYear: capacity, size: size, startYear: startYear,
             reserveYears: kind == .coalMine ? reserve : nil, unitCostYuanPerTonne: cost,
             priceYuanPerTonne: price, logisticsKm: logistics, safetyFlag: safety, workers: 10)
}

/// Runs one scenario over `facilities` from `base` to `end`.
func run(_ facilities: [Facility], _ policy: Policy = Policy(), baseYear: Int = base,
         endYear: Int = end) -> BatchResult {
    Engine.run(ScenarioBatch(facilities: facilities, baseYear: baseYear, endYear: endYear,
                             scenarioNames: ["s"], policies: [policy]))
}

/// A rule with one threshold over `years` (default: the whole programme).
func rule(_ id: String, _ sector: Sector, _ criterion: ClosureCriterion, _ threshold: Double,
          years: ClosedRange<Int> = (base + 1)...end, owner: OwnerType? = nil,
          region: String? = nil) -> ClosureRule {
    ClosureRule(id: id, sector: sector, criterion: criterion, threshold: threshold, years: years,
                owner: owner, region: region)
}

/// A `named` rule firing in `year` only.
func named(_ id: String, _ ids: [String], year: Int, sector: Sector? = nil) -> ClosureRule {
    ClosureRule(id: id, sector: sector, criterion: .named, years: year...year, namedFacilities: ids)
}

/// A closure as tests compare it: facility id, year and reported rule id.
struct Closed: Equatable, CustomStringConvertible {
    var id: String
    var year: Int
    var rule: String
    init(_ id: String, _ year: Int, _ rule: String) {
        self.id = id
        self.year = year
        self.rule = rule
    }
    var description: String { "\(id)@\(year):\(rule)" }
}

/// The closures of `scenario`, in log order.
func closed(_ r: BatchResult, _ facilities: [Facility], scenario: Int = 0) -> [Closed] {
    r.closures.filter { $0.scenario == scenario }
        .map { Closed(facilities[$0.facility].id, $0.year, $0.cause.ruleID) }
}

/// Ids of the facilities closed in `scenario`, in log order.
func closedIDs(_ r: BatchResult, _ facilities: [Facility], scenario: Int = 0) -> [String] {
    closed(r, facilities, scenario: scenario).map(\.id)
}

/// An opening as tests compare it: facility id and year.
struct Opened: Equatable, CustomStringConvertible {
    var id: String
    var year: Int
    init(_ id: String, _ year: Int) {
        self.id = id
        self.year = year
    }
    var description: String { "\(id)@\(year)" }
}

func opened(_ r: BatchResult, _ facilities: [Facility], scenario: Int = 0) -> [Opened] {
    r.openings.filter { $0.scenario == scenario }.map { Opened(facilities[$0.facility].id, $0.year) }
}

/// A sector's total group.
func total(_ sector: Sector) -> AggregationGroup { AggregationGroup(sector: sector) }

// MARK: - Seeded randomness

extension SplitMix64 {
    /// A decimal with one fractional digit in `range`, as tables write them.
    mutating func tenths(_ range: ClosedRange<Double>) -> Double {
        (Double.random(in: range, using: &self) * 10).rounded() / 10
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// A random table: every kind, three enterprises, two regions, both owners, some planned units
/// (including ones that start after the end year) and some mines close to exhaustion.
func randomFacilities(count: Int, _ rng: inout SplitMix64) -> [Facility] {
    (0..<count).map { i in
        let kind = rng.pick(FacilityKind.allCases)
        let planned = rng.chance(0.2)
        return unit("f\(i)", kind, enterprise: rng.pick(["ea", "eb", "ec"]),
                    owner: rng.pick(OwnerType.allCases), region: rng.pick(["north", "south"]),
                    capacity: rng.tenths(1...120), size: rng.tenths(1...3000),
                    startYear: planned ? Int.random(in: (base + 1)...(end + 1), using: &rng)
                        : Int.random(in: 1980...base, using: &rng),
                    reserve: rng.tenths(0...15), cost: rng.tenths(50...500),
                    price: rng.tenths(50...500), logistics: rng.tenths(0...800),
                    safety: rng.chance(0.15))
    }
}

/// A random policy over `facilities`: rules of every criterion, targets with random keys and
/// filters, and random sector parameters.
func randomPolicy(_ facilities: [Facility], _ rng: inout SplitMix64) -> Policy {
    var rules: [ClosureRule] = []
    for r in 0..<Int.random(in: 0...5, using: &rng) {
        let criterion = rng.pick(ClosureCriterion.allCases)
        let sector = rng.pick(Sector.allCases)
        let owner: OwnerType? = rng.chance(0.3) ? rng.pick(OwnerType.allCases) : nil
        let region: String? = rng.chance(0.3) ? rng.pick(["north", "south"]) : nil
        let from = Int.random(in: (base + 1)...end, using: &rng)
        let years = from...Int.random(in: from...end, using: &rng)
        let threshold: Double
        switch criterion {
        case .sizeBelow, .sizeAtOrBelow: threshold = rng.tenths(0...1500)
        case .reserveBelow: threshold = rng.tenths(0...8)
        case .costAbovePrice: threshold = rng.tenths(-0.5...0.5)
        case .logisticsAbove: threshold = rng.tenths(100...700)
        case .safetyFlag, .named: threshold = 0
        }
        switch criterion {
        case .named:
            let ids = (0..<3).map { _ in rng.pick(facilities).id }
            rules.append(ClosureRule(id: "r\(r)", sector: rng.chance(0.5) ? nil : sector,
                                     criterion: .named, years: from...from, owner: owner,
                                     region: region, namedFacilities: ids))
        case .safetyFlag:
            rules.append(ClosureRule(id: "r\(r)", sector: sector, criterion: .safetyFlag,
                                     years: years, owner: owner, region: region))
        default:
            if rng.chance(0.5) {
                rules.append(rule("r\(r)", sector, criterion, threshold, years: years, owner: owner,
                                  region: region))
            } else {
                var map: [Int: Double] = [:]
                for y in (base + 1)...end where rng.chance(0.5) { map[y] = threshold * rng.tenths(0.5...1.5) }
                rules.append(ClosureRule(id: "r\(r)", sector: sector, criterion: criterion,
                                         thresholdByYear: map, years: years, owner: owner, region: region))
            }
        }
    }
    var targets: [ClosureTarget] = []
    for t in 0..<Int.random(in: 0...3, using: &rng) {
        var goals: [Int: Double] = [:]
        for y in (base + 1)...end where rng.chance(0.6) { goals[y] = rng.tenths(0...200) }
        let keys = (0..<Int.random(in: 1...3, using: &rng)).map { _ in rng.pick(PriorityKey.allCases) }
        targets.append(ClosureTarget(
            id: "t\(t)", sector: rng.pick(Sector.allCases), capacityClosedByYear: goals, priority: keys,
            owner: rng.chance(0.3) ? rng.pick(OwnerType.allCases) : nil,
            region: rng.chance(0.3) ? rng.pick(["north", "south"]) : nil))
    }
    var sectors: [Sector: SectorPolicy] = [:]
    for s in Sector.allCases where rng.chance(0.7) {
        var byYear: [Int: Double] = [:]
        for y in base...end where rng.chance(0.3) { byYear[y] = rng.tenths(0...1) }
        sectors[s] = SectorPolicy(utilisation: rng.tenths(0...1), utilisationByYear: byYear,
                                  priceIndex: rng.tenths(0.5...1.5), replacementRatio: rng.tenths(0...2))
    }
    return Policy(rules: rules, targets: targets, sectors: sectors)
}

// MARK: - Reference aggregation

/// `metric` for `group`, `year` and `scenario` summed over facilities in a plain loop, from the
/// facility table, the policy and the event logs alone (independent of the engine's matrices).
func referenceValue(_ metric: Metric, group: AggregationGroup, year: Int, scenario: Int,
                    facilities: [Facility], policy: Policy, result: BatchResult,
                    baseYear: Int = base) -> Double {
    var closeYear: [Int: Int] = [:]
    for c in result.closures where c.scenario == scenario { closeYear[c.facility] = c.year }
    var openYear: [Int: Int] = [:]
    for o in result.openings where o.scenario == scenario { openYear[o.facility] = o.year }
    var sum = 0.0
    for (f, facility) in facilities.enumerated() where group.contains(facility) {
        let cap = facility.capacity10ktPerYear
        let started = facility.startYear <= baseYear || (openYear[f].map { $0 <= year } ?? false)
        let operating = started && !(closeYear[f].map { $0 <= year } ?? false)
        let closedNow = closeYear[f] == year
        let openedNow = openYear[f] == year
        switch metric {
        case .unitsOperating: sum += operating ? 1 : 0
        case .capacity: sum += operating ? cap : 0
        case .unitsClosed: sum += closedNow ? 1 : 0
        case .capacityClosed: sum += closedNow ? cap : 0
        case .unitsOpened: sum += openedNow ? 1 : 0
        case .capacityOpened: sum += openedNow ? cap : 0
        case .netCapacityReduction: sum += (closedNow ? cap : 0) - (openedNow ? cap : 0)
        case .output:
            let share = policy.sector(facility.sector).utilisation(in: year)
            sum += operating ? cap * share : 0
        }
    }
    return sum
}

/// Whether `a` and `b` agree to a relative 1e-9.
func approx(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

// MARK: - Comparable copies of the result records (their memberwise initialisers are internal)

/// A blocked opening as tests compare it.
struct Blocked: Equatable, CustomStringConvertible {
    var scenario = 0
    var facility: Int
    var ratio: Double
    var needed: Double
    var available: Double
    var description: String { "s\(scenario) f\(facility) ratio \(ratio) needs \(needed) has \(available)" }
}

func blocked(_ r: BatchResult) -> [Blocked] {
    r.blockedOpenings.map { Blocked(scenario: $0.scenario, facility: $0.facility, ratio: $0.ratio,
                                    needed: $0.creditNeeded10kt, available: $0.creditAvailable10kt) }
}

/// A target shortfall as tests compare it.
struct Shortfall: Equatable, CustomStringConvertible {
    var scenario = 0
    var year: Int
    var target: String
    var goal: Double
    var closed: Double
    var description: String { "s\(scenario) \(target)@\(year): \(closed) of \(goal)" }
}

func shortfalls(_ r: BatchResult) -> [Shortfall] {
    r.shortfalls.map { Shortfall(scenario: $0.scenario, year: $0.year, target: $0.target,
                                 goal: $0.targetCapacity, closed: $0.closedCapacity) }
}

/// An opening with its credit figures, as tests compare it.
struct Opening: Equatable, CustomStringConvertible {
    var scenario = 0
    var year: Int
    var facility: Int
    var capacity: Double
    var used: Double
    var available: Double
    var ratio: Double
    var description: String { "s\(scenario) f\(facility)@\(year) cap \(capacity) used \(used) of \(available) ratio \(ratio)" }
}

func openings(_ r: BatchResult) -> [Opening] {
    r.openings.map { Opening(scenario: $0.scenario, year: $0.year, facility: $0.facility,
                             capacity: $0.capacity10ktPerYear, used: $0.creditUsed10kt,
                             available: $0.creditAvailable10kt, ratio: $0.ratio) }
}
