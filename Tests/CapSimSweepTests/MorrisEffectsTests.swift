import CapSimSweep
import Testing

@Suite struct MorrisEffectsTests {
    @Test func linearFunctionGivesItsCoefficients() {
        let c = [3.0, -2.0, 0.5, 0]
        let m = Morris(dimension: 4, trajectories: 15, levels: 6, seed: 11)
        let y = m.allPoints().map { x in 1 + zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } }
        let e = MorrisEffects(design: m, outputs: y)
        for i in 0..<4 {
            #expect(abs(e.mu[i] - c[i]) < 1e-9)
            #expect(abs(e.muStar[i] - abs(c[i])) < 1e-9)
            #expect(e.sigma[i] < 1e-9)
            #expect(e.effects[i].count == 15)
        }
    }

    @Test func nonlinearInputHasSpread() {
        let m = Morris(dimension: 2, trajectories: 30, seed: 2)
        let y = m.allPoints().map { $0[0] * $0[0] + $0[1] }
        let e = MorrisEffects(design: m, outputs: y)
        #expect(e.sigma[0] > 0.1 && e.sigma[1] < 1e-9)
        #expect(abs(e.muStar[1] - 1) < 1e-9)
    }
}
