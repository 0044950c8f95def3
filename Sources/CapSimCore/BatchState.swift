/// Status of one unit in one scenario.
enum UnitStatus: UInt8 {
    /// A new unit not yet opened.
    case planned
    case operating
    /// Closed for good.
    case closed
}

/// A facilities × scenarios grid stored column-major (one scenario per column).
struct FacilityGrid<Element> {
    let facilityCount: Int
    var elements: [Element]

    init(facilityCount: Int, scenarioCount: Int, repeating value: Element) {
        self.facilityCount = facilityCount
        elements = Array(repeating: value, count: facilityCount * scenarioCount)
    }

    subscript(f: Int, s: Int) -> Element {
        @inline(__always) get { elements[f + s * facilityCount] }
        @inline(__always) set { elements[f + s * facilityCount] = newValue }
    }
}

/// The mutable state of a batch: status and this year's changes per facility and scenario,
/// replacement credit per (enterprise, sector) pool and scenario, and the event logs per scenario.
struct BatchState {
    let columns: FacilityColumns
    var status: FacilityGrid<UnitStatus>
    var closedThisYear: FacilityGrid<Bool>
    var openedThisYear: FacilityGrid<Bool>
    /// Capacity retired and not yet used for replacement, 10 kt/yr: pools × scenarios.
    var credit: FacilityGrid<Double>
    var closures: [[ClosureEvent]]
    var openings: [[OpeningEvent]]
    var shortfalls: [[TargetShortfall]]
    /// Units whose enterprise went bankrupt last year, per scenario: they close first this year.
    var pendingExits: [[(facility: Int, enterprise: String)]]

    init(columns: FacilityColumns, baseYear: Int, scenarioCount: Int) {
        self.columns = columns
        status = FacilityGrid(facilityCount: columns.count, scenarioCount: scenarioCount,
                              repeating: .planned)
        for s in 0..<scenarioCount {
            for f in 0..<columns.count where columns.startYear[f] <= baseYear {
                status[f, s] = .operating
            }
        }
        closedThisYear = FacilityGrid(facilityCount: columns.count, scenarioCount: scenarioCount,
                                      repeating: false)
        openedThisYear = closedThisYear
        credit = FacilityGrid(facilityCount: columns.creditPoolCount, scenarioCount: scenarioCount,
                              repeating: 0)
        closures = Array(repeating: [], count: scenarioCount)
        openings = Array(repeating: [], count: scenarioCount)
        shortfalls = Array(repeating: [], count: scenarioCount)
        pendingExits = Array(repeating: [], count: scenarioCount)
    }

    /// Clears the per-year change flags.
    mutating func beginYear() {
        for k in closedThisYear.elements.indices {
            closedThisYear.elements[k] = false
            openedThisYear.elements[k] = false
        }
    }
}
