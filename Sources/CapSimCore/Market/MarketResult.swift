/// What the markets did: per reported year, sector and scenario (docs/MODEL.md §2.7).
///
/// Every array is `[(y · Q + σ) · S + s]` with `Q = Sector.allCases.count`, `σ = Sector.index`,
/// `y` a year index (0 = base year). Where a sector has no market in a scenario, `isOn` is false
/// and its figures are 0 (its price and utilisation are the scenario's fixed paths).
public struct MarketResult: Sendable, Equatable {
    /// Scenarios in the result.
    public var scenarioCount: Int
    /// Reported years, base year first.
    public var years: [Int]
    /// `[σ · S + s]`: whether the sector's market is on in the scenario.
    public var isOn: [Bool]
    /// Clearing price index of the year (multiplier on tabled prices), what revenue is booked at.
    public var priceIndex: [Double]
    /// Share of operating capacity producing in the year.
    public var utilisation: [Double]
    /// Output needed, 10 kt.
    public var demand10kt: [Double]
    /// Operating capacity at the end of the year, 10 kt/yr.
    public var capacity10kt: [Double]
    /// Cost-reduction investment made in the year, yuan.
    public var investmentYuan: [Double]

    /// Creates an empty result for `scenarioCount` scenarios over `years`.
    public init(scenarioCount: Int, years: [Int]) {
        let n = years.count * Sector.allCases.count * scenarioCount
        self.scenarioCount = scenarioCount
        self.years = years
        isOn = [Bool](repeating: false, count: Sector.allCases.count * scenarioCount)
        priceIndex = [Double](repeating: 0, count: n)
        utilisation = priceIndex
        demand10kt = priceIndex
        capacity10kt = priceIndex
        investmentYuan = priceIndex
    }

    @inline(__always) func at(_ y: Int, _ sector: Sector, _ s: Int) -> Int {
        (y * Sector.allCases.count + sector.index) * scenarioCount + s
    }

    /// The clearing price index of `sector` in `year` and `scenario`.
    public func priceIndex(_ sector: Sector, year: Int, scenario: Int = 0) -> Double {
        priceIndex[at(yearIndex(year), sector, scenario)]
    }

    /// The utilisation of `sector` in `year` and `scenario`.
    public func utilisation(_ sector: Sector, year: Int, scenario: Int = 0) -> Double {
        utilisation[at(yearIndex(year), sector, scenario)]
    }

    /// The cost-reduction investment in `sector` in `year` and `scenario`, yuan.
    public func investment(_ sector: Sector, year: Int, scenario: Int = 0) -> Double {
        investmentYuan[at(yearIndex(year), sector, scenario)]
    }

    /// Whether `sector` has a market in `scenario`.
    public func isOn(_ sector: Sector, scenario: Int = 0) -> Bool { isOn[sector.index * scenarioCount + scenario] }

    private func yearIndex(_ year: Int) -> Int {
        guard let y = years.firstIndex(of: year) else { preconditionFailure("no market result for \(year)") }
        return y
    }

    /// The parts' scenarios one after the other (results of batch slices, in order).
    static func joined(_ parts: [MarketResult]) -> MarketResult {
        let years = parts[0].years, Q = Sector.allCases.count
        var out = MarketResult(scenarioCount: parts.reduce(0) { $0 + $1.scenarioCount }, years: years)
        var offset = 0
        for part in parts {
            let P = part.scenarioCount, S = out.scenarioCount
            for σ in 0..<Q { for s in 0..<P { out.isOn[σ * S + offset + s] = part.isOn[σ * P + s] } }
            for y in years.indices {
                for σ in 0..<Q {
                    for s in 0..<P {
                        let i = (y * Q + σ) * P + s, o = (y * Q + σ) * S + offset + s
                        out.priceIndex[o] = part.priceIndex[i]
                        out.utilisation[o] = part.utilisation[i]
                        out.demand10kt[o] = part.demand10kt[i]
                        out.capacity10kt[o] = part.capacity10kt[i]
                        out.investmentYuan[o] = part.investmentYuan[i]
                    }
                }
            }
            offset += P
        }
        return out
    }
}
