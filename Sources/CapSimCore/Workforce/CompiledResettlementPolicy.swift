/// Every scenario's `ResettlementPolicy` as flat typed arrays, built once before the first year
/// (docs/MODEL.md §7.0): the year step reads numbers by index only, never a dictionary, a `String`
/// or an optional.
///
/// Layout: scenario innermost. With `S` scenarios, `J` cells, `C` channels, `Σ = 5` sectors and `y`
/// the index of a batch year: per scenario `[s]`; per sector `[σ·S + s]`; per (sector, sex)
/// `[(σ·2 + x)·S + s]`; per (sector, cell) `[(σ·J + j)·S + s]`; per year `[y·S + s]`; per channel
/// `[c·S + s]`; per (channel, cell) `[(c·J + j)·S + s]`; per (channel, sector) `[(c·Σ + σ)·S + s]`.
/// Absent limits are `+∞`; absent funds have amount 0 in every year; payers and entry states are
/// `Payer.index` and `WorkerState.index`.
struct CompiledResettlementPolicy {
    let scenarioCount: Int
    let cellCount: Int
    let channelCount: Int
    let yearCount: Int

    // Sector workforce profiles.
    /// Share of the sector's headcount of each sex: `1 − femaleShare`, `femaleShare`.
    let sexShare: Buffer<Double>
    /// Age share of each cell within its sex.
    let ageShare: Buffer<Double>
    /// Whether the scenario has a profile for the sector (a closure without one is an error).
    let hasProfile: Buffer<Bool>
    let wage: Buffer<Double>
    let arrearsMonths: Buffer<Double>

    // Payers and insurance.
    let backWagesPayer: Buffer<Int>
    /// Who pays what the award balance does not cover (the fund's fallback, or the province).
    let awardFallbackPayer: Buffer<Int>
    /// `jobRetentionRefundShare · u(year − 1)` per year.
    let refundRate: Buffer<Double>
    /// Sum of the five contribution rates in force in the year.
    let insuranceTotal: Buffer<Double>
    let benefitYuanPerYear: Buffer<Double>

    // The award fund.
    /// Amount received in the year, yuan (0 when none).
    let fundAmount: Buffer<Double>
    /// Whether the sector may receive funds.
    let inFund: Buffer<Bool>
    let difficulty: Buffer<Double>
    let baseShare: Buffer<Double>
    let capacityWeight: Buffer<Double>
    let workersWeight: Buffer<Double>

    // Channels.
    let capacityTotal: Buffer<Double>
    let capacityPerYear: Buffer<Double>
    /// Largest share of the pool per year (`+∞` without a limit).
    let share: Buffer<Double>
    /// Eligible share of each cell.
    let eligibleShare: Buffer<Double>
    let oneOffYuanPerPerson: Buffer<Double>
    /// `annualYuanPerPerson + annualShareOfWage · wage`, per (channel, sector).
    let annualYuanPerPerson: Buffer<Double>
    let payer: Buffer<Int>
    let isContractTermination: Buffer<Bool>
    let entryState: Buffer<Int>
    let accepts: Buffer<Bool>

    // Shared by every scenario (derived).
    /// Years of service at each cell's band mid-point.
    let serviceYears: [Double]
    /// Per (channel, sector) `[c·Σ + σ]`: whether the channel accepts the sector in any scenario.
    let acceptsAny: [Bool]
    /// Per channel: its entry state when every scenario has the same, else nil.
    let commonEntryState: [Int?]
    /// Per channel: the entry states of any scenario.
    let entryStates: [[Int]]

    init(_ policies: [ResettlementPolicy], years: [Int]) {
        let first = policies[0]
        let st = first.structure
        let S = policies.count, J = st.cellCount, C = first.channels.count, Y = years.count
        let sectors = Sector.allCases
        let Σ = sectors.count
        scenarioCount = S
        cellCount = J
        channelCount = C
        yearCount = Y

        var sexShare = [Double](repeating: 0, count: Σ * 2 * S)
        var ageShare = [Double](repeating: 0, count: Σ * J * S)
        var hasProfile = [Bool](repeating: false, count: Σ * S)
        var wage = [Double](repeating: 0, count: Σ * S), arrears = wage
        var backWagesPayer = [Int](repeating: 0, count: S), fallback = backWagesPayer
        var refundRate = [Double](repeating: 0, count: Y * S), insuranceTotal = refundRate, fundAmount = refundRate
        var benefit = [Double](repeating: 0, count: S)
        var inFund = [Bool](repeating: false, count: Σ * S)
        var difficulty = [Double](repeating: 1, count: Σ * S)
        var baseShare = benefit, capacityWeight = benefit, workersWeight = benefit
        var capacityTotal = [Double](repeating: .infinity, count: C * S)
        var capacityPerYear = capacityTotal, share = capacityTotal
        var oneOff = [Double](repeating: 0, count: C * S)
        var eligible = [Double](repeating: 0, count: C * J * S)
        var annual = [Double](repeating: 0, count: C * Σ * S)
        var payer = [Int](repeating: 0, count: C * S), entry = payer
        var termination = [Bool](repeating: false, count: C * S)
        var accepts = [Bool](repeating: false, count: C * Σ * S)

        for (s, p) in policies.enumerated() {
            for sector in sectors {
                let σ = sector.index
                guard let profile = p.sectors[sector] else { continue }
                hasProfile[σ * S + s] = true
                wage[σ * S + s] = profile.wageYuanPerYear
                arrears[σ * S + s] = profile.wageArrearsMonths
                for sex in Sex.allCases {
                    sexShare[(σ * 2 + sex.index) * S + s] = sex == .female ? profile.femaleShare : 1 - profile.femaleShare
                    let shares = profile.ageShares[sex]!
                    for k in 0..<st.bandCount { ageShare[(σ * J + st.cell(sex, k)) * S + s] = shares[k] }
                }
            }
            backWagesPayer[s] = p.backWagesPayer.index
            fallback[s] = (p.awardFund?.fallbackPayer ?? .provincialBudget).index
            benefit[s] = p.unemploymentBenefitYuanPerYear
            for (y, year) in years.enumerated() {
                refundRate[y * S + s] = p.jobRetentionRefundShare * p.socialInsurance.unemployment.rate(in: year - 1)
                insuranceTotal[y * S + s] = p.socialInsurance.total(in: year)
                fundAmount[y * S + s] = p.awardFund?.amountYuanByYear[year] ?? 0
            }
            if let fund = p.awardFund {
                for sector in sectors where fund.sectors.contains(sector) {
                    inFund[sector.index * S + s] = true
                    difficulty[sector.index * S + s] = fund.difficulty[sector] ?? 1
                }
                baseShare[s] = fund.baseShare
                capacityWeight[s] = fund.capacityWeight
                workersWeight[s] = fund.workersWeight
            }
            for (c, channel) in p.channels.enumerated() {
                capacityTotal[c * S + s] = channel.capacityTotalPersons ?? .infinity
                capacityPerYear[c * S + s] = channel.capacityPerYearPersons ?? .infinity
                share[c * S + s] = channel.share ?? .infinity
                oneOff[c * S + s] = channel.oneOffYuanPerPerson
                payer[c * S + s] = channel.payer.index
                entry[c * S + s] = channel.kind.entryState.index
                termination[c * S + s] = channel.kind == .contractTermination
                for j in 0..<J { eligible[(c * J + j) * S + s] = ChannelAllocation.eligibleShare(channel, cell: j, st) }
                for sector in sectors {
                    let σ = sector.index
                    accepts[(c * Σ + σ) * S + s] = channel.accepts(sector)
                    annual[(c * Σ + σ) * S + s] = channel.annualYuanPerPerson + channel.annualShareOfWage * wage[σ * S + s]
                }
            }
        }
        self.sexShare = Buffer(sexShare)
        self.ageShare = Buffer(ageShare)
        self.hasProfile = Buffer(hasProfile)
        self.wage = Buffer(wage)
        arrearsMonths = Buffer(arrears)
        self.backWagesPayer = Buffer(backWagesPayer)
        awardFallbackPayer = Buffer(fallback)
        self.refundRate = Buffer(refundRate)
        self.insuranceTotal = Buffer(insuranceTotal)
        benefitYuanPerYear = Buffer(benefit)
        self.fundAmount = Buffer(fundAmount)
        self.inFund = Buffer(inFund)
        self.difficulty = Buffer(difficulty)
        self.baseShare = Buffer(baseShare)
        self.capacityWeight = Buffer(capacityWeight)
        self.workersWeight = Buffer(workersWeight)
        self.capacityTotal = Buffer(capacityTotal)
        self.capacityPerYear = Buffer(capacityPerYear)
        self.share = Buffer(share)
        eligibleShare = Buffer(eligible)
        oneOffYuanPerPerson = Buffer(oneOff)
        annualYuanPerPerson = Buffer(annual)
        self.payer = Buffer(payer)
        isContractTermination = Buffer(termination)
        entryState = Buffer(entry)
        self.accepts = Buffer(accepts)

        serviceYears = (0..<J).map { st.serviceYears($0 % st.bandCount) }
        acceptsAny = (0..<(C * Σ)).map { cσ in (0..<S).contains { accepts[cσ * S + $0] } }
        entryStates = (0..<C).map { c in Array(Set((0..<S).map { entry[c * S + $0] })).sorted() }
        commonEntryState = entryStates.map { $0.count == 1 ? $0[0] : nil }
    }
}
