/// Per year, enterprise and scenario: the accounts and the debt levers' effects (docs/MODEL.md §8).
public struct FinanceResult: Sendable {
    /// Enterprises, in table order.
    public var enterprises: [Enterprise]
    /// Each enterprise's main sector: the sector of most of its base capacity.
    public var mainSector: [Sector]
    /// Reported years, base year first.
    public var years: [Int]
    /// Number of scenarios.
    public var scenarioCount: Int
    /// Values, index `((year × enterprises + enterprise) × metrics + metric) × scenarios + scenario`.
    public var values: [Double]

    init(enterprises: [Enterprise], mainSector: [Sector], years: [Int], scenarioCount: Int) {
        self.enterprises = enterprises
        self.mainSector = mainSector
        self.years = years
        self.scenarioCount = scenarioCount
        values = [Double](repeating: 0, count: years.count * enterprises.count * FinanceMetric.allCases.count * scenarioCount)
    }

    @inline(__always)
    func offset(_ y: Int, _ e: Int, _ m: FinanceMetric, _ s: Int) -> Int {
        ((y * enterprises.count + e) * FinanceMetric.allCases.count + m.index) * scenarioCount + s
    }

    /// One enterprise's value by indices.
    public func value(_ metric: FinanceMetric, yearIndex y: Int, enterprise e: Int, scenario s: Int) -> Double {
        values[offset(y, e, metric, s)]
    }

    mutating func add(_ v: Double, _ metric: FinanceMetric, yearIndex y: Int, enterprise e: Int, scenario s: Int) {
        values[offset(y, e, metric, s)] += v
    }

    mutating func set(_ v: Double, _ metric: FinanceMetric, yearIndex y: Int, enterprise e: Int, scenario s: Int) {
        values[offset(y, e, metric, s)] = v
    }

    /// Sum of `metric` over the enterprises whose main sector is `sector` (any if nil) and whose
    /// owner type is `owner` (any if nil).
    public func total(_ metric: FinanceMetric, sector: Sector?, owner: OwnerType?, yearIndex y: Int, scenario s: Int) -> Double {
        var sum = 0.0
        for e in enterprises.indices where (sector == nil || mainSector[e] == sector)
            && (owner == nil || enterprises[e].owner == owner) {
            sum += value(metric, yearIndex: y, enterprise: e, scenario: s)
        }
        return sum
    }

    /// Every metric summed per (main sector, owner type) and per main sector over both owner types
    /// (owner nil), in one pass over the enterprises; each sum runs in enterprise order, as `total`.
    public func groupTotals(yearIndex y: Int, scenario s: Int) -> [Sector: [OwnerType?: [Double]]] {
        var out: [Sector: [OwnerType?: [Double]]] = [:]
        let zero = [Double](repeating: 0, count: FinanceMetric.allCases.count)
        for e in enterprises.indices {
            let sector = mainSector[e]
            for owner in [nil, enterprises[e].owner] as [OwnerType?] {
                var sums = out[sector, default: [:]][owner] ?? zero
                for metric in FinanceMetric.allCases {
                    sums[metric.index] += value(metric, yearIndex: y, enterprise: e, scenario: s)
                }
                out[sector, default: [:]][owner] = sums
            }
        }
        return out
    }

    /// Debt over assets of a group at the end of the year; 0 when it has no assets.
    public func debtToAssets(sector: Sector?, owner: OwnerType?, yearIndex y: Int, scenario s: Int) -> Double {
        let assets = total(.assets, sector: sector, owner: owner, yearIndex: y, scenario: s)
        return assets > 0 ? total(.debt, sector: sector, owner: owner, yearIndex: y, scenario: s) / assets : 0
    }

    /// Checks, for every enterprise, year and scenario, the debt identity
    /// `opening + new borrowing + interest capitalised − repaid − swapped − stripped − written off
    /// + merged in − merged out = closing`, that closing debt is the sum of the classes, and that
    /// equity = assets − debt, each within `toleranceYuan`. Returns each violation.
    ///
    /// The residuals are computed straight from `values`; text is built only for a violation.
    public func identityViolations(toleranceYuan: Double = 1) -> [String] {
        var found: [String] = []
        let S = scenarioCount, M = FinanceMetric.allCases.count
        for y in years.indices {
            for e in enterprises.indices {
                let cell = (y * enterprises.count + e) * M * S
                for s in 0..<S {
                    @inline(__always) func v(_ m: FinanceMetric) -> Double { values[cell + m.index * S + s] }
                    let closing = v(.debt)
                    let expected = v(.debtOpening) + v(.newBorrowing) + v(.interestCapitalised) - v(.repaid)
                        - v(.swapped) - v(.strippedDebt) - v(.writtenOff) + v(.mergedIn) - v(.mergedOut)
                    var classes = 0.0
                    for c in CreditorClass.allCases { classes += v(.debtByClass(c)) }
                    let equityResidual = v(.assets) - closing - v(.equity)
                    // NaN fails every comparison, so it is reported too.
                    if abs(expected - closing) <= toleranceYuan && abs(classes - closing) <= toleranceYuan
                        && abs(equityResidual) <= toleranceYuan { continue }
                    let label = "scenario \(s) \(enterprises[e].id) \(years[y])"
                    if !(abs(expected - closing) <= toleranceYuan) {
                        found.append("\(label): debt identity gives \(expected), closing debt is \(closing)")
                    }
                    if !(abs(classes - closing) <= toleranceYuan) {
                        found.append("\(label): classes sum to \(classes), debt is \(closing)")
                    }
                    if !(abs(equityResidual) <= toleranceYuan) {
                        found.append("\(label): assets − debt ≠ equity")
                    }
                }
            }
        }
        return found
    }
}
