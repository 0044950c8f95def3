/// Why a unit closed: the rule that fired and the numbers that made it fire.
public enum ClosureCause: Sendable, Equatable {
    /// The mine's remaining reserve reached zero.
    case reserveExhausted(remainingYears: Double)
    /// A closure rule's criterion held; `measured` is the unit's figure, `threshold` the rule's.
    case rule(id: String, criterion: ClosureCriterion, measured: Double, threshold: Double)
    /// A target picked the unit; `closedBefore` is the sector's capacity closed this year before it.
    case target(id: String, targetCapacity: Double, closedBefore: Double, priority: [PriorityKey])
    /// Its enterprise went bankrupt as a zombie the year before (docs/MODEL.md §2.0a, §8.4).
    case enterpriseExit(enterprise: String)

    /// The rule identifier reported in closure logs.
    public var ruleID: String {
        switch self {
        case .reserveExhausted: return "reserve_exhausted"
        case let .rule(id, _, _, _): return id
        case let .target(id, _, _, _): return id
        case .enterpriseExit: return "enterprise_exit"
        }
    }
}

/// One closure of one unit in one scenario and year.
public struct ClosureEvent: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Year of closure.
    public var year: Int
    /// Facility index in the batch's table.
    public var facility: Int
    /// Capacity closed, 10 kt/yr.
    public var capacity10ktPerYear: Double
    /// Why it closed.
    public var cause: ClosureCause
}

/// One new unit opening through capacity replacement.
public struct OpeningEvent: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Year it opened.
    public var year: Int
    /// Facility index in the batch's table.
    public var facility: Int
    /// Capacity opened, 10 kt/yr.
    public var capacity10ktPerYear: Double
    /// Replacement credit consumed: ratio × capacity, 10 kt/yr.
    public var creditUsed10kt: Double
    /// Credit the enterprise had in the sector before opening, 10 kt/yr.
    public var creditAvailable10kt: Double
    /// The replacement ratio applied.
    public var ratio: Double
}

/// A planned unit due by the end year that could not open for lack of replacement credit.
public struct BlockedOpening: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Facility index in the batch's table.
    public var facility: Int
    /// The replacement ratio that applied.
    public var ratio: Double
    /// Credit needed (ratio × capacity), 10 kt/yr.
    public var creditNeeded10kt: Double
    /// Credit the enterprise had in the sector at the end year, 10 kt/yr.
    public var creditAvailable10kt: Double
}

/// A target that ran out of candidates before it was reached.
public struct TargetShortfall: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Year of the shortfall.
    public var year: Int
    /// Target identifier.
    public var target: String
    /// Target and capacity actually closed in the sector that year, 10 kt/yr.
    public var targetCapacity: Double
    public var closedCapacity: Double
}
