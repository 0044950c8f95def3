/// Where a displaced worker is in a given year.
public enum WorkerState: String, CaseIterable, Sendable {
    /// Displaced and not yet placed in any channel (unresettled).
    case waiting
    /// In a training programme.
    case inTraining = "in_training"
    /// Working again: transferred, placed in another enterprise or project, or after training.
    case reemployed
    /// In a public-welfare job (公益性岗位).
    case publicWelfare = "public_welfare"
    /// Out of work and looking (registered unemployed or after a contract ended).
    case unemployed
    /// Internal retirement (内部退养) until the legal retirement age.
    case internallyRetired = "internally_retired"
    /// Reached the legal retirement age: drawing a pension.
    case retired
    /// Left the labour force without a pension.
    case outOfLabourForce = "out_of_labour_force"

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .waiting: return 0
        case .inTraining: return 1
        case .reemployed: return 2
        case .publicWelfare: return 3
        case .unemployed: return 4
        case .internallyRetired: return 5
        case .retired: return 6
        case .outOfLabourForce: return 7
        }
    }
}

/// A way of resettling displaced workers.
public enum ChannelKind: String, CaseIterable, Sendable {
    /// Transfer inside the enterprise or group (内部转岗).
    case internalTransfer = "internal_transfer"
    /// Transfer to other enterprises or industries (转型安置、分流).
    case otherEnterprise = "other_enterprise"
    /// A named absorbing project: an industrial park, logistics base, out-of-province mine.
    case absorbingProject = "absorbing_project"
    /// Internal retirement for those close to the retirement age (内部退养).
    case internalRetirement = "internal_retirement"
    /// Public-welfare jobs (公益性岗位).
    case publicWelfare = "public_welfare"
    /// Training and entrepreneurship (培训、自主创业).
    case training
    /// Contract termination with statutory severance (解除劳动关系, 经济补偿).
    case contractTermination = "contract_termination"
    /// Registered unemployment (登记失业).
    case registeredUnemployment = "registered_unemployment"

    /// The state a worker enters when placed through this channel.
    public var entryState: WorkerState {
        switch self {
        case .internalTransfer, .otherEnterprise, .absorbingProject: return .reemployed
        case .internalRetirement: return .internallyRetired
        case .publicWelfare: return .publicWelfare
        case .training: return .inTraining
        case .contractTermination, .registeredUnemployment: return .unemployed
        }
    }
}

/// Who pays a cost.
public enum Payer: String, CaseIterable, Sendable {
    /// The enterprise that closed the unit.
    case enterprise
    /// Central award and subsidy funds (专项奖补资金), as allocated to the sector.
    case centralAward = "central_award"
    /// Job-retention refunds from unemployment-insurance premiums (稳岗补贴), as accrued by the sector.
    case jobRetentionRefund = "job_retention_refund"
    /// The unemployment-insurance fund (benefits).
    case unemploymentInsurance = "unemployment_insurance"
    /// The provincial budget.
    case provincialBudget = "provincial_budget"
    /// Prefecture and county budgets.
    case localBudget = "local_budget"

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .enterprise: return 0
        case .centralAward: return 1
        case .jobRetentionRefund: return 2
        case .unemploymentInsurance: return 3
        case .provincialBudget: return 4
        case .localBudget: return 5
        }
    }
}

/// One resettlement channel with its eligibility, capacity and costs.
///
/// Channels are tried in order each year; what a full or ineligible channel cannot take spills to
/// the next, and whoever is left waits (unresettled) for the next year.
public struct ResettlementChannel: Sendable, Equatable {
    /// Identifier, used in output metric names.
    public var id: String
    /// Kind; fixes the state workers enter.
    public var kind: ChannelKind
    /// Sectors whose displaced workers may use it; empty means every sector.
    public var sectors: [Sector]
    /// Persons it can take over the whole run, if limited.
    public var capacityTotalPersons: Double?
    /// Persons it can take per year, if limited.
    public var capacityPerYearPersons: Double?
    /// Largest share of a sector's pool it may take in a year, in [0, 1] (take-up), if limited.
    public var share: Double?
    /// Only workers within this many years of their retirement age are eligible, if set.
    public var withinYearsOfRetirement: Double?
    /// One-off cost per person placed, yuan (placement subsidy, park hiring support).
    public var oneOffYuanPerPerson: Double
    /// Cost per person per year while in the channel's entry state, yuan.
    public var annualYuanPerPerson: Double
    /// Cost per person per year while in the entry state, as a share of the sector wage
    /// (internal retirees' living allowance).
    public var annualShareOfWage: Double
    /// Who pays the channel's costs.
    public var payer: Payer

    /// Creates a channel.
    public init(id: String, kind: ChannelKind, sectors: [Sector] = [], capacityTotalPersons: Double? = nil,
                capacityPerYearPersons: Double? = nil, share: Double? = nil,
                withinYearsOfRetirement: Double? = nil, oneOffYuanPerPerson: Double = 0,
                annualYuanPerPerson: Double = 0, annualShareOfWage: Double = 0, payer: Payer = .enterprise) {
        self.id = id
        self.kind = kind
        self.sectors = sectors
        self.capacityTotalPersons = capacityTotalPersons
        self.capacityPerYearPersons = capacityPerYearPersons
        self.share = share
        self.withinYearsOfRetirement = withinYearsOfRetirement
        self.oneOffYuanPerPerson = oneOffYuanPerPerson
        self.annualYuanPerPerson = annualYuanPerPerson
        self.annualShareOfWage = annualShareOfWage
        self.payer = payer
    }

    /// Whether workers displaced from `sector` may use the channel.
    public func accepts(_ sector: Sector) -> Bool { sectors.isEmpty || sectors.contains(sector) }
}
