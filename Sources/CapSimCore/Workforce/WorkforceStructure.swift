/// Sex of a worker: the legal retirement age differs by sex (and job type, as a parameter).
public enum Sex: String, CaseIterable, Sendable {
    case male, female

    /// Position in `allCases`.
    public var index: Int { self == .male ? 0 : 1 }
}

/// Age bands and retirement ages shared by every sector of a scenario.
///
/// A worker cohort cell is one (sex, age band). Band `k` covers ages `[edges[k], edges[k+1])`.
public struct WorkforceStructure: Sendable, Equatable {
    /// Increasing band edges, years of age; `K + 1` edges make `K` bands.
    public var ageBandEdges: [Double]
    /// Legal retirement age per sex, years; each must be one of `ageBandEdges`, so that a band
    /// ends exactly where retirement begins.
    public var retirementAge: [Sex: Double]
    /// Age at which years of service start counting (severance is one month's wage per year).
    public var careerStartAge: Double

    /// Creates a structure; edges must increase and retirement ages must be edges.
    public init(ageBandEdges: [Double], retirementAge: [Sex: Double], careerStartAge: Double) {
        precondition(ageBandEdges.count >= 2, "at least one age band")
        precondition(zip(ageBandEdges, ageBandEdges.dropFirst()).allSatisfy { $0 < $1 }, "band edges must increase")
        precondition(Sex.allCases.allSatisfy { retirementAge[$0].map(ageBandEdges.contains) ?? false },
                     "each retirement age must be a band edge")
        self.ageBandEdges = ageBandEdges
        self.retirementAge = retirementAge
        self.careerStartAge = careerStartAge
    }

    /// Number of age bands.
    public var bandCount: Int { ageBandEdges.count - 1 }
    /// Number of cohort cells: sexes × bands.
    public var cellCount: Int { Sex.allCases.count * bandCount }

    /// Index of the cell (sex, band).
    @inlinable
    public func cell(_ sex: Sex, _ band: Int) -> Int { sex.index * bandCount + band }

    /// Width of band `k`, years.
    public func width(_ k: Int) -> Double { ageBandEdges[k + 1] - ageBandEdges[k] }

    /// Mid-point age of band `k`, years.
    public func midAge(_ k: Int) -> Double { (ageBandEdges[k] + ageBandEdges[k + 1]) / 2 }

    /// Years of service at the band's mid-point: `max(0, midAge − careerStartAge)`.
    public func serviceYears(_ k: Int) -> Double { max(0, midAge(k) - careerStartAge) }

    /// Whether band `k` lies at or past the retirement age of `sex`.
    public func isPastRetirement(_ sex: Sex, _ k: Int) -> Bool { ageBandEdges[k] >= retirementAge[sex]! }

    /// Share of the people in (sex, band k) who are within `years` of their retirement age, that is
    /// aged in `[R − years, R)`, assuming ages are spread evenly within the band:
    /// `|[a, b) ∩ [R − years, R)| / (b − a)`.
    public func shareWithin(_ years: Double, ofRetirement sex: Sex, band k: Int) -> Double {
        let r = retirementAge[sex]!
        let a = ageBandEdges[k], b = ageBandEdges[k + 1]
        let overlap = min(b, r) - max(a, r - years)
        return max(0, overlap) / (b - a)
    }
}

/// The workforce of one sector, used to split a facility's headcount into cohort cells.
public struct SectorWorkforce: Sendable, Equatable {
    /// Share of the workforce that is female, in [0, 1].
    public var femaleShare: Double
    /// Age profile per sex: one share per band, summing to 1; bands at or past the sex's
    /// retirement age must be 0.
    public var ageShares: [Sex: [Double]]
    /// Average wage, yuan per worker per year.
    public var wageYuanPerYear: Double
    /// Months of wages in arrears at closure, paid before the unit closes (欠发工资).
    public var wageArrearsMonths: Double

    /// Creates a sector workforce profile.
    public init(femaleShare: Double, ageShares: [Sex: [Double]], wageYuanPerYear: Double,
                wageArrearsMonths: Double = 0) {
        self.femaleShare = femaleShare
        self.ageShares = ageShares
        self.wageYuanPerYear = wageYuanPerYear
        self.wageArrearsMonths = wageArrearsMonths
    }

    /// `workers` split into cohort cells: `workers × share(sex) × ageShares[sex][band]`.
    public func cells(workers: Double, structure: WorkforceStructure) -> [Double] {
        var out = [Double](repeating: 0, count: structure.cellCount)
        for sex in Sex.allCases {
            let sexShare = sex == .female ? femaleShare : 1 - femaleShare
            let shares = ageShares[sex]!
            for k in 0..<structure.bandCount { out[structure.cell(sex, k)] = workers * sexShare * shares[k] }
        }
        return out
    }
}
