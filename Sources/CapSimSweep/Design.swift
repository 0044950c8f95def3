import CapSimCore

/// A finite set of points in the unit hypercube, each reachable by its index alone.
///
/// `point(_:)` depends only on the design's parameters (and seed) and the index, never on which
/// other points were asked for, so splitting `0..<count` into batches, threads or shards gives the
/// same points.
public protocol Design: Sendable {
    /// Number of coordinates per point.
    var dimension: Int { get }
    /// Number of points.
    var count: Int { get }
    /// Point `index` (0-based), `dimension` coordinates in the unit hypercube.
    func point(_ index: Int) -> [Double]
}

extension Design {
    /// Points `range` in order.
    public func points(_ range: Range<Int>) -> [[Double]] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "points: range out of 0..<\(count)")
        return range.map { point($0) }
    }

    /// Every point, in index order.
    public func allPoints() -> [[Double]] { points(0..<count) }
}

extension SplitMix64 {
    /// A uniform draw in (0, 1): 53 random bits shifted off zero by half a unit in the last place.
    mutating func openUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-shift with rejection).
    mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }
}
