/// The Sobol' low-discrepancy sequence in base 2 with Joe and Kuo's direction numbers
/// (file "new-joe-kuo-6.21201", S. Joe and F. Y. Kuo, SIAM J. Sci. Comput. 30, 2635–2654, 2008),
/// unscrambled, in Gray-code order (Antonov–Saleev).
///
/// Point `i` is computed directly: `x_i = ⊕_k g_k · v_k`, where `g = i ⊕ (i >> 1)` is the Gray code of
/// `i` and `v_k` the `k`-th direction number (32 bits), so any index range gives the same points as
/// the whole sequence. Point 0 is the origin, point 1 is ½ in every dimension; published tables
/// list from point 1 (dimension 1: 0.5, 0.75, 0.25, 0.375, 0.875, …). The first dimension is
/// van der Corput's (all `m_k = 1`); dimensions 2…`maxDimension` use the table below. Up to
/// `2³² − 1` points.
public struct SobolSequence: Design {
    public let dimension: Int
    public let count: Int
    /// Index of the first point returned by `point(0)`; by default `balancedSkip(count:)`.
    public let skip: Int
    /// `directions[j][k]`: direction number `v_{k+1}` of dimension `j`, scaled by 2³².
    let directions: [[UInt32]]

    /// Number of direction-number bits, hence the index limit 2³².
    static let bits = 32

    /// Rows of new-joe-kuo-6.21201 for dimensions 2…32: degree `s`, coefficient `a`, initial `m`.
    static let joeKuo: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]), (4, 4, [1, 3, 5, 13]), (5, 2, [1, 1, 5, 5, 17]), (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]), (5, 11, [1, 1, 5, 1, 1]), (5, 13, [1, 1, 1, 3, 11]),
        (5, 14, [1, 3, 5, 5, 31]), (6, 1, [1, 3, 3, 9, 7, 49]), (6, 13, [1, 1, 1, 15, 21, 21]),
        (6, 16, [1, 3, 1, 13, 27, 49]), (6, 19, [1, 1, 1, 15, 7, 5]), (6, 22, [1, 3, 1, 15, 13, 25]),
        (6, 25, [1, 1, 5, 5, 19, 61]), (7, 1, [1, 3, 7, 11, 23, 15, 103]),
        (7, 4, [1, 3, 7, 13, 13, 15, 69]), (7, 7, [1, 1, 3, 13, 7, 35, 63]),
        (7, 8, [1, 3, 5, 9, 1, 25, 53]), (7, 14, [1, 3, 1, 13, 9, 35, 107]),
        (7, 19, [1, 3, 1, 5, 27, 61, 31]), (7, 21, [1, 1, 5, 11, 19, 41, 61]),
        (7, 28, [1, 3, 5, 3, 3, 13, 69]), (7, 31, [1, 1, 7, 13, 1, 19, 1]),
        (7, 32, [1, 3, 7, 5, 13, 19, 59]), (7, 37, [1, 1, 3, 9, 25, 29, 41]),
        (7, 41, [1, 3, 5, 13, 23, 1, 55]), (7, 42, [1, 3, 7, 3, 13, 59, 17]),
    ]

    /// The largest supported dimension.
    public static var maxDimension: Int { joeKuo.count + 1 }

    /// The default skip for `count` points: the smallest power of two `M ≥ max(count, 2)`.
    ///
    /// Points `M ..< 2M` are one aligned block of the sequence, so when `count` is a power of two
    /// the points `M ..< M + count` put exactly one point in each interval `[k/count, (k+1)/count)`
    /// of every dimension (like points `0 ..< count`, but without the origin, which a quantile
    /// function maps to −∞ for unbounded inputs). `M ≥ 2` also leaves out point 1, which is ½ in
    /// every dimension (every `v_1 = 2³¹`) and would give `Saltelli`'s first row `A = B`.
    /// SciPy gives the same points with `qmc.Sobol(d, scramble=False)`, `fast_forward(M)`,
    /// `random(count)`.
    public static func balancedSkip(count: Int) -> Int {
        var m = 2
        while m < count { m <<= 1 }
        return m
    }

    /// Points `skip ..< skip + count` of the `dimension`-dimensional sequence (`skip` defaults
    /// to `balancedSkip(count:)`).
    public init(dimension: Int, count: Int, skip: Int? = nil) {
        let skip = skip ?? SobolSequence.balancedSkip(count: count)
        precondition(dimension >= 1 && dimension <= SobolSequence.maxDimension,
                     "SobolSequence: dimension \(dimension) outside 1...\(SobolSequence.maxDimension)")
        precondition(count >= 0 && skip >= 0 && skip + count <= Int(UInt32.max),
                     "SobolSequence: indices beyond 2^32 - 1")
        self.dimension = dimension
        self.count = count
        self.skip = skip
        self.directions = (0..<dimension).map(SobolSequence.directionNumbers)
    }

    /// Direction numbers `v_1 … v_32` of dimension `j` (0-based), scaled by 2³²:
    /// `v_k = m_k 2^(32−k)` for `k ≤ s`, then `v_k = v_{k−s} ⊕ (v_{k−s} >> s) ⊕ ⊕_{l=1}^{s−1} a_l v_{k−l}`,
    /// with `a_l` bit `s − 1 − l` of `a`.
    static func directionNumbers(_ j: Int) -> [UInt32] {
        var v = [UInt32](repeating: 0, count: bits + 1)  // 1-based
        if j == 0 {
            for k in 1...bits { v[k] = 1 << UInt32(bits - k) }
            return Array(v[1...])
        }
        let (s, a, m) = joeKuo[j - 1]
        for k in 1...bits {
            if k <= s {
                v[k] = m[k - 1] << UInt32(bits - k)
            } else {
                var x = v[k - s] ^ (v[k - s] >> UInt32(s))
                for l in 1..<s where (a >> UInt32(s - 1 - l)) & 1 == 1 { x ^= v[k - l] }
                v[k] = x
            }
        }
        return Array(v[1...])
    }

    /// Point `skip + index` of the sequence, coordinates in [0, 1) as multiples of 2⁻³².
    public func point(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < count, "SobolSequence: index \(index) out of 0..<\(count)")
        let i = UInt32(skip + index)
        let gray = i ^ (i >> 1)
        return directions.map { v in
            var x: UInt32 = 0
            var g = gray
            var k = 0
            while g != 0 {
                if g & 1 == 1 { x ^= v[k] }
                g >>= 1
                k += 1
            }
            return Double(x) * 0x1.0p-32
        }
    }
}
