/// A class of creditor an enterprise owes money to.
public enum CreditorClass: String, CaseIterable, Sendable {
    case bankLoans = "bank_loans"
    case bonds
    /// Private or informal financing (民间融资).
    case privateFinancing = "private_financing"
    case wageArrears = "wage_arrears"
    case taxArrears = "tax_arrears"
    case socialInsuranceArrears = "social_insurance_arrears"

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .bankLoans: return 0
        case .bonds: return 1
        case .privateFinancing: return 2
        case .wageArrears: return 3
        case .taxArrears: return 4
        case .socialInsuranceArrears: return 5
        }
    }

    /// Whether the class bears interest (arrears do not).
    public var bearsInterest: Bool { self == .bankLoans || self == .bonds || self == .privateFinancing }
}

/// What a holding or disposal entity is (docs/MODEL.md §8.7): a vehicle that owns no unit and
/// receives what levers send it (stripped assets and the debt that follows them, swapped equity).
public enum HoldingKind: String, CaseIterable, Sendable {
    /// An asset-management company for quality assets and the debt that follows them (资产管理公司).
    case assetManagement = "asset_management"
    /// A platform for bad assets and bank loans, disposed of over time (不良资产处置平台).
    case disposalPlatform = "disposal_platform"
    /// A creditor's holding of equity received in a debt-to-equity swap (债转股持股平台).
    case equityHolding = "equity_holding"
}

/// The terms of a holding or disposal entity, which keeps books like an enterprise (§8.7).
public struct Holding: Sendable, Equatable {
    /// What the entity is.
    public var kind: HoldingKind
    /// The sector its books are reported under (it owns no unit to give it a main sector).
    public var sector: Sector
    /// Income per yuan of assets held at the start of the year (rents, dividends, interest), per year;
    /// it is the entity's revenue, so its surplus repays debt as any enterprise's does.
    public var assetIncomeRate: Double

    /// Creates the terms of an entity.
    public init(kind: HoldingKind, sector: Sector, assetIncomeRate: Double = 0) {
        self.kind = kind
        self.sector = sector
        self.assetIncomeRate = assetIncomeRate
    }
}

/// An enterprise that owns facilities, with its balance sheet at the end of the base year; or a
/// holding or disposal entity (`holding` set), which owns none.
public struct Enterprise: Sendable, Equatable {
    /// Identifier: the `enterprise` value facilities name.
    public var id: String
    /// Owner type.
    public var owner: OwnerType
    /// Total assets at the end of the base year, yuan.
    public var assetsYuan: Double
    /// Debt per creditor class at the end of the base year, yuan (`CreditorClass.allCases` order).
    public var debtYuan: [Double]
    /// Annual interest rate per creditor class (0 for arrears).
    public var interestRate: [Double]
    /// Costs that do not scale with output (overheads, idle plant), yuan per year.
    public var fixedCostYuanPerYear: Double
    /// Consecutive loss-making years up to and including the base year.
    public var lossYearsToBase: Int
    /// Set for a holding or disposal entity (§8.7): it owns no unit, is never tested as a zombie and
    /// does not count among operating enterprises.
    public var holding: Holding?

    /// Creates an enterprise.
    public init(id: String, owner: OwnerType, assetsYuan: Double, debtYuan: [CreditorClass: Double],
                interestRate: [CreditorClass: Double], fixedCostYuanPerYear: Double = 0, lossYearsToBase: Int = 0,
                holding: Holding? = nil) {
        self.id = id
        self.owner = owner
        self.assetsYuan = assetsYuan
        self.debtYuan = CreditorClass.allCases.map { debtYuan[$0] ?? 0 }
        self.interestRate = CreditorClass.allCases.map { $0.bearsInterest ? interestRate[$0] ?? 0 : 0 }
        self.fixedCostYuanPerYear = fixedCostYuanPerYear
        self.lossYearsToBase = lossYearsToBase
        self.holding = holding
    }

    /// Total debt at the end of the base year, yuan.
    public var totalDebtYuan: Double { debtYuan.reduce(0, +) }
}

extension Enterprise {
    /// Each enterprise's main sector: the sector of most of its base-year operating capacity (the
    /// earlier sector on a tie); for an enterprise with planned units only, the sector of its first
    /// unit; for a holding entity, its reported sector; nil for an enterprise that owns no facility.
    public static func mainSectors(of enterprises: [Enterprise], facilities: [Facility], baseYear: Int) -> [Sector?] {
        var capacity: [String: [Double]] = [:]
        var first: [String: Sector] = [:]
        for f in facilities {
            if first[f.enterprise] == nil { first[f.enterprise] = f.sector }
            if f.startYear <= baseYear {
                capacity[f.enterprise, default: Array(repeating: 0, count: Sector.allCases.count)][f.sector.index]
                    += f.capacity10ktPerYear
            }
        }
        return enterprises.map { e in
            if let holding = e.holding { return holding.sector }
            if let caps = capacity[e.id],
               let best = caps.indices.max(by: { caps[$0] < caps[$1] || (caps[$0] == caps[$1] && $0 > $1) }),
               caps[best] > 0 {
                return Sector.allCases[best]
            }
            return first[e.id]
        }
    }
}
