/// Per year, sector and scenario: where displaced workers are, what their resettlement cost and
/// who paid (docs/MODEL.md §7.7). Metric names depend on the channels, so they are listed here.
public struct ResettlementResult: Sendable {
    /// A reported quantity: its name in `projections.csv` and its unit.
    public struct Quantity: Sendable, Equatable {
        /// Name in `projections.csv`.
        public var name: String
        /// Unit written beside the value.
        public var unit: String
        /// Sectors the quantity can be non-zero for (a channel's sectors); nil for every sector.
        public var sectors: [Sector]? = nil

        /// Whether the quantity applies to `sector`.
        public func applies(to sector: Sector) -> Bool { sectors?.contains(sector) ?? true }
    }

    /// The quantities, in output order.
    public var quantities: [Quantity]
    /// Reported years, base year first.
    public var years: [Int]
    /// Sectors reported (those with facilities), in sector order.
    public var sectors: [Sector]
    /// Number of scenarios.
    public var scenarioCount: Int
    /// Values, index `((year × sectors + sector) × quantities + quantity) × scenarios + scenario`.
    public var values: [Double]

    /// Creates a result filled with zeros.
    init(quantities: [Quantity], years: [Int], sectors: [Sector], scenarioCount: Int) {
        self.quantities = quantities
        self.years = years
        self.sectors = sectors
        self.scenarioCount = scenarioCount
        values = [Double](repeating: 0, count: years.count * sectors.count * quantities.count * scenarioCount)
    }

    @inlinable
    func offset(year y: Int, sector σ: Int, quantity q: Int, scenario s: Int) -> Int {
        ((y * sectors.count + σ) * quantities.count + q) * scenarioCount + s
    }

    /// Value by indices (year, sector position in `sectors`, quantity position, scenario).
    public func value(yearIndex y: Int, sectorIndex σ: Int, quantityIndex q: Int, scenario s: Int) -> Double {
        values[offset(year: y, sector: σ, quantity: q, scenario: s)]
    }

    /// Value by name, or nil when the quantity, sector or year is not reported.
    public func value(_ name: String, sector: Sector, year: Int, scenario: Int = 0) -> Double? {
        guard let q = quantities.firstIndex(where: { $0.name == name }), let σ = sectors.firstIndex(of: sector),
              let y = years.firstIndex(of: year) else { return nil }
        return value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: scenario)
    }

    mutating func set(_ v: Double, year y: Int, sector σ: Int, quantity q: Int, scenario s: Int) {
        values[offset(year: y, sector: σ, quantity: q, scenario: s)] = v
    }

    mutating func add(_ v: Double, year y: Int, sector σ: Int, quantity q: Int, scenario s: Int) {
        values[offset(year: y, sector: σ, quantity: q, scenario: s)] += v
    }

    /// Checks every year, sector and scenario: cumulative workers displaced equal the workers
    /// waiting plus those in every state, within `tolerance` persons. Returns each violation.
    public func conservationViolations(tolerance: Double = 1e-6) -> [String] {
        let stateNames = WorkerState.allCases.map { "workers_\($0.rawValue)" }
        guard let cumulative = quantities.firstIndex(where: { $0.name == "workers_displaced_cumulative" }) else {
            return ["no workers_displaced_cumulative quantity"]
        }
        let stateIndices = stateNames.compactMap { n in quantities.firstIndex { $0.name == n } }
        var found: [String] = []
        for y in years.indices {
            for σ in sectors.indices {
                for s in 0..<scenarioCount {
                    let entered = value(yearIndex: y, sectorIndex: σ, quantityIndex: cumulative, scenario: s)
                    let held = stateIndices.reduce(0.0) { $0 + value(yearIndex: y, sectorIndex: σ, quantityIndex: $1, scenario: s) }
                    if !(abs(entered - held) <= tolerance * max(1, entered)) {
                        found.append("scenario \(s) \(sectors[σ].rawValue) \(years[y]): displaced \(entered) ≠ in states \(held)")
                    }
                }
            }
        }
        return found
    }
}
