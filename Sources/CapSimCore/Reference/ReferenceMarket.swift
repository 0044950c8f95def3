import RealModule

/// One year of one scenario's markets as the reference finance model books it (docs/MODEL.md §2.7).
struct ReferenceMarketYear {
    /// Per `Sector.index`: the year's price index (clearing price where the market is on).
    var priceIndex: [Double]
    /// Per `Sector.index`: the year's utilisation.
    var utilisation: [Double]
    /// Per facility: the year's unit cost, yuan/t.
    var unitCost: [Double]
    /// Per facility: cost-reduction investment this year, yuan.
    var investment: [Double]
}

/// The markets of one scenario written out plainly for `ReferenceEngine` (docs/MODEL.md §2.7):
/// a sector's capacity is re-added from the operating units every time it is needed.
struct ReferenceMarket {
    let policy: Policy
    let facilities: [Facility]
    let years: [Int]
    /// Per `Sector.index`: last cleared price index.
    var price: [Double]
    /// Per facility: cost factor on the tabled unit cost.
    var costFactor: [Double]
    var investment: [Double]
    var result: MarketResult

    init(policy: Policy, facilities: [Facility], years: [Int]) {
        self.policy = policy
        self.facilities = facilities
        self.years = years
        price = [Double](repeating: 0, count: Sector.allCases.count)
        costFactor = [Double](repeating: 1, count: facilities.count)
        investment = [Double](repeating: 0, count: facilities.count)
        result = MarketResult(scenarioCount: 1, years: years)
        for sector in Sector.allCases { result.isOn[sector.index] = policy.sector(sector).market != nil }
    }

    /// Whether any sector has a market.
    var isOn: Bool { result.isOn.contains(true) }

    /// The unit cost of facility `f` this year, yuan/t.
    func unitCost(_ f: Int) -> Double { facilities[f].unitCostYuanPerTonne * costFactor[f] }

    /// The price index the capacity step compares costs with in `year`: last year's clearing price
    /// where the sector has a market, the fixed path otherwise.
    func decisionPrice(_ sector: Sector, year: Int) -> Double {
        policy.sector(sector).market == nil ? policy.sector(sector).priceIndex(in: year) : price[sector.index]
    }

    /// Before the capacity step: depletion, then investment where cost exceeds price at last year's price.
    mutating func open(year: Int, operating: (Int) -> Bool) {
        for f in facilities.indices {
            investment[f] = 0
            let facility = facilities[f]
            guard let m = policy.sector(facility.sector).market, operating(f) else { continue }
            let grown = costFactor[f] * (1 + m.depletionRate)
            var factor = grown
            let tabled = facility.unitCostYuanPerTonne
            if m.costReductionRate > 0 && tabled * grown > facility.priceYuanPerTonne * price[facility.sector.index] {
                factor = min(grown, max(1 - m.costReductionLimit, grown * (1 - m.costReductionRate)))
                investment[f] = m.investmentPaybackYears * (tabled * grown - tabled * factor) * facility.capacity10ktPerYear * 10_000
            }
            costFactor[f] = factor
        }
    }

    /// After the capacity step: clears every market on the capacity operating now; returns the
    /// year as the finance model books it.
    mutating func clear(yearIndex y: Int, year: Int, operating: (Int) -> Bool) -> ReferenceMarketYear {
        let Q = Sector.allCases.count
        var booked = ReferenceMarketYear(priceIndex: [Double](repeating: 0, count: Q), utilisation: [Double](repeating: 0, count: Q),
                                         unitCost: facilities.indices.map(unitCost), investment: investment)
        for sector in Sector.allCases {
            let sp = policy.sector(sector), r = y * Q + sector.index
            guard let m = sp.market else {
                booked.priceIndex[sector.index] = sp.priceIndex(in: year)
                booked.utilisation[sector.index] = sp.utilisation(in: year)
                continue
            }
            var capacity = 0.0
            for (f, facility) in facilities.enumerated() where facility.sector == sector && operating(f) {
                capacity += facility.capacity10ktPerYear
            }
            let demand = m.demand(in: year)
            var p = m.priceIndexCap, u = 0.0
            if capacity > 0 {
                p = min(m.priceIndexCap, max(m.priceIndexFloor, m.referencePriceIndex
                        * Double.pow(demand / (m.referenceUtilisation * capacity), 1 / m.elasticity)))
                u = min(m.utilisationCeiling, demand / capacity)
            }
            price[sector.index] = p
            booked.priceIndex[sector.index] = p
            booked.utilisation[sector.index] = u
            result.priceIndex[r] = p
            result.utilisation[r] = u
            result.demand10kt[r] = demand
            result.capacity10kt[r] = capacity
            for (f, facility) in facilities.enumerated() where facility.sector == sector {
                result.investmentYuan[r] += investment[f]
            }
        }
        return booked
    }
}
