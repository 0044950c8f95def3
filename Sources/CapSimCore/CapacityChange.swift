/// A change of an existing unit's capacity in one year: an expansion (改扩建, positive) or a
/// partial reduction (negative), with the headcount it adds or removes (docs/MODEL.md §2.0b, §2.5b).
///
/// An expansion is subject to the sector's replacement rule like a new unit: it needs
/// `replacementRatio × capacityChange` of retired capacity in its enterprise's credit pool and
/// waits, year after year, until the pool has it. A reduction frees its capacity as credit.
public struct CapacityChange: Sendable, Equatable {
    /// Identifier, unique within a scenario, reported with the change's events.
    public var id: String
    /// The unit's `Facility.id`.
    public var facility: String
    /// The year the change is due (an expansion may apply later, when credit allows).
    public var year: Int
    /// Capacity added (> 0) or removed (< 0), 10 kt/yr; never 0.
    public var capacityChange10ktPerYear: Double
    /// Workers added (> 0) or removed (< 0), persons; removed workers are displaced.
    public var workersChange: Int
    /// Investment of the change, yuan; reported with the event (the books do not yet take it).
    public var investmentYuan: Double

    /// Creates a change; quantities in their stated units.
    public init(id: String, facility: String, year: Int, capacityChange10ktPerYear: Double,
                workersChange: Int = 0, investmentYuan: Double = 0) {
        self.id = id
        self.facility = facility
        self.year = year
        self.capacityChange10ktPerYear = capacityChange10ktPerYear
        self.workersChange = workersChange
        self.investmentYuan = investmentYuan
    }

    /// Whether the change adds capacity.
    public var isExpansion: Bool { capacityChange10ktPerYear > 0 }
}

/// A target on a sector's output (10 kt in the year), met by raising the sector's utilisation
/// (docs/MODEL.md §2.6b): the needed utilisation is `goal / operating capacity`, capped at the ceiling.
public struct OutputTarget: Sendable, Equatable {
    /// Identifier, reported with a shortfall.
    public var id: String
    /// The sector whose output counts.
    public var sector: Sector
    /// Output to reach per year, 10 kt; years not in the map have no target. The base year may
    /// have one (it sets the base year's utilisation).
    public var outputByYear: [Int: Double]
    /// Highest utilisation the sector can run at, in (0, 1].
    public var utilisationCeiling: Double

    /// Creates an output target.
    public init(id: String, sector: Sector, outputByYear: [Int: Double], utilisationCeiling: Double = 1) {
        self.id = id
        self.sector = sector
        self.outputByYear = outputByYear
        self.utilisationCeiling = utilisationCeiling
    }
}

/// A capacity change applied in one scenario and year.
public struct CapacityChangeEvent: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Year it applied (its due year or, for an expansion waiting for credit, later).
    public var year: Int
    /// Facility index in the batch's table.
    public var facility: Int
    /// The change's identifier.
    public var change: String
    /// Capacity before the change, 10 kt/yr.
    public var capacityBefore10kt: Double
    /// Capacity added (> 0) or removed (< 0), 10 kt/yr.
    public var capacityChange10kt: Double
    /// Workers added (> 0) or removed (< 0), persons.
    public var workersChange: Double
    /// Investment, yuan.
    public var investmentYuan: Double
    /// Credit consumed by an expansion (ratio × change), or added by a reduction (as a negative
    /// number: −|change|), 10 kt/yr.
    public var creditUsed10kt: Double
    /// Credit the pool had before the change, 10 kt/yr.
    public var creditAvailable10kt: Double
    /// The replacement ratio that applied.
    public var ratio: Double
}

/// Why a capacity change did not apply.
public enum CapacityChangeBlock: String, Sendable, Equatable, CaseIterable {
    /// An expansion still waiting at the end year: its pool never had ratio × change of credit.
    case insufficientCredit = "insufficient_credit"
    /// The unit had closed before the change applied.
    case unitClosed = "unit_closed"
    /// The unit was a planned unit that had not opened by the change's year (a reduction) or by
    /// the end year (an expansion).
    case unitNotOpen = "unit_not_open"
    /// A reduction as large as the unit's capacity or larger (closing a unit is a rule's work).
    case exceedsCapacity = "exceeds_capacity"
}

/// A capacity change that did not apply, with its reason.
public struct BlockedCapacityChange: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// The change's due year.
    public var year: Int
    /// Facility index in the batch's table.
    public var facility: Int
    /// The change's identifier.
    public var change: String
    /// Capacity it would have added or removed, 10 kt/yr.
    public var capacityChange10kt: Double
    /// Why it did not apply.
    public var reason: CapacityChangeBlock
    /// Credit it needed (ratio × change for an expansion, 0 for a reduction), 10 kt/yr.
    public var creditNeeded10kt: Double
    /// Credit its pool had at the end year (insufficient credit) or when it was given up, 10 kt/yr.
    public var creditAvailable10kt: Double
    /// The replacement ratio that applied.
    public var ratio: Double
}

/// A year whose output target the sector could not reach even at its utilisation ceiling.
public struct OutputShortfall: Sendable, Equatable {
    /// Scenario index in the batch.
    public var scenario: Int
    /// Year.
    public var year: Int
    /// The output target's identifier.
    public var target: String
    /// Output aimed at, 10 kt.
    public var goal10kt: Double
    /// Output reached: operating capacity × ceiling, 10 kt.
    public var output10kt: Double
    /// The sector's operating capacity at the end of the year, 10 kt/yr.
    public var capacity10ktPerYear: Double
    /// The utilisation ceiling.
    public var ceiling: Double
}

/// Replacement credit an enterprise holds in a sector at the start (capacity it retired before
/// the base year and has not used, e.g. carried from an earlier programme's run; docs/MODEL.md §2.4).
public struct ReplacementCredit: Sendable, Equatable {
    /// The enterprise, as the facility tables spell it.
    public var enterprise: String
    /// The sector of the pool.
    public var sector: Sector
    /// Credit, 10 kt/yr; negative where the enterprise hands credit on (its pool's total stays ≥ 0).
    public var credit10kt: Double

    /// Creates a starting credit.
    public init(enterprise: String, sector: Sector, credit10kt: Double) {
        self.enterprise = enterprise
        self.sector = sector
        self.credit10kt = credit10kt
    }
}
