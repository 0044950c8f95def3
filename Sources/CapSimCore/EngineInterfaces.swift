// The types the capacity step, the workforce step and the finance step exchange each year
// (helpers/ENGINE-CONTRACT.md). The lead keeps one definition when merging.

/// What the capacity step hands the workforce step each year; every array is sector-major with the
/// scenario innermost: element [sectorIndex * scenarioCount + s], sectorIndex = Sector.index.
/// Allocated once per batch by the engine and overwritten each year.
struct WorkforceYearInputs {
    /// Headcount of units closed this year.
    var displacedWorkers: [Double]
    /// Capacity closed this year, 10 kt/yr.
    var capacityCut10kt: [Double]
    /// The year's target; 0 where `hasTarget` is false.
    var targetCapacity10kt: [Double]
    var hasTarget: [Bool]
    /// Workers of units operating at the end of last year.
    var operatingWorkersLastYear: [Double]

    /// All zero / false.
    init(scenarioCount: Int) {
        let n = Sector.allCases.count * scenarioCount
        displacedWorkers = [Double](repeating: 0, count: n)
        capacityCut10kt = displacedWorkers
        targetCapacity10kt = displacedWorkers
        hasTarget = [Bool](repeating: false, count: n)
        operatingWorkersLastYear = displacedWorkers
    }
}

/// A unit's change of status in one year, as the capacity step produced it (events in scenario
/// order, and within a scenario in the order the capacity step closed/opened them).
struct UnitEvent: Equatable {
    var facility: Int32
    var scenario: Int32
}

/// A unit of an enterprise that left in a year: the engine closes it first next year if it
/// operates, or cancels it now if it is planned.
struct EnterpriseExit: Equatable {
    var facility: Int32
    var scenario: Int32
    var enterprise: Int32
}
