import LinearAlgebra

/// The yearly operator on worker stocks: state changes, then ageing (docs/MODEL.md §7.3).
///
/// Stocks are a vector over (state, sex, age band), index `state × cellCount + cell`. One year moves
/// stocks `x` to `T · x`, where `T = A · P`: `P` moves people between states within their cell,
/// `A` moves `1 / width` of each band up one band, or into `retired` when the band ends at the
/// sex's retirement age. `T` is column-stochastic: it moves people, never creates or loses them.
public enum TransitionMatrix {
    /// Number of rows (and columns) of `T` for a structure.
    public static func size(_ structure: WorkforceStructure) -> Int {
        WorkerState.allCases.count * structure.cellCount
    }

    /// Row index of (state, cell).
    @inlinable
    public static func index(_ state: WorkerState, cell: Int, _ structure: WorkforceStructure) -> Int {
        state.index * structure.cellCount + cell
    }

    /// Share of each state that moves to each state in a year, within one cell: `p[from][to]`.
    public static func stateMoves(_ rates: TransitionRates) -> [[Double]] {
        let n = WorkerState.allCases.count
        var p = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for s in WorkerState.allCases { p[s.index][s.index] = 1 }
        func move(_ from: WorkerState, _ to: WorkerState, _ share: Double) {
            p[from.index][to.index] += share
            p[from.index][from.index] -= share
        }
        let finish = min(1, 1 / rates.trainingYears)
        move(.inTraining, .reemployed, finish * rates.trainingSuccessShare)
        move(.inTraining, .unemployed, finish * (1 - rates.trainingSuccessShare))
        move(.reemployed, .unemployed, rates.jobLossRate)
        move(.publicWelfare, .unemployed, min(1, 1 / rates.publicWelfareYears))
        move(.unemployed, .reemployed, rates.reemploymentRate)
        move(.unemployed, .outOfLabourForce, rates.labourForceExitRate)
        return p
    }

    /// The dense operator `T = A · P`.
    public static func build(_ structure: WorkforceStructure, _ rates: TransitionRates) -> Matrix {
        precondition(rates.reemploymentRate + rates.labourForceExitRate <= 1 + 1e-12,
                     "unemployed leave at most once: reemployment + exit rates must not exceed 1")
        let n = size(structure)
        let p = stateMoves(rates)
        var t = Matrix(rowCount: n, columnCount: n)
        for from in WorkerState.allCases {
            for sex in Sex.allCases {
                for k in 0..<structure.bandCount {
                    let col = index(from, cell: structure.cell(sex, k), structure)
                    for to in WorkerState.allCases where p[from.index][to.index] != 0 {
                        let share = p[from.index][to.index]
                        // Ageing: the retired and any band past retirement age do not move.
                        if to == .retired || structure.isPastRetirement(sex, k) {
                            t[index(to, cell: structure.cell(sex, k), structure), col] += share
                            continue
                        }
                        let up = 1 / structure.width(k)
                        let stay = index(to, cell: structure.cell(sex, k), structure)
                        t[stay, col] += share * (1 - up)
                        let reachesRetirement = structure.ageBandEdges[k + 1] == structure.retirementAge[sex]!
                        let next = reachesRetirement
                            ? index(.retired, cell: structure.cell(sex, k), structure)
                            : index(to, cell: structure.cell(sex, k + 1), structure)
                        t[next, col] += share * up
                    }
                }
            }
        }
        return t
    }
}
