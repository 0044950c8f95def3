/// Market and replacement parameters of one sector.
public struct SectorPolicy: Sendable, Equatable {
    /// Share of operating capacity that produces output, in [0, 1], for years not in `utilisationByYear`.
    public var utilisation: Double
    /// Per-year overrides of `utilisation`.
    public var utilisationByYear: [Int: Double]
    /// Multiplier on every unit's price (0.8 = prices 20 % lower), for years not in `priceIndexByYear`.
    public var priceIndex: Double
    /// Per-year overrides of `priceIndex` (a price path).
    public var priceIndexByYear: [Int: Double]
    /// Capacity that must be retired per unit of new capacity (减量置换; 1 = equal replacement).
    public var replacementRatio: Double
    /// The sector's market when price and utilisation answer to capacity; nil (the default) keeps
    /// the fixed paths above (docs/MODEL.md §2.7).
    public var market: SectorMarket?

    /// The defaults: full utilisation, prices as tabled, equal replacement.
    public static let defaults = SectorPolicy(utilisation: 1, utilisationByYear: [:], priceIndex: 1,
                                              priceIndexByYear: [:], replacementRatio: 1)

    /// Creates a sector policy.
    public init(utilisation: Double, utilisationByYear: [Int: Double] = [:], priceIndex: Double = 1,
                priceIndexByYear: [Int: Double] = [:], replacementRatio: Double = 1, market: SectorMarket? = nil) {
        self.utilisation = utilisation
        self.utilisationByYear = utilisationByYear
        self.priceIndex = priceIndex
        self.priceIndexByYear = priceIndexByYear
        self.replacementRatio = replacementRatio
        self.market = market
    }

    /// Utilisation that applies in `year`.
    public func utilisation(in year: Int) -> Double { utilisationByYear[year] ?? utilisation }

    /// Price multiplier that applies in `year`.
    public func priceIndex(in year: Int) -> Double { priceIndexByYear[year] ?? priceIndex }
}
