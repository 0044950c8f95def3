/// What a closure rule tests on an operating unit.
public enum ClosureCriterion: String, CaseIterable, Sendable {
    /// size < threshold.
    case sizeBelow = "size_below"
    /// size ≤ threshold.
    case sizeAtOrBelow = "size_at_or_below"
    /// remaining reserve years < threshold (mines).
    case reserveBelow = "reserve_below"
    /// unit cost > price × priceIndex(year) × (1 + threshold).
    case costAbovePrice = "cost_above_price"
    /// logistics distance > threshold (km).
    case logisticsAbove = "logistics_above"
    /// the unit's safety flag is set.
    case safetyFlag = "safety_flag"
    /// the unit is named in the rule.
    case named

    /// Whether the criterion compares against a threshold.
    public var needsThreshold: Bool {
        switch self {
        case .safetyFlag, .named: return false
        default: return true
        }
    }
}

/// A rule that closes every operating unit of a sector that meets its criterion in its active years.
///
/// Rules are applied in order each year; a unit closed by one rule is not seen by the next.
public struct ClosureRule: Sendable, Equatable {
    /// Identifier, reported as the closure's rule.
    public var id: String
    /// Sector the rule applies to; nil only for `named` rules, which close the units they list
    /// whatever their sector.
    public var sector: Sector?
    /// What the rule tests.
    public var criterion: ClosureCriterion
    /// Threshold per active year; a year not in the map is inactive. Empty for criteria without one
    /// (then `years` says when the rule is active).
    public var thresholdByYear: [Int: Double]
    /// Active years for criteria without a threshold.
    public var years: ClosedRange<Int>
    /// Only units of this owner type, if set.
    public var owner: OwnerType?
    /// Only units in this region, if set.
    public var region: String?
    /// Facility ids a `named` rule closes.
    public var namedFacilities: [String]

    /// Creates a rule; `thresholdByYear` must cover the active years of threshold criteria.
    public init(id: String, sector: Sector?, criterion: ClosureCriterion,
                thresholdByYear: [Int: Double] = [:], years: ClosedRange<Int>,
                owner: OwnerType? = nil, region: String? = nil, namedFacilities: [String] = []) {
        self.id = id
        self.sector = sector
        self.criterion = criterion
        self.thresholdByYear = thresholdByYear
        self.years = years
        self.owner = owner
        self.region = region
        self.namedFacilities = namedFacilities
    }

    /// A rule with one threshold over a range of years.
    public init(id: String, sector: Sector, criterion: ClosureCriterion, threshold: Double,
                years: ClosedRange<Int>, owner: OwnerType? = nil, region: String? = nil) {
        var map: [Int: Double] = [:]
        for y in years { map[y] = threshold }
        self.init(id: id, sector: sector, criterion: criterion, thresholdByYear: map, years: years,
                  owner: owner, region: region)
    }

    /// Whether the rule fires at all in `year`.
    public func isActive(in year: Int) -> Bool {
        criterion.needsThreshold ? thresholdByYear[year] != nil : years.contains(year)
    }
}
