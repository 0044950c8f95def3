/// The facility table as flat columns (one array per attribute, indexed by table position), built
/// once per batch so the year step reads contiguous arrays.
struct FacilityColumns {
    let count: Int
    let sector: [Sector]
    /// `sector[f].index`, so the year step indexes sector-major arrays without a switch.
    let sectorIndex: [Int]
    let owner: [OwnerType]
    let region: [String]
    let capacity: [Double]
    let size: [Double]
    /// Reserve years at the start of the first programme year; +∞ for units without reserves.
    let reserve: [Double]
    let cost: [Double]
    let price: [Double]
    let logistics: [Double]
    let safety: [Bool]
    let startYear: [Int]
    /// Workforce, persons.
    let workers: [Double]
    /// Facility indices per sector, in table order.
    let bySector: [[Int]]
    /// Index of each facility's (enterprise, sector) replacement-credit pool.
    let creditPool: [Int]
    let creditPoolCount: Int
    /// Pool index by `FacilityColumns.poolKey(enterprise, sector)`.
    let poolIndex: [String: Int]
    let indexByID: [String: Int]

    init(_ facilities: [Facility]) {
        count = facilities.count
        sector = facilities.map(\.sector)
        sectorIndex = facilities.map(\.sector.index)
        owner = facilities.map(\.owner)
        region = facilities.map(\.region)
        capacity = facilities.map(\.capacity10ktPerYear)
        size = facilities.map(\.size)
        reserve = facilities.map { $0.reserveYears ?? .infinity }
        cost = facilities.map(\.unitCostYuanPerTonne)
        price = facilities.map(\.priceYuanPerTonne)
        logistics = facilities.map(\.logisticsKm)
        safety = facilities.map(\.safetyFlag)
        startYear = facilities.map(\.startYear)
        workers = facilities.map { Double($0.workers) }
        var groups = Array(repeating: [Int](), count: Sector.allCases.count)
        for (i, f) in facilities.enumerated() { groups[f.sector.index].append(i) }
        bySector = groups
        var pools: [String: Int] = [:]
        var poolOf: [Int] = []
        poolOf.reserveCapacity(facilities.count)
        for f in facilities {
            let key = Self.poolKey(f.enterprise, f.sector)
            if let p = pools[key] { poolOf.append(p) } else {
                pools[key] = pools.count
                poolOf.append(pools.count - 1)
            }
        }
        creditPool = poolOf
        poolIndex = pools
        creditPoolCount = pools.count
        var ids: [String: Int] = [:]
        for (i, f) in facilities.enumerated() { ids[f.id] = i }
        indexByID = ids
    }

    /// The key of an (enterprise, sector) credit pool.
    static func poolKey(_ enterprise: String, _ sector: Sector) -> String { enterprise + "\u{1F}" + sector.rawValue }

    /// Remaining reserve years at the start of `year`: one year of reserve is used per year.
    @inline(__always)
    func remainingReserve(_ f: Int, year: Int, baseYear: Int) -> Double {
        reserve[f] - Double(year - baseYear - 1)
    }
}
