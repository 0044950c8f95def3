/// One production unit: a mine, a furnace, a converter, a clinker line or a grinding station.
public struct Facility: Sendable, Equatable {
    /// Identifier, unique within a scenario.
    public var id: String
    /// Name as the documents give it (Chinese is fine).
    public var name: String
    /// Kind of unit; fixes the sector.
    public var kind: FacilityKind
    /// Owning enterprise.
    public var enterprise: String
    /// Owner type of the enterprise.
    public var owner: OwnerType
    /// Region (prefecture) identifier.
    public var region: String
    /// Nominal capacity, 10 kt per year (万吨/年).
    public var capacity10ktPerYear: Double
    /// Size figure in the policy's unit for the kind (`kind.sizeUnit`).
    public var size: Double
    /// First year of operation; after the base year the unit is a planned new unit.
    public var startYear: Int
    /// Remaining reserve life in years at the start of the first programme year (mines only).
    public var reserveYears: Double?
    /// Unit production cost, yuan per tonne.
    public var unitCostYuanPerTonne: Double
    /// Market price the unit sells at, yuan per tonne.
    public var priceYuanPerTonne: Double
    /// Distance to the main market, km.
    public var logisticsKm: Double
    /// Complex hydrogeology, banned method or failed safety check.
    public var safetyFlag: Bool
    /// Workforce, persons.
    public var workers: Int

    public var sector: Sector { kind.sector }

    /// Creates a facility; every quantity in its stated unit.
    public init(id: String, name: String, kind: FacilityKind, enterprise: String, owner: OwnerType,
                region: String, capacity10ktPerYear: Double, size: Double, startYear: Int,
                reserveYears: Double? = nil, unitCostYuanPerTonne: Double = 0,
                priceYuanPerTonne: Double = 0, logisticsKm: Double = 0, safetyFlag: Bool = false,
                workers: Int = 0) {
        self.id = id
        self.name = name
        self.kind = kind
        self.enterprise = enterprise
        self.owner = owner
        self.region = region
        self.capacity10ktPerYear = capacity10ktPerYear
        self.size = size
        self.startYear = startYear
        self.reserveYears = reserveYears
        self.unitCostYuanPerTonne = unitCostYuanPerTonne
        self.priceYuanPerTonne = priceYuanPerTonne
        self.logisticsKm = logisticsKm
        self.safetyFlag = safetyFlag
        self.workers = workers
    }
}
