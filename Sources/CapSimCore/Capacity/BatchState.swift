/// Status of one unit in one scenario.
enum UnitStatus: UInt8 {
    /// A new unit not yet opened.
    case planned
    case operating
    /// Closed for good.
    case closed
}

/// A closure as the year step records it: plain numbers, turned into a `ClosureEvent` after the run.
struct ClosureRecord {
    var facility: Int32
    var scenario: Int32
    var yearIndex: Int32
    /// `ClosureRecord.exhausted`, `.exit`, a rule slot `ruleBase + r` or a target slot `ruleBase + ruleCount + t`.
    var cause: Int32
    /// Rule: the unit's figure; exhaustion: remaining years; target: the goal; exit: the enterprise index.
    var measured: Double
    /// Rule: the limit compared with; target: capacity closed in the sector before this unit.
    var limit: Double

    static let exhausted: Int32 = 0
    static let exit: Int32 = 1
    static let ruleBase: Int32 = 2
}

/// An opening through replacement, as the year step records it.
struct OpeningRecord {
    var facility: Int32
    var scenario: Int32
    var yearIndex: Int32
    var creditUsed: Double
    var creditAvailable: Double
    var ratio: Double
}

/// A target that ran out of candidates, as the year step records it.
struct ShortfallRecord {
    var scenario: Int32
    var yearIndex: Int32
    var target: Int32
    var goal: Double
    var closed: Double
}

/// The mutable state of a batch, laid out with the scenario index innermost (docs/MODEL.md §1a):
/// every per-unit quantity is element `[f · S + s]`, every per-pool one `[pool · S + s]`, every
/// per-sector one `[σ · S + s]`. All buffers are allocated once per batch; the event logs grow
/// by amortised appends into capacity reserved once.
final class BatchState {
    let scenarioCount: Int
    /// `UnitStatus.rawValue` per `[f · S + s]`.
    let status: Buffer<UInt8>
    /// Capacity retired and not yet used for replacement, 10 kt/yr, per `[pool · S + s]`.
    let credit: Buffer<Double>
    /// Capacity closed so far this year per `[σ · S + s]` (what targets count, and the workforce's capacity cut).
    let closedBySector: Buffer<Double>
    /// Workers of units closed this year per `[σ · S + s]`.
    let displacedBySector: Buffer<Double>
    /// Workers of operating units per `[σ · S + s]`, updated on every closure and opening.
    let operatingWorkersBySector: Buffer<Double>
    /// Scratch for a target whose order depends on the scenario: keys and order of its candidates.
    let sortKeys: Buffer<Double>
    let sortOrder: Buffer<Int32>
    /// Where each scenario's events start after `sortByScenario`: S + 1 elements.
    let scenarioStarts: Buffer<Int>

    let closures: RecordLog<ClosureRecord>
    let openings: RecordLog<OpeningRecord>
    let shortfalls: RecordLog<ShortfallRecord>
    /// Scratch for the sorts by scenario.
    let closureScratch: RecordLog<ClosureRecord>
    let openingScratch: RecordLog<OpeningRecord>
    let shortfallScratch: RecordLog<ShortfallRecord>
    /// Units of enterprises that left last year, in scenario order: they close first this year.
    var pendingExits: [EnterpriseExit] = []
    /// The year's closures and openings as the finance step takes them (ENGINE-CONTRACT): in
    /// scenario order, each scenario's in the order they happened; refilled every year.
    var closedThisYear: [UnitEvent] = []
    var openedThisYear: [UnitEvent] = []

    init(columns: FacilityColumns, baseYear: Int, scenarioCount S: Int, scratchKeys: Int, scratchOrder: Int) {
        scenarioCount = S
        status = Buffer(repeating: UnitStatus.planned.rawValue, count: columns.count * S)
        for f in 0..<columns.count where columns.startYear[f] <= baseYear {
            (status.base + f * S).update(repeating: UnitStatus.operating.rawValue, count: S)
        }
        credit = Buffer(repeating: 0, count: columns.creditPoolCount * S)
        let sectorCells = Sector.allCases.count * S
        closedBySector = Buffer(repeating: 0, count: sectorCells)
        displacedBySector = Buffer(repeating: 0, count: sectorCells)
        operatingWorkersBySector = Buffer(repeating: 0, count: sectorCells)
        for f in 0..<columns.count where columns.startYear[f] <= baseYear {
            for s in 0..<S { operatingWorkersBySector[columns.sectorIndex[f] * S + s] += columns.workers[f] }
        }
        sortKeys = Buffer(repeating: 0, count: scratchKeys)
        sortOrder = Buffer(repeating: 0, count: scratchOrder)
        scenarioStarts = Buffer(repeating: 0, count: S + 1)
        closures = RecordLog(reserving: columns.count * S / 4)
        openings = RecordLog(reserving: S)
        shortfalls = RecordLog(reserving: S)
        closureScratch = RecordLog(reserving: columns.count * S / 8)
        openingScratch = RecordLog(reserving: S)
        shortfallScratch = RecordLog(reserving: S)
        closedThisYear.reserveCapacity(columns.count * S / 8)
        openedThisYear.reserveCapacity(S)
    }

    @inline(__always)
    func isOperating(_ f: Int, _ s: Int) -> Bool { status[f * scenarioCount + s] == UnitStatus.operating.rawValue }
}
