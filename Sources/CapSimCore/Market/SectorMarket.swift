/// A sector's market, when its price and utilisation answer to capacity (docs/MODEL.md §2.7).
///
/// Off by default (`SectorPolicy.market == nil`): the sector then follows its fixed price and
/// utilisation paths. When on, each year's price index clears on the year's operating capacity
/// against the demand path with a constant-elasticity inverse demand, utilisation follows demand up
/// to a ceiling, and unit costs may rise with depletion or fall with cost-reduction investment.
public struct SectorMarket: Sendable, Equatable {
    /// Output needed, 10 kt per year, for years not in `demandByYear`.
    public var demand10kt: Double
    /// Per-year overrides of `demand10kt` (a demand path), 10 kt.
    public var demandByYear: [Int: Double]
    /// Price index (multiplier on tabled prices) when demand equals capacity × `referenceUtilisation`.
    public var referencePriceIndex: Double
    /// Utilisation at which the market is balanced at the reference price, share in (0, 1].
    public var referenceUtilisation: Double
    /// Price elasticity of demand, > 0 (magnitude): a 1 % tighter balance raises the price by 1/ε %.
    public var elasticity: Double
    /// Highest share of operating capacity that can produce, in (0, 1].
    public var utilisationCeiling: Double
    /// Lowest price index, ≥ 0.
    public var priceIndexFloor: Double
    /// Highest price index, > floor; also the price when no capacity is left.
    public var priceIndexCap: Double
    /// Growth of every operating unit's cost per year from depletion, fraction (0.02 = 2 %/yr).
    public var depletionRate: Double
    /// Share of its current unit cost a unit whose cost exceeds the price cuts per year by investing
    /// (M3, cost-reduction route), in [0, 1); 0 = no investment.
    public var costReductionRate: Double
    /// Largest cumulative cut, as a share of the tabled cost, in [0, 1].
    public var costReductionLimit: Double
    /// Investment per yuan of yearly saving: a cut of Δ yuan/t on capacity C costs
    /// `investmentPaybackYears × Δ × C` yuan, paid the year it is made. Years, ≥ 0.
    public var investmentPaybackYears: Double

    /// Creates a market; every quantity in its stated unit.
    public init(demand10kt: Double, demandByYear: [Int: Double] = [:], referencePriceIndex: Double = 1,
                referenceUtilisation: Double = 1, elasticity: Double, utilisationCeiling: Double = 1,
                priceIndexFloor: Double = 0, priceIndexCap: Double = 5, depletionRate: Double = 0,
                costReductionRate: Double = 0, costReductionLimit: Double = 0, investmentPaybackYears: Double = 0) {
        self.demand10kt = demand10kt
        self.demandByYear = demandByYear
        self.referencePriceIndex = referencePriceIndex
        self.referenceUtilisation = referenceUtilisation
        self.elasticity = elasticity
        self.utilisationCeiling = utilisationCeiling
        self.priceIndexFloor = priceIndexFloor
        self.priceIndexCap = priceIndexCap
        self.depletionRate = depletionRate
        self.costReductionRate = costReductionRate
        self.costReductionLimit = costReductionLimit
        self.investmentPaybackYears = investmentPaybackYears
    }

    /// Output needed in `year`, 10 kt.
    public func demand(in year: Int) -> Double { demandByYear[year] ?? demand10kt }
}
