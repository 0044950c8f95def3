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
    /// The unit's capacity when it closed, 10 kt/yr (its table capacity plus the changes applied).
    var capacity: Double

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

/// A capacity change applied, as the year step records it.
struct ChangeRecord {
    var change: Int32
    var scenario: Int32
    var yearIndex: Int32
    var capacityBefore: Double
    var workers: Double
    var creditUsed: Double
    var creditAvailable: Double
    var ratio: Double
}

/// A capacity change given up, as the year step records it (`reason` is the index of the
/// `CapacityChangeBlock` case in `allCases`).
struct BlockedChangeRecord {
    var change: Int32
    var scenario: Int32
    var reason: Int32
    var creditNeeded: Double
    var creditAvailable: Double
    var ratio: Double
}

/// An output target out of reach, as the year step records it.
struct OutputShortfallRecord {
    var scenario: Int32
    var yearIndex: Int32
    var target: Int32
    var goal: Double
    var output: Double
    var capacity: Double
    var ceiling: Double
}

/// Where a capacity change stands in one scenario.
enum ChangeStatus: UInt8 {
    /// Due now or later, or waiting for credit.
    case pending
    case applied
    /// Given up (reported in `blockedChanges`).
    case blocked
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
    /// Each unit's capacity, 10 kt/yr, per `[f · S + s]`: its table capacity plus the changes applied.
    let capacity: Buffer<Double>
    /// Each unit's workers, persons, per `[f · S + s]`: its table workforce plus the changes applied.
    let workers: Buffer<Double>
    /// `ChangeStatus.rawValue` per capacity-change slot `[c · S + s]`.
    let changeStatus: Buffer<UInt8>
    /// The utilisation each sector runs at, `[(σ · yearCount + y) · S + s]`: the policy's,
    /// raised where an output target asks for more (docs/MODEL.md §2.6b).
    let utilisation: Buffer<Double>
    /// Scratch for a target whose order depends on the scenario: keys and order of its candidates.
    let sortKeys: Buffer<Double>
    let sortOrder: Buffer<Int32>
    /// Where each scenario's events start after `sortByScenario`: S + 1 elements.
    let scenarioStarts: Buffer<Int>

    let closures: RecordLog<ClosureRecord>
    let openings: RecordLog<OpeningRecord>
    let shortfalls: RecordLog<ShortfallRecord>
    let changes: RecordLog<ChangeRecord>
    let blockedChanges: RecordLog<BlockedChangeRecord>
    let outputShortfalls: RecordLog<OutputShortfallRecord>
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

    init(columns: FacilityColumns, policy: CompiledPolicy, baseYear: Int, scenarioCount S: Int,
         scratchKeys: Int, scratchOrder: Int) {
        scenarioCount = S
        capacity = Buffer(repeating: 0, count: columns.count * S)
        workers = Buffer(repeating: 0, count: columns.count * S)
        for f in 0..<columns.count {
            (capacity.base + f * S).update(repeating: columns.capacity[f], count: S)
            (workers.base + f * S).update(repeating: columns.workers[f], count: S)
        }
        changeStatus = Buffer(repeating: ChangeStatus.pending.rawValue, count: policy.changes.count * S)
        utilisation = Buffer(repeating: 0, count: policy.utilisation.count)
        for i in policy.utilisation.indices { utilisation[i] = policy.utilisation[i] }
        changes = RecordLog(reserving: max(1, policy.changes.count * S))
        blockedChanges = RecordLog(reserving: max(1, policy.changes.count * S))
        outputShortfalls = RecordLog(reserving: S)
        status = Buffer(repeating: UnitStatus.planned.rawValue, count: columns.count * S)
        for f in 0..<columns.count where columns.startYear[f] <= baseYear {
            (status.base + f * S).update(repeating: UnitStatus.operating.rawValue, count: S)
        }
        credit = Buffer(repeating: 0, count: columns.creditPoolCount * S)
        for s in 0..<S {
            for c in policy.startingCredit[s] { credit[c.pool * S + s] += c.credit }
        }
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
