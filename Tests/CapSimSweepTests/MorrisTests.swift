import CapSimSweep
import Testing

@Suite struct MorrisTests {
    @Test func stepsAreOneAtATimeOfSizeDelta() {
        for p in [4, 6] {
            let m = Morris(dimension: 5, trajectories: 20, levels: p, seed: 3)
            #expect(m.count == 20 * 6)
            let delta = Double(p) / (2 * Double(p - 1))
            #expect(m.delta == delta)
            for t in 0..<20 {
                let tr = m.trajectory(t)
                #expect(Set(tr.moved) == Set(0..<5))
                for k in 0..<5 {
                    let x = tr.points[k], y = tr.points[k + 1]
                    let changed = (0..<5).filter { x[$0] != y[$0] }
                    #expect(changed == [tr.moved[k]])
                    #expect(abs(abs(y[tr.moved[k]] - x[tr.moved[k]]) - delta) < 1e-12)
                    #expect(y.allSatisfy { $0 >= 0 && $0 <= 1 })
                    // On the grid {0, 1/(p-1), ..., 1}.
                    #expect(y.allSatisfy { abs(($0 * Double(p - 1)).rounded() - $0 * Double(p - 1)) < 1e-9 })
                }
                #expect(m.point(t * 6 + 2) == tr.points[2])
            }
        }
    }

    @Test func reproducibleFromTheSeed() {
        let a = Morris(dimension: 3, trajectories: 10, seed: 5)
        #expect(a.allPoints() == Morris(dimension: 3, trajectories: 10, seed: 5).allPoints())
        #expect(a.allPoints() == Morris(dimension: 3, trajectories: 40, seed: 5).points(0..<40))
        #expect(a.allPoints() != Morris(dimension: 3, trajectories: 10, seed: 6).allPoints())
    }
}
