import CapSimCore

/// `count` independent uniform points; point `i` is drawn from `SplitMix64.stream(seed:index: i)`.
///
/// Point `i` is the same whatever `count` is, so a larger sample extends a smaller one.
public struct MonteCarlo: Design {
    public let dimension: Int
    public let count: Int
    /// The seed every point's stream derives from.
    public let seed: UInt64

    /// `count` points of `dimension` coordinates from `seed`.
    public init(dimension: Int, count: Int, seed: UInt64) {
        precondition(dimension >= 0 && count >= 0, "MonteCarlo: negative size")
        self.dimension = dimension
        self.count = count
        self.seed = seed
    }

    /// Coordinates are successive `openUnit()` draws of the point's stream, in (0, 1).
    public func point(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < count, "MonteCarlo: index \(index) out of 0..<\(count)")
        var rng = SplitMix64.stream(seed: seed, index: UInt64(index))
        return (0..<dimension).map { _ in rng.openUnit() }
    }
}
