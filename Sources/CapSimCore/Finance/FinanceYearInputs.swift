/// A unit's change of status in one year, as the capacity step produced it (docs/MODEL.md §8.0).
///
/// The engine hands the finance step its closures and openings as lists of these, in scenario
/// order and, within a scenario, in the order the capacity step closed or opened the units.
struct UnitEvent: Equatable, Sendable {
    /// Facility index in the table.
    var facility: Int32
    /// Scenario index in the batch.
    var scenario: Int32
}

/// A unit of an enterprise that went bankrupt this year (docs/MODEL.md §8.4).
///
/// `FinanceModel.exits` lists them in scenario order and, within a scenario, by enterprise (table
/// order) and then by facility (table order). The engine closes the operating ones first next year
/// (§2.0a) and cancels the planned ones now.
struct EnterpriseExit: Equatable, Sendable {
    /// Facility index in the table.
    var facility: Int32
    /// Scenario index in the batch.
    var scenario: Int32
    /// The bankrupt enterprise (index in the enterprise table) that owned the unit at that moment.
    var enterprise: Int32
}

/// What the market step hands the finance step each year when some sector of the batch has a
/// market (docs/MODEL.md §2.7); nil otherwise, and the finance step then books the fixed paths.
///
/// Filled by `MarketModel.clear` after the capacity step; sector arrays are `[σ · S + s]` and hold,
/// where a sector has no market in a scenario, that scenario's fixed path for the year.
struct MarketYearInputs {
    /// The year's price index per `[σ · S + s]`: the clearing price where the market is on.
    var priceIndex: [Double]
    /// The year's utilisation per `[σ · S + s]`.
    var utilisation: [Double]
    /// The year's unit cost per `[f · S + s]`, yuan/t (the tabled cost where no market moves it).
    let unitCost: Buffer<Double>
    /// Cost-reduction investment per `[f · S + s]` this year, yuan: an operating cost of the owner.
    let investment: Buffer<Double>

    init(sectorCells: Int, unitCost: Buffer<Double>, investment: Buffer<Double>) {
        priceIndex = [Double](repeating: 0, count: sectorCells)
        utilisation = priceIndex
        self.unitCost = unitCost
        self.investment = investment
    }
}
