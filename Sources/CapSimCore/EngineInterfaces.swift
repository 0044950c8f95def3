
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
