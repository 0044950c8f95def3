/// Yearly rates of movement between worker states (docs/MODEL.md §7.3).
public struct TransitionRates: Sendable, Equatable {
    /// Mean length of training, years (> 0): a trainee finishes in a year with probability
    /// `min(1, 1 / trainingYears)`.
    public var trainingYears: Double
    /// Share of those finishing training who find a job, in [0, 1]; the rest become unemployed.
    public var trainingSuccessShare: Double
    /// Share of the unemployed who find a job in a year.
    public var reemploymentRate: Double
    /// Share of the unemployed who leave the labour force in a year.
    public var labourForceExitRate: Double
    /// Share of the re-employed who lose their job again in a year.
    public var jobLossRate: Double
    /// Mean length of a public-welfare job, years (> 0); those leaving become unemployed.
    public var publicWelfareYears: Double

    /// Creates transition rates.
    public init(trainingYears: Double, trainingSuccessShare: Double, reemploymentRate: Double,
                labourForceExitRate: Double, jobLossRate: Double, publicWelfareYears: Double) {
        self.trainingYears = trainingYears
        self.trainingSuccessShare = trainingSuccessShare
        self.reemploymentRate = reemploymentRate
        self.labourForceExitRate = labourForceExitRate
        self.jobLossRate = jobLossRate
        self.publicWelfareYears = publicWelfareYears
    }
}

/// A rate that may step down from a given year (e.g. unemployment insurance 3 % → 2 % from 2016).
public struct SteppedRate: Sendable, Equatable {
    /// Rate from each listed year on; before the first listed year the first rate applies.
    public var fromYear: [Int: Double]

    /// Creates a stepped rate.
    public init(fromYear: [Int: Double]) {
        precondition(!fromYear.isEmpty, "a stepped rate needs at least one value")
        self.fromYear = fromYear
    }

    /// A rate constant in every year.
    public init(_ rate: Double) { self.init(fromYear: [Int.min: rate]) }

    /// The rate in force in `year`.
    public func rate(in year: Int) -> Double {
        let steps = fromYear.sorted { $0.key < $1.key }
        var current = steps[0].value
        for (y, r) in steps where y <= year { current = r }
        return current
    }
}

/// Social-insurance contribution rates of the wage bill (employer and employee together).
public struct SocialInsuranceRates: Sendable, Equatable {
    public var pension: SteppedRate
    public var medical: SteppedRate
    public var unemployment: SteppedRate
    public var maternity: SteppedRate
    public var workInjury: SteppedRate

    /// Creates the rates.
    public init(pension: SteppedRate, medical: SteppedRate, unemployment: SteppedRate, maternity: SteppedRate,
                workInjury: SteppedRate) {
        self.pension = pension
        self.medical = medical
        self.unemployment = unemployment
        self.maternity = maternity
        self.workInjury = workInjury
    }

    /// Sum of all rates in `year`: what an enterprise pays per yuan of wage base for an internal retiree.
    public func total(in year: Int) -> Double {
        pension.rate(in: year) + medical.rate(in: year) + unemployment.rate(in: year)
            + maternity.rate(in: year) + workInjury.rate(in: year)
    }
}

/// Central award and subsidy funds (专项奖补资金) and how they are split between sectors.
///
/// Each year `amount` is split: `baseShare` by the weighted capacity cut and workers displaced,
/// times a difficulty coefficient; the rest (the reward share) by over-fulfilment of the year's
/// targets (docs/MODEL.md §7.6).
public struct AwardFund: Sendable, Equatable {
    /// Funds received per year, yuan.
    public var amountYuanByYear: [Int: Double]
    /// Sectors that may receive the funds.
    public var sectors: [Sector]
    /// Share of each year's amount allocated by the base formula, in [0, 1].
    public var baseShare: Double
    /// Weight of the capacity cut in the base formula.
    public var capacityWeight: Double
    /// Weight of the workers displaced in the base formula.
    public var workersWeight: Double
    /// Difficulty coefficient per sector (default 1).
    public var difficulty: [Sector: Double]
    /// Who pays a cost assigned to the fund once the sector's balance is exhausted.
    public var fallbackPayer: Payer

    /// Creates an award fund.
    public init(amountYuanByYear: [Int: Double], sectors: [Sector], baseShare: Double = 0.8,
                capacityWeight: Double = 0.5, workersWeight: Double = 0.5, difficulty: [Sector: Double] = [:],
                fallbackPayer: Payer = .provincialBudget) {
        self.amountYuanByYear = amountYuanByYear
        self.sectors = sectors
        self.baseShare = baseShare
        self.capacityWeight = capacityWeight
        self.workersWeight = workersWeight
        self.difficulty = difficulty
        self.fallbackPayer = fallbackPayer
    }
}

/// Everything that governs what happens to displaced workers and what it costs.
public struct ResettlementPolicy: Sendable, Equatable {
    /// Age bands and retirement ages.
    public var structure: WorkforceStructure
    /// Workforce profile per sector; every sector with facilities needs one.
    public var sectors: [Sector: SectorWorkforce]
    /// Channels in priority order.
    public var channels: [ResettlementChannel]
    /// Yearly movement between states.
    public var transitions: TransitionRates
    /// Unemployment benefit, yuan per unemployed person per year (paid by unemployment insurance).
    public var unemploymentBenefitYuanPerYear: Double
    /// Contribution rates, used for internal retirees' contributions and job-retention refunds.
    public var socialInsurance: SocialInsuranceRates
    /// Share of last year's unemployment-insurance premiums refunded to the sector (稳岗补贴), in [0, 1].
    public var jobRetentionRefundShare: Double
    /// Who pays back wages owed at closure (A1 L213: local budgets first).
    public var backWagesPayer: Payer
    /// Central award funds, if any.
    public var awardFund: AwardFund?

    /// Creates a resettlement policy.
    public init(structure: WorkforceStructure, sectors: [Sector: SectorWorkforce], channels: [ResettlementChannel],
                transitions: TransitionRates, unemploymentBenefitYuanPerYear: Double,
                socialInsurance: SocialInsuranceRates, jobRetentionRefundShare: Double,
                backWagesPayer: Payer = .localBudget, awardFund: AwardFund? = nil) {
        self.structure = structure
        self.sectors = sectors
        self.channels = channels
        self.transitions = transitions
        self.unemploymentBenefitYuanPerYear = unemploymentBenefitYuanPerYear
        self.socialInsurance = socialInsurance
        self.jobRetentionRefundShare = jobRetentionRefundShare
        self.backWagesPayer = backWagesPayer
        self.awardFund = awardFund
    }
}
