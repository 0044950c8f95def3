/// What the capacity step hands the workforce step each year; every array is sector-major with the
/// scenario innermost: element `[sectorIndex * scenarioCount + s]`, `sectorIndex = Sector.index`.
/// Allocated once per batch by the engine and overwritten each year (docs/MODEL.md §7.0).
struct WorkforceYearInputs {
    /// Headcount of the units closed this year, persons.
    var displacedWorkers: [Double]
    /// Capacity closed this year, 10 kt/yr.
    var capacityCut10kt: [Double]
    /// The year's target, 10 kt/yr; 0 where `hasTarget` is false.
    var targetCapacity10kt: [Double]
    /// Whether the sector has a target this year.
    var hasTarget: [Bool]
    /// Workers of units operating at the end of last year (the base of last year's premiums), persons.
    var operatingWorkersLastYear: [Double]

    /// All zero / false, for `scenarioCount` scenarios.
    init(scenarioCount: Int) {
        let count = Sector.allCases.count * scenarioCount
        displacedWorkers = [Double](repeating: 0, count: count)
        capacityCut10kt = displacedWorkers
        targetCapacity10kt = displacedWorkers
        hasTarget = [Bool](repeating: false, count: count)
        operatingWorkersLastYear = displacedWorkers
    }
}
