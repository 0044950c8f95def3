/// Morris's screening measures per input from the outputs of a `Morris` design.
///
/// For each trajectory step that moves input `i` from `x` to `x'`, the elementary effect is
/// `EE_i = (f(x') − f(x)) / (x'_i − x_i)` (the step is `±Δ`). Over the `r` trajectories:
/// `μ_i = mean EE_i`, `μ*_i = mean |EE_i|` (Campolongo, Cariboni and Saltelli 2007) and
/// `σ_i` the sample standard deviation of `EE_i` (divisor `r − 1`; 0 when `r = 1`). Effects are in
/// output units per unit of the hypercube coordinate.
public struct MorrisEffects: Equatable, Sendable {
    /// `μ` per input.
    public let mu: [Double]
    /// `μ*` per input.
    public let muStar: [Double]
    /// `σ` per input.
    public let sigma: [Double]
    /// `effects[i]`: the elementary effects of input `i`, in trajectory order.
    public let effects: [[Double]]

    /// Measures from `outputs[k] = f(design.point(k))` for every point of `design`.
    public init(design: Morris, outputs: [Double]) {
        precondition(outputs.count == design.count,
                     "MorrisEffects: \(outputs.count) outputs for \(design.count) points")
        let d = design.dimension
        var effects = [[Double]](repeating: [], count: d)
        for t in 0..<design.trajectoryCount {
            let trajectory = design.trajectory(t)
            let y = outputs[(t * (d + 1))..<((t + 1) * (d + 1))].map { $0 }
            for k in 0..<d {
                effects[trajectory.moved[k]].append((y[k + 1] - y[k]) / trajectory.steps[k])
            }
        }
        self.effects = effects
        let r = Double(design.trajectoryCount)
        mu = effects.map { $0.isEmpty ? .nan : $0.reduce(0, +) / r }
        muStar = effects.map { $0.isEmpty ? .nan : $0.reduce(0) { $0 + abs($1) } / r }
        sigma = zip(effects, mu).map { e, m in
            if e.count < 2 { return e.isEmpty ? .nan : 0 }
            return (e.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(e.count - 1)).squareRoot()
        }
    }
}
