import CapSimCore
import LinearAlgebra
import Numerics
import Testing

/// The yearly operator T = A·P on worker stocks (docs/MODEL.md §7.3).
@Suite struct TransitionMatrixTests {
    /// Row index in the stock vector of `WF.structure` (10 cells).
    func row(_ state: WorkerState, _ sex: Sex, _ band: Int, _ st: WorkforceStructure = WF.structure) -> Int {
        TransitionMatrix.index(state, cell: st.cell(sex, band), st)
    }

    /// Non-zero entries of column `j`, keyed by row.
    func column(_ t: Matrix, _ j: Int) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for i in 0..<t.rowCount where t[i, j] != 0 { out[i] = t[i, j] }
        return out
    }

    /// Records an issue unless column `j` of `t` is exactly the expected entries (to 1e-15).
    func expectColumn(_ t: Matrix, _ j: Int, _ want: [Int: Double], _ what: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let got = column(t, j)
        #expect(Set(got.keys) == Set(want.keys), "\(what): rows \(got.keys.sorted()) vs \(want.keys.sorted())",
                sourceLocation: sourceLocation)
        for (i, w) in want {
            let g = got[i] ?? 0
            #expect(abs(g - w) <= 1e-15, "\(what): row \(i) is \(g), want \(w)", sourceLocation: sourceLocation)
        }
    }

    @Test func sizeAndIndexAreStateMajor() {
        let st = WF.structure
        #expect(TransitionMatrix.size(st) == 80)
        #expect(TransitionMatrix.size(WF.wide) == 8 * 14)
        #expect(TransitionMatrix.index(.waiting, cell: 0, st) == 0)
        #expect(TransitionMatrix.index(.inTraining, cell: 0, st) == 10)
        #expect(TransitionMatrix.index(.retired, cell: 7, st) == 6 * 10 + 7)
        #expect(TransitionMatrix.index(.outOfLabourForce, cell: 9, st) == 79)
        #expect(WorkerState.allCases.map(\.index) == Array(0..<8))
        #expect(WorkerState.allCases.map(\.rawValue) == [
            "waiting", "in_training", "reemployed", "public_welfare", "unemployed",
            "internally_retired", "retired", "out_of_labour_force",
        ])
    }

    @Test func stateMovesFollowTheTable() {
        let p = TransitionMatrix.stateMoves(WF.rates(trainingYears: 2, success: 0.5, reemployment: 0.3, exit: 0.1,
                                                     jobLoss: 0.04, publicWelfareYears: 4))
        let w = WorkerState.waiting.index, t = WorkerState.inTraining.index, e = WorkerState.reemployed.index
        let pw = WorkerState.publicWelfare.index, u = WorkerState.unemployed.index
        let ir = WorkerState.internallyRetired.index, r = WorkerState.retired.index
        let olf = WorkerState.outOfLabourForce.index
        for row in p { #expect(abs(row.reduce(0, +) - 1) < 1e-15) }
        #expect(p[w][w] == 1 && p[ir][ir] == 1 && p[r][r] == 1 && p[olf][olf] == 1)
        // Training: half finish in a year; of those half find work.
        #expect(p[t][t] == 0.5 && p[t][e] == 0.25 && p[t][u] == 0.25)
        #expect(abs(p[e][e] - 0.96) < 1e-15 && p[e][u] == 0.04)
        #expect(p[pw][pw] == 0.75 && p[pw][u] == 0.25)
        #expect(abs(p[u][u] - 0.6) < 1e-15 && p[u][e] == 0.3 && p[u][olf] == 0.1)
        // Everything else is zero.
        let nonZero = p.map { $0.filter { $0 != 0 }.count }
        #expect(nonZero == [1, 3, 2, 2, 3, 1, 1, 1])
    }

    @Test func shortTrainingAndWelfareFinishWithinTheYear() {
        // trainingYears 0.5 and publicWelfareYears 0.25: min(1, 1/years) = 1, not 2 or 4.
        let p = TransitionMatrix.stateMoves(WF.rates(trainingYears: 0.5, success: 0.7, publicWelfareYears: 0.25))
        let t = WorkerState.inTraining.index, pw = WorkerState.publicWelfare.index
        #expect(abs(p[t][t]) < 1e-15)
        #expect(p[t][WorkerState.reemployed.index] == 0.7)
        #expect(abs(p[t][WorkerState.unemployed.index] - 0.3) < 1e-15)
        #expect(p[pw][pw] == 0 && p[pw][WorkerState.unemployed.index] == 1)
    }

    @Test(arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
    func columnsSumToOne(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        for st in [WF.structure, WF.wide, WF.uneven] {
            let rates = WF.randomRates(&rng)
            let t = TransitionMatrix.build(st, rates)
            let n = TransitionMatrix.size(st)
            #expect(t.rowCount == n && t.columnCount == n)
            for j in 0..<n {
                let sum = (0..<n).reduce(0.0) { $0 + t[$1, j] }
                #expect(abs(sum - 1) <= 1e-12, "column \(j) sums to \(sum) (\(rates))")
                #expect((0..<n).allSatisfy { t[$0, j] >= -1e-15 }, "column \(j) has a negative entry")
            }
        }
    }

    @Test(arguments: [21, 22, 23, 24, 25] as [UInt64])
    func productEqualsThePlainLoopReference(seed: UInt64) {
        var rng = WF.RNG(seed: seed)
        for st in [WF.structure, WF.wide, WF.uneven] {
            let rates = WF.randomRates(&rng)
            let n = TransitionMatrix.size(st)
            let columns = 7
            // Random stocks in every state and cell, including cells past retirement.
            let x = (0..<(n * columns)).map { _ in rng.chance(0.2) ? 0 : rng.uniform(0...1000) }
            let stocks = Matrix(rowCount: n, columnCount: columns, columnMajor: x)
            let moved = Matrix.product(TransitionMatrix.build(st, rates), stocks)
            for c in 0..<columns {
                let before = Array(x[(c * n)..<((c + 1) * n)])
                let want = WF.referenceStep(st, rates, before)
                for i in 0..<n {
                    #expect(moved[i, c].isApproximatelyEqual(to: want[i], absoluteTolerance: 1e-12, relativeTolerance: 1e-12),
                            "edges \(st.ageBandEdges) row \(i) col \(c): \(moved[i, c]) vs \(want[i])")
                }
                let total = before.reduce(0, +)
                #expect(abs((0..<n).reduce(0.0) { $0 + moved[$1, c] } - total) <= 1e-12 * total)
            }
        }
    }

    @Test func trainingColumnsHandChecked() {
        // Training 2 years, success 0.5: half finish, 0.25 to reemployed, 0.25 to unemployed, 0.5 stay.
        // Then ageing: [20,30) is 10 wide, so 1/10 of each moves up to [30,40).
        let t = TransitionMatrix.build(WF.structure, WF.rates(trainingYears: 2, success: 0.5, reemployment: 0,
                                                              exit: 0, jobLoss: 0, publicWelfareYears: 1))
        expectColumn(t, row(.inTraining, .male, 0), [
            row(.inTraining, .male, 0): 0.45, row(.inTraining, .male, 1): 0.05,
            row(.reemployed, .male, 0): 0.225, row(.reemployed, .male, 1): 0.025,
            row(.unemployed, .male, 0): 0.225, row(.unemployed, .male, 1): 0.025,
        ], "trainees, men 20-30")
        // Men [55,60) is 5 wide and ends at 60: 1/5 of every state retires (same cell).
        expectColumn(t, row(.inTraining, .male, 4), [
            row(.inTraining, .male, 4): 0.4, row(.reemployed, .male, 4): 0.2, row(.unemployed, .male, 4): 0.2,
            row(.retired, .male, 4): 0.1 + 0.05 + 0.05,
        ], "trainees, men 55-60")
        // Women [40,50) ends at their retirement age 50: 1/10 retires.
        expectColumn(t, row(.inTraining, .female, 2), [
            row(.inTraining, .female, 2): 0.45, row(.reemployed, .female, 2): 0.225,
            row(.unemployed, .female, 2): 0.225, row(.retired, .female, 2): 0.1,
        ], "trainees, women 40-50")
        // Men [50,55) is 5 wide: 1/5 up to [55,60).
        expectColumn(t, row(.inTraining, .male, 3), [
            row(.inTraining, .male, 3): 0.4, row(.inTraining, .male, 4): 0.1,
            row(.reemployed, .male, 3): 0.2, row(.reemployed, .male, 4): 0.05,
            row(.unemployed, .male, 3): 0.2, row(.unemployed, .male, 4): 0.05,
        ], "trainees, men 50-55")
    }

    @Test func unemployedWelfareAndEmployedColumnsHandChecked() {
        let t = TransitionMatrix.build(WF.structure, WF.rates(trainingYears: 1, success: 1, reemployment: 0.3,
                                                              exit: 0.1, jobLoss: 0.05, publicWelfareYears: 4))
        // Unemployed men [30,40): 0.6 stay, 0.3 reemployed, 0.1 out; then 1/10 up.
        expectColumn(t, row(.unemployed, .male, 1), [
            row(.unemployed, .male, 1): 0.54, row(.unemployed, .male, 2): 0.06,
            row(.reemployed, .male, 1): 0.27, row(.reemployed, .male, 2): 0.03,
            row(.outOfLabourForce, .male, 1): 0.09, row(.outOfLabourForce, .male, 2): 0.01,
        ], "unemployed, men 30-40")
        // Public welfare women [20,30): 1/4 leave to unemployed.
        expectColumn(t, row(.publicWelfare, .female, 0), [
            row(.publicWelfare, .female, 0): 0.675, row(.publicWelfare, .female, 1): 0.075,
            row(.unemployed, .female, 0): 0.225, row(.unemployed, .female, 1): 0.025,
        ], "public welfare, women 20-30")
        // Reemployed men [55,60): 5 % lose the job; 1/5 of everyone retires.
        expectColumn(t, row(.reemployed, .male, 4), [
            row(.reemployed, .male, 4): 0.76, row(.unemployed, .male, 4): 0.04, row(.retired, .male, 4): 0.2,
        ], "reemployed, men 55-60")
        // Training with trainingYears 1, success 1: everyone finishes and finds work.
        expectColumn(t, row(.inTraining, .male, 0), [
            row(.reemployed, .male, 0): 0.9, row(.reemployed, .male, 1): 0.1,
        ], "trainees, men 20-30")
    }

    @Test func retiredAndPastRetirementCellsDoNotAge() {
        let t = TransitionMatrix.build(WF.wide, WF.rates())
        let st = WF.wide
        func r(_ s: WorkerState, _ x: Sex, _ k: Int) -> Int { row(s, x, k, st) }
        // Retired stays in its cell, whatever the band.
        for sex in Sex.allCases {
            for k in 0..<st.bandCount {
                expectColumn(t, r(.retired, sex, k), [r(.retired, sex, k): 1], "retired \(sex) band \(k)")
            }
        }
        // Past retirement (men [60,65), women from 50): state moves only, no ageing.
        for (sex, k) in [(Sex.male, 6), (.female, 4), (.female, 5), (.female, 6)] {
            expectColumn(t, r(.waiting, sex, k), [r(.waiting, sex, k): 1], "waiting \(sex) band \(k)")
            expectColumn(t, r(.internallyRetired, sex, k), [r(.internallyRetired, sex, k): 1], "internal \(sex) \(k)")
            expectColumn(t, r(.reemployed, sex, k), [r(.reemployed, sex, k): 0.98, r(.unemployed, sex, k): 0.02],
                         "reemployed \(sex) band \(k)")
        }
        // Internal retirees age like everyone else: women [45,50) (5 wide) retire at 1/5 a year,
        // men [50,55) move 1/5 up to [55,60).
        expectColumn(t, r(.internallyRetired, .female, 3), [
            r(.internallyRetired, .female, 3): 0.8, r(.retired, .female, 3): 0.2,
        ], "internal, women 45-50")
        expectColumn(t, r(.internallyRetired, .male, 4), [
            r(.internallyRetired, .male, 4): 0.8, r(.internallyRetired, .male, 5): 0.2,
        ], "internal, men 50-55")
        // Waiting men [16,25) is 9 wide.
        expectColumn(t, r(.waiting, .male, 0), [r(.waiting, .male, 0): 1 - 1.0 / 9, r(.waiting, .male, 1): 1.0 / 9],
                     "waiting, men 16-25")
    }

    @Test func oneBandYearsRetireEveryoneInAYear() {
        // uneven: men [59,60) is one year wide and ends at 60, women [54,55) ends at 55.
        let st = WF.uneven
        let t = TransitionMatrix.build(st, WF.rates(jobLoss: 0))
        expectColumn(t, row(.reemployed, .male, 6, st), [row(.retired, .male, 6, st): 1], "men 59-60")
        expectColumn(t, row(.waiting, .female, 3, st), [row(.retired, .female, 3, st): 1], "women 54-55")
        // Men [58,59) one wide but not ending at 60: all move up a band.
        expectColumn(t, row(.waiting, .male, 5, st), [row(.waiting, .male, 6, st): 1], "men 58-59")
    }
}
