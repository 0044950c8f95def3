import LinearAlgebra

/// The yearly operator `T` of every scenario of a batch, applied to one stock block at a time
/// (docs/MODEL.md §7.3, §7.0).
///
/// A block is the `n × S` matrix of one (sector, slot), `n = 8·cells` rows (state, cell), the
/// scenario innermost: element `[row·S + s]`. Two kernels give the same numbers up to the order of
/// additions: a loop over the union of the scenarios' non-zeros in compressed-column form, with one
/// weight per scenario (or one for all when every scenario shares `T`), which adds into each row in
/// increasing column order exactly as the reference does; and one BLAS `dgemm` per run of
/// consecutive scenarios sharing `T`.
struct BatchTransition {
    let size: Int
    let scenarioCount: Int
    /// Column `j`'s non-zeros (in any scenario) are `rows[start[j] ..< start[j+1]]`, rows increasing.
    let start: [Int]
    let rows: [Int]
    /// Per non-zero `k`: `weights[k·S + s]`, or `weights[k]` when `uniform`.
    let weights: Buffer<Double>
    /// Whether every scenario has the same `T`.
    let uniform: Bool
    /// Runs of consecutive scenarios sharing `T`, and each run's `T` row-major (for `dgemm`).
    let runs: [Range<Int>]
    let rowMajor: [Buffer<Double>]

    init(structure: WorkforceStructure, rates: [TransitionRates]) {
        let n = TransitionMatrix.size(structure)
        let S = rates.count
        size = n
        scenarioCount = S
        var runs: [Range<Int>] = []
        var dense: [Matrix] = []
        for s in 0..<S {
            if s > 0, rates[s] == rates[s - 1] {
                runs[runs.count - 1] = runs[runs.count - 1].lowerBound..<(s + 1)
            } else {
                runs.append(s..<(s + 1))
                dense.append(TransitionMatrix.build(structure, rates[s]))
            }
        }
        self.runs = runs
        let uniform = runs.count == 1
        self.uniform = uniform
        var start = [0], rowList: [Int] = []
        for j in 0..<n {
            for i in 0..<n where dense.contains(where: { $0[i, j] != 0 }) { rowList.append(i) }
            start.append(rowList.count)
        }
        self.start = start
        rows = rowList
        let nnz = rowList.count
        var w = [Double](repeating: 0, count: uniform ? nnz : nnz * S)
        for (r, run) in runs.enumerated() {
            let t = dense[r]
            for j in 0..<n {
                for k in start[j]..<start[j + 1] {
                    if uniform { w[k] = t[rowList[k], j]; continue }
                    for s in run { w[k * S + s] = t[rowList[k], j] }
                }
            }
        }
        weights = Buffer(w)
        rowMajor = dense.map { t in Buffer((0..<(n * n)).map { t[$0 / n, $0 % n] }) }
    }

    /// States reachable from `seeds` under any scenario's `T` (closure over the non-zeros): the rows
    /// a slot can ever hold people in.
    func reachableStates(from seeds: [Int], cellCount: Int) -> [Int] {
        var reached = Set(seeds), frontier = seeds
        while let state = frontier.popLast() {
            for j in (state * cellCount)..<((state + 1) * cellCount) {
                for k in start[j]..<start[j + 1] where reached.insert(rows[k] / cellCount).inserted {
                    frontier.append(rows[k] / cellCount)
                }
            }
        }
        return reached.sorted()
    }

    /// What the loop kernel visits for one slot: the rows that can hold people (increasing; they
    /// must hold every non-zero of `x` and be closed under `T`), which non-zeros write a row first
    /// (they store instead of adding, so no pass zeroes the block first: `0 + a = a` exactly), and
    /// the rows no non-zero reaches (set to 0).
    struct Plan {
        let rows: [Int]
        let first: [Bool]
        let unreached: [Int]
    }

    /// The plan for a slot whose people can only be in `rows`.
    func plan(rows active: [Int]) -> Plan {
        var first = [Bool](repeating: false, count: rows.count)
        var written = Set<Int>()
        for j in active {
            for k in start[j]..<start[j + 1] where written.insert(rows[k]).inserted { first[k] = true }
        }
        return Plan(rows: active, first: first, unreached: active.filter { !written.contains($0) })
    }

    /// `y = T · x` on one block by the loop kernel, over the plan's rows; rows outside are left
    /// untouched (zero). Each row receives its terms in increasing column order.
    func applyLoops(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, plan: Plan) {
        let S = scenarioCount
        for i in plan.unreached { (y + i * S).update(repeating: 0, count: S) }
        let w = weights.base
        for j in plan.rows {
            let xj = x + j * S
            for k in start[j]..<start[j + 1] {
                let yr = y + rows[k] * S
                switch (uniform, plan.first[k]) {
                case (true, true):
                    let wk = w[k]
                    for s in 0..<S { yr[s] = wk * xj[s] }
                case (true, false):
                    let wk = w[k]
                    for s in 0..<S { yr[s] += wk * xj[s] }
                case (false, true):
                    let wk = w + k * S
                    for s in 0..<S { yr[s] = wk[s] * xj[s] }
                case (false, false):
                    let wk = w + k * S
                    for s in 0..<S { yr[s] += wk[s] * xj[s] }
                }
            }
        }
    }

    /// `y = T · x` on one block by one `dgemm` per run of scenarios sharing `T` (all rows).
    func applyBLAS(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        for (r, run) in runs.enumerated() {
            RawBLAS.gemmRowMajor(m: size, n: run.count, k: size, a: rowMajor[r].base, lda: size,
                                 b: x + run.lowerBound, ldb: scenarioCount, c: y + run.lowerBound, ldc: scenarioCount)
        }
    }
}
