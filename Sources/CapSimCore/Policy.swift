/// Everything a planner can change in one scenario: rules, targets and sector parameters.
///
/// A batch runs one policy per scenario over the same facility table.
public struct Policy: Sendable, Equatable {
    /// Closure rules, applied in order.
    public var rules: [ClosureRule]
    /// Yearly targets, applied after the rules, in order.
    public var targets: [ClosureTarget]
    /// Per-sector parameters; a sector not listed uses `SectorPolicy.defaults`.
    public var sectors: [Sector: SectorPolicy]
    /// Worker resettlement and its costs; nil when the scenario does not model workers.
    public var resettlement: ResettlementPolicy?
    /// Enterprise accounts and debt levers; nil when the scenario does not model debt.
    public var finance: FinancePolicy?
    /// Expansions and partial reductions of existing units, applied in list order (docs/MODEL.md §2.0b, §2.5b).
    public var capacityChanges: [CapacityChange]
    /// Targets on sectors' output, met by utilisation (docs/MODEL.md §2.6b).
    public var outputTargets: [OutputTarget]
    /// Replacement credit held at the start, per (enterprise, sector); none by default (§2.4).
    public var replacementCredit: [ReplacementCredit] = []

    /// Creates a policy.
    public init(rules: [ClosureRule] = [], targets: [ClosureTarget] = [],
                sectors: [Sector: SectorPolicy] = [:], resettlement: ResettlementPolicy? = nil,
                finance: FinancePolicy? = nil, capacityChanges: [CapacityChange] = [],
                outputTargets: [OutputTarget] = []) {
        self.capacityChanges = capacityChanges
        self.outputTargets = outputTargets
        self.rules = rules
        self.targets = targets
        self.sectors = sectors
        self.resettlement = resettlement
        self.finance = finance
    }

    /// The sector's closure target in `year` (the largest if several targets name the sector), if any.
    public func targetCapacity(_ sector: Sector, in year: Int) -> Double? {
        targets.filter { $0.sector == sector }.compactMap { $0.capacityClosedByYear[year] }.max()
    }

    /// Parameters of `sector`, defaults where none were given.
    public func sector(_ sector: Sector) -> SectorPolicy { sectors[sector] ?? .defaults }
}
