import RealModule

/// A small, fast, seedable random generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// Every random draw in capsim comes from one of these, created from an explicit seed, so the same
/// inputs and seed give the same numbers. `stream(_:)` derives an independent generator for a
/// sub-task (a scenario, an experiment) from the seed and the sub-task's index alone, so results do
/// not depend on how work is split across threads or shards.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for sub-task `index` of the task seeded with `seed`.
    public static func stream(seed: UInt64, index: UInt64) -> SplitMix64 {
        // Mix the pair through one SplitMix64 step each, so neighbouring indices are uncorrelated.
        var mixer = SplitMix64(seed: seed ^ 0xD1B5_4A32_D192_ED03)
        let a = mixer.next()
        var second = SplitMix64(seed: a &+ index &* 0x9E37_79B9_7F4A_7C15)
        return SplitMix64(seed: second.next())
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal draw (Box-Muller, one of the pair).
    public mutating func normal() -> Double {
        var u = unit()
        while u == 0 { u = unit() }
        let v = unit()
        return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * Double.pi * v)
    }
}
