/// An order in which a target picks units to close.
public enum PriorityKey: String, CaseIterable, Sendable {
    /// Smallest size figure first.
    case smallest
    /// Largest size figure first.
    case largest
    /// Fewest remaining reserve years first (units without reserves come last).
    case shortestReserve = "shortest_reserve"
    /// Highest unit cost minus price first.
    case highestCost = "highest_cost"
    /// Longest distance to the main market first.
    case highestLogistics = "highest_logistics"
    /// Earliest start year first.
    case oldest
}

/// A yearly target of capacity to close in a sector, met by closing candidates in priority order.
///
/// The target counts all capacity closed in its sector in the year, whatever rule closed it; while
/// that is below the target it closes the next candidate, so the last pick may overshoot.
public struct ClosureTarget: Sendable, Equatable {
    /// Identifier, reported as the closure's rule.
    public var id: String
    /// Sector whose closures count and whose units are candidates.
    public var sector: Sector
    /// Capacity to close per year, 10 kt/yr; years not in the map have no target.
    public var capacityClosedByYear: [Int: Double]
    /// Keys applied in order; ties fall back to table order.
    public var priority: [PriorityKey]
    /// Only units of this owner type are candidates, if set.
    public var owner: OwnerType?
    /// Only units in this region are candidates, if set.
    public var region: String?

    /// Creates a target.
    public init(id: String, sector: Sector, capacityClosedByYear: [Int: Double],
                priority: [PriorityKey], owner: OwnerType? = nil, region: String? = nil) {
        self.id = id
        self.sector = sector
        self.capacityClosedByYear = capacityClosedByYear
        self.priority = priority
        self.owner = owner
        self.region = region
    }
}
