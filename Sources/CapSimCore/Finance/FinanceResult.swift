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
    /// `opening + new borrowing + interest capitalised − repaid − swapped − stripped + received
    /// − written off + merged in − merged out = closing`, that closing debt is the sum of the classes,
    /// and that equity = assets − debt; then, per scenario and year, the province-wide identity
    /// (docs/MODEL.md §8.5): the province's opening debt is last year's closing debt, and mergers move
    /// debt without creating or destroying any, so debt leaves the province's books only by
    /// repayment, write-off, swap into equity, recovery in bankruptcy, or stripping to no holder.
    /// Returns each violation.
    ///
    /// Tolerance is scale-aware: a residual passes when it is within `toleranceYuan` or within
    /// `relativeTolerance` of the sum of the magnitudes of the terms, so that rounding of very large,
    /// compounded amounts is not reported. The residuals are computed straight from `values`; text is
    /// built only for a violation.
    public func identityViolations(toleranceYuan: Double = 1, relativeTolerance: Double = 1e-9) -> [String] {
        var found: [String] = []
        let S = scenarioCount, M = FinanceMetric.allCases.count
        // NaN fails every comparison, so it is reported too.
        @inline(__always) func holds(_ residual: Double, _ scale: Double) -> Bool {
            abs(residual) <= max(toleranceYuan, relativeTolerance * scale)
        }
        for y in years.indices {
            for e in enterprises.indices {
                let cell = (y * enterprises.count + e) * M * S
                for s in 0..<S {
                    @inline(__always) func v(_ m: FinanceMetric) -> Double { values[cell + m.index * S + s] }
                    let closing = v(.debt)
                    let inflow = v(.debtOpening) + v(.newBorrowing) + v(.interestCapitalised) + v(.debtReceived) + v(.mergedIn)
                    let outflow = v(.repaid) + v(.swapped) + v(.strippedDebt) + v(.writtenOff) + v(.mergedOut)
                    let expected = inflow - outflow
                    var classes = 0.0, classScale = 0.0
                    for c in CreditorClass.allCases {
                        classes += v(.debtByClass(c))
                        classScale += abs(v(.debtByClass(c)))
                    }
                    let equityResidual = v(.assets) - closing - v(.equity)
                    let scale = abs(inflow) + abs(outflow) + abs(closing)
                    let equityScale = abs(v(.assets)) + abs(closing) + abs(v(.equity))
                    let identityOK = holds(expected - closing, scale), classesOK = holds(classes - closing, classScale + abs(closing))
                    let equityOK = holds(equityResidual, equityScale)
                    if identityOK && classesOK && equityOK { continue }
                    let label = "scenario \(s) \(enterprises[e].id) \(years[y])"
                    if !identityOK { found.append("\(label): debt identity gives \(expected), closing debt is \(closing)") }
                    if !classesOK { found.append("\(label): classes sum to \(classes), debt is \(closing)") }
                    if !equityOK { found.append("\(label): assets − debt ≠ equity") }
                }
            }
        }
        for s in 0..<S {
            for y in years.indices {
                let flows = provinceDebtFlows(yearIndex: y, scenario: s)
                if y > 0 {
                    let previous = provinceDebtFlows(yearIndex: y - 1, scenario: s).closing
                    if !holds(flows.opening - previous, abs(flows.opening) + abs(previous)) {
                        found.append("scenario \(s) \(years[y]): the province's opening debt \(flows.opening) is not "
                                     + "its closing debt of \(years[y - 1]), \(previous)")
                    }
                }
                if !holds(flows.mergedIn - flows.mergedOut, abs(flows.mergedIn) + abs(flows.mergedOut)) {
                    found.append("scenario \(s) \(years[y]): mergers moved \(flows.mergedOut) yuan of debt out and "
                                 + "\(flows.mergedIn) in")
                }
                if !(flows.received <= flows.stripped + max(toleranceYuan, relativeTolerance * flows.stripped)) {
                    found.append("scenario \(s) \(years[y]): holding entities received \(flows.received) yuan of "
                                 + "stripped debt, more than the \(flows.stripped) stripped")
                }
            }
        }
        return found
    }

    /// The province's debt flows in reported year `y` of scenario `s`: every enterprise and holding
    /// entity summed, in enterprise order (docs/MODEL.md §8.5).
    public struct ProvinceDebtFlows: Sendable, Equatable {
        public var opening = 0.0, borrowed = 0.0, capitalised = 0.0, repaid = 0.0, swapped = 0.0
        public var writtenOff = 0.0, stripped = 0.0, received = 0.0, mergedIn = 0.0, mergedOut = 0.0, closing = 0.0
        /// Stripped debt that no holding entity received: it left the province's books untracked.
        public var strippedToNoHolder: Double { stripped - received }
    }

    /// Sums the debt flows of every enterprise in reported year `y` of scenario `s`.
    public func provinceDebtFlows(yearIndex y: Int, scenario s: Int) -> ProvinceDebtFlows {
        var f = ProvinceDebtFlows()
        for e in enterprises.indices {
            func v(_ m: FinanceMetric) -> Double { value(m, yearIndex: y, enterprise: e, scenario: s) }
            f.opening += v(.debtOpening)
            f.borrowed += v(.newBorrowing)
            f.capitalised += v(.interestCapitalised)
            f.repaid += v(.repaid)
            f.swapped += v(.swapped)
            f.writtenOff += v(.writtenOff)
            f.stripped += v(.strippedDebt)
            f.received += v(.debtReceived)
            f.mergedIn += v(.mergedIn)
            f.mergedOut += v(.mergedOut)
            f.closing += v(.debt)
        }
        return f
    }
}
