/// The largest value a scenario may give each kind of quantity, and why.
///
/// Every number a scenario file or table holds is checked against one of these in the loader,
/// besides the field's own rule (≥ 0, a share in [0, 1], ...). The bounds are far above anything a
/// real programme has, and low enough that the model's arithmetic stays finite and exact to the
/// yuan and the person: products of a capacity, a price, an index and a horizon, or debt
/// compounding over the horizon, stay well inside a Double's range. docs/SCENARIO-FORMAT.md,
/// "Ranges of numbers", lists them; a test checks that the two agree.
public struct ScenarioLimit: Sendable, Equatable {
    /// The largest value allowed (inclusive).
    public var max: Double
    /// The unit, for messages and the docs table.
    public var unit: String
    /// Why it is a safe bound: what the largest real value is.
    public var reason: String

    /// A bound of `max` `unit`.
    public init(_ max: Double, _ unit: String, _ reason: String) {
        self.max = max
        self.unit = unit
        self.reason = reason
    }

    /// For a value whose own rule already bounds it (a share in [0, 1], a rate, a month count in
    /// [0, 12]); `max` is then not checked again.
    public static let bounded = ScenarioLimit(.infinity, "", "bounded by the field's own rule")

    /// "must be at most 100000 10kt/yr (…), got X" without the "got".
    var message: String {
        "must be at most \(ScenarioLimits.text(max))" + (unit.isEmpty ? "" : " \(unit)") + " (\(reason))"
    }
}

/// The named bounds of docs/SCENARIO-FORMAT.md, "Ranges of numbers".
public enum ScenarioLimits {
    /// Capacity of one unit, 10kt/yr.
    public static let capacity = ScenarioLimit(
        100_000, "10kt/yr", "1 Gt/yr, a quarter of China's coal output; the largest mines produce 0.1 Gt/yr")
    /// A target's closures in one year, 10kt/yr: a whole country's sector-wide cut.
    public static let targetCapacity = ScenarioLimit(
        10_000_000, "10kt/yr", "100 Gt/yr, 10 × the world's coal output; synthetic scenarios 13 × China's size stay below")
    /// A unit's size or a size threshold, in the kind's unit (m3, t, t/day, 10kt/yr).
    public static let size = ScenarioLimit(
        1_000_000, "in the kind's unit", "the largest blast furnace is 5,500 m3, the largest clinker line 12,000 t/day")
    /// Unit cost and price, yuan per tonne.
    public static let yuanPerTonne = ScenarioLimit(
        1_000_000, "yuan/t", "steel and coal sell for a few thousand yuan per tonne")
    /// A price index or a price path's multiplier on base-year prices.
    public static let priceIndex = ScenarioLimit(100, "×", "the 2016-2021 coal price rise was 2-3 ×")
    /// Retired capacity per unit of new capacity.
    public static let replacementRatio = ScenarioLimit(100, "×", "the strictest rule asks 1.25-1.5")
    /// Years of reserve left in a mine, or a reserve threshold.
    public static let reserveYears = ScenarioLimit(10_000, "years", "the longest-lived mines are planned for 100-200 years")
    /// Distance to the main market, or a distance threshold.
    public static let distance = ScenarioLimit(20_000, "km", "half the Earth's circumference")
    /// The margin of a cost_above_price rule, as a fraction of price.
    public static let margin = ScenarioLimit(100, "", "a cost 100 × the price")
    /// An enterprise's assets, one debt or arrears class, its fixed cost per year; an award fund's
    /// yearly amount.
    public static let yuan = ScenarioLimit(
        1e13, "yuan", "10 trillion yuan, above the total assets of any Chinese industrial group; "
            + "larger amounts lose the yuan in double precision")
    /// Wages, benefits and channel payments per person (one-off or per year).
    public static let yuanPerPerson = ScenarioLimit(10_000_000, "yuan per person", "about 100 × an average wage")
    /// Workers of one unit (a whole number).
    public static let workersPerUnit = 1_000_000
    /// A channel's capacity in persons (over the run or per year).
    public static let persons = ScenarioLimit(
        100_000_000, "persons", "China's whole industrial workforce is about 100 million")
    /// Months of wage arrears.
    public static let months = ScenarioLimit(1200, "months", "100 years")
    /// An age, an age band edge, a career start age.
    public static let age = ScenarioLimit(150, "years of age", "no one lives longer")
    /// A duration in years: training, public-welfare jobs, years before retirement.
    public static let durationYears = ScenarioLimit(100, "years", "a working life")
    /// A ratio of debt to assets (zombie criterion).
    public static let debtToAssets = ScenarioLimit(1000, "", "an enterprise owing 1,000 × its assets")
    /// A weight or a difficulty coefficient of the award fund formula.
    public static let weight = ScenarioLimit(1000, "", "the formula uses weights near 1")
    /// Years of losses (zombie criterion, or up to the base year): a whole number.
    public static let lossYears = 1000
    /// The most rows the facility tables of one scenario may have together (and likewise the
    /// enterprise tables): units and enterprises.
    public static let maxRows = 200_000
    /// Why `maxRows`, for the message that refuses a larger table.
    public static let maxRowsReason = "China's whole capacity-reduction programme counts about 20,000 units "
        + "(the national synthetic scenario has 15,000), and loading and running take memory in proportion to "
        + "the units (about 2 KB per row to load, and the run's tables per unit), so a larger table is refused "
        + "before it is read rather than exhausting the machine's memory"
    /// The longest horizon `endYear − baseYear`, years: debt compounding over it stays finite.
    public static let horizonYears = 100

    /// Every numeric field of a scenario and its bound, for the docs table and its test: YAML
    /// paths with `*` for a sector, a list element or a year, and table columns as `TABLE.column`.
    /// Fields bounded by their own rule (shares, rates) are listed with `.bounded`.
    public static let fields: [(field: String, limit: ScenarioLimit)] = [
        ("sectors.*.utilisation", .bounded), ("sectors.*.utilisationByYear.*", .bounded),
        ("sectors.*.priceIndex", priceIndex), ("sectors.*.priceIndexByYear.*", priceIndex),
        ("sectors.*.replacementRatio", replacementRatio),
        ("rules[*].threshold (size_below, size_at_or_below)", size),
        ("rules[*].threshold (reserve_below)", reserveYears),
        ("rules[*].threshold (logistics_above)", distance),
        ("rules[*].threshold (cost_above_price)", margin),
        ("targets[*].capacityClosedByYear.*", targetCapacity),
        ("workforce.ageBands[*]", age), ("workforce.retirementAge.*", age), ("workforce.careerStartAge", age),
        ("workforce.sectors.*.femaleShare", .bounded), ("workforce.sectors.*.ageShares.*[*]", .bounded),
        ("workforce.sectors.*.wageYuanPerYear", yuanPerPerson),
        ("workforce.sectors.*.wageArrearsMonths", months),
        ("resettlement.channels[*].capacityTotal", persons), ("resettlement.channels[*].capacityPerYear", persons),
        ("resettlement.channels[*].share", .bounded),
        ("resettlement.channels[*].withinYearsOfRetirement", durationYears),
        ("resettlement.channels[*].oneOffYuanPerPerson", yuanPerPerson),
        ("resettlement.channels[*].annualYuanPerPerson", yuanPerPerson),
        ("resettlement.channels[*].annualShareOfWage", .bounded),
        ("resettlement.transitions.trainingYears", durationYears),
        ("resettlement.transitions.publicWelfareYears", durationYears),
        ("resettlement.transitions.trainingSuccessShare", .bounded),
        ("resettlement.transitions.reemploymentRate", .bounded),
        ("resettlement.transitions.labourForceExitRate", .bounded),
        ("resettlement.transitions.jobLossRate", .bounded),
        ("resettlement.unemploymentBenefitYuanPerYear", yuanPerPerson),
        ("resettlement.socialInsurance.*", .bounded), ("resettlement.jobRetentionRefundShare", .bounded),
        ("resettlement.awardFund.amountYuanByYear.*", yuan), ("resettlement.awardFund.baseShare", .bounded),
        ("resettlement.awardFund.capacityWeight", weight), ("resettlement.awardFund.workersWeight", weight),
        ("resettlement.awardFund.difficulty.*", weight),
        ("finance.assetWriteDownShare", .bounded), ("finance.repaymentShare", .bounded),
        ("finance.instruments[*].share", .bounded), ("finance.instruments[*].debtFollowsShare", .bounded),
        ("finance.zombies.haltedMonths", .bounded), ("finance.zombies.debtToAssets", debtToAssets),
        ("finance.zombies.actions[*].recovery.*", .bounded),
        ("facilities.capacity_10kt", capacity), ("facilities.size", size),
        ("facilities.reserve_years", reserveYears),
        ("facilities.unit_cost_yuan_per_t", yuanPerTonne), ("facilities.price_yuan_per_t", yuanPerTonne),
        ("facilities.logistics_km", distance),
        ("enterprises.assets_yuan", yuan), ("enterprises.bank_loans_yuan", yuan), ("enterprises.bonds_yuan", yuan),
        ("enterprises.private_financing_yuan", yuan), ("enterprises.wage_arrears_yuan", yuan),
        ("enterprises.tax_arrears_yuan", yuan), ("enterprises.social_insurance_arrears_yuan", yuan),
        ("enterprises.bank_rate", .bounded), ("enterprises.bond_rate", .bounded), ("enterprises.private_rate", .bounded),
        ("enterprises.fixed_cost_yuan_per_year", yuan),
    ]

    /// `x` as docs and messages write it: `100000`, `1e13`, `0.5`.
    static func text(_ x: Double) -> String {
        var exponent = 0, power = 1.0
        while power < x && exponent < 308 { power *= 10; exponent += 1 }
        return x >= 1e9 && power == x ? "1e\(exponent)" : ScenarioDocument.numberText(x)
    }
}
