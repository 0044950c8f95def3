/// A quantity reported per year, sector, region and owner type.
public enum Metric: String, CaseIterable, Sendable {
    /// Units operating at the end of the year.
    case unitsOperating = "units_operating"
    /// Capacity operating at the end of the year, 10 kt/yr.
    case capacity
    /// Units closed during the year.
    case unitsClosed = "units_closed"
    /// Capacity closed during the year, 10 kt/yr.
    case capacityClosed = "capacity_closed"
    /// New units opened during the year.
    case unitsOpened = "units_opened"
    /// Capacity opened during the year, 10 kt/yr.
    case capacityOpened = "capacity_opened"
    /// Net capacity reduction during the year: closed − opened, 10 kt/yr.
    case netCapacityReduction = "net_capacity_reduction"
    /// Output: operating capacity × utilisation, 10 kt.
    case output

    /// The unit written beside the value.
    public var unit: String {
        switch self {
        case .unitsOperating, .unitsClosed, .unitsOpened: return "units"
        case .capacity, .capacityClosed, .capacityOpened, .netCapacityReduction: return "10kt/yr"
        case .output: return "10kt"
        }
    }

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .unitsOperating: return 0
        case .capacity: return 1
        case .unitsClosed: return 2
        case .capacityClosed: return 3
        case .unitsOpened: return 4
        case .capacityOpened: return 5
        case .netCapacityReduction: return 6
        case .output: return 7
        }
    }
}

/// A set of facilities results are summed over: one sector, one region or all, one owner type or all.
public struct AggregationGroup: Sendable, Hashable {
    /// The sector.
    public var sector: Sector
    /// The region, or nil for all regions.
    public var region: String?
    /// The owner type, or nil for all owner types.
    public var owner: OwnerType?

    /// Creates a group.
    public init(sector: Sector, region: String? = nil, owner: OwnerType? = nil) {
        self.sector = sector
        self.region = region
        self.owner = owner
    }

    /// Whether `facility` is counted in the group.
    public func contains(_ facility: Facility) -> Bool {
        facility.sector == sector && (region == nil || region == facility.region)
            && (owner == nil || owner == facility.owner)
    }

    /// Every group the facilities form: per sector the total, per region, per owner, per region and owner.
    ///
    /// Order: sector, then totals before breakdowns (region nil first), then region and owner names.
    public static func groups(of facilities: [Facility]) -> [AggregationGroup] {
        var set = Set<AggregationGroup>()
        for f in facilities {
            set.insert(AggregationGroup(sector: f.sector))
            set.insert(AggregationGroup(sector: f.sector, region: f.region))
            set.insert(AggregationGroup(sector: f.sector, owner: f.owner))
            set.insert(AggregationGroup(sector: f.sector, region: f.region, owner: f.owner))
        }
        return set.sorted { a, b in
            if a.sector != b.sector { return a.sector < b.sector }
            if (a.region ?? "") != (b.region ?? "") { return (a.region ?? "") < (b.region ?? "") }
            switch (a.owner, b.owner) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x < y
            }
        }
    }
}
