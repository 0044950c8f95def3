import LinearAlgebra

/// Sums per-facility metrics to groups (docs/MODEL.md §3.3).
///
/// Each facility belongs to exactly four groups (its sector's total, its region, its owner type,
/// its region and owner type), so the membership matrix `M` (groups × facilities) has four ones
/// per column. `.blas` forms `X` (facilities × metrics·scenarios) and computes `M · X` with one
/// `dgemm`; `.loops` adds each facility's metrics into its four groups directly.
struct Aggregator {
    let groupCount: Int
    let facilityCount: Int
    let kernel: Engine.Kernel
    /// The four group indices of each facility, flat: `groupsOf[4f ..< 4f+4]`.
    let groupsOf: [Int]
    /// Dense membership matrix, built only for the BLAS kernel.
    let membership: Matrix?

    init(groups: [AggregationGroup], facilities: [Facility], kernel: Engine.Kernel) {
        groupCount = groups.count
        facilityCount = facilities.count
        self.kernel = kernel
        var index: [AggregationGroup: Int] = [:]
        for (g, group) in groups.enumerated() { index[group] = g }
        var flat: [Int] = []
        flat.reserveCapacity(4 * facilities.count)
        for f in facilities {
            flat.append(index[AggregationGroup(sector: f.sector)]!)
            flat.append(index[AggregationGroup(sector: f.sector, region: f.region)]!)
            flat.append(index[AggregationGroup(sector: f.sector, owner: f.owner)]!)
            flat.append(index[AggregationGroup(sector: f.sector, region: f.region, owner: f.owner)]!)
        }
        groupsOf = flat
        if kernel == .blas {
            var m = Matrix(rowCount: groups.count, columnCount: facilities.count)
            for f in 0..<facilities.count { for k in 0..<4 { m[flat[4 * f + k], f] = 1 } }
            membership = m
        } else {
            membership = nil
        }
    }

    /// The year's metrics per group: a matrix groups × (metrics × scenarios).
    func aggregate(state: BatchState, year: Int, policies: [Policy]) -> Matrix {
        let columns = state.columns
        let metricCount = Metric.allCases.count
        let width = metricCount * policies.count
        var x = kernel == .blas ? Matrix(rowCount: facilityCount, columnCount: width) : Matrix(rowCount: 0, columnCount: 0)
        var out = Matrix(rowCount: groupCount, columnCount: width)
        var v = [Double](repeating: 0, count: metricCount)
        x.withUnsafeMutableBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for s in 0..<policies.count {
                    let utilisation = Sector.allCases.map { policies[s].sector($0).utilisation(in: year) }
                    let base = s * metricCount
                    for f in 0..<facilityCount {
                        let cap = columns.capacity[f]
                        let operating = state.status[f, s] == .operating
                        let closed = state.closedThisYear[f, s]
                        let opened = state.openedThisYear[f, s]
                        v[0] = operating ? 1 : 0
                        v[1] = operating ? cap : 0
                        v[2] = closed ? 1 : 0
                        v[3] = closed ? cap : 0
                        v[4] = opened ? 1 : 0
                        v[5] = opened ? cap : 0
                        v[6] = v[3] - v[5]
                        v[7] = operating ? cap * utilisation[columns.sector[f].index] : 0
                        if kernel == .blas {
                            for m in 0..<metricCount { xp[f + (base + m) * facilityCount] = v[m] }
                        } else {
                            for k in 0..<4 {
                                let g = groupsOf[4 * f + k]
                                for m in 0..<metricCount where v[m] != 0 { op[g + (base + m) * groupCount] += v[m] }
                            }
                        }
                    }
                }
            }
        }
        if kernel == .blas { Matrix.gemm(membership!, x, into: &out) }
        return out
    }
}
