import CapSimCore
import Numerics
import Testing

// Helpers for the worker-resettlement tests (docs/MODEL.md §7). Everything lives in `WF` so the
// names cannot collide with the shared fixtures in Fixtures.swift.

enum WF {
    // MARK: structures

    /// Five bands [20,30) [30,40) [40,50) [50,55) [55,60); men retire at 60, women at 50, so the
    /// women's bands [50,55) and [55,60) are past retirement. Service counts from age 20.
    static let structure = WorkforceStructure(ageBandEdges: [20, 30, 40, 50, 55, 60],
                                              retirementAge: [.male: 60, .female: 50], careerStartAge: 20)

    /// Seven bands of unequal width with a band past retirement for both sexes (men [60,65),
    /// women [50,55) [55,60) [60,65)).
    static let wide = WorkforceStructure(ageBandEdges: [16, 25, 35, 45, 50, 55, 60, 65],
                                         retirementAge: [.male: 60, .female: 50], careerStartAge: 18)

    /// Men retire at the last edge (no band past retirement), women at 55; single-year and 15-year bands.
    static let uneven = WorkforceStructure(ageBandEdges: [18, 33, 45, 54, 55, 58, 59, 60],
                                           retirementAge: [.male: 60, .female: 55], careerStartAge: 16)

    // MARK: rates

    static func rates(trainingYears: Double = 1, success: Double = 0.6, reemployment: Double = 0.3,
                      exit: Double = 0.05, jobLoss: Double = 0.02, publicWelfareYears: Double = 3) -> TransitionRates {
        TransitionRates(trainingYears: trainingYears, trainingSuccessShare: success, reemploymentRate: reemployment,
                        labourForceExitRate: exit, jobLossRate: jobLoss, publicWelfareYears: publicWelfareYears)
    }

    /// Random rates with `reemployment + exit ≤ 1`; training and public-welfare years on both
    /// sides of 1 (so `min(1, 1/years)` is exercised).
    static func randomRates(_ rng: inout RNG) -> TransitionRates {
        let reemployment = rng.uniform(0...0.9)
        return rates(trainingYears: rng.uniform(0.5...4), success: rng.uniform(0...1), reemployment: reemployment,
                     exit: rng.uniform(0...(1 - reemployment)), jobLoss: rng.uniform(0...0.3),
                     publicWelfareYears: rng.uniform(0.5...5))
    }

    // MARK: reference transition (plain loops, from the tables of docs/MODEL.md §7.3)

    /// One year of transitions applied to a stock vector (index `state × cellCount + cell`):
    /// first the state moves within each cell (table P), then ageing (A).
    static func referenceStep(_ st: WorkforceStructure, _ r: TransitionRates, _ x: [Double]) -> [Double] {
        let bands = st.bandCount, cells = 2 * bands
        func at(_ s: WorkerState, _ sex: Sex, _ k: Int) -> Int {
            let order: [WorkerState] = [.waiting, .inTraining, .reemployed, .publicWelfare, .unemployed,
                                        .internallyRetired, .retired, .outOfLabourForce]
            return order.firstIndex(of: s)! * cells + (sex == .male ? 0 : bands) + k
        }
        // P: within-cell moves.
        var y = [Double](repeating: 0, count: x.count)
        let finish = min(1, 1 / r.trainingYears)
        let leaveWelfare = min(1, 1 / r.publicWelfareYears)
        for sex in [Sex.male, .female] {
            for k in 0..<bands {
                func v(_ s: WorkerState) -> Double { x[at(s, sex, k)] }
                func put(_ s: WorkerState, _ a: Double) { y[at(s, sex, k)] += a }
                put(.waiting, v(.waiting))
                let trainees = v(.inTraining)
                put(.reemployed, trainees * finish * r.trainingSuccessShare)
                put(.unemployed, trainees * finish * (1 - r.trainingSuccessShare))
                put(.inTraining, trainees * (1 - finish))
                let employed = v(.reemployed)
                put(.unemployed, employed * r.jobLossRate)
                put(.reemployed, employed * (1 - r.jobLossRate))
                let welfare = v(.publicWelfare)
                put(.unemployed, welfare * leaveWelfare)
                put(.publicWelfare, welfare * (1 - leaveWelfare))
                let jobless = v(.unemployed)
                put(.reemployed, jobless * r.reemploymentRate)
                put(.outOfLabourForce, jobless * r.labourForceExitRate)
                put(.unemployed, jobless * (1 - r.reemploymentRate - r.labourForceExitRate))
                put(.internallyRetired, v(.internallyRetired))
                put(.retired, v(.retired))
                put(.outOfLabourForce, v(.outOfLabourForce))
            }
        }
        // A: ageing, 1/width of a band up one band, or into retired when the band ends at R.
        var z = [Double](repeating: 0, count: x.count)
        for s in WorkerState.allCases {
            for sex in [Sex.male, .female] {
                let retirement = st.retirementAge[sex]!
                for k in 0..<bands {
                    let a = y[at(s, sex, k)]
                    let lo = st.ageBandEdges[k], hi = st.ageBandEdges[k + 1]
                    if s == .retired || lo >= retirement {
                        z[at(s, sex, k)] += a
                        continue
                    }
                    let up = a / (hi - lo)
                    z[at(s, sex, k)] += a - up
                    if hi == retirement { z[at(.retired, sex, k)] += up } else { z[at(s, sex, k + 1)] += up }
                }
            }
        }
        return z
    }

    // MARK: engine runs

    static let baseYear = 2015
    static let endYear = 2018

    /// A facility with the given headcount; coal mines have 50 years of reserve.
    static func facility(_ id: String, _ kind: FacilityKind = .coalMine, workers: Int, capacity: Double = 10,
                         size: Double = 100, startYear: Int = 2000) -> Facility {
        Facility(id: id, name: "unit \(id)", kind: kind, enterprise: "ent", owner: .state, region: "north",
                 capacity10ktPerYear: capacity, size: size, startYear: startYear,
                 reserveYears: kind == .coalMine ? 50 : nil, unitCostYuanPerTonne: 100, priceYuanPerTonne: 100,
                 logisticsKm: 100, workers: workers)
    }

    /// A rule closing the named units in `year`.
    static func close(_ ids: [String], in year: Int) -> ClosureRule {
        ClosureRule(id: "close\(year)-\(ids.joined(separator: "-"))", sector: nil, criterion: .named,
                    years: year...year, namedFacilities: ids)
    }

    /// Pension 0.2, medical 0.08, unemployment 0.03 until 2015 then 0.02, maternity 0.01 until
    /// 2017 (its first listed year; earlier years use it too) then 0.005, work injury 0.01.
    /// Total: 0.33 in 2015, 0.32 in 2016 and 2017, 0.315 from 2018.
    static let insurance = SocialInsuranceRates(
        pension: SteppedRate(0.2), medical: SteppedRate(0.08),
        unemployment: SteppedRate(fromYear: [2015: 0.03, 2016: 0.02]),
        maternity: SteppedRate(fromYear: [2017: 0.01, 2018: 0.005]), workInjury: SteppedRate(0.01))

    /// Coal: 20 % women; wage 60 000; 2 months in arrears.
    static let coalProfile = SectorWorkforce(
        femaleShare: 0.2, ageShares: [.male: [0.2, 0.3, 0.3, 0.1, 0.1], .female: [0.25, 0.25, 0.5, 0, 0]],
        wageYuanPerYear: 60000, wageArrearsMonths: 2)
    /// Iron: 25 % women; wage 50 000; 1 month in arrears.
    static let ironProfile = SectorWorkforce(
        femaleShare: 0.25, ageShares: [.male: [0.25, 0.25, 0.25, 0.25, 0], .female: [0.5, 0.5, 0, 0, 0]],
        wageYuanPerYear: 50000, wageArrearsMonths: 1)

    /// Runs a batch from `baseYear` to `endYear`.
    static func run(_ facilities: [Facility], _ policies: [Policy], endYear: Int = endYear) -> BatchResult {
        Engine.run(ScenarioBatch(facilities: facilities, baseYear: baseYear, endYear: endYear,
                                 scenarioNames: policies.indices.map { "s\($0)" }, policies: policies))
    }

    /// A resettlement value, NaN (so any comparison fails) when it is not reported.
    static func value(_ r: BatchResult, _ name: String, _ sector: Sector, _ year: Int, scenario: Int = 0) -> Double {
        r.resettlement?.value(name, sector: sector, year: year, scenario: scenario) ?? .nan
    }

    // MARK: comparisons

    /// Records an issue unless `got` equals `want` within `abs` or a relative `rel`.
    static func near(_ got: Double, _ want: Double, abs: Double = 1e-9, rel: Double = 1e-12,
                     _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.isApproximatelyEqual(to: want, absoluteTolerance: abs, relativeTolerance: rel),
                "\(what): got \(got), want \(want)", sourceLocation: sourceLocation)
    }

    // MARK: randomness

    /// The core's SplitMix64, so failures reproduce from the seed.
    typealias RNG = SplitMix64
}

extension SplitMix64 {
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
