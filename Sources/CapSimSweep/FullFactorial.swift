/// Every combination of `levelCounts[j]` levels per dimension.
///
/// Level `k` of a dimension with `m` levels is the cell centre `(k + ½)/m`, so the quantile of a
/// distribution gives the midpoint (in probability) of `m` equiprobable strata, and a discrete
/// distribution of `m` equally weighted values gives each value once. Points are in row-major
/// order: the **last** dimension varies fastest, as in nested loops over dimensions `0, 1, …`.
public struct FullFactorial: Design {
    /// Levels per dimension.
    public let levelCounts: [Int]
    public var dimension: Int { levelCounts.count }
    public let count: Int

    /// A grid with `levelCounts[j] ≥ 1` levels in dimension `j`.
    public init(levelCounts: [Int]) {
        precondition(levelCounts.allSatisfy { $0 >= 1 }, "FullFactorial: every dimension needs a level")
        self.levelCounts = levelCounts
        var total = 1
        for m in levelCounts {
            let (product, overflow) = total.multipliedReportingOverflow(by: m)
            precondition(!overflow, "FullFactorial: too many grid points")
            total = product
        }
        self.count = total
    }

    /// The level index of each dimension for point `index`.
    public func levelIndices(_ index: Int) -> [Int] {
        precondition(index >= 0 && index < count, "FullFactorial: index \(index) out of 0..<\(count)")
        var rest = index
        var levels = [Int](repeating: 0, count: dimension)
        for j in stride(from: dimension - 1, through: 0, by: -1) {
            levels[j] = rest % levelCounts[j]
            rest /= levelCounts[j]
        }
        return levels
    }

    public func point(_ index: Int) -> [Double] {
        let levels = levelIndices(index)
        return (0..<dimension).map { (Double(levels[$0]) + 0.5) / Double(levelCounts[$0]) }
    }
}
